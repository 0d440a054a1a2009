"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import tensorflow_axes


def match(record: dict) -> bool:
    """A conv2d_transpose call with explicit pads that tf2onnx converts (every
    axis O >= I and t >= 0) and whose before-pad differs, on some axis, from
    the int(t / 2) that tf2onnx puts there instead."""
    axes = tensorflow_axes(record)
    return (bool(axes) and all(a["pair"] is not None for a in axes)
            and all(a["o"] >= a["i"] and a["total"] >= 0 for a in axes)
            and any(a["pair"][0] != a["total"] // 2 for a in axes))
