"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.native import base_kind
from convt_suite.core.records import record_rank


def match(record: dict) -> bool:
    """A 16-bit output or weight gradient that TensorFlow's own kernels
    computed. Which kernel did, where kernels were recorded: no oneDNN
    primitive computed it (for a vjp, no oneDNN backward-weights primitive;
    grad_x may still run on oneDNN; in 3-D float16 grad_x, a Conv3D, is
    TF's own too, and no oneDNN convolution computed it). Where none were: float16 (this CPU's
    own kernels, onednn_isa), or bfloat16 with an explicit padding list (TF
    sends 'SAME' and 'VALID' to oneDNN)."""
    kind = base_kind(record)
    if kind == "vjp":
        # grad_x is a convolution: summed in 16 bits by TF's own 3-D kernel, in float16
        grad_x = (record.get("failed_gradient") == "grad_x" and record_rank(record) == 3
                  and record.get("dtype") == "float16")
        if record.get("failed_gradient") != "grad_weight" and not grad_x:
            return False
        directions = {"forward", "backward_data"} if grad_x else {"backward_weights"}
    elif kind in ("forward", "special"):
        if not _finite_values_off(record):
            return False
        directions = None   # any oneDNN primitive computed the output
    else:
        return False
    kernels = record.get("kernels")
    if kernels:
        return not any(k.get("library") == "oneDNN" and (directions is None or k.get("direction") in directions)
                       for k in kernels)
    if record.get("dtype") == "float16":
        return True
    call = record.get("native") or (record.get("plan") or {}).get("call") or {}
    return isinstance(call.get("padding"), list)


def _finite_values_off(record: dict) -> bool:
    """Finite values beyond the bound, and non-finite disagreements only
    where the inputs hold NaN or inf or are scaled to overflow (the 16-bit
    partial sums then overflow: tensorflow-float16-intermediate-overflow is
    this finding's special case); a spurious NaN from plain inputs is not
    this finding's."""
    if record.get("finite_error_over_bound", record.get("max_error_over_bound", 0.0)) <= 1:
        return False
    nonfinite = sum(record.get(k, 0) for k in ("unexpected_inf", "unexpected_nan", "missing_nonfinite"))
    case = record.get("case") or {}
    return not nonfinite or bool(case.get("specials")) or case.get("scale", 1.0) != 1.0
