"""The suite checks itself: the very sweep the frameworks face must fail each
planted bug and pass a correct, independent implementation."""

import pytest
from hypothesis import settings

from convt_suite.adapters.base import DTYPES
from convt_suite.core.strategies import OTHER_RANKS, PLANE
from convt_suite.sweeps.phases import drawer, forward_sweep, sweep, vjp_sweep
from examples.zero_insertion import ZeroInsertionAdapter
from tests.planted_bugs import (
    PLANTED,
    PLANTED_GRADIENTS,
    PLANTED_RANKS,
    PLANTED_REDUCED_PRECISION,
    OracleEveryRank,
    OracleGradients,
)

# derandomised and database-free, so the verdict does not depend on history
SELF_TEST = settings(max_examples=200, derandomize=True, database=None,
                     report_multiple_bugs=False, deadline=None)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("planted", PLANTED, ids=[p.name for p in PLANTED])
def test_sweep_fails_planted_bug(planted, dtype):
    records = []
    sweep = SELF_TEST(forward_sweep(planted(), dtype, records.append))
    with pytest.raises(AssertionError, match="disagrees with the oracle"):
        sweep()
    failed = [r for r in records if r["outcome"] == "failed"]
    assert failed and all(r["adapter"] == planted.name for r in failed)


@pytest.mark.parametrize("dtype", DTYPES)
def test_sweep_passes_correct_plugin(dtype):
    records = []
    sweep = SELF_TEST(forward_sweep(ZeroInsertionAdapter(), dtype, records.append))
    sweep()
    assert sweep.stats["passed"] >= 100, sweep.stats  # it really ran, not all skipped
    worst = max(r["max_error_over_bound"] for r in records if r["outcome"] == "passed")
    assert worst <= 1.0


@pytest.mark.parametrize("planted", PLANTED_REDUCED_PRECISION, ids=[p.name for p in PLANTED_REDUCED_PRECISION])
def test_sweep_fails_planted_reduced_precision_bug(planted):
    sweep = SELF_TEST(forward_sweep(planted(), "float16"))
    with pytest.raises(AssertionError, match="disagrees with the oracle"):
        sweep()
    for dtype in ("float32", "float64"):  # the bug is only in half precision
        SELF_TEST(forward_sweep(planted(), dtype))()


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("planted", PLANTED_GRADIENTS, ids=[p.name for p in PLANTED_GRADIENTS])
def test_vjp_sweep_fails_planted_gradient_bug(planted, dtype):
    records = []
    sweep = SELF_TEST(vjp_sweep(planted(), dtype, records.append))
    with pytest.raises(AssertionError, match="disagrees with the oracle"):
        sweep()
    assert any(r.get("failed_gradient") for r in records if r["outcome"] == "failed")


@pytest.mark.parametrize("dtype", DTYPES)
def test_vjp_sweep_passes_correct_gradients(dtype):
    sweep = SELF_TEST(vjp_sweep(OracleGradients(), dtype))
    sweep()
    assert sweep.stats["passed"] >= 100, sweep.stats


def rank_sweep(kind, adapter, dtype, ranks, records=None):
    return SELF_TEST(sweep(kind, adapter, dtype, None if records is None else records.append,
                           key=f"self-test {ranks}", draw=drawer(kind, adapter, ranks)))


@pytest.mark.parametrize("planted, kind", [(p, kind) for p in PLANTED_RANKS for kind in p.kinds],
                         ids=[f"{p.name}-{kind}" for p in PLANTED_RANKS for kind in p.kinds])
def test_the_other_ranks_sweep_fails_a_bug_of_one_rank_that_the_2d_sweep_passes(planted, kind):
    """A bug of the 1-D or 3-D path alone: the 2-D sweep cannot see it, the
    sweep of the other ranks (the rank drawn) must."""
    rank_sweep(kind, planted(), "float64", PLANE)()
    records = []
    with pytest.raises(AssertionError, match="disagrees with the oracle"):
        rank_sweep(kind, planted(), "float64", OTHER_RANKS, records)()
    failed = {len(r["case"]["spec"]["kernel_size"]) for r in records if r["outcome"] == "failed"}
    assert failed == {planted.rank}


@pytest.mark.parametrize("kind", ["forward", "vjp"])
def test_the_other_ranks_sweep_passes_a_correct_adapter_of_every_rank(kind):
    records = []
    rank_sweep(kind, OracleEveryRank(), "float32", OTHER_RANKS, records)()
    ranks = {len(r["case"]["spec"]["kernel_size"]) for r in records if r["outcome"] == "passed"}
    assert ranks == {1, 3} and len(records) >= 100
