"""The equivalence sweeps: every selected adapter against the float64 oracle,
forward and gradients, in every dtype.

Test ids name the kind, adapter and dtype (`pytest -k "vjp and jax and float16"`).
"""

import pytest

from convt_suite.sweeps import sweep

SWEEP_DTYPES = ["float16", "bfloat16", "float32", "float64"]


def _skip_if_nothing_ran(adapter, dtype, stats):
    if stats["passed"] + stats["failed"] + stats["known"] == 0:
        reasons = sorted(k[len("reason: "):] for k in stats if k.startswith("reason: "))
        pytest.skip(f"{adapter.name} {dtype}: all {stats['skipped']} cases unsupported: "
                    + "; ".join(reasons))


@pytest.mark.parametrize("dtype", SWEEP_DTYPES)
def test_forward_matches_oracle(adapter, dtype, record):
    run = sweep("forward", adapter, dtype, record)
    run()
    _skip_if_nothing_ran(adapter, dtype, run.stats)


@pytest.mark.parametrize("dtype", SWEEP_DTYPES)
def test_vjp_matches_oracle(adapter, dtype, record):
    run = sweep("vjp", adapter, dtype, record)
    run()
    _skip_if_nothing_ran(adapter, dtype, run.stats)
