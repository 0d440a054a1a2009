"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import onnx_axes


def match(record: dict) -> bool:
    """An ONNX native call with a kernel of 1 and stride 1 on every axis
    (dilation does not matter for a kernel of 1), and explicit pads that
    cancel on some axis (begin = -end, not 0)."""
    native = record.get("native") or {}
    if native.get("language") != "onnx" or not native.get("explicit") or native.get("output_size"):
        return False
    if any(k != 1 for k in native["kernel"]) or any(axis["s"] != 1 for axis in onnx_axes(record)):
        return False
    return any(begin == -end != 0 for begin, end in native["explicit"])
