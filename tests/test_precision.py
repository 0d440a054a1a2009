"""Measured compute precision of float16 and bfloat16 per adapter, and proof
that the measurement tells the two behaviours apart."""

import numpy as np
import pytest

from convt_suite.adapters import oracle
from convt_suite.studies.precision import measure
from examples.zero_insertion import ZeroInsertionAdapter

HALF = ["float16", "bfloat16"]


class StorageAccumulator(ZeroInsertionAdapter):
    """Rounds every partial sum to the storage dtype (what a naive half kernel does)."""

    name = "storage-accumulator"

    def forward(self, x, weight, bias, spec):
        dtype = x.dtype
        n, _, h, w = x.shape
        out = np.zeros(spec.output_shape(x.shape), dtype)
        for ci in range(spec.in_channels):  # one term at a time, rounded each time
            one = oracle.conv_transpose2d(x[:, ci:ci + 1], weight[ci:ci + 1], None,
                                          spec.__class__(1, spec.out_channels, spec.kernel_size,
                                                         spec.stride, spec.padding, spec.dilation,
                                                         1, False))
            out = (out.astype(np.float64) + one.astype(dtype).astype(np.float64)).astype(dtype)
        return out


@pytest.mark.parametrize("dtype", HALF)
def test_the_probe_tells_wide_from_storage_accumulation(dtype):
    wide = measure(ZeroInsertionAdapter(), dtype)         # float64, rounded once
    narrow = measure(StorageAccumulator(), dtype)
    assert wide["max_ulps"] <= 0.51 and "wider than its storage" in wide["verdict"]
    assert narrow["max_ulps"] > 1.0 and "rounds intermediate results" in narrow["verdict"]


from convt_suite.checks.test_precision import *  # noqa: E402,F401,F403  the check itself
