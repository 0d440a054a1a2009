"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import onnx_axes


def match(record: dict) -> bool:
    """Some output_shape shorter than the input there, and a declared shape
    of rank below the input's (4 in 2-D; 3 in 1-D, 5 in 3-D)."""
    axes = onnx_axes(record)
    input_rank = len(record["case"]["input_shape"])   # N, C and the spatial axes
    return (any(a["out"] is not None and a["out"] < a["i"] for a in axes)
            and len(record.get("actual_shape") or [0] * input_rank) < input_rank)
