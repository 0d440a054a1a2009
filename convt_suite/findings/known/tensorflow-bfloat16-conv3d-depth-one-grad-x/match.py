"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.native import base_kind
from convt_suite.findings.matchers import called_output, called_padding, effective


def match(record: dict) -> bool:
    """bfloat16 grad_x of a 3-D 'SAME' call (the native one, or the
    adapter's) with an output of depth 1, a kernel depth of 3 or more and a
    kernel width of 2 or more: grad_x's Conv3D then reads a depth-1 input
    padded on both sides."""
    if (base_kind(record) != "vjp" or record.get("dtype") != "bfloat16"
            or record.get("failed_gradient") != "grad_x"):
        return False
    spec = record["case"]["spec"]
    if len(spec["kernel_size"]) != 3:
        return False
    return (called_padding(record) == "SAME" and called_output(record)[0] == 1
            and effective(spec, 0) >= 3 and effective(spec, 2) >= 2)
