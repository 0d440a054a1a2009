"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

import math

from convt_suite.core.native import base_kind
from convt_suite.core.records import plan_of
from convt_suite.findings.matchers import called_output, called_padding, effective


def _match_2d(record: dict) -> bool:
    """The conditions the investigation found in 2-D (each needed; see the detail)."""
    spec, (n, _, h, w) = record["case"]["spec"], record["case"]["input_shape"]
    return (record.get("kind") == "vjp" and record.get("failed_gradient") == "grad_x"
            and record.get("dtype") in ("float32", "bfloat16")
            and w == 1 and h >= 2 and spec["stride"][0] == 1 and spec["stride"][1] >= 2
            and spec["out_channels"] // spec["groups"] == 1 and effective(spec, 1) >= 2
            and (n >= 2 or record["dtype"] == "bfloat16"))


def _match_3d(record: dict) -> bool:
    """grad_x of a 3-D call (the adapter's or a native one: both differentiate
    to the same oneDNN Conv3D, brg_conv_fwd) with an input of width 1 (W, the
    last axis) and height >= 2, stride_h 1 and stride_w >= 2 (stride_d any),
    one output channel per group (the Conv3D's one input channel), and a
    kernel of width >= 2 undilated along W (dilation_w >= 2 is right).
    float32: not where the Conv3D's input (the call's output width O_w)
    needs no padding and O_w, kernel_w and stride_w share a factor > 1
    (O_w = kernel_w = stride_w, or kernel 2, stride 4, O_w 2 or 4): those are right.
    bfloat16: only where the call's output depth is 1 (no factor rule).
    Batch and depth are no conditions: which rows go wrong depends on how
    oneDNN shares the rows among threads (with one thread every batch and
    depth is wrong in float32)."""
    if (base_kind(record) != "vjp" or record.get("failed_gradient") != "grad_x"
            or record.get("dtype") not in ("float32", "bfloat16")):
        return False
    spec, shape = record["case"]["spec"], record["case"]["input_shape"]
    _, _, _, h, w = shape
    kernel_w, dilation_w = spec["kernel_size"][2], spec["dilation"][2]
    if plan_of(record).get("dilated_kernel"):   # the adapter called an undilated kernel of zeros
        kernel_w, dilation_w = effective(spec, 2), 1
    if not (w == 1 and h >= 2 and spec["stride"][1] == 1 and spec["stride"][2] >= 2
            and spec["out_channels"] // spec["groups"] == 1 and kernel_w >= 2 and dilation_w == 1):
        return False
    out = called_output(record)
    if record["dtype"] == "bfloat16":   # 'SAME' with a kernel depth >= 3: the depth-one finding's
        return out[0] == 1 and not (called_padding(record) == "SAME" and effective(spec, 0) >= 3)
    return not (out[2] >= kernel_w and math.gcd(out[2], kernel_w, spec["stride"][2]) > 1)


def match(record: dict) -> bool:
    """The 2-D rule, or the 3-D one; no 1-D call is affected."""
    rank = len((record.get("case") or {}).get("input_shape") or ()) - 2
    return _match_2d(record) if rank == 2 else _match_3d(record) if rank == 3 else False
