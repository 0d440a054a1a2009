"""MkDocs hooks: the reference pages' generated parts, made from the code at
build time. A page asks for one with a marker line, `<!-- generated: NAME -->`;
an unknown NAME fails the build."""

from __future__ import annotations

import json
import os
import re

MARKER = re.compile(r"^<!-- generated: ([a-z-]+) -->$", re.M)


def cli() -> str:
    """Every subcommand's --help, as argparse prints it."""
    import argparse

    from convt_suite.cli import parser

    os.environ["COLUMNS"] = "100"   # argparse wraps to the terminal: a fixed width
    top = parser()
    parts = ["```text", top.format_help().rstrip(), "```"]
    subcommands = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subcommands.choices.items():
        parts += ["", f"## `convt-suite {name}`", "", "```text", sub.format_help().rstrip(), "```"]
    return "\n".join(parts) + "\n"


def environment() -> str:
    from convt_suite.host import env

    return env.markdown_table()


def finding_keys() -> str:
    """What a finding file's [explains] may name: the closed vocabularies and generic matchers."""
    from convt_suite.findings.matchers import MATCHERS
    from convt_suite.findings.model import KNOWN_VALUES

    rows = ["| key | allowed values |", "| --- | --- |"]
    rows += [f"| `{key}` | {', '.join(f'`{v}`' for v in sorted(values))} |"
             for key, values in sorted(KNOWN_VALUES.items())]
    rows.append(f"| `matchers` | {', '.join(f'`{name}`' for name in sorted(MATCHERS))} |")
    return "\n".join(rows) + "\n"


def _type_words(prop: dict, defs: dict) -> str:
    """A JSON Schema property's type in a few words: `integer`, `array of number`, `Kind`..."""
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[1]
        return f"[{name}](#{name.lower()})" if "properties" in defs[name] else f"`{name}`"
    if "const" in prop:
        return f"`{json.dumps(prop['const'])}`"
    if "enum" in prop:
        return " \\| ".join(f"`{json.dumps(v)}`" for v in prop["enum"])
    if "anyOf" in prop:
        return " or ".join(_type_words(p, defs) for p in prop["anyOf"])
    kind = prop.get("type", "any")
    if kind == "array" and "items" in prop:
        return f"array of {_type_words(prop['items'], defs)}"
    if kind == "object" and isinstance(prop.get("additionalProperties"), dict):
        return f"object of {_type_words(prop['additionalProperties'], defs)}"
    return kind


def results_schema() -> str:
    """Each record type and nested object of the results schema: its fields,
    their types, whether every record has them, and what they mean."""
    from convt_suite.core.records import RECORD_TYPES, json_schema
    from convt_suite.core.vocabulary import SCHEMA_VERSION

    schema = json_schema()
    defs = schema["$defs"]
    records = [t.__name__ for t in RECORD_TYPES.values()]
    nested = sorted(n for n, d in defs.items() if "properties" in d and n not in records)
    parts = [f"The JSON Schema: [{SCHEMA_FILE.rsplit('/', 1)[1]}]({SCHEMA_FILE.rsplit('/', 1)[1]}) "
             f"(schema_version {SCHEMA_VERSION}).", ""]
    for name in records + nested:
        definition = defs[name]
        parts += [f"### {name}", "", definition.get("description", ""), "",
                  "| field | type | on every record | meaning |", "| --- | --- | --- | --- |"]
        required = set(definition.get("required", ()))
        # the fields every record has first (inherited ones come first from pydantic)
        for field, prop in sorted(definition["properties"].items(), key=lambda item: item[0] not in required):
            meaning = " ".join(prop.get("description", "").split()).replace("|", "\\|").replace("<", "&lt;")
            parts.append(f"| `{field}` | {_type_words(prop, defs)} | {'yes' if field in required else ''} "
                         f"| {meaning} |")
        parts.append("")
    return "\n".join(parts)


GENERATORS = {"cli": cli, "environment": environment, "finding-keys": finding_keys,
              "results-schema": results_schema}
SCHEMA_FILE = "reference/results.schema.json"   # the JSON Schema, published beside its page


def on_files(files, config):
    """The results schema's JSON Schema as a file of the site, so pages link to it."""
    from mkdocs.structure.files import File

    from convt_suite.core.records import json_schema

    files.append(File.generated(config, SCHEMA_FILE, content=json.dumps(json_schema(), indent=2) + "\n"))
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    return MARKER.sub(lambda found: GENERATORS[found.group(1)](), markdown)
