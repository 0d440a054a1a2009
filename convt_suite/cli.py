"""The main job: `convt-suite run` sweeps every installed adapter and writes
reports/results.jsonl and the report (reports/index.html, summary.json,
junit.xml); `convt-suite report FILE...` re-renders the report and
`convt-suite summary FILE...` re-prints the per-adapter summary, from results
files alone (several files merge: a version matrix).

A process holds one Keras backend, so `run` starts one pytest process per
Keras backend it needs, all appending to the same results file.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from . import results

ROOT = Path(__file__).resolve().parents[1]
SWEEP = ROOT / "tests" / "test_sweep.py"
PRECISION = ROOT / "tests" / "test_precision.py"
# run once, in the first process: they probe frameworks themselves
ONCE = [ROOT / "tests" / "test_error_paths.py", ROOT / "tests" / "test_known_findings.py"]
MAIN_JOB = ("torch", "torch[nn]", "tensorflow", "jax",
            "keras[tensorflow]", "keras[jax]", "keras[torch]")
KERAS_BACKEND_OF = re.compile(r"^keras\[(\w+)\]$")


def keras_backend(selector: str) -> str | None:
    match = KERAS_BACKEND_OF.match(selector)
    return match.group(1) if match else None


def partition(selectors) -> dict:
    """{KERAS_BACKEND: [selectors]}: one pytest process per Keras backend."""
    groups: dict = {}
    default = os.environ.get("KERAS_BACKEND", "tensorflow")
    for selector in selectors:
        backend = keras_backend(selector) or default
        groups.setdefault(backend, []).append(selector)
    return groups


def run(args) -> int:
    selectors = args.adapter or [
        s for s in MAIN_JOB
        if importlib.util.find_spec("keras") is not None or not s.startswith("keras")
    ]
    path = Path(args.results)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("")
    run_id = results.new_run_id()
    started = time.perf_counter()
    # one pytest process per Keras backend, run side by side (one per core);
    # each one's output is printed when it finishes
    running = []
    for number, (backend, group) in enumerate(partition(selectors).items()):
        tests = [str(SWEEP), str(PRECISION)] + ([str(t) for t in ONCE] if number == 0 else [])
        command = [sys.executable, "-m", "pytest", *tests, "-p", "no:cacheprovider", "-q",
                   "--hypothesis-profile", args.profile, "--results", str(path), "--results-append"]
        for selector in group:
            command += ["--adapter", selector]
        if args.only:
            command += ["-k", args.only]
        print(f"started: KERAS_BACKEND={backend} {' '.join(command[2:])}", flush=True)
        env = {**os.environ, "KERAS_BACKEND": backend, results.RUN_ID_VARIABLE: run_id}
        log = tempfile.TemporaryFile(mode="w+")
        running.append((backend, log, subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                                       stderr=subprocess.STDOUT)))
    worst = 0
    for backend, log, process in running:
        worst = max(worst, process.wait())
        log.seek(0)
        print(f"\n--- KERAS_BACKEND={backend} (exit {process.returncode}) ---\n{log.read()}", flush=True)
        log.close()
    table = results.summarize([r for r in results.read([path]) if r.get("type") == "check"])
    print("\n=== every adapter, all processes together ===\n" + results.format_summary(table))
    from .report import render

    print(f"\nresults: {path}  ({time.perf_counter() - started:.0f} s)\nreport:  {render([path])}")
    return worst


def report(args) -> int:
    from .report import render

    print(render(args.files, args.out))
    return 0


def summary(args) -> int:
    print(results.format_summary(results.summarize(results.read(args.files))))
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="convt-suite", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sweep = sub.add_parser("run", help="sweep every installed adapter against the oracle")
    sweep.add_argument("--adapter", action="append", default=[], metavar="NAME|module:attr",
                       help="as pytest's --adapter (repeatable); default: every built-in, "
                            "Keras on each of its backends")
    sweep.add_argument("--profile", default="ci", choices=["dev", "ci", "thorough"],
                       help="hypothesis profile (default: ci, derandomised: the same cases "
                            "every run)")
    sweep.add_argument("--results", default=str(results.DEFAULT_PATH), metavar="PATH")
    sweep.add_argument("--only", metavar="EXPR", default=None,
                       help="run only the checks whose test ids match this pytest -k "
                            "expression, e.g. 'forward_matches and (float32 or float64)'")
    sweep.set_defaults(func=run)
    html = sub.add_parser("report", help="render index.html, summary.json and junit.xml "
                                         "from results files alone")
    html.add_argument("files", nargs="+", type=Path)
    html.add_argument("--out", type=Path, default=None,
                      help="folder to write into (default: beside the first file)")
    html.set_defaults(func=report)
    show = sub.add_parser("summary", help="the per-adapter summary of results files")
    show.add_argument("files", nargs="+", type=Path)
    show.set_defaults(func=summary)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
