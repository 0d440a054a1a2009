"""Known findings: real framework differences, recorded with their evidence.

Each finding is one folder in convt_suite/findings/known/<id>/:

- `finding.toml`: its id, title, detail, the versions it holds in, which
  failed checks it explains (the adapters, failures... and the generic
  matchers of convt_suite/findings/matchers.py that must all hold), and its
  examples: check records it must explain, each with near misses (the record
  changed by one condition) it must not;
- `reproduce.py`: its standalone snippet (that framework and numpy only),
  which says its verdict twice: by its exit status (0 reproduced, 3 not
  reproduced; anything else: it could not run) and by its last verdict line
  ("REPRODUCED: ..." or "NOT REPRODUCED: ...");
- `match.py`, only where no generic matcher fits: `match(record) -> bool`,
  the condition its investigation found, no wider.

A failed check that a finding explains is recorded with outcome "known" and
the finding's id, so the run stays green while the report still shows it.
convt_suite/checks/test_known_findings.py runs every snippet in a child
process: inside the versions the finding holds in it must reproduce, so a
framework upgrade that fixes (or changes) the behaviour is noticed, not
silently absorbed; outside them its verdict is recorded for the version grid
(`convt-suite report` over a matrix), which is where `holds_in` comes from.
tests/test_matchers.py runs every finding's examples.

Findings load when first asked for (`known()`), a finding's match.py and
snippet when first used.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import subprocess
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, cached_property
from pathlib import Path

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from convt_suite.adapters.base import DISTRIBUTIONS, DTYPES
from convt_suite.adapters.spec import RANKS
from convt_suite.core.native import base_kind
from convt_suite.core.records import record_rank
from convt_suite.core.vocabulary import BUGS, Failure, Kind, Upstream
from convt_suite.findings.matchers import MATCHERS
from convt_suite.host import cpu, quiet
from convt_suite.runtime import preloaded

FOLDER = Path(__file__).with_name("known")
# the files of a finding's folder
TOML, SNIPPET_FILE, MATCH_FILE = "finding.toml", "reproduce.py", "match.py"

# the keys a finding file may have, and those of its tables
FIELDS = {"id", "title", "observed_on", "detail", "holds_in", "onednn_isa", "tensorflow_onednn",
          "explains", "snippet", "examples", "upstream"}
UPSTREAM = {"status", "links", "searched", "note", "fixed_in", "title", "expected"}
EXPLAINS = {"adapters", "failures", "error_contains", "dtypes", "kinds", "matchers"}
RANKS_KEY = "ranks"   # [explains] ranks: the spatial ranks it was measured in (ints; default [2])
SNIPPET = {"env"}
EXAMPLE = {"why", "record", "near_misses"}
NEAR_MISS = {"why", "set", "drop"}
# the values [explains] may name (what compare.py and the sweeps record)
KNOWN_VALUES = {
    "failures": {str(failure) for failure in Failure},
    "dtypes": set(DTYPES),
    "kinds": {str(kind) for kind in Kind},
}

# a distribution some environments install under another name
ALIASES = {"tensorflow-cpu": DISTRIBUTIONS["tensorflow"]}


class Verdict(StrEnum):
    """What a finding's snippet says."""
    REPRODUCED = "reproduced"
    NOT_REPRODUCED = "not reproduced"
    COULD_NOT_RUN = "could not run"   # it died, timed out, or its two reports disagree


# a snippet's exit status (any other: it could not run) and its verdict line's prefix
EXIT_STATUS = {Verdict.REPRODUCED: 0, Verdict.NOT_REPRODUCED: 3}
VERDICT_LINE = {Verdict.REPRODUCED: "REPRODUCED:", Verdict.NOT_REPRODUCED: "NOT REPRODUCED:"}


def read_verdict(returncode: int, stdout: str) -> tuple[Verdict, str]:
    """A snippet's verdict from its exit status and its last verdict line,
    which must agree; with why, where it could not run."""
    said = [verdict for line in stdout.splitlines() for verdict, prefix in VERDICT_LINE.items()
            if line.startswith(prefix)]
    printed = said[-1] if said else None
    by_status = next((verdict for verdict, status in EXIT_STATUS.items() if status == returncode), None)
    if by_status is None:
        return Verdict.COULD_NOT_RUN, f"it exited with status {returncode}"
    if printed is not by_status:
        return Verdict.COULD_NOT_RUN, (f"its exit status {returncode} says {by_status.value!r}, its printed "
                                       f"verdict {printed.value if printed else 'nothing'!r}")
    return by_status, ""


@dataclass(frozen=True)
class UpstreamStatus:
    """Where a finding stands upstream: its status, the related issues, pull
    requests or specification (links), what they say (note), the searches
    tried where none was found, and the release that fixed it."""

    status: Upstream
    note: str
    links: tuple[str, ...] = ()
    searched: tuple[str, ...] = ()
    fixed_in: dict = field(default_factory=dict)   # distribution -> the first version without it
    title: str = ""      # an issue's title in the upstream project's style (findings report)
    expected: str = ""   # what should happen, for that issue

    @property
    def is_bug(self) -> bool:
        """A framework's bug, not specified behaviour or the suite's own limit."""
        return self.status in BUGS


@dataclass(frozen=True)
class Finding:
    id: str
    title: str
    adapters: tuple[str, ...]        # the adapters whose checks it explains
    failures: tuple[str, ...]        # ...failing in one of these ways (error, shape, values, crash...)
    matchers: tuple[str, ...]        # ...for which each of these generic matchers holds
    observed_on: str                 # the versions it was first recorded with
    detail: str
    folder: Path                     # known/<id>/: finding.toml, reproduce.py, match.py
    upstream: UpstreamStatus         # where it stands upstream ([upstream])
    error_contains: tuple[str, ...] = ()   # ...whose error contains one of these (none: any)
    dtypes: tuple[str, ...] = ()           # ...in one of these dtypes (none: any)
    kinds: tuple[str, ...] = ()            # ...of one of these kinds (none: any)
    # ...of a case of one of these spatial ranks: those it was measured in (a
    # twin in another rank is not assumed: its failures stay unexplained until measured)
    ranks: tuple[int, ...] = (2,)
    holds_in: dict = field(default_factory=dict)   # distribution -> PEP 440 specifier
    onednn_isa: tuple[str, ...] = ()       # the oneDNN instruction sets it holds on (none: any)
    # True: only where TensorFlow runs its oneDNN kernels; False: only where it runs its own (None: either)
    tensorflow_onednn: bool | None = None
    env: dict = field(default_factory=dict)
    examples: tuple[dict, ...] = ()        # [[examples]]: {why, record, near_misses}

    @property
    def holds(self) -> str:
        """Where it holds, in words: the versions, the oneDNN levels, TF's kernels."""
        words = ", ".join(f"{dist} {spec}" for dist, spec in self.holds_in.items()) or "every version"
        if self.onednn_isa:
            words += f"; oneDNN at {' or '.join(self.onednn_isa)}"
        if self.tensorflow_onednn is not None:
            words += "; where TensorFlow runs oneDNN" if self.tensorflow_onednn else \
                "; where TensorFlow runs without oneDNN"
        return words

    @cached_property
    def snippet(self) -> str:
        """reproduce.py's text."""
        return (self.folder / SNIPPET_FILE).read_text()

    @property
    def has_match(self) -> bool:
        return (self.folder / MATCH_FILE).exists()

    @cached_property
    def match(self) -> Callable[[dict], bool] | None:
        """match.py's `match`, loaded when first asked for (None: no match.py)."""
        return load_match(self.folder / MATCH_FILE) if self.has_match else None

    def explains(self, record: dict) -> bool:
        return (
            record.get("outcome") == "failed"
            and record.get("adapter") in self.adapters
            and record_rank(record) in self.ranks
            and record.get("failure") in self.failures
            and (not self.error_contains
                 or any(text in (record.get("error") or "") for text in self.error_contains))
            and (not self.dtypes or record.get("dtype") in self.dtypes)
            and (not self.kinds or record.get("kind") in self.kinds
                 or base_kind(record) in self.kinds)
            and all(MATCHERS[name](record) for name in self.matchers)
            and (self.match is None or self.match(record))
            and self.recorded_before_its_fix(record)
        )

    def recorded_before_its_fix(self, record: dict) -> bool:
        """A finding fixed upstream ([upstream] fixed_in) explains only checks
        recorded on a version before the fix (the record's versions): the same
        failure after it is a regression, news. True for one not fixed."""
        for dist, fixed in self.upstream.fixed_in.items():
            names = ALIASES.get(dist, (dist,))
            found = next((record.get("versions", {}).get(name) for name in names
                          if name in (record.get("versions") or {})), None)
            try:
                if found is None or Version(found) >= Version(fixed):
                    return False
            except InvalidVersion:
                return False
        return True

    def example_records(self) -> list[tuple[str, dict, bool]]:
        """(what, record, must it be explained?) for each example and each of its near misses."""
        found = []
        for n, example in enumerate(self.examples, 1):
            what = f"example {n}" + (f" ({example['why']})" if example.get("why") else "")
            found.append((what, example["record"], True))
            for near in example.get("near_misses", ()):
                found.append((f"{what}, near miss: {near['why']}", near_miss(example["record"], near), False))
        return found

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

    def reproduce(self, timeout: float = 300, extra_env=None) -> tuple[Verdict, str]:
        """Run the snippet in a child process (forked from one that imported
        its frameworks already: convt_suite/runtime/preloaded.py): its verdict
        and its output (with why, where it could not run)."""
        env = {**os.environ, **quiet.script_env({**self.env, **(extra_env or {})})}
        try:
            done = preloaded.run_script(self.snippet, env, timeout)
        except subprocess.TimeoutExpired:
            return Verdict.COULD_NOT_RUN, f"it ran past {timeout:g} s"
        output = (done.stdout + done.stderr).strip()
        verdict, why = read_verdict(done.returncode, done.stdout)
        return verdict, output + (f"\n({why})" if why else "")


@cache
def _installed(names: tuple) -> dict:
    from convt_suite.core.results import installed_versions  # what is installed does not change in a process

    return installed_versions(names)


def near_miss(record: dict, change: dict) -> dict:
    """The record with a near miss's changes: `set` gives values by dotted
    path ("case.spec.dilation"), `drop` lists paths to remove."""
    changed = copy.deepcopy(record)
    for path, value in change.get("set", {}).items():
        *parents, last = path.split(".")
        node = changed
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    for path in change.get("drop", ()):
        *parents, last = path.split(".")
        node = changed
        for key in parents:
            node = node[key]
        del node[last]
    return changed


def load_match(path: Path) -> Callable[[dict], bool]:
    """A finding's match.py, loaded by path (its folder is not a package)."""
    spec = importlib.util.spec_from_file_location(f"convt_suite.findings.known.{path.parent.name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    match = getattr(module, "match", None)
    if not callable(match):
        raise ValueError(f"{path}: must define match(record) -> bool")
    return match


def load(folder: Path) -> Finding:
    """One finding from its folder, with an error that names the file and the
    key when a file breaks a rule."""
    path = folder / TOML
    if not path.exists():
        raise ValueError(f"{folder}: a finding's folder must hold {TOML}")
    data = tomllib.loads(path.read_text())
    explains = data.get("explains", {})

    def fail(rule: str):
        raise ValueError(f"{path}: {rule}")

    if data.get("id") != folder.name:
        fail(f"id must be the folder's name ({folder.name!r}), not {data.get('id')!r}")
    snippet_table = data.get("snippet", {})
    for unknown in (set(data) - FIELDS, set(explains) - EXPLAINS - {RANKS_KEY}, set(snippet_table) - SNIPPET):
        if unknown:
            fail(f"unknown key(s) {sorted(unknown)}")
    for key in EXPLAINS:
        value = explains.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail(f"[explains] {key} must be a list of strings, not {value!r}")
        if key in KNOWN_VALUES and set(value) - KNOWN_VALUES[key]:
            fail(f"[explains] {key}: {sorted(set(value) - KNOWN_VALUES[key])} unknown "
                 f"(known: {', '.join(sorted(KNOWN_VALUES[key]))})")
    ranks = explains.get(RANKS_KEY, [2])
    if (not isinstance(ranks, list) or not ranks or len(set(ranks)) != len(ranks)
            or not all(type(rank) is int and rank in RANKS for rank in ranks)):
        fail(f"[explains] ranks = {ranks!r}: must list the spatial ranks it was measured in, "
             f"each of 1, 2, 3 once (default [2])")
    for key in ("title", "observed_on", "detail"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            fail(f"{key} must be a non-empty string")
    for key in ("adapters", "failures"):
        if not explains.get(key):
            fail(f"[explains] {key} must list at least one")
    has_match = (folder / MATCH_FILE).exists()
    if not explains.get("matchers") and not has_match:
        fail(f"[explains] matchers must list at least one, or the folder hold a {MATCH_FILE}")
    unmatched = [name for name in explains.get("matchers", []) if name not in MATCHERS]
    if unmatched:
        fail(f"[explains] matchers {unmatched} are not in convt_suite/findings/matchers.py "
             f"(known: {', '.join(sorted(MATCHERS))}); a condition of one finding belongs in its {MATCH_FILE}")
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
    examples = data.get("examples", [])
    if not isinstance(examples, list) or not examples:
        fail("[[examples]]: must give at least one check record it explains")
    for n, example in enumerate(examples, 1):
        if set(example) - EXAMPLE:
            fail(f"[[examples]] {n}: unknown key(s) {sorted(set(example) - EXAMPLE)}")
        if not isinstance(example.get("record"), dict):
            fail(f"[[examples]] {n}: record must be a table (a check record it explains)")
        for near in example.get("near_misses", []):
            if set(near) - NEAR_MISS:
                fail(f"[[examples]] {n}, near miss: unknown key(s) {sorted(set(near) - NEAR_MISS)}")
            if not isinstance(near.get("why"), str) or not (near.get("set") or near.get("drop")):
                fail(f"[[examples]] {n}, near miss {near!r}: must say why, and set or drop something")
    if not any(example.get("near_misses") for example in examples):
        fail("[[examples]]: some example must give a near miss (a record it must not explain)")
    upstream = _upstream(data.get("upstream"), fail)
    if not (folder / SNIPPET_FILE).exists():
        fail(f"its snippet {SNIPPET_FILE} is missing")
    unexpected = {p.name for p in folder.iterdir() if p.name != "__pycache__"} - {TOML, SNIPPET_FILE, MATCH_FILE}
    if unexpected:
        fail(f"the folder holds {sorted(unexpected)}: a finding is {TOML}, {SNIPPET_FILE} and, "
             f"where no generic matcher fits, {MATCH_FILE}")
    return Finding(
        id=data["id"], title=data["title"], observed_on=data["observed_on"], upstream=upstream,
        detail=" ".join(data["detail"].split()), folder=folder,
        holds_in=dict(data.get("holds_in", {})), onednn_isa=tuple(isas),
        tensorflow_onednn=data.get("tensorflow_onednn"),
        env=dict(snippet_table.get("env", {})), examples=tuple(examples), ranks=tuple(sorted(ranks)),
        **{key: tuple(explains.get(key, ())) for key in EXPLAINS},
    )


def _upstream(table, fail) -> UpstreamStatus:
    """[upstream], with an error that names the key and the rule."""
    statuses = ", ".join(f"{status.value!r}" for status in Upstream)
    if not isinstance(table, dict):
        fail(f"[upstream] must be a table: status ({statuses}), note, and links or searched")
    if set(table) - UPSTREAM:
        fail(f"[upstream]: unknown key(s) {sorted(set(table) - UPSTREAM)}")
    if table.get("status") not in set(Upstream):
        fail(f"[upstream] status = {table.get('status')!r}: must be one of {statuses}")
    status = Upstream(table["status"])
    if not isinstance(table.get("note"), str) or not table["note"].strip():
        fail("[upstream] note must be a non-empty string: what the links say, or what was looked for")
    for key in ("title", "expected"):
        if not isinstance(table.get(key, ""), str):
            fail(f"[upstream] {key} must be a string, not {table[key]!r}")
    for key in ("links", "searched"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            fail(f"[upstream] {key} must be a list of strings, not {value!r}")
    links = table.get("links", [])
    if any(not link.startswith("https://") for link in links):
        fail(f"[upstream] links must be https:// addresses, not {[v for v in links if not v.startswith('https://')]}")
    if status in (Upstream.REPORTED, Upstream.FIXED, Upstream.SPECIFIED) and not links:
        fail(f"[upstream] status = {status.value!r} needs links: the issue, pull request or specification")
    if status is Upstream.NOT_REPORTED and not table.get("searched"):
        fail("[upstream] status = 'not reported' needs searched: the searches tried")
    fixed_in = table.get("fixed_in", {})
    if not isinstance(fixed_in, dict) or (status is Upstream.FIXED) != bool(fixed_in):
        fail("[upstream] fixed_in = {distribution = version} is given exactly where status = 'fixed'")
    for dist, version in fixed_in.items():
        try:
            Version(version)
        except (InvalidVersion, TypeError):
            fail(f"[upstream] fixed_in.{dist} = {version!r} is not a version")
    return UpstreamStatus(status=status, note=" ".join(table["note"].split()), links=tuple(links),
                          searched=tuple(table.get("searched", [])), fixed_in=dict(fixed_in),
                          title=table.get("title", "").strip(), expected=" ".join(table.get("expected", "").split()))


def load_all(folder: Path = FOLDER) -> list[Finding]:
    """Narrowest first (most conditions: generic matchers, and match.py),
    so that where two findings explain one check the one with more
    conditions names it; then by id."""
    findings = [load(path) for path in folder.iterdir() if path.is_dir() and path.name != "__pycache__"]
    return sorted(findings, key=lambda finding: (-len(finding.matchers) - finding.has_match, finding.id))


@cache
def known() -> tuple[Finding, ...]:
    """Every known finding, loaded when first asked for."""
    return tuple(load_all())


@cache
def by_id() -> dict[str, Finding]:
    return {finding.id: finding for finding in known()}


def classify(record: dict, known_findings=None) -> dict:
    """Mark a failed check that a known finding explains as outcome 'known'.
    Where several explain it, one recorded to hold on this machine (where the
    check ran: its versions, oneDNN level and TF's kernels) names it before
    one recorded elsewhere: float16 overflow on an avx2 CPU is the overflow
    finding, not the avx512_fp16 phantom-row one whose matchers it also meets."""
    if record.get("outcome") != "failed":
        return record
    explaining = [finding for finding in (known() if known_findings is None else known_findings)
                  if finding.explains(record)]
    if not explaining:
        return record
    chosen = next((f for f in explaining if f.expected_on_this_machine() is not False), explaining[0])
    return {**record, "outcome": "known", "finding": chosen.id}


def write_holds_in(finding_id: str, holds_in: dict, folder: Path = FOLDER) -> None:
    """Rewrite one finding file's holds_in line (the rest of the file, its
    comments included, stays as written)."""
    path = folder / finding_id / TOML
    lines = path.read_text().splitlines(keepends=True)
    at = [n for n, line in enumerate(lines) if line.startswith("holds_in = ")]
    if len(at) != 1:
        raise ValueError(f"{path}: expected one 'holds_in = {{...}}' line, found {len(at)}")
    table = ", ".join(f'"{dist}" = "{spec}"' for dist, spec in holds_in.items())
    before = path.read_text()
    lines[at[0]] = f"holds_in = {{{table}}}\n"
    path.write_text("".join(lines))
    try:
        load(path.parent)   # still a valid finding
    except ValueError:
        path.write_text(before)   # as it was: never leave a file the suite cannot load
        raise


# --- the docs' findings table, generated from the files ------------------------

TABLE_START = "<!-- findings table: generated by `convt-suite findings --readme docs/reference/findings.md` -->"
TABLE_END = "<!-- end of findings table -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _link(url: str) -> str:
    """A link as the table shows it: owner/repo#N for GitHub, else the address."""
    short = url.removeprefix("https://github.com/")
    for kind in ("/issues/", "/pull/"):
        if kind in short and short.count("/") == 3:
            short = short.replace(kind, "#")
    return f"[{short}]({url})"


def _upstream_cell(upstream: UpstreamStatus) -> str:
    fixed = "".join(f" in {dist} {version}" for dist, version in upstream.fixed_in.items())
    return f"{upstream.status}{fixed}" + (": " + ", ".join(map(_link, upstream.links)) if upstream.links else "")


GROUPS = (("Framework bugs", True),
          ("Specified behaviour and the suite's own limits (recorded, not bugs to file)", False))


def markdown_table(findings=None) -> str:
    """The findings as Markdown: the framework bugs, then specified behaviour
    and the suite's own limits, each a table."""
    findings = sorted(known() if findings is None else findings, key=lambda f: f.id)
    blocks = []
    for heading, bugs in GROUPS:
        rows = [f"**{heading}**", "", "| id | what | upstream | holds in | ranks | explains |",
                "| --- | --- | --- | --- | --- | --- |"]
        rows += [_row(finding) for finding in findings if finding.upstream.is_bug == bugs]
        blocks.append("\n".join(rows))
    return "\n\n".join(blocks)


def _row(finding: Finding) -> str:
    explains = "; ".join(filter(None, [
        ", ".join(finding.adapters), "/".join(finding.failures),
        "/".join(finding.dtypes), "/".join(finding.kinds),
        " + ".join([*(f"`{name}`" for name in finding.matchers), *(["`match.py`"] if finding.has_match else [])])]))
    return (f"| `{finding.id}` | {_cell(finding.title)} | {_cell(_upstream_cell(finding.upstream))} "
            f"| {_cell(finding.holds)} | {', '.join(f'{rank}-D' for rank in finding.ranks)} | {_cell(explains)} |")


def with_table(readme: str, findings=None) -> str:
    """The page's text (docs/reference/findings.md) with the block between the markers regenerated."""
    if TABLE_START not in readme or TABLE_END not in readme:
        raise ValueError(f"the page has no findings table markers ({TABLE_START} ... {TABLE_END})")
    before, rest = readme.split(TABLE_START, 1)
    _, after = rest.split(TABLE_END, 1)
    return f"{before}{TABLE_START}\n{markdown_table(findings)}\n{TABLE_END}{after}"
