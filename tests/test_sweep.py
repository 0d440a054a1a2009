"""The equivalence sweeps: every selected adapter against the float64 oracle.

Test ids name the adapter and dtype (`pytest -k "jax and float64"`).
"""

import pytest

from convt_suite.sweeps import forward_sweep

SWEEP_DTYPES = ["float32", "float64"]


def _skip_if_nothing_ran(adapter, dtype, stats):
    if stats["passed"] + stats["failed"] == 0:
        reasons = sorted(k[len("reason: "):] for k in stats if k.startswith("reason: "))
        pytest.skip(f"{adapter.name} {dtype}: all {stats['skipped']} cases unsupported: "
                    + "; ".join(reasons))


@pytest.mark.parametrize("dtype", SWEEP_DTYPES)
def test_forward_matches_oracle(adapter, dtype, record):
    sweep = forward_sweep(adapter, dtype, record)
    sweep()
    _skip_if_nothing_ran(adapter, dtype, sweep.stats)
