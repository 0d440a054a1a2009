"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """pads given, some of them negative."""
    native = record.get("native") or {}
    return (native.get("language") == "onnx" and native.get("explicit") is not None
            and min(min(pair) for pair in native["explicit"]) < 0)
