"""Live progress of a run, per adapter: checks done of those planned,
failures so far (unexplained apart from those a known finding explains),
elapsed time and an estimate of what is left; and the
tests that run no adapter (known findings, error paths, bilinear), counted
as they finish.

On a terminal it is a rich progress display; otherwise (CI logs) a plain
line per adapter every PLAIN_EVERY seconds; with -q, nothing. "Planned" is
the hypothesis profile's budget per test: hypothesis may stop early (it ran
out of distinct cases) or run more (shrinking a failure).
"""

from __future__ import annotations

import json
import sys
import threading
import time

from convt_suite.findings.model import classify

PLAIN_EVERY = 15.0
# the row of the tests that run no adapter (known findings, error paths, FCN's
# bilinear layer): counted in tests, as their "test" records arrive
OTHER = "other tests"


class Progress:
    """Follows `results_path` in a thread of its own (each process of a run
    appends to it) while used as a context manager."""

    def __init__(self, planned: dict, results_path, stream=None):
        self.planned = planned                       # adapter -> checks planned
        self.done = {name: 0 for name in planned}
        self.failed = {name: 0 for name in planned}   # unexplained failures
        self.known = {name: 0 for name in planned}    # failures a known finding explains
        self.results_path = results_path
        self.quiet = not planned
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self._offset = 0
        self._rich = None
        self._tasks: dict = {}
        self._stop = threading.Event()
        self._thread = None

    def _follow(self) -> None:
        """Count the check lines appended since the last look (whole lines only)."""
        try:
            with open(self.results_path, "rb") as handle:
                handle.seek(self._offset)
                data = handle.read()
        except OSError:
            return
        end = data.rfind(b"\n") + 1
        self._offset += end
        for line in data[:end].splitlines():
            if b'"adapter": ' in line:   # parse only what may be a check
                try:
                    self.advance(json.loads(line))
                except ValueError:
                    continue

    # ------------------------------------------------------------ updates
    def advance(self, record: dict) -> None:
        kind, name = record.get("type"), record.get("adapter")
        if name is None and kind in ("test", "test-failure"):   # a test that runs no adapter
            if OTHER in self.done:
                counter = self.done if kind == "test" else self.failed
                counter[OTHER] += 1
                self._show(OTHER)
            return
        if name is None or name not in self.done or kind not in ("check", "precision"):
            return
        self.done[name] += 1
        if record.get("outcome") == "failed":
            # a failure a known finding explains is shown apart: the summary and the
            # report call it known, and only the rest fail the run
            counter = self.known if classify(record).get("outcome") == "known" else self.failed
            counter[name] += 1
        self._show(name)

    def _show(self, name: str) -> None:
        if self._rich is not None:
            self._rich.update(self._tasks[name], completed=min(self.done[name], self.planned[name]),
                              description=self._label(name))

    def line(self) -> str:
        elapsed = time.perf_counter() - self.started
        checks = [name for name in self.planned if name != OTHER]
        total_done = sum(self.done[name] for name in checks)
        total_planned = sum(self.planned[name] for name in checks)
        parts = [f"{name} {self.done[name]}/{self.planned[name]}" + self._counts(name, rich=False)
                 for name in sorted(self.planned)]
        # estimated from the checks alone: the other tests cost seconds each, unlike a
        # check, so they are counted, not timed (and the plan overestimates checks a
        # little: hypothesis stops early once it runs out of distinct cases)
        left = (elapsed / total_done * max(total_planned - total_done, 0)) if total_done else None
        eta = f", about {left:.0f} s left for the checks" if left is not None else ""
        others = self.planned.get(OTHER, 0) - self.done.get(OTHER, 0)
        if others > 0:
            eta += f"; {others} other tests left"
        return f"[{elapsed:.0f} s{eta}] " + "; ".join(parts)

    def _counts(self, name: str, rich: bool) -> str:
        """' (2 failed, 3 known)': the failures, unexplained and known, where any."""
        failed, known = self.failed.get(name, 0), self.known.get(name, 0)
        parts = ([f"[red]{failed} failed[/red]" if rich else f"{failed} failed"] if failed else []) + (
            [f"{known} known"] if known else [])
        return f" ({', '.join(parts)})" if parts else ""

    def _label(self, name: str) -> str:
        return f"{name:<20}" + self._counts(name, rich=True)

    # ------------------------------------------------------------ display
    def __enter__(self):
        if self.quiet:
            return self
        if self.stream.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
            from rich.progress import Progress as RichProgress

            self._rich = RichProgress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), TimeRemainingColumn(),
                console=Console(file=self.stream), transient=False)
            for name in sorted(self.planned):
                self._tasks[name] = self._rich.add_task(self._label(name),
                                                        total=self.planned[name])
            self._rich.start()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        last = time.perf_counter()
        while not self._stop.wait(0.5):
            self._follow()
            if self._rich is None and time.perf_counter() - last >= PLAIN_EVERY:
                last = time.perf_counter()
                print(self.line(), file=self.stream, flush=True)

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._follow()
        if self._rich is not None:
            for name, task in self._tasks.items():   # hypothesis may have stopped early
                self._rich.update(task, total=max(self.done[name], 1), completed=self.done[name])
            self._rich.stop()
        elif not self.quiet:
            print(self.line(), file=self.stream, flush=True)
        return False
