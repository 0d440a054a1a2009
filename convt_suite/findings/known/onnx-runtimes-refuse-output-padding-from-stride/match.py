"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import onnx_axes


def match(record: dict) -> bool:
    """Some output_padding >= its stride, every one in [0, max(stride,
    dilation)): an ONNX call's, or the one a PyTorch module (or its export)
    has for the spec's crops, before - after."""
    axes = onnx_axes(record)
    if axes:
        found = [(a["op"], a["s"], a["d"]) for a in axes]
    else:
        spec = record["case"]["spec"]
        found = [(before - after, s, d) for (before, after), s, d in
                 zip(spec["padding"], spec["stride"], spec["dilation"])]
    return (any(op >= s for op, s, _ in found)
            and all(0 <= op < max(s, d) for op, s, d in found))
