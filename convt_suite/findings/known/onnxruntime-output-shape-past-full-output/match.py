"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import onnx_axes


def match(record: dict) -> bool:
    """Some output_shape O > L + S - 1 (output_padding not counted)."""
    return any(a["out"] is not None and a["out"] > a["length"] + a["s"] - 1 for a in onnx_axes(record))
