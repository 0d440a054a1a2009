"""results.jsonl: one JSON object per line, flushed as it is written, so a
crash or a kill loses nothing already run. The first line of a run is its
header ("type": "run"), then one "check" line per check. Several runs may be
appended to one file, and several files read together (a version matrix).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import sys
from collections import Counter, defaultdict
from pathlib import Path

DEFAULT_PATH = Path("reports") / "results.jsonl"


class ResultsWriter:
    def __init__(self, path, run_id: str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.run_id = run_id
        self._file = open(self.path, "a", encoding="utf-8")

    def write(self, record: dict) -> None:
        line = json.dumps({"run": self.run_id, **record}, default=str, allow_nan=True)
        self._file.write(line + "\n")
        self._file.flush()

    def close(self) -> None:
        self._file.close()


RUN_ID_VARIABLE = "CONVT_SUITE_RUN_ID"


def run_id() -> str:
    """This run's id; child processes (other Keras backends) inherit the parent's."""
    return os.environ.get(RUN_ID_VARIABLE) or new_run_id()


def new_run_id() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"


def environment() -> dict:
    """What a report needs to say where the run happened (no framework imported)."""
    from importlib import metadata

    versions = {}
    for dist in ("torch", "tensorflow-cpu", "tensorflow", "jax", "jaxlib", "keras", "numpy",
                 "ml_dtypes", "hypothesis", "pytest"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "versions": versions,
        "keras_backend": os.environ.get("KERAS_BACKEND", "tensorflow"),
        "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }


def read(paths) -> list[dict]:
    """Every record in the given files; a torn last line (a killed run) is skipped."""
    records = []
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
    return records


def summarize(records: list[dict]) -> dict:
    """Per adapter: checks, passed, failed, skipped (reasons grouped), worst error/bound."""
    table: dict = defaultdict(lambda: {
        "checks": 0, "passed": 0, "failed": 0, "known": 0, "skipped": 0,
        "skip_reasons": Counter(), "failures": Counter(), "findings": Counter(), "worst_ratio": 0.0, "composed": 0,
    })
    for record in records:
        if record.get("type", "check") != "check":
            continue
        row = table[record["adapter"]]
        row["checks"] += 1
        row[record["outcome"]] += 1
        if record["outcome"] == "skipped":
            row["skip_reasons"][record.get("reason", "?")] += 1
        if record["outcome"] == "failed":
            row["failures"][f"{record['kind']}/{record.get('failure')}"] += 1
        if record["outcome"] == "known":
            row["findings"][record["finding"]] += 1
        if str(record.get("plan", "native")).startswith("composed"):
            row["composed"] += 1
        ratio = record.get("max_error_over_bound")  # how close passing checks run to the bound
        if record["outcome"] == "passed" and ratio is not None and ratio > row["worst_ratio"]:
            row["worst_ratio"] = ratio
    return dict(table)


def format_summary(table: dict) -> str:
    if not table:
        return "no checks were recorded"
    header = (f"{'adapter':<22}{'checks':>8}{'passed':>8}{'failed':>8}{'known':>7}{'skipped':>9}"
              f"{'composed':>10}  worst error/bound")
    lines = [header, "-" * len(header)]
    for name in sorted(table):
        row = table[name]
        lines.append(
            f"{name:<22}{row['checks']:>8}{row['passed']:>8}{row['failed']:>8}{row['known']:>7}"
            f"{row['skipped']:>9}{row['composed']:>10}  {row['worst_ratio']:.3g}"
        )
        for failure, count in row["failures"].most_common():
            lines.append(f"    failed  {count:>5} x {failure}")
        for finding, count in row["findings"].most_common():
            lines.append(f"    known   {count:>5} x finding {finding}")
        for reason, count in row["skip_reasons"].most_common():
            lines.append(f"    skipped {count:>5} x {reason}")
    return "\n".join(lines)
