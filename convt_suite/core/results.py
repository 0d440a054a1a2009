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
import threading
import warnings
from collections import Counter, defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from filelock import BaseFileLock

from convt_suite.core.records import composed, upgrade
from convt_suite.core.vocabulary import SCHEMA_VERSION
from convt_suite.host import cpu, env

DEFAULT_PATH = Path("reports") / "results.jsonl"


class ResultsBusy(RuntimeError):
    """Another live run is writing this results file."""


class ResultsWriter:
    """Appends records, one JSON line each, written with a single os.write on
    an O_APPEND descriptor: a line is never half-written by one process nor
    interleaved with another's (the pytest-xdist workers of one run share the
    file). `start()` is for the process that owns the run: it takes the
    file's lock (refusing a second live run) and starts the file afresh."""

    def __init__(self, path, run_id: str):
        self.path = Path(path)
        self.run_id = run_id
        self._fd: int | None = None
        self._lock: BaseFileLock | None = None
        self._thread_lock = threading.Lock()
        self.closed = False

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def start(self) -> None:
        """Take the file's lock (refusing a second live run) and start it afresh."""
        from filelock import FileLock, Timeout

        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.lock_path)
        try:
            lock.acquire(timeout=0)
        except Timeout:
            raise ResultsBusy(
                f"--results {self.path}: a live run is writing it (its lock {self.lock_path} "
                f"is held); wait for that run to end, or give --results another path"
            ) from None
        self._lock = lock
        self.path.write_text("")

    def write(self, record: dict) -> None:
        line = json.dumps({"run": self.run_id, **record}, default=str, allow_nan=True) + "\n"
        data = line.encode("utf-8")
        with self._thread_lock:
            if self.closed:
                return
            if self._fd is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            written = os.write(self._fd, data)
            while written < len(data):   # a short write (rare): finish the line
                written += os.write(self._fd, data[written:])

    def close(self) -> None:
        with self._thread_lock:
            self.closed = True
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None
            if self._lock is not None:
                self._lock.release()
                self._lock = None


RUN_ID_VARIABLE = env.RUN_ID.name


def run_id() -> str:
    """This run's id; xdist's processes and workers inherit the owner's."""
    return env.RUN_ID.get() or new_run_id()


def new_run_id() -> str:
    return datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"


def once_per_run(name: str, compute):
    """compute()'s value (as JSON gives it back), computed once for all the
    processes of this run: the first to ask computes it and leaves it in the
    system's temporary folder (removed when that process exits), the others
    wait on its lock and read it. Each xdist process repeated the pitfalls'
    measurement otherwise (8-11 s of CPU each). Outside a run: computed."""
    import atexit
    import tempfile

    from filelock import FileLock

    identity = env.RUN_ID.get()
    if not identity:
        return json.loads(json.dumps(compute()))
    path = Path(tempfile.gettempdir()) / f"convt-suite-{identity}-{name}.json"
    lock = path.with_name(path.name + ".lock")
    with FileLock(lock):
        if path.exists():
            return json.loads(path.read_text())
        text = json.dumps(compute())
        partial = path.with_name(path.name + ".part")
        partial.write_text(text)
        partial.replace(path)
        def remove() -> None:
            for leftover in (path, lock):
                leftover.unlink(missing_ok=True)

        atexit.register(remove)
    return json.loads(text)


def installed_versions(dists) -> dict:
    """{distribution: version} for those installed (no framework imported)."""
    from importlib import metadata

    versions = {}
    for dist in dists:
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            pass
    return versions


def environment() -> dict:
    """What a report needs to say where the run happened (no framework imported)."""
    versions = installed_versions(("torch", "tensorflow-cpu", "tensorflow", "jax", "jaxlib",
                                   "keras", "numpy", "ml_dtypes", "hypothesis", "pytest"))
    return {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "onednn_isa": cpu.onednn_isa(),   # oneDNN picks kernels by it: some findings depend on it
        "tensorflow_onednn": cpu.tensorflow_onednn(),   # ...and TF uses oneDNN only on some CPUs
        "versions": versions,
        "keras_backend": env.KERAS_BACKEND.get("tensorflow"),
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


class NewerSchema(ValueError):
    """A results file written by a newer convt-suite, in a record layout this one does not know."""


class ResultsWarning(UserWarning):
    """A results file has a line that is not a record: torn (a killed run) or corrupted."""


def read_with_notes(paths) -> tuple[list[dict], list[str]]:
    """Every record in the given files, and a note for each line that is not one.

    A file of an older record layout (`schema_version` in its run header,
    absent before version 1) is brought to this one as it is read
    (core/records.py `upgrade`); one of a newer layout is refused (NewerSchema),
    naming both versions.

    A run killed mid-write (kill -9) leaves its file's last line torn: every
    record before it is kept, and the note says so. An unreadable line that is
    not the last is corruption: skipped, and noted too. Lines are decoded one by
    one, so a multi-byte character cut in half spoils only its own line."""
    records: list[dict] = []
    notes: list[str] = []
    for path in paths:
        with open(path, "rb") as handle:
            lines = handle.read().split(b"\n")
        last = max((n for n, line in enumerate(lines, start=1) if line.strip()), default=0)
        kept = 0
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                record = None
            if isinstance(record, dict):
                schema = record.get("schema_version", 0) if record.get("type") == "run" else 0
                if isinstance(schema, int) and schema > SCHEMA_VERSION:
                    raise NewerSchema(
                        f"{path}: results schema_version={schema}: this convt-suite reads "
                        f"schema_version={SCHEMA_VERSION} and older; render it with the "
                        f"convt-suite that wrote it, or a newer one")
                records.append(upgrade(record))
                kept += 1
            elif number == last:
                notes.append(f"{path}: line {number} is incomplete (a run killed while writing?); "
                             f"kept the {kept} records before it")
            else:
                notes.append(f"{path}: line {number} is not a JSON record (corrupted?); "
                             f"skipped it and kept reading")
    return records, notes


def read(paths) -> list[dict]:
    """Every record in the given files; each unreadable line warns (ResultsWarning)."""
    records, notes = read_with_notes(paths)
    for note in notes:
        warnings.warn(note, ResultsWarning, stacklevel=2)
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
        if composed(record):
            row["composed"] += 1
        ratio = record.get("max_error_over_bound")  # how close passing checks run to the bound
        if record["outcome"] == "passed" and ratio is not None and ratio > row["worst_ratio"]:
            row["worst_ratio"] = ratio
    return dict(table)


def failures_outside_checks(records: list[dict]) -> list[dict]:
    """The tests that failed without recording a failed check (an error in
    the harness or a sweep's phase, a health check, a crashed process): the
    per-adapter table cannot show them, yet they fail the run."""
    failed_checks = {(r.get("run"), r.get("test")) for r in records
                     if r.get("type", "check") == "check" and r.get("outcome") == "failed"}
    return [r for r in records if r.get("type") == "test-failure"
            and (r.get("run"), r.get("test")) not in failed_checks]


def format_failures_outside_checks(records: list[dict]) -> str:
    """Each test that failed without a failed check: its id, phase and message."""
    failures = failures_outside_checks(records)
    if not failures:
        return ""
    lines = [f"{len(failures)} test(s) failed without a failed check:"]
    for failure in failures:
        message = (failure.get("message") or "?").strip().splitlines()
        lines.append(f"  {failure['test']} ({failure.get('when')}): {message[0] if message else '?'}")
    return "\n".join(lines)


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
