"""`convt-suite run` and `convt-suite hunt`: the main job, and exploration
alone, as a pytest run of the checks shipped in the package."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path

from convt_suite.core import results
from convt_suite.runtime import probe_cache

HUNT_RESULTS = Path("reports") / "hunt" / "results.jsonl"   # beside, not over, the main job's
EXPLORE = 10   # the main job's fresh cases per sweep (docs: explanation/performance.md, what it costs)


def add(sub) -> None:
    from convt_suite.cli import EXIT_CODES
    from convt_suite.sweeps import options

    sweep = sub.add_parser("run", help="sweep every installed adapter against the oracle",
                           epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    options.add_to_command(sweep)
    sweep.add_argument("--fresh", action="store_true",
                       help="run every known finding's snippet and the error-path probes "
                            "again, even those the probe cache holds for these versions and "
                            "this machine (CONVT_SUITE_PROBE_CACHE=off does the same)")
    hunt = sub.add_parser("hunt", help="explore every adapter for N minutes",
                          epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    hunt.add_argument("--minutes", type=float, required=True, metavar="N",
                      help="about how long to explore (the fixed cases and the replayed "
                           "examples come first)")
    options.add_to_command(hunt, leave=("explore",))
    for command in (sweep, hunt):
        _own_options(command)
    sweep.set_defaults(func=run, explore=EXPLORE)
    hunt.set_defaults(func=run, explore=0, results=str(HUNT_RESULTS))


def _own_options(command) -> None:
    """What `run` and `hunt` take beside the shared options (sweeps/options.py)."""
    command.add_argument("--only", metavar="EXPR", default=None,
                         help="run only the checks whose test ids match this pytest -k "
                              "expression, e.g. 'forward_matches and (float32 or float64)'")
    command.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                         help="adapters checked side by side (default: every core, %(default)s)")
    command.add_argument("-q", "--quiet", action="store_true",
                         help="no progress and no summary: the exit code and the files only")


def pytest_args(args, results_path: Path, run_id: str) -> list[str]:
    """The pytest command line of the main job: the checks shipped in the
    package, run by path (so it works from any folder and any install)."""
    from convt_suite import checks
    from convt_suite.sweeps import options

    command = [*checks.paths(), "-c", str(checks.FOLDER / "pytest.ini"),
               "-p", "convt_suite.pytest_plugin", "-p", "no:cacheprovider",
               # the progress display and the summary below replace pytest's terminal
               "-p", "no:terminal",
               *options.translate(vars(args) | {"results": str(results_path)}),
               "--run-id", run_id, "--progress", "off" if args.quiet else "on"]
    if getattr(args, "minutes", None):
        command += ["--explore-seconds", str(hunt_seconds_per_sweep(args))]
    if args.jobs > 1:   # one xdist process per core; an adapter's checks stay in one
        command += ["-n", str(args.jobs), "--group-adapters"]
    chosen = [f"({expression})" for expression in
              (HUNTED if getattr(args, "minutes", None) else None, args.only) if expression]
    if chosen:
        command += ["-k", " and ".join(chosen)]
    return command


# a hunt explores the sweeps that draw cases (determinism and fixed edge shapes are the main job's)
HUNTED = "forward_matches or vjp_matches or native_matches or special_values"
HUNTED_PER_ADAPTER = 5 * 4   # those kinds (vjp_matches: vjp and native vjp) × the four dtypes
HUNTED_OTHER_RANKS = 3 * 4   # of them, forward, vjp and special also explore 1-D and 3-D


def hunt_seconds_per_sweep(args) -> float:
    """The hunt's minutes shared among the sweeps: each process works
    through its adapters' sweeps one after another, each 2-D sweep's seconds
    and, where --ranks has others, their sweep's 1/OTHER_RANKS_DIVISOR of them."""
    from convt_suite.adapters import registry
    from convt_suite.sweeps.budget import OTHER_RANKS_DIVISOR
    from convt_suite.sweeps.options import parse_ranks

    adapters = len(args.adapter or registry.DEFAULT)
    processes = max(1, min(args.jobs, adapters))
    ranks = parse_ranks(getattr(args, "ranks", "2"))
    sweeps = (HUNTED_PER_ADAPTER if 2 in ranks else 0) + (
        HUNTED_OTHER_RANKS / OTHER_RANKS_DIVISOR if set(ranks) - {2} else 0)
    return max(1.0, args.minutes * 60 * processes / (adapters * sweeps))


def _interrupt(signum, frame):
    """Ctrl-C or SIGTERM: a terminal's Ctrl-C reaches the whole process group,
    a `kill` only this process, so pass SIGINT on to the xdist processes (our
    children in this session; adapter workers have sessions of their own and
    are stopped by their xdist process) and stop here as pytest does."""
    for child in _children():
        try:
            if os.getsid(child) == os.getsid(0):
                os.kill(child, signal.SIGINT)
        except ProcessLookupError:
            pass
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


def _children() -> list[int]:
    pids = []
    for listing in Path("/proc/self/task").glob("*/children"):   # Linux; elsewhere: none
        pids += [int(pid) for pid in listing.read_text().split()]
    return pids


def run(args) -> int:
    import pytest

    path = Path(args.results).resolve()   # relative to where the command was started
    if os.getcwd() not in sys.path:       # plug-ins from the current folder, as `python -m pytest`
        sys.path.insert(0, os.getcwd())
    run_id = results.new_run_id()
    if getattr(args, "fresh", False):   # the pytest processes inherit it
        os.environ[probe_cache.VARIABLE] = "off"
    started = time.perf_counter()
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        code = int(pytest.main(pytest_args(args, path, run_id)))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if code == int(pytest.ExitCode.USAGE_ERROR):
        return code
    # this run's records only: a run that never started leaves an older file alone
    records = [r for r in results.read([path]) if r.get("run") == run_id] if path.exists() else []
    outside = results.format_failures_outside_checks(records)
    if args.quiet:   # quiet, but a failure the exit status alone would not explain is named
        if outside:
            print(outside, file=sys.stderr)
        return code
    if records:
        print(results.format_summary(results.summarize(records)))
        if outside:
            print("\n" + outside)
        print(exploration_line(records, args))
        print(f"\nresults: {path}  ({time.perf_counter() - started:.0f} s)")
        print(f"report:  {path.parent / 'index.html'}")
    print(f"exit {code}: {EXIT_MEANING.get(code, 'pytest internal error')}")
    return code


def exploration_line(records: list[dict], args) -> str:
    """How much was explored, from what seed, and how to replay it."""
    phases = Counter(r.get("phase") for r in records if r.get("type") == "check")
    failed = Counter(r.get("phase") for r in records
                     if r.get("type") == "check" and r["outcome"] == "failed")
    parts = [f"{phases[p]} {p}" + (f" ({failed[p]} failed)" if failed[p] else "")
             for p in ("replay", "fixed", "explore") if phases[p]]
    return (f"\nchecks by phase: {', '.join(parts) or 'none'}; exploration seed {args.seed} "
            f"(the same cases again: --seed {args.seed})")


EXIT_MEANING = {0: "every check passed or is explained by a known finding",
                1: "some check failed", 2: "interrupted (partial results kept)",
                4: "usage error", 5: "nothing ran"}
