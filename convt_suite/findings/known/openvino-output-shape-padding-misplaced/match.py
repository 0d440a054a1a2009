"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import onnx_axes


def match(record: dict) -> bool:
    """An ONNX call with output_shape and an axis whose total padding t > 0
    the spec splits otherwise than OpenVINO: with group > 1 some padding
    before (OpenVINO takes all of t from the end); with group 1, auto_pad
    SAME_UPPER and an odd t (OpenVINO puts the odd one first)."""
    native = record.get("native") or {}
    if not native.get("output_size"):
        return False
    upper = native.get("padding") == "SAME_UPPER"
    for axis in onnx_axes(record):
        t = axis["total"]
        if t is None or t <= 0:
            continue
        before = t // 2 if upper else t - t // 2
        if (native["groups"] > 1 and before > 0) or (native["groups"] == 1 and upper and t % 2):
            return True
    return False
