"""The sweep properties, as factories: the pytest sweeps and the self-tests
(which feed them deliberately broken adapters) run the very same code.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from .compare import check_forward, explain
from .findings import classify
from .strategies import draw_case


def forward_sweep(adapter, dtype: str, record=None):
    """A hypothesis test: output shape equals spec.output_shape(...) and
    values lie within the bound of the oracle, for every drawn case.

    Cases the adapter declines are recorded as skipped with its reason and
    counted in `.stats` (never dropped silently); failures a known finding
    explains are recorded as "known" with its id; the sweep goes on.
    """
    stats = Counter()

    def sweep(data):
        case = draw_case(data)
        result = classify(check_forward(adapter, case, dtype))
        stats[result["outcome"]] += 1
        if result["outcome"] == "skipped":
            stats["reason: " + result["reason"]] += 1
        if record is not None:
            record(result)
        assert result["outcome"] != "failed", explain(result)

    # The same digest for every adapter and dtype: derandomised runs (ci) give
    # every framework the same cases, so their results line up case by case,
    # and a failing example saved for one adapter is replayed on the others.
    sweep._hypothesis_internal_add_digest = b"forward"
    test = given(data=st.data())(sweep)
    test.stats = stats
    return test
