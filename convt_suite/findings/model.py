"""Known findings: real framework differences, recorded with their evidence.

Each finding is data, one file per finding in convt_suite/findings/known/:
`<id>.toml` (its id, title, detail, the versions it holds in, and which
failed checks it explains, through the named matchers of
convt_suite/findings/matchers.py) and `<id>.py`, its standalone snippet (that
framework and numpy only), which prints "REPRODUCED: ..." while the finding
holds.

A failed check that a finding explains is recorded with outcome "known" and
the finding's id, so the run stays green while the report still shows it.
tests/test_known_findings.py runs every snippet in a child process: inside
the versions the finding holds in it must reproduce, so a framework upgrade
that fixes (or changes) the behaviour is noticed, not silently absorbed;
outside them its verdict is recorded for the version grid (`convt-suite
report` over a matrix), which is where `holds_in` comes from.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from convt_suite.adapters.base import DISTRIBUTIONS, DTYPES
from convt_suite.core.native import base_kind
from convt_suite.core.vocabulary import Failure, Kind
from convt_suite.findings.matchers import MATCHERS
from convt_suite.host import cpu, quiet
from convt_suite.runtime import preloaded

FOLDER = Path(__file__).with_name("known")

# the keys a finding file may have, and those of its tables
FIELDS = {"id", "title", "observed_on", "detail", "holds_in", "onednn_isa", "tensorflow_onednn",
          "explains", "snippet"}
EXPLAINS = {"adapters", "failures", "error_contains", "dtypes", "kinds", "matchers"}
SNIPPET = {"env"}
# the values [explains] may name (what compare.py and the sweeps record)
KNOWN_VALUES = {
    "failures": {str(failure) for failure in Failure},
    "dtypes": set(DTYPES),
    "kinds": {str(kind) for kind in Kind},
}

# a distribution some environments install under another name
ALIASES = {"tensorflow-cpu": DISTRIBUTIONS["tensorflow"]}


@dataclass(frozen=True)
class Finding:
    id: str
    title: str
    adapters: tuple[str, ...]        # the adapters whose checks it explains
    failures: tuple[str, ...]        # ...failing in one of these ways (error, shape, values, crash...)
    matchers: tuple[str, ...]        # ...for which each of these matchers holds
    observed_on: str                 # the versions it was first recorded with
    detail: str
    snippet: str                     # prints "REPRODUCED: ..." while the finding holds
    error_contains: tuple[str, ...] = ()   # ...whose error contains one of these (none: any)
    dtypes: tuple[str, ...] = ()           # ...in one of these dtypes (none: any)
    kinds: tuple[str, ...] = ()            # ...of one of these kinds (none: any)
    holds_in: dict = field(default_factory=dict)   # distribution -> PEP 440 specifier
    onednn_isa: tuple[str, ...] = ()       # the oneDNN instruction sets it holds on (none: any)
    # True: only where TensorFlow runs its oneDNN kernels; False: only where it runs its own (None: either)
    tensorflow_onednn: bool | None = None
    env: dict = field(default_factory=dict)

    def explains(self, record: dict) -> bool:
        return (
            record.get("outcome") == "failed"
            and record.get("adapter") in self.adapters
            and record.get("failure") in self.failures
            and (not self.error_contains
                 or any(text in (record.get("error") or "") for text in self.error_contains))
            and (not self.dtypes or record.get("dtype") in self.dtypes)
            and (not self.kinds or record.get("kind") in self.kinds
                 or base_kind(record) in self.kinds)
            and all(MATCHERS[name](record) for name in self.matchers)
        )

    def expected_here(self, versions: dict, isa: str | None, tensorflow_onednn: bool) -> bool | None:
        """Does it hold in these installed versions ({distribution: version})
        on a CPU whose oneDNN runs at `isa`, where TensorFlow runs oneDNN or
        not (convt_suite/host/cpu.py)? None where one of its distributions is not
        installed."""
        if self.machine_excludes(isa, tensorflow_onednn):
            return False
        for dist, spec in self.holds_in.items():
            found = next((versions[name] for name in ALIASES.get(dist, (dist,)) if name in versions),
                         None)
            if found is None:
                return None
            try:
                if Version(found) not in SpecifierSet(spec, prereleases=True):
                    return False
            except InvalidVersion:
                return False
        return True

    def machine_excludes(self, isa: str | None, tensorflow_onednn: bool) -> str | None:
        """Why it cannot be expected on a CPU whose oneDNN runs at `isa`, where
        TensorFlow runs oneDNN or not; None where the machine fits."""
        if self.onednn_isa and isa not in self.onednn_isa:
            return f"it holds where oneDNN runs at {', '.join(self.onednn_isa)}; here at {isa}"
        if self.tensorflow_onednn is not None and tensorflow_onednn != self.tensorflow_onednn:
            return (f"it holds where TensorFlow runs {'its oneDNN' if self.tensorflow_onednn else 'its own'}"
                    f" kernels; here it runs {'oneDNN' if tensorflow_onednn else 'its own'}")
        return None

    def expected_on_this_machine(self) -> bool | None:
        """expected_here with this machine's installed versions, oneDNN level
        and TensorFlow's choice of kernels (nothing imported)."""
        names = tuple(name for dist in self.holds_in for name in ALIASES.get(dist, (dist,)))
        return self.expected_here(_installed(names), cpu.onednn_isa(), cpu.tensorflow_onednn())

    def reproduce(self, timeout: float = 300) -> tuple[bool, str]:
        """Run the snippet in a child process (forked from one that imported
        its frameworks already: convt_suite/runtime/preloaded.py): (still
        reproduces?, its output)."""
        env = {**os.environ, **quiet.script_env(self.env)}
        done = preloaded.run_script(self.snippet, env, timeout)
        output = (done.stdout + done.stderr).strip()
        return done.returncode == 0 and "REPRODUCED:" in done.stdout, output


@cache
def _installed(names: tuple) -> dict:
    from convt_suite.core.results import installed_versions  # what is installed does not change in a process

    return installed_versions(names)


IMPORT_FAILURE = re.compile(r"^(ModuleNotFoundError|ImportError): ", re.M)


def could_not_run(output: str) -> bool:
    """The snippet died importing what it needs (an older framework may lack
    it): that says nothing about whether the finding holds there."""
    return bool(IMPORT_FAILURE.search(output))


def load(path: Path) -> Finding:
    """One finding from its TOML file (and the snippet beside it), with an
    error that names the file and the key when the file breaks a rule."""
    data = tomllib.loads(path.read_text())
    explains = data.get("explains", {})

    def fail(rule: str):
        raise ValueError(f"{path}: {rule}")

    if data.get("id") != path.stem:
        fail(f"id must be the file's name ({path.stem!r}), not {data.get('id')!r}")
    snippet_table = data.get("snippet", {})
    for unknown in (set(data) - FIELDS, set(explains) - EXPLAINS, set(snippet_table) - SNIPPET):
        if unknown:
            fail(f"unknown key(s) {sorted(unknown)}")
    for key in EXPLAINS:
        value = explains.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail(f"[explains] {key} must be a list of strings, not {value!r}")
        if key in KNOWN_VALUES and set(value) - KNOWN_VALUES[key]:
            fail(f"[explains] {key}: {sorted(set(value) - KNOWN_VALUES[key])} unknown "
                 f"(known: {', '.join(sorted(KNOWN_VALUES[key]))})")
    for key in ("title", "observed_on", "detail"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            fail(f"{key} must be a non-empty string")
    for key in ("adapters", "failures", "matchers"):
        if not explains.get(key):
            fail(f"[explains] {key} must list at least one")
    unmatched = [name for name in explains["matchers"] if name not in MATCHERS]
    if unmatched:
        fail(f"[explains] matchers {unmatched} are not in convt_suite/findings/matchers.py "
             f"(known: {', '.join(sorted(MATCHERS))})")
    for dist, spec in data.get("holds_in", {}).items():
        try:
            SpecifierSet(spec)
        except Exception as error:
            fail(f"holds_in.{dist} = {spec!r} is not a PEP 440 specifier ({error})")
    isas = data.get("onednn_isa", [])
    if not isinstance(isas, list) or set(isas) - set(cpu.LEVELS):
        fail(f"onednn_isa = {isas!r}: must list oneDNN levels ({', '.join(cpu.LEVELS)})")
    if not isinstance(data.get("tensorflow_onednn", False), bool):
        fail(f"tensorflow_onednn = {data['tensorflow_onednn']!r}: must be true or false")
    snippet = path.with_suffix(".py")
    if not snippet.exists():
        fail(f"its snippet {snippet.name} is missing")
    return Finding(
        id=data["id"], title=data["title"], observed_on=data["observed_on"],
        detail=" ".join(data["detail"].split()), snippet=snippet.read_text(),
        holds_in=dict(data.get("holds_in", {})), onednn_isa=tuple(isas),
        tensorflow_onednn=data.get("tensorflow_onednn"),
        env=dict(snippet_table.get("env", {})),
        **{key: tuple(explains.get(key, ())) for key in EXPLAINS},
    )


def load_all(folder: Path = FOLDER) -> list[Finding]:
    """Narrowest first (most matchers), so that where two findings explain one
    check the one with more conditions names it; then by id."""
    findings = [load(path) for path in folder.glob("*.toml")]
    return sorted(findings, key=lambda finding: (-len(finding.matchers), finding.id))


KNOWN = load_all()
BY_ID = {finding.id: finding for finding in KNOWN}


def classify(record: dict, known=KNOWN) -> dict:
    """Mark a failed check that a known finding explains as outcome 'known'.
    Where several explain it, one recorded to hold on this machine (where the
    check ran: its versions, oneDNN level and TF's kernels) names it before
    one recorded elsewhere: float16 overflow on an avx2 CPU is the overflow
    finding, not the avx512_fp16 phantom-row one whose matchers it also meets."""
    explaining = [finding for finding in known if finding.explains(record)]
    if not explaining:
        return record
    chosen = next((f for f in explaining if f.expected_on_this_machine() is not False), explaining[0])
    return {**record, "outcome": "known", "finding": chosen.id}


def write_holds_in(finding_id: str, holds_in: dict, folder: Path = FOLDER) -> None:
    """Rewrite one finding file's holds_in line (the rest of the file, its
    comments included, stays as written)."""
    path = folder / f"{finding_id}.toml"
    lines = path.read_text().splitlines(keepends=True)
    at = [n for n, line in enumerate(lines) if line.startswith("holds_in = ")]
    if len(at) != 1:
        raise ValueError(f"{path}: expected one 'holds_in = {{...}}' line, found {len(at)}")
    table = ", ".join(f'"{dist}" = "{spec}"' for dist, spec in holds_in.items())
    before = path.read_text()
    lines[at[0]] = f"holds_in = {{{table}}}\n"
    path.write_text("".join(lines))
    try:
        load(path)   # still a valid finding
    except ValueError:
        path.write_text(before)   # as it was: never leave a file the suite cannot load
        raise


# --- the docs' findings table, generated from the files ------------------------

TABLE_START = "<!-- findings table: generated by `convt-suite findings --readme docs/reference/findings.md` -->"
TABLE_END = "<!-- end of findings table -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(known=KNOWN) -> str:
    rows = ["| id | what | holds in | explains |", "| --- | --- | --- | --- |"]
    for finding in sorted(known, key=lambda f: f.id):
        holds = ", ".join(f"{dist} {spec}" for dist, spec in finding.holds_in.items()) or "every version"
        if finding.onednn_isa:
            holds += f"; oneDNN at {' or '.join(finding.onednn_isa)}"
        if finding.tensorflow_onednn is not None:
            holds += "; where TensorFlow runs oneDNN" if finding.tensorflow_onednn else \
                "; where TensorFlow runs without oneDNN"
        explains = "; ".join(filter(None, [
            ", ".join(finding.adapters), "/".join(finding.failures),
            "/".join(finding.dtypes), "/".join(finding.kinds),
            " + ".join(f"`{name}`" for name in finding.matchers)]))
        rows.append(f"| `{finding.id}` | {_cell(finding.title)} | {_cell(holds)} | {_cell(explains)} |")
    return "\n".join(rows)


def with_table(readme: str, known=KNOWN) -> str:
    """The page's text (docs/reference/findings.md) with the block between the markers regenerated."""
    if TABLE_START not in readme or TABLE_END not in readme:
        raise ValueError(f"the page has no findings table markers ({TABLE_START} ... {TABLE_END})")
    before, rest = readme.split(TABLE_START, 1)
    _, after = rest.split(TABLE_END, 1)
    return f"{before}{TABLE_START}\n{markdown_table(known)}\n{TABLE_END}{after}"
