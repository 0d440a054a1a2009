"""The checks, as pytest modules that ship in the package: the sweeps, the
measured precision, the error paths, the known findings, the pitfalls and FCN's bilinear layer. Run them by name
against any adapter, from any folder:

    pytest --pyargs convt_suite.checks --adapter mypackage.mymodule:adapter
    convt-suite run --adapter mypackage.mymodule:adapter

The repository's tests/ holds thin entry points to them and the suite's own
tests. A check records one results line per check through the `record`
fixture; TESTS names them for the runner (what starts a results file, what
progress counts).
"""

from __future__ import annotations

from pathlib import Path

from convt_suite.adapters.base import DTYPES  # no framework imported
from convt_suite.core.vocabulary import Kind

# the budget (sweeps/budget.py), which the checks and the progress plan ask
from convt_suite.sweeps.budget import (  # noqa: F401  (re-exported for the checks)
    BUDGET_ORDER,
    DIVISORS,
    SWEEP_KINDS,
    case_share,
    fixed_cases,
    is_thorough,
    rotation,
    share_of,
    sweep_dtypes,
)

FOLDER = Path(__file__).resolve().parent
MODULES = ("test_sweep.py", "test_precision.py", "test_error_paths.py", "test_known_findings.py",
           "test_pitfalls.py", "test_bilinear.py")


def paths() -> list[str]:
    return [str(FOLDER / name) for name in MODULES]


# the sweep tests: test function -> (kind, divisor: a case costs that many calls)
SWEEPS = {
    "test_forward_matches_oracle": (Kind.FORWARD, DIVISORS[Kind.FORWARD]),
    "test_vjp_matches_oracle": (Kind.VJP, DIVISORS[Kind.VJP]),
    "test_native_matches_oracle": (Kind.NATIVE, DIVISORS[Kind.NATIVE]),
    "test_native_vjp_matches_oracle": (Kind.NATIVE_VJP, DIVISORS[Kind.NATIVE_VJP]),
    "test_declared_shape_matches_spec": (Kind.DECLARED_SHAPE, DIVISORS[Kind.DECLARED_SHAPE]),
    "test_in_model_matches_oracle": (Kind.IN_MODEL, DIVISORS[Kind.IN_MODEL]),
    "test_round_trip_matches_oracle": (Kind.ROUND_TRIP, DIVISORS[Kind.ROUND_TRIP]),
    "test_special_values_match_oracle": (Kind.SPECIAL, DIVISORS[Kind.SPECIAL]),
    "test_forward_is_deterministic": (Kind.DETERMINISM, DIVISORS[Kind.DETERMINISM]),
}
assert [kind for kind, _ in SWEEPS.values()] == list(SWEEP_KINDS), "SWEEPS follows the budget's order"


def planned(name: str, max_examples: int, explore: int = 0, share: int = 1,
            dtype: str | None = None) -> int:
    """About how many checks one test of this name (in this dtype) records
    (progress only): the fixed cases and `explore` fresh ones (replayed
    examples are extra), for an adapter that runs 1/share of the cases
    (share_of): none in a dtype outside its sweep_dtypes (the plan
    assumes it computes every dtype: it does not ask the framework)."""
    # (the test modules hold the other tests' budgets; these mirror them)
    if name in SWEEPS:
        kind, divisor = SWEEPS[name]
        if dtype is not None and dtype not in sweep_dtypes(kind, share):
            return 0
        parts = divisor * case_share(kind, share)
        if parts == 1:
            return max_examples + explore
        return fixed_cases(max_examples, parts, share) + -(-explore // parts)
    return {
        "test_edge_shapes": -(-4 // share),
        "test_measured_precision_is_recorded": 1,
        "test_pitfall_examples_run_as_measured": 20,
    }.get(name, 1)


def dtype_of(nodeid: str) -> str | None:
    """The dtype a sweep test's id names ("...[torch-float16]"), or None."""
    last = nodeid.partition("[")[2].rstrip("]").rpartition("-")[2]
    return last if last in DTYPES else None


# the checks parametrized by adapter (each runs in that adapter's process)...
ADAPTER_TESTS = ("test_forward_matches_oracle", "test_vjp_matches_oracle",
                 "test_native_matches_oracle", "test_native_vjp_matches_oracle",
                 "test_declared_shape_matches_spec", "test_in_model_matches_oracle",
                 "test_round_trip_matches_oracle",
                 "test_special_values_match_oracle", "test_forward_is_deterministic",
                 "test_edge_shapes", "test_measured_precision_is_recorded",
                 "test_pitfall_examples_run_as_measured")
# ...and every test that writes results: a run that collects one of them starts the
# results file (the suite's own tests alone leave the last run's file alone)
TESTS = ADAPTER_TESTS + ("test_every_framework_behaviour_is_recorded",
                         "test_known_finding_still_reproduces", "test_pitfall_is_measured",
                         "test_fcn_bilinear_is_compared_with_each_resize")


def test_name(nodeid: str) -> str:
    """"path::test_x[params]" -> "test_x"."""
    return nodeid.partition("[")[0].rpartition("::")[2]
