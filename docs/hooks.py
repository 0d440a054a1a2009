"""MkDocs hooks: the reference pages' generated parts, made from the code at
build time. A page asks for one with a marker line, `<!-- generated: NAME -->`;
an unknown NAME fails the build."""

from __future__ import annotations

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


GENERATORS = {"cli": cli, "environment": environment, "finding-keys": finding_keys}


def on_page_markdown(markdown: str, page, config, files) -> str:
    return MARKER.sub(lambda found: GENERATORS[found.group(1)](), markdown)
