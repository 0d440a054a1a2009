"""The pitfalls (convt_suite/studies/pitfalls.py): each naive mapping that porting
guides and converters state, measured over its grid of layers (recorded for
the report's Pitfalls section), and the measurement's examples run in the
frameworks: every native call in them (the layer as written, the rule's
target call) must compute what its spec says, so that the outcomes measured
are the frameworks' own. The rules' other steps are array operations."""

import functools

import pytest

from convt_suite.checks import check
from convt_suite.core import results
from convt_suite.core.compare import check_native
from convt_suite.findings.model import classify
from convt_suite.studies import pitfalls

DTYPE = "float64"   # the measurement's own precision: a shift is exact there


@functools.cache
def measured() -> tuple:
    # seconds of numpy (docs, performance): once for the run, not in each of its processes
    return tuple(results.once_per_run("pitfalls", pitfalls.measure_all))


@check()
@pytest.mark.parametrize("pitfall, rank", [(p.id, rank) for rank in sorted(pitfalls.RANKS)
                                           for p in pitfalls.PITFALLS],
                         ids=lambda value: f"{value}d" if isinstance(value, int) else value)
def test_pitfall_is_measured(pitfall, rank, record):
    result = next(r for r in measured() if r["id"] == pitfall and r["rank"] == rank)
    record(result)
    # a rule that meets no layer of the grid measures nothing: the grid or the rule is wrong
    assert result["cases"] > 0, f"{pitfall}, {rank}-D: no layer of the grid is one the rule is for"


@check(checks=60)   # about as many examples as the pitfalls have in one language, in three ranks
def test_pitfall_examples_run_as_measured(adapter, record):
    language = getattr(adapter, "native_language", None)
    cases = pitfalls.example_cases(list(measured()), language) if language else []
    if not cases:
        pytest.skip(f"{adapter.name}: no pitfall example is in its words ({language})")
    outcomes = []
    for case in cases:
        result = classify(check_native(adapter, case, DTYPE))
        record({**result, "pitfall_example": True})
        outcomes.append(result)
    failed = [r for r in outcomes if r["outcome"] == "failed"]
    assert not failed, [(r["describe"], r.get("failure"), r.get("error")) for r in failed]
