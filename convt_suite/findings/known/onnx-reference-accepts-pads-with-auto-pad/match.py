"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """pads given with an auto_pad other than NOTSET."""
    native = record.get("native") or {}
    return (native.get("language") == "onnx" and native.get("explicit") is not None
            and native.get("padding") not in (None, "NOTSET"))
