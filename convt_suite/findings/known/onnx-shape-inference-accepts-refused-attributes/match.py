"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import onnx_axes


def match(record: dict) -> bool:
    """An ONNX call the spec refuses for its output_padding, its output_shape
    or leaving no output (not for pads given with auto_pad)."""
    return bool(onnx_axes(record)) and str(record.get("expected_refusal", "")).startswith(
        ("output_padding=", "output_shape=", "padding="))
