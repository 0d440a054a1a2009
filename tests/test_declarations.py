"""Which tests are checks is declared at each test, by its marker
(convt_suite/checks/__init__.py check()): every test that writes results
says so, a sweep is budgeted by its kind, and the runner reads the markers."""

from __future__ import annotations

import importlib
import inspect

import pytest

from convt_suite import checks
from convt_suite.core.vocabulary import Kind
from convt_suite.sweeps.budget import SWEEP_KINDS

WRITERS = {"record", "results_writer"}   # the fixtures a test writes results lines with


def check_module_functions():
    for name in checks.MODULES:
        module = importlib.import_module(f"convt_suite.checks.{name.removesuffix('.py')}")
        for function in vars(module).values():
            if inspect.isfunction(function) and function.__name__.startswith("test_"):
                yield function


def unmarked_writers(functions) -> list[str]:
    return [f.__name__ for f in functions
            if WRITERS & set(inspect.signature(f).parameters) and checks.declaration(f) is None]


def test_every_test_that_writes_results_is_declared_a_check():
    functions = list(check_module_functions())
    assert not unmarked_writers(functions)
    # and the converse: a check writes results lines (a marker on another test would count it)
    silent = [f.__name__ for f in functions
              if checks.declaration(f) and not WRITERS & set(inspect.signature(f).parameters)]
    assert not silent, silent


def test_a_test_that_writes_results_without_its_marker_is_named():
    """The rule above can fail: a check that lost its marker would not start
    a results file, nor run in its adapter's process."""
    def test_writes_but_is_not_declared(adapter, record):
        record({})
    assert unmarked_writers([test_writes_but_is_not_declared]) == ["test_writes_but_is_not_declared"]


def test_each_sweep_kind_has_one_sweep_test():
    kinds = [d.kind for d in checks.declared().values() if d.kind is not None]
    assert sorted(kinds) == sorted(SWEEP_KINDS)


def test_the_declarations_say_what_the_tests_take():
    declared = checks.declared()
    assert declared["test_forward_matches_oracle"].per_adapter
    assert declared["test_forward_matches_oracle"].kind is Kind.FORWARD
    assert not declared["test_known_finding_still_reproduces"].per_adapter
    assert declared["test_known_finding_still_reproduces"].script is not None
    assert "test_spec_refuses_with_a_clear_value_error" not in declared   # no results: not a check


# (test, share, dtype) -> the checks progress plans for the ci profile's 25
# cases and 10 explored, worked out by hand from the budget's rules
PLANNED = {
    ("test_forward_matches_oracle", 1, "float32"): 25 + 10,
    # divisor 4: max(25 // 4, 5) fixed cases, ceil(10 / 4) explored
    ("test_in_model_matches_oracle", 1, "float32"): 6 + 3,
    # 1/4 of the cases: each kind in one of the four dtypes, forward in float32, vjp in float16
    ("test_forward_matches_oracle", 4, "float32"): 25 + 10,
    ("test_forward_matches_oracle", 4, "float16"): 0,
    ("test_vjp_matches_oracle", 4, "float16"): 25 + 10,
    # not sweeps: what their markers declare
    ("test_edge_shapes", 1, None): 4,          # every dtype
    ("test_edge_shapes", 4, None): 1,          # its share of them
    ("test_pitfall_examples_run_as_measured", 1, None): 60,   # 20 examples in each of three ranks
    ("test_known_finding_still_reproduces", 1, None): 1,
}


@pytest.mark.parametrize("name, share, dtype", list(PLANNED))
def test_the_progress_plan_follows_the_budget(name, share, dtype):
    assert checks.planned(name, 25, 10, share, dtype) == PLANNED[name, share, dtype]


# with the other ranks drawn (--ranks 1,2,3): their sweep runs 1/2 of the budget
PLANNED_RANKS = {
    # 2-D: 25 + 10; 1-D and 3-D: 25 // 2 fixed, ceil(10 / 2) explored
    ("test_forward_matches_oracle", 1, (1, 2, 3)): 35 + 12 + 5,
    ("test_forward_matches_oracle", 1, (1, 3)): 12 + 5,
    ("test_forward_matches_oracle", 1, (2,)): 35,
    # divisor 4, then 2: max(25 // 8, 5) fixed, ceil(10 / 8) explored
    ("test_forward_is_deterministic", 1, (1, 2, 3)): 6 + 3 + 5 + 2,
    # the native kinds draw every rank too
    ("test_native_matches_oracle", 1, (1, 2, 3)): 35 + 12 + 5,
    ("test_native_matches_oracle", 1, (3,)): 12 + 5,
}


@pytest.mark.parametrize("name, share, ranks", list(PLANNED_RANKS))
def test_the_progress_plan_counts_the_other_ranks_sweep(name, share, ranks):
    assert checks.planned(name, 25, 10, share, "float32", ranks) == PLANNED_RANKS[name, share, ranks]


def test_the_scheduler_and_the_plan_read_the_markers():
    from convt_suite.pytest_plugin.scheduling import adapter_in, script_of

    assert adapter_in("x.py::test_vjp_matches_oracle[torch[nn]-float16]", ["torch", "torch[nn]"]) == "torch[nn]"
    assert adapter_in("x.py::test_spec_refuses_with_a_clear_value_error[stride 0]", ["torch"]) is None
    assert script_of("x.py::test_every_framework_behaviour_is_recorded[torch]") is not None
    assert script_of("x.py::test_forward_matches_oracle[torch-float32]") is None
