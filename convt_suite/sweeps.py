"""The sweep properties, as factories: the pytest sweeps and the self-tests
(which feed them deliberately broken adapters) run the very same code.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from .compare import CHECKS, explain
from .findings import classify
from .strategies import draw_case, draw_special_case


def sweep(kind: str, adapter, dtype: str, record=None):
    """A hypothesis test of one kind of check ("forward": output shape equals
    spec.output_shape(...) and values lie within the bound of the oracle;
    "vjp": grad_x, grad_weight, grad_bias likewise) for every drawn case.

    Cases the adapter declines are recorded as skipped with its reason and
    counted in `.stats` (never dropped silently); failures a known finding
    explains are recorded as "known" with its id; the sweep goes on.
    """
    check = CHECKS[kind]
    draw = draw_special_case if kind == "special" else draw_case
    stats = Counter()

    def run(data):
        case = draw(data)
        result = classify(check(adapter, case, dtype))
        stats[result["outcome"]] += 1
        if result["outcome"] == "skipped":
            stats["reason: " + result["reason"]] += 1
        if record is not None:
            record(result)
        assert result["outcome"] != "failed", explain(result)

    # The same digest for every kind, adapter and dtype: derandomised runs (ci)
    # give every framework the same cases, so their results line up case by
    # case, and a failing example saved for one adapter is replayed on the others.
    run._hypothesis_internal_add_digest = b"cases"
    test = given(data=st.data())(run)
    test.stats = stats
    return test


def forward_sweep(adapter, dtype: str, record=None):
    return sweep("forward", adapter, dtype, record)


def vjp_sweep(adapter, dtype: str, record=None):
    return sweep("vjp", adapter, dtype, record)
