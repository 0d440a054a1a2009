"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """An ONNX native call whose explicit pads begin below 0 on some axis."""
    native = record.get("native") or {}
    return native.get("language") == "onnx" and any(begin < 0 for begin, _ in native.get("explicit") or ())
