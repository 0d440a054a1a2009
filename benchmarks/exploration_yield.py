"""How often exploration meets real discrepancies that the fixed cases miss
(issue 8: "found by the default run often, and by a ten-minute hunt always").

    python benchmarks/exploration_yield.py run  --seeds 11 12 13      # the default main job
    python benchmarks/exploration_yield.py hunt --seeds 11 12 --minutes 10
    python benchmarks/exploration_yield.py show RESULTS.jsonl ...      # just count, no run

Each run goes to a folder of its own under --out, with the example database
off, so that nothing an earlier run found is replayed: only the fixed cases
and that run's own exploration count. For each run it prints the failures and
known findings that a non-fixed phase (explore, hunt rounds) met and the fixed
phase of that same run did not.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from convt_suite.core import results  # noqa: E402


def beyond_fixed(path: Path) -> dict:
    """What the run's exploration met that its fixed cases did not."""
    phases: dict = defaultdict(set)     # finding id or failure label -> phases that met it
    checks = 0
    for record in results.read([path]):
        if record.get("type", "check") != "check" or "adapter" not in record:
            continue
        checks += 1
        if record["outcome"] == "known":
            label = f"known {record['finding']}"
        elif record["outcome"] == "failed":
            label = f"FAILED {record['adapter']} {record['kind']} {record['dtype']} {record['failure']}"
        else:
            continue
        phases[label].add(record.get("phase") or "fixed")
    return {"checks": checks,
            "beyond": sorted(label for label, met in phases.items() if "fixed" not in met),
            "fixed": sorted(label for label, met in phases.items() if "fixed" in met)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["run", "hunt", "show"])
    parser.add_argument("paths", nargs="*", help="results files (show)")
    parser.add_argument("--seeds", type=int, nargs="*", default=[11, 12, 13])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--out", default="/tmp/convt-exploration-yield")
    args = parser.parse_args()
    runs = [(Path(p), None) for p in args.paths]
    for seed in ([] if args.what == "show" else args.seeds):
        folder = Path(args.out) / f"{args.what}-{seed}"
        folder.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "convt_suite", args.what, "-q", "--seed", str(seed),
                   "--examples-db", "off", "--results", str(folder / "results.jsonl")]
        if args.what == "hunt":
            command += ["--minutes", str(args.minutes)]
        started = time.perf_counter()
        code = subprocess.run(command, cwd=folder).returncode
        runs.append((folder / "results.jsonl", (code, time.perf_counter() - started)))
    met = 0
    for path, outcome in runs:
        found = beyond_fixed(path)
        met += bool(found["beyond"])
        how = "" if outcome is None else f" exit {outcome[0]}, {outcome[1]:.0f} s,"
        print(f"{path}:{how} {found['checks']} checks; met beyond the fixed cases: "
              f"{len(found['beyond'])}")
        for label in found["beyond"]:
            print(f"    {label}")
    print(f"runs that met a discrepancy the fixed cases did not: {met} of {len(runs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
