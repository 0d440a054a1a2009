"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.native import base_kind
from convt_suite.core.records import record_rank
from convt_suite.findings.matchers import finite_values_off


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
        if not finite_values_off(record):
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
