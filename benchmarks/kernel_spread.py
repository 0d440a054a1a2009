"""How far an exploration spreads over the native kernels, with and without
the targeted search's kernel rarity (issue 30's "a long hunt spreads over the
kernels"): a figure, not a test.

    python benchmarks/kernel_spread.py [--adapter torch] [--examples 120] [--seeds 3]

For each seed, each dtype and each family (the small sweeps' cases and the
model-scale draw), a forward sweep explores EXAMPLES fresh cases with the
targeted search on (no database, no shrinking), once with `kernel rarity`
among its targets and once without; prints the median number of distinct
(direction, implementation) pairs the checks reached, per configuration.
Hypothesis's targeted phase starts half-way through the examples.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hypothesis import Phase, settings  # noqa: E402

from convt_suite.core.model_scale import draw_model_case  # noqa: E402
from convt_suite.runtime import workers  # noqa: E402
from convt_suite.sweeps import hypothesis_compat, phases  # noqa: E402

FAMILIES = {"small": None, "model scale": draw_model_case}


def reached(adapter, dtype: str, draw, examples: int, seed: int, rarity: bool) -> int:
    """Distinct (direction, implementation) the checks of one exploration reached."""
    phases.KERNELS_REACHED.clear()
    found: set = set()
    original = phases.kernel_rarity
    if not rarity:
        phases.kernel_rarity = lambda result: None
    try:
        test = settings(max_examples=examples, database=None, derandomize=False, deadline=None,
                        phases=(Phase.generate, Phase.target))(
            phases.sweep("forward", adapter, dtype, lambda r: found.update(
                (k["direction"], k["implementation"]) for k in r.get("kernels", ())),
                key="kernel spread", steer=True, draw=draw))
        hypothesis_compat.use_seed(test, seed)
        try:
            test()
        except Exception:   # a failing case ends the exploration; what it reached is counted
            pass
    finally:
        phases.kernel_rarity = original
    return len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adapter", default="torch")
    parser.add_argument("--examples", type=int, default=120)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--dtypes", default="float32,bfloat16")
    args = parser.parse_args()
    adapter = workers.WorkerAdapter(args.adapter)
    try:
        for family, draw in FAMILIES.items():
            for dtype in args.dtypes.split(","):
                counts = {flag: [reached(adapter, dtype, draw, args.examples, seed, flag)
                                 for seed in range(args.seeds)] for flag in (False, True)}
                print(f"{args.adapter} {family:11} {dtype:9} {args.examples} examples, "
                      f"{args.seeds} seeds: distinct kernels reached, median "
                      f"{statistics.median(counts[False]):g} without kernel rarity {counts[False]}, "
                      f"{statistics.median(counts[True]):g} with it {counts[True]}", flush=True)
    finally:
        adapter.close()


if __name__ == "__main__":
    main()
