"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import onnx_axes


def match(record: dict) -> bool:
    """Some axis whose total padding, derived from output_shape or SAME, is negative."""
    return any(a["total"] is not None and a["total"] < 0 for a in onnx_axes(record))
