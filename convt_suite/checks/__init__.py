"""The checks, as pytest modules that ship in the package: the sweeps, the
measured precision, the error paths, the known findings, the pitfalls and FCN's bilinear layer. Run them by name
against any adapter, from any folder:

    pytest --pyargs convt_suite.checks --adapter mypackage.mymodule:adapter
    convt-suite run --adapter mypackage.mymodule:adapter

The repository's tests/ holds thin entry points to them and the suite's own
tests. A check records one results line per check through the `record`
fixture; each check test says so with a marker (`@check(...)`, below), which
the runner reads: what starts a results file, which tests run in an
adapter's process, what progress plans, which zygote a script forks from.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

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
    sweep_checks,
    sweep_dtypes,
)

FOLDER = Path(__file__).resolve().parent
MODULES = ("test_sweep.py", "test_model_scale.py", "test_precision.py", "test_error_paths.py", "test_known_findings.py",
           "test_pitfalls.py", "test_bilinear.py")
MARKER = "convt_check"


def paths() -> list[str]:
    return [str(FOLDER / name) for name in MODULES]


@dataclass(frozen=True)
class Declaration:
    """What a check test is, as its marker declares it: the runner reads it
    from the test (which tests start a results file, which run in an
    adapter's process, what progress plans, which zygote a script forks from)."""

    name: str                        # the test function's name
    per_adapter: bool                # it takes the `adapter` fixture: it runs in that adapter's process
    kind: Kind | None = None         # a sweep's kind: its budget is the sweep's (sweeps/budget.py)
    checks: int | Callable[[int], int] = 1   # else the checks one test records (of the adapter's share)
    script: Callable[[str], tuple[str, dict] | None] | None = None   # param -> (script, its env)


def check(*, kind: Kind | None = None, checks: int | Callable[[int], int] = 1,
          script: Callable[[str], tuple[str, dict] | None] | None = None):
    """Declares a test a check (the `convt_check` marker): it records results
    lines. `kind` makes it a sweep, budgeted as one; `checks` says how many
    lines one of its tests records otherwise (a number, or one of the
    adapter's share); `script` gives the script a test runs by its parameter
    (the scheduler groups the tests that fork from one zygote)."""
    return pytest.mark.convt_check(kind=kind, checks=checks, script=script)


def declaration(function) -> Declaration | None:
    """A test function's check declaration, from its marker; None for a test
    that is no check."""
    for mark in getattr(function, "pytestmark", ()):
        if mark.name == MARKER:
            takes = inspect.signature(function).parameters
            return Declaration(function.__name__, "adapter" in takes, **mark.kwargs)
    return None


@functools.cache
def declared() -> dict[str, Declaration]:
    """Every check, by test name, read from the markers of the check modules'
    tests (for a process that sees test ids only: xdist's controller, the
    scheduler)."""
    found = {}
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name.removesuffix('.py')}")
        for function in vars(module).values():
            found_here = declaration(function) if inspect.isfunction(function) else None
            if found_here is not None:
                found[found_here.name] = found_here
    return found


def planned(name: str, max_examples: int, explore: int = 0, share: int = 1,
            dtype: str | None = None, ranks: tuple[int, ...] = (2,)) -> int:
    """About how many checks one test of this name (in this dtype) records
    (progress only): its declaration's count, or a sweep's fixed cases and
    `explore` fresh ones (replayed examples are extra), for an adapter that
    runs 1/share of the cases (share_of), in the `ranks` drawn: none in a dtype outside its
    sweep_dtypes (the plan assumes it computes every dtype: it does not ask
    the framework)."""
    declared_as = declared().get(name)
    if declared_as is None:
        return 1
    if declared_as.kind is not None:
        return sweep_checks(declared_as.kind, max_examples, explore, share, dtype, ranks)
    return declared_as.checks(share) if callable(declared_as.checks) else declared_as.checks


def dtype_of(nodeid: str) -> str | None:
    """The dtype a sweep test's id names ("...[torch-float16]"), or None."""
    last = nodeid.partition("[")[2].rstrip("]").rpartition("-")[2]
    return last if last in DTYPES else None


def is_check(nodeid: str) -> bool:
    """A test id of a check (one that records results)."""
    return test_name(nodeid) in declared()


def test_name(nodeid: str) -> str:
    """"path::test_x[params]" -> "test_x"."""
    return nodeid.partition("[")[0].rpartition("::")[2]
