"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

import math

from convt_suite.findings.matchers import weight_channel_outputs


def match(record: dict) -> bool:
    """A special-values check with a non-finite weight, run by the XNNPACK
    delegate (the record's kernels say so), whose only wrongs are NaNs added,
    no more of them than the outputs of that weight's output channels; no
    infinity added or lost, every finite value within its bound."""
    specials = (record.get("case") or {}).get("specials") or ()
    weights = [index for tensor, index, value in specials if tensor == "weight" and value in ("nan", "inf", "-inf")]
    kernels = record.get("kernels") or []
    xnnpack = any(kernel.get("implementation") == "XNNPACK delegate" for kernel in kernels)
    added = record.get("unexpected_nan") or 0
    return (xnnpack and bool(weights) and 0 < added <= weight_channel_outputs(record, weights)
            and not record.get("unexpected_inf") and not record.get("missing_nonfinite")
            and not record.get("wrong_nonfinite") and record.get("finite_error_over_bound", math.inf) <= 1.0)
