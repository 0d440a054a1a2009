"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.native import base_kind
from convt_suite.findings.matchers import conv_crops, effective


def match(record: dict) -> bool:
    """bfloat16 grad_weight through oneDNN ('VALID'/'SAME' calls: the adapter's,
    or a native call as drawn), input width 1, stride_w wider than the call's
    output width, and either one output channel per group (any crop: with none
    NaN, with a 'SAME' crop garbage, as main jobs with seed 1 showed in
    native gradients) or several with some crop."""
    if (base_kind(record) != "vjp" or record.get("dtype") != "bfloat16"
            or record.get("failed_gradient") != "grad_weight"):
        return False
    spec, shape = record["case"]["spec"], record["case"]["input_shape"]
    native = record.get("native")
    crops: tuple | None
    if native is not None:   # the call as drawn: oneDNN's unless it gives explicit pairs
        if str(native.get("padding")).upper() not in ("VALID", "SAME"):
            return False
        crops = tuple(tuple(pair) for pair in spec["padding"])
    else:
        crops = conv_crops(record, spec)
    if crops is None or shape[-1] != 1:   # W, the last axis (a 1-D call is a 2-D one of height 1)
        return False
    last = len(spec["kernel_size"]) - 1
    (left, right), stride = crops[last], spec["stride"][last]
    width = effective(spec, last) - left - right          # the call's output width (input 1)
    channels = spec["out_channels"] // spec["groups"]
    return stride > width and (channels == 1 or left + right > 0)
