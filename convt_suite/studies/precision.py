"""Which precision does an adapter really compute a dtype in? Measured, not assumed.

A probe with a long accumulation (K = 64 channels · 3·3 taps = 576 products per
output, all positive, so rounding errors cannot cancel) is run in the dtype
and compared with the exact result in units in the last place (ulp) of that
dtype. A kernel that accumulates wider than its storage (float32, say) and
rounds once lands within 1 ulp; one that rounds each partial sum to the
storage type drifts by many ulps. tests/test_precision.py (the suite's own tests) shows the probe
telling a round-once reference from a storage-precision accumulator.
"""

from __future__ import annotations

import numpy as np

from convt_suite.adapters import oracle
from convt_suite.adapters.base import declined, numpy_dtype
from convt_suite.adapters.spec import Spec

PROBE = Spec(64, 4, (3, 3), bias=False)
PROBE_INPUT = (2, 64, 5, 5)


def probe_tensors(dtype: str):
    rng = np.random.default_rng(2024)
    target = numpy_dtype(dtype)
    x = rng.uniform(0.5, 1.0, PROBE_INPUT).astype(target)
    w = rng.uniform(0.5, 1.0, PROBE.weight_shape).astype(target)
    return x, w


def ulp(values: np.ndarray, dtype: str) -> np.ndarray:
    """The spacing of `dtype` at each (positive) value."""
    import ml_dtypes

    info = ml_dtypes.finfo(numpy_dtype(dtype))
    exponent = np.floor(np.log2(np.maximum(np.abs(values), float(info.tiny))))
    return np.exp2(exponent) * float(info.eps)


def measure(adapter, dtype: str) -> dict:
    """One 'precision' record: ulps from exact, and the verdict in words."""
    record = {"type": "precision", "adapter": adapter.name, "dtype": dtype,
              "terms": PROBE.in_channels * 9}
    try:
        reason = adapter.supports(PROBE, dtype)
        if reason is not None:
            return {**record, "outcome": "declined", "verdict": f"not measured: {reason}"}
        x, w = probe_tensors(dtype)
        out = np.asarray(adapter.forward(x, w, None, PROBE), dtype=np.float64)
    except Exception as err:   # a framework error, a crash or a hang: not a measurement
        reason = declined(err, adapter)
        if reason is not None:
            return {**record, "outcome": "declined", "verdict": f"not measured: {reason}"}
        return {**record, "outcome": "error",
                "verdict": f"not measured: {type(err).__name__}: {err}"[:300]}
    exact = oracle.conv_transpose2d(x, w, None, PROBE)
    ulps = np.abs(out - exact) / ulp(exact, dtype)
    rounded_once = exact.astype(numpy_dtype(dtype)).astype(np.float64)
    record.update(outcome="measured", max_ulps=float(ulps.max()), median_ulps=float(np.median(ulps)),
                  correctly_rounded=float(np.mean(out == rounded_once)))
    if record["max_ulps"] <= 0.51:  # one correct rounding is at most half an ulp
        record["verdict"] = (f"computes {dtype} wider than its storage (float32 or more) and "
                             f"rounds once: within {record['max_ulps']:.2f} ulp of exact")
    else:
        record["verdict"] = (f"rounds intermediate results to {dtype}: up to "
                             f"{record['max_ulps']:.1f} ulp (median {record['median_ulps']:.2f}) "
                             f"from exact over {record['terms']} terms (one rounding: 0.5)")
    return record
