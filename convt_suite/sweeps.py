"""The sweep properties, as factories: the pytest sweeps and the self-tests
(which feed them deliberately broken adapters) run the very same code.
"""

from __future__ import annotations

from collections import Counter

from hypothesis import assume, given, note
from hypothesis import strategies as st

from .compare import CHECKS, explain
from .findings import classify
from .strategies import draw_case, draw_special_case


COSTLY = ("crash", "timeout")
COSTLY_RUNS = 10        # crashes or hangs a sweep may run while shrinking...
COSTLY_SECONDS = 30.0   # ...within this time, or twice the first one's (a hang)


def within_budget(costly: dict) -> bool:
    spent = [r.get("seconds", 0.0) for r in costly.values()]
    first = spent[0] if spent else 0.0
    return len(spent) < COSTLY_RUNS and sum(spent) < max(COSTLY_SECONDS, 2 * first)


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
    costly: dict = {}        # case -> its crash or timeout record

    def run(data):
        case = draw(data)
        if case in costly:   # hypothesis replays a crash or hang: the verdict is known
            result = costly[case]
        else:
            # Shrinking a crash costs a fresh worker a try, a hang the whole
            # timeout: past a budget new cases are not run (hypothesis keeps
            # the smallest failing example found so far), so the run ends.
            assume(within_budget(costly))
            result = classify(check(adapter, case, dtype))
            stats[result["outcome"]] += 1
            if result["outcome"] == "skipped":
                stats["reason: " + result["reason"]] += 1
            if record is not None:
                record(result)
            if result.get("failure") in COSTLY:
                costly[case] = result
        note(f"{adapter.name} {kind} {dtype}: {case}")
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
