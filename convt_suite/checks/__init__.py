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

FOLDER = Path(__file__).resolve().parent
MODULES = ("test_sweep.py", "test_precision.py", "test_error_paths.py", "test_known_findings.py",
           "test_pitfalls.py", "test_bilinear.py")


def paths() -> list[str]:
    return [str(FOLDER / name) for name in MODULES]


# the sweep tests: test function -> (kind, divisor: a case costs that many calls)
SWEEPS = {
    "test_forward_matches_oracle": ("forward", 1),
    "test_vjp_matches_oracle": ("vjp", 1),
    "test_native_matches_oracle": ("native", 1),
    "test_native_vjp_matches_oracle": ("native vjp", 1),
    "test_declared_shape_matches_spec": ("declared shape", 1),
    "test_in_model_matches_oracle": ("in model", 4),
    "test_round_trip_matches_oracle": ("round trip", 4),
    "test_special_values_match_oracle": ("special", 1),
    "test_forward_is_deterministic": ("determinism", 4),
}
SWEEP_KINDS = tuple(kind for kind, _ in SWEEPS.values())
DIVISORS = dict(SWEEPS.values())   # kind -> divisor (checks/test_sweep.py runs them so)
# a costly adapter's kinds take the dtypes in turn from this order: its forward
# sweep runs in float32, the dtype models run in
BUDGET_ORDER = ("float32", "float16", "bfloat16", "float64")


def _computed(dtypes) -> list[str]:
    return [d for d in BUDGET_ORDER if d in dtypes] or list(BUDGET_ORDER)


def sweep_dtypes(kind: str, share: int, dtypes=DTYPES) -> tuple[str, ...]:
    """The dtypes a kind's sweep runs in: every one; for an adapter that runs
    1/share of the sweeps' cases, ceil(n/share) of the n it computes
    (`dtypes`: ONNX Runtime has no float64 or bfloat16 kernel), a different
    one for each kind, so that the kinds together still meet each of them
    (the rest of the share is taken from each sweep's cases: case_share)."""
    return rotation(_computed(dtypes), share, SWEEP_KINDS.index(kind))


def rotation(order, share: int, start: int) -> tuple[str, ...]:
    """ceil(n/share) of the n dtypes in `order`, from position `start` on,
    wrapping: consecutive starts together meet every one."""
    count = -(-len(order) // share)
    return tuple(order[(start + i) % len(order)] for i in range(count))


def case_share(kind: str, share: int, dtypes=DTYPES) -> int:
    """What is left of an adapter's share for each sweep it runs, once its
    dtypes are shared out (sweep_dtypes): 1/share of the (kind, dtype, case)
    grid in all."""
    return max(1, share * len(sweep_dtypes(kind, share, dtypes)) // len(_computed(dtypes)))


def share_of(adapter, max_examples: int) -> int:
    """1/N of the cases for an adapter whose every check is costly (its
    `case_share`, and `case_share_reason` says why); all of them under the
    thorough profile (as many examples as it runs)."""
    share = getattr(adapter, "case_share", 1)
    if isinstance(share, bool) or not isinstance(share, int) or share < 1:
        raise ValueError(f"adapter {adapter.name}: case_share must be a positive integer "
                         f"(it runs 1/case_share of the cases), got {share!r}")
    if is_thorough(max_examples):
        return 1
    return share


def is_thorough(max_examples: int) -> bool:
    """A run of the thorough profile (or one as deep): every adapter's every
    case, and every known finding, whatever the machine."""
    from hypothesis import settings

    return max_examples >= settings.get_profile("thorough").max_examples


def fixed_cases(max_examples: int, parts: int, share: int) -> int:
    """The fixed cases of a sweep run on 1/parts of the profile's cases
    (parts: the check's divisor times the adapter's case share): at least 5
    a sweep, 2 for a costly adapter."""
    return max(max_examples // parts, 5 if share == 1 else 2)


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
