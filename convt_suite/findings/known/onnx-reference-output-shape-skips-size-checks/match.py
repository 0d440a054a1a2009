"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """output_shape given, and the spec refusing the call for its
    output_padding or its output_shape."""
    native = record.get("native") or {}
    return (native.get("language") == "onnx" and native.get("output_size") is not None
            and str(record.get("expected_refusal", "")).startswith(("output_padding=", "output_shape=")))
