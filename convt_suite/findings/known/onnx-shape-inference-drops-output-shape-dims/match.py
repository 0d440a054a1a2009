"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import onnx_axes


def match(record: dict) -> bool:
    """Some output_shape shorter than the input there, and a declared shape
    of rank below 4."""
    axes = onnx_axes(record)
    return (any(a["out"] is not None and a["out"] < a["i"] for a in axes)
            and len(record.get("actual_shape") or [0] * 4) < 4)
