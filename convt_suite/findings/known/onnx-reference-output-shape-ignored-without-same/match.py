"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import onnx_axes


def match(record: dict) -> bool:
    """output_shape with auto_pad absent, NOTSET or VALID, and on some axis
    pads (the explicit ones, else 0) other than those the spec derives from
    output_shape."""
    axes, native = onnx_axes(record), record.get("native") or {}
    spec = (record.get("case") or {}).get("spec")
    if (not axes or spec is None or native.get("output_size") is None
            or native.get("padding") not in (None, "NOTSET", "VALID")):
        return False
    kept = native.get("explicit") or [(0, 0)] * len(axes)   # one (begin, end) per spatial axis
    return any(list(crops) != [begin, end - a["op"]]
               for crops, (begin, end), a in zip(spec["padding"], kept, axes))
