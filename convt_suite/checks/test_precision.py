"""Measured compute precision of float16 and bfloat16 per adapter (the probe
is shown to tell round-once from storage-precision accumulation in the
suite's own tests/test_precision.py)."""

import numpy as np
import pytest

from convt_suite.checks import check
from convt_suite.studies.precision import measure

HALF = ["float16", "bfloat16"]


@check()
@pytest.mark.parametrize("dtype", HALF)
def test_measured_precision_is_recorded(adapter, dtype, record):
    measured = measure(adapter, dtype)
    record(measured)
    if measured["outcome"] == "declined":
        pytest.skip(measured["verdict"])
    # a probe that raised, crashed or hung is a failure, never a measurement
    assert measured["outcome"] == "measured", measured["verdict"]
    assert np.isfinite(measured["max_ulps"]), measured
