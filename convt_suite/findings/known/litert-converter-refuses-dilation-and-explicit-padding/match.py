"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """A TensorFlow native call with dilation > 1 or an explicit padding list."""
    native = record.get("native") or {}
    return native.get("language") == "tensorflow" and (
        max(native.get("dilation") or [1]) > 1 or native.get("padding") == "EXPLICIT")
