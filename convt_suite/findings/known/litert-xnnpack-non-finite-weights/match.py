"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """A special-values check with a non-finite weight, run by XNNPACK (the
    record's kernels say so), whose only wrongs are NaNs added (a NaN weight:
    every output) or infinities lost (an infinite weight: 3.4e38), the finite
    outputs right. With float16 weights (the kernels' dtype) only the NaN
    weight's: the converter stores an infinite one as ±65504 before XNNPACK
    sees it (finding litert-float16-weights-saturate-infinities)."""
    weights = [value for tensor, _, value in (record.get("case") or {}).get("specials") or () if tensor == "weight"]
    kernels = record.get("kernels") or []
    xnnpack = any((kernel.get("implementation") or "").startswith("XNNPACK") for kernel in kernels)
    half = any((kernel.get("dtype") or "").startswith("float16 weights") for kernel in kernels)
    nan_weight, inf_weight = "nan" in weights, any(v in ("inf", "-inf") for v in weights)
    return (xnnpack and not record.get("unexpected_inf") and (record.get("finite_error_over_bound") or 0) <= 1
            and ((nan_weight and (record.get("unexpected_nan") or 0) > 0)
                 or (inf_weight and not half and (record.get("missing_nonfinite") or 0) > 0)))
