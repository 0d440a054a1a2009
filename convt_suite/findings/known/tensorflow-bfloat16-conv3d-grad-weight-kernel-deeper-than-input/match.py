"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.native import base_kind
from convt_suite.findings.matchers import called_padding, effective


def match(record: dict) -> bool:
    """bfloat16 grad_weight of a 3-D 'SAME' call (the native one, or the
    adapter's) whose filter-gradient convolution pads the depth axis by
    T = (D - 1)·s + K - O in all, with D >= 2 and T >= D + 2·(s - 1): the
    rule measured for D 1-6, K 1-13, s 1-3 (at stride 2 and D = 5 it
    holds from K = 11 only: the rule is wider there)."""
    if (base_kind(record) != "vjp" or record.get("dtype") != "bfloat16"
            or record.get("failed_gradient") != "grad_weight"):
        return False
    spec = record["case"]["spec"]
    if len(spec["kernel_size"]) != 3:
        return False
    if called_padding(record) != "SAME":
        return False
    depth, out = record["case"]["input_shape"][2], record["expected_shape"][2]
    stride = spec["stride"][0]
    total = (depth - 1) * stride + effective(spec, 0) - out
    return depth >= 2 and total >= depth + 2 * (stride - 1)
