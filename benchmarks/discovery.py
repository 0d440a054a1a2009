"""Examples to the first failure, on planted bugs, with and without the
boundary bias and the targeted search (issue 8's "measure that it helps").

    python benchmarks/discovery.py [--seeds 20] [--budget 200]

For each planted bug and each of SEEDS random seeds, a sweep generates fresh
cases (no database, no shrinking) until the first check fails, up to BUDGET
examples; prints the median count per configuration and how often the bug
was caught within the main job's exploration (--explore, 10 by default) and
within the ci profile's 25. Each bug is checked in the dtypes and kind it
lives in.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import Phase, settings  # noqa: E402

from convt_suite.sweeps.phases import sweep  # noqa: E402
from tests.planted_bugs import PLANTED, PLANTED_GRADIENTS, PLANTED_REDUCED_PRECISION  # noqa: E402

CONFIGURATIONS = {"uniform draws": dict(boundaries=False, steer=False),
                  "boundaries": dict(boundaries=True, steer=False),
                  "boundaries + targeting": dict(boundaries=True, steer=True)}


def examples_to_failure(bug, kind: str, dtype: str, seed: int, budget: int, **options) -> int | None:
    """How many checks ran up to and including the first failure (None: none in budget)."""
    count = []

    def record(result):
        count.append(result["outcome"])

    test = settings(max_examples=budget, database=None, derandomize=False, deadline=None,
                    phases=(Phase.generate, Phase.target), report_multiple_bugs=False)(
        sweep(kind, bug(), dtype, record, **options))
    test._hypothesis_internal_use_seed = seed   # as sweeps.run_sweep seeds its exploration
    try:
        test()
    except AssertionError:
        return count.index("failed") + 1
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--budget", type=int, default=200)
    args = parser.parse_args()
    bugs = ([(bug, "forward", "float32") for bug in PLANTED]
            + [(bug, "forward", "float16") for bug in PLANTED_REDUCED_PRECISION]
            + [(bug, "vjp", "float32") for bug in PLANTED_GRADIENTS])
    print(f"examples to the first failure, median over {args.seeds} seeds (budget {args.budget}; "
          f"'>' : not caught); caught within 10 / 25 examples")
    print(f"{'planted bug':42s}" + "".join(f"{name:>30s}" for name in CONFIGURATIONS))
    totals = {name: [] for name in CONFIGURATIONS}
    for bug, kind, dtype in bugs:
        cells = []
        for name, options in CONFIGURATIONS.items():
            counts = [examples_to_failure(bug, kind, dtype, seed, args.budget, **options)
                      for seed in range(args.seeds)]
            found = [c if c is not None else args.budget + 1 for c in counts]
            totals[name] += found
            median = statistics.median(found)
            within = lambda n: sum(c <= n for c in found)  # noqa: E731, B023 (used in this iteration)
            cells.append(f"{'>' if median > args.budget else ''}{median:g} "
                         f"({within(10)}/{args.seeds}, {within(25)}/{args.seeds})")
        print(f"{bug.name + ' ' + kind + ' ' + dtype:42s}" + "".join(f"{c:>30s}" for c in cells),
              flush=True)
    print(f"{'all bugs: median, mean':42s}" + "".join(
        f"{statistics.median(v):>22g}, {statistics.mean(v):6.1f}" for v in totals.values()))


if __name__ == "__main__":
    main()
