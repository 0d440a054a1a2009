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

FOLDER = Path(__file__).resolve().parent
MODULES = ("test_sweep.py", "test_precision.py", "test_error_paths.py", "test_known_findings.py",
           "test_pitfalls.py", "test_bilinear.py")


def paths() -> list[str]:
    return [str(FOLDER / name) for name in MODULES]


def fixed_cases(max_examples: int, parts: int, share: int) -> int:
    """The fixed cases of a sweep run on 1/parts of the profile's cases
    (parts: the check's divisor times the adapter's share): at least 5 a
    sweep, 2 for a costly adapter."""
    return max(max_examples // parts, 5 if share == 1 else 2)


def planned(name: str, max_examples: int, explore: int = 0, share: int = 1) -> int:
    """About how many checks one test of this name records (progress only):
    the fixed cases and `explore` fresh ones (replayed examples are extra),
    for an adapter that runs 1/share of the cases (test_sweep.share_of)."""
    # (the test modules hold the real budgets; these mirror them)
    def part(divisor: int) -> int:
        parts = divisor * share
        if parts == 1:
            return max_examples + explore
        return fixed_cases(max_examples, parts, share) + -(-explore // parts)

    return {
        "test_forward_matches_oracle": part(1),
        "test_vjp_matches_oracle": part(1),
        "test_native_matches_oracle": part(1),
        "test_native_vjp_matches_oracle": part(1),
        "test_declared_shape_matches_spec": part(1),
        "test_in_model_matches_oracle": part(4),
        "test_round_trip_matches_oracle": part(4),
        "test_special_values_match_oracle": part(1),
        "test_forward_is_deterministic": part(4),
        "test_edge_shapes": -(-4 // share),
        "test_measured_precision_is_recorded": 1,
        "test_pitfall_examples_run_as_measured": 20,
    }.get(name, 1)


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
