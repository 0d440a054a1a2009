"""The version grid: results from several version sets (the matrix in
noxfile.py), merged into one table of behaviours against sets.

Rows are behaviours with a signature that means the same on every set:
- a known finding (its snippet reproduced there, or it explained checks);
- an unexplained discrepancy, by adapter, kind and failure;
- an error path where a framework returns, crashes or hangs instead of raising;
- what an adapter declines, and how it had to compose a call (a framework
  version that lacks or refuses an argument), by adapter and reason;
- an adapter that could not load at all (an older framework may lack what
  it uses), by adapter and reason.
Rows that differ between sets come first.
Each cell is "reproduces", "absent" (the set ran what would show it) or "not
run". Where sets differ in one framework only (the matrix varies one at a
time from the pinned set), a change between two neighbouring versions is
attributed to that framework: "appears in keras 3.6.0 (absent in
3.3.3)"; with versions between them untested, that is where to look.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Set as AbstractSet
from pathlib import Path

from packaging.version import InvalidVersion, Version

from convt_suite.adapters.base import DISTRIBUTIONS
from convt_suite.core.records import composed, plan_words

REPRODUCES, ABSENT, NOT_RUN = "reproduces", "absent", "not run"
KIND_ORDER = ["discrepancy", "unavailable", "finding", "error_path", "declined", "composed"]
VERSION = re.compile(r"\b\d+\.\d+(\.\d+)?\b")
INSTALLED = re.compile(r" \(installed: [^)]*\)$")
PATHS = re.compile(r" \(/[^)]*\)")     # where a module lives differs from environment to environment
PINNED, NEWEST = "pinned", "newest"

FRAMEWORKS = DISTRIBUTIONS   # framework -> its distributions


CPU = "cpu"   # the machine's oneDNN level, beside the framework versions of a set


def set_name(records: list[dict], path: Path) -> str:
    """The version set a results file belongs to: its header's, else its folder's name."""
    for record in records:
        if record.get("type") == "run" and record.get("version_set"):
            return record["version_set"]
    return path.parent.name


def framework_versions(records: list[dict]) -> dict:
    """framework -> installed version, read from the run headers (never assumed)."""
    for record in records:
        if record.get("type") == "run":
            versions = (record.get("environment") or {}).get("versions") or {}
            found = {}
            for framework, dists in FRAMEWORKS.items():
                for dist in dists:
                    if dist in versions:
                        found[framework] = (dist, versions[dist])
                        break
            # oneDNN picks kernels by the CPU: sets run on different CPUs are not compared
            environment = record.get("environment") or {}
            isa = environment.get("onednn_isa")
            if isa:   # TF's own kernels run where it runs without oneDNN
                without = environment.get("tensorflow_onednn") is False
                found[CPU] = ("oneDNN at", isa + (" (TensorFlow without oneDNN)" if without else ""))
            return found
    return {}


def _checks(records):
    return [r for r in records if r.get("type", "check") == "check" and "adapter" in r]


def behaviours(records: list[dict]) -> tuple[dict, set, Counter]:
    """(signature -> evidence for those that show, the scopes the set ran,
    finding id -> checks it explained there): a scope is what must have run
    for a behaviour's absence to mean anything."""
    shown: dict = defaultdict(list)
    ran: set = set()
    explained: Counter = Counter()
    for record in _checks(records):
        adapter, kind = record["adapter"], record["kind"]
        ran.update({("checks", adapter, kind), ("loaded", adapter)})
        if record["outcome"] == "known":
            # counted, not shown: a finding reproduces where its snippet does
            explained[record["finding"]] += 1
        elif record["outcome"] == "failed":
            shown[("discrepancy", adapter, kind, record.get("failure"))].append(record)
        if composed(record) and record["outcome"] != "skipped":
            # how the adapter had to ask: a framework that lost or gained an argument
            shown[("composed", adapter, VERSION.sub("<version>", plan_words(record)))].append(record)
        if record["outcome"] == "skipped":
            # by reason alone: an adapter declines a parameter in every kind and dtype
            shown[("declined", adapter, str(record.get("reason"))[:200])].append(record)
    for record in records:
        if record.get("type") in ("worker", "unavailable"):
            ran.add(("tried", record["adapter"]))
        if record.get("type") == "unavailable":
            # the installed versions differ from set to set; the reason does not
            reason = PATHS.sub("", INSTALLED.sub("", str(record["reason"]))).removeprefix(
                f"{record['adapter']} unavailable: ")
            shown[("unavailable", record["adapter"], reason)].append(record)
        elif record.get("type") == "finding" and not record.get("could_not_run"):
            ran.add(("finding", record["id"]))
            if record.get("reproduced"):
                shown[("finding", record["id"])].append(record)
        elif record.get("type") == "error_path":
            ran.add(("error_path", record["framework"], record["scenario"]))
            if record["outcome"] in ("returned", "crashed", "hung"):
                shown[("error_path", record["framework"], record["scenario"],
                       record["outcome"])].append(record)
    return shown, ran, explained


def _scope(signature: tuple) -> tuple:
    kind = signature[0]
    if kind == "finding":
        return ("finding", signature[1])
    if kind == "error_path":
        return ("error_path", signature[1], signature[2])
    if kind in ("declined", "composed"):   # only an adapter that loaded can
        return ("loaded", signature[1])
    if kind == "unavailable":
        return ("tried", signature[1])
    return ("checks", signature[1], signature[2])


def describe(signature: tuple) -> str:
    kind, *rest = signature
    if kind == "finding":
        return f"known finding {rest[0]}"
    if kind == "discrepancy":
        return f"{rest[0]} {rest[1]}: fails ({rest[2]})"
    if kind == "error_path":
        return f"{rest[0]}: {rest[1]}: {rest[2]} where the definition has no result"
    if kind == "unavailable":
        return f"{rest[0]} unavailable: {rest[1]}"
    if kind == "composed":
        return f"{rest[0]} {rest[1]}"
    return f"{rest[0]} declines: {rest[1]}"


def _ordered(names) -> list[str]:
    """pinned first, newest last, the rest by name with numbers as numbers
    (keras-3.3 before keras-3.10)."""
    rank = {PINNED: 0, NEWEST: 2}
    return sorted(names, key=lambda name: (rank.get(name, 1), [
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", name)]))


def _version(text: str):
    try:
        return Version(text)
    except InvalidVersion:
        return None


def frameworks_of(adapter: str) -> set[str]:
    """The frameworks an adapter's results depend on: keras[jax] on Keras and JAX."""
    base = adapter.split("[")[0]
    if base == "keras":
        backend = adapter[len("keras["):-1] if "[" in adapter else None
        return {"keras", backend} if backend is not None and backend in FRAMEWORKS else set(FRAMEWORKS)
    return {base} if base in FRAMEWORKS else set(FRAMEWORKS)


def relevant(signature: tuple) -> set[str]:
    """The frameworks a behaviour can depend on: its adapter's (a finding: the
    adapters it explains; an error path: that framework's, Keras's with any backend)."""
    kind = signature[0]
    if kind == "finding":
        from convt_suite.findings.model import by_id

        finding = by_id().get(signature[1])
        if finding is None:
            return set(FRAMEWORKS)
        return set().union(*(frameworks_of(adapter) for adapter in finding.adapters))
    return frameworks_of(signature[1])


def _chains(versions: dict, framework: str, depends_on: AbstractSet[str]) -> list[list[str]]:
    """Groups of sets that agree on every framework the behaviour depends on
    but `framework`, each ordered by that framework's version."""
    chains = defaultdict(list)
    for name, found in versions.items():
        if framework in found and _version(found[framework][1]) is not None:
            others = tuple(sorted((f, v) for f, v in found.items()
                                  if f != framework and (f in depends_on or f == CPU)))
            chains[others].append(name)
    return [sorted(chain, key=lambda name: (_version(versions[name][framework][1]), name))
            for chain in chains.values()]


def changes(cells: dict, versions: dict, depends_on: AbstractSet[str] = frozenset(FRAMEWORKS)) -> list[str]:
    """Per framework the behaviour depends on: where it appears or disappears
    between two sets that differ, of those frameworks, in that one alone
    (neighbours by its version; sets that also differ elsewhere say nothing)."""
    said = []
    for framework in FRAMEWORKS:
        if framework not in depends_on:
            continue
        for chain in _chains(versions, framework, depends_on):
            for before, after in zip(chain, chain[1:]):
                a, b = cells.get(before, NOT_RUN), cells.get(after, NOT_RUN)
                if NOT_RUN in (a, b) or a == b:
                    continue
                dist, version = versions[after][framework]
                if version == versions[before][framework][1]:
                    said.append(f"differs between sets {before} and {after}, which share {dist} "
                                f"{version}: something else decides (or it is not deterministic)")
                    continue
                appears = b == REPRODUCES
                said.append(f"{'appears' if appears else 'disappears'} in {dist} {version} "
                            f"({'absent' if appears else 'seen'} in {versions[before][framework][1]}; "
                            f"sets {before} → {after})")
    return sorted(set(said))


def build(per_set: dict[str, list[dict]]) -> dict:
    """The grid model: columns (set names, with their framework versions),
    rows (signature, description, cells, changes, evidence), and the rows
    where the newest set differs from the pinned one."""
    names = _ordered(per_set)
    versions = {name: framework_versions(per_set[name]) for name in names}
    shown, ran, explained = {}, {}, {}
    for name in names:
        shown[name], ran[name], explained[name] = behaviours(per_set[name])
    signatures = {s for found in shown.values() for s in found}
    rows = []
    for signature in signatures:
        cells = {name: REPRODUCES if signature in shown[name]
                 else ABSENT if _scope(signature) in ran[name] else NOT_RUN for name in names}
        first = next(name for name in names if signature in shown[name])
        evidence = shown[first][signature]
        rows.append({
            "signature": list(signature), "kind": signature[0], "what": describe(signature),
            "cells": cells, "changes": changes(cells, versions, relevant(signature)),
            # a finding: the checks it explained there; else the records that showed it
            "counts": {name: explained[name][signature[1]] if signature[0] == "finding"
                       else len(shown[name].get(signature, ())) for name in names},
            "evidence_set": first, "evidence": evidence,
        })
    rows.sort(key=lambda row: (len(set(row["cells"].values()) - {NOT_RUN}) < 2,
                               KIND_ORDER.index(row["kind"]), row["what"]))
    flagged = [row for row in rows if PINNED in names and NEWEST in names
               and row["cells"][PINNED] != row["cells"][NEWEST]
               and NOT_RUN not in (row["cells"][PINNED], row["cells"][NEWEST])]
    return {"columns": [{"set": name, "versions": {f: f"{d} {v}" for f, (d, v) in versions[name].items()}}
                        for name in names],
            "rows": rows, "newest_differs": flagged, "framework_versions": versions}


def summary(grid: dict) -> dict:
    """The machine-readable grid (summary.json): no evidence records, just cells."""
    return {"columns": grid["columns"],
            "rows": [{k: row[k] for k in ("signature", "what", "cells", "changes", "counts",
                                          "evidence_set")} for row in grid["rows"]],
            "newest_differs": [row["what"] for row in grid["newest_differs"]]}


def observed_range(cells: dict, versions: dict, framework: str,
                   depends_on: AbstractSet[str] = frozenset(FRAMEWORKS)) -> str | None:
    """The PEP 440 range a behaviour holds in for one framework, read from the
    sets that agree with the pinned set on the other frameworks it depends
    on: from the oldest version of the unbroken run of versions that show it
    around the pinned one, up to (not including) the first newer version
    where it is absent, open above where none is. None where the pinned set
    does not show it, or no other version of the framework ran beside it
    (one set is no evidence of a range)."""
    if framework not in versions.get(PINNED, {}) or cells.get(PINNED) != REPRODUCES:
        return None
    chain = next((c for c in _chains(versions, framework, depends_on) if PINNED in c), None)
    if chain is None:
        return None
    by_version: dict = {}    # version -> the cells of the sets on it (several sets may share one)
    for name in chain:
        if cells.get(name, NOT_RUN) != NOT_RUN:
            by_version.setdefault(_version(versions[name][framework][1]), set()).add(cells[name])
    ordered = sorted(by_version)
    if len(ordered) < 2:
        return None
    shows = [by_version[v] == {REPRODUCES} for v in ordered]
    at = ordered.index(_version(versions[PINNED][framework][1]))
    if not shows[at]:        # another set on the pinned version disagrees: no range
        return None
    low = at
    while low > 0 and shows[low - 1]:
        low -= 1
    high = at
    while high + 1 < len(ordered) and shows[high + 1]:
        high += 1
    spec = f">={ordered[low].public}"      # 2.13.0, not 2.13.0+cpu: a specifier has no local part
    if high + 1 < len(ordered):
        spec += f",<{ordered[high + 1].public}"
    return spec


def recorded_ranges(grid: dict, known) -> dict:
    """finding id -> the holds_in the matrix supports, for findings the grid
    covers whose range it can tell (every distribution of a framework gets
    that framework's range, e.g. jax and jaxlib)."""
    by_row = {tuple(row["signature"]): row for row in grid["rows"]}
    ranges = {}
    for finding in known:
        row = by_row.get(("finding", finding.id))
        if row is None or not finding.holds_in:
            continue
        holds = dict(finding.holds_in)
        for framework, dists in FRAMEWORKS.items():
            spec = observed_range(row["cells"], grid["framework_versions"], framework,
                                  relevant(("finding", finding.id)))
            if spec is None:
                continue
            for dist in dists:
                if dist in holds:
                    holds[dist] = spec
        if holds != finding.holds_in:
            ranges[finding.id] = holds
    return ranges
