"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import tensorflow_axes


def match(record: dict) -> bool:
    """A TF call whose output_shape is past the full output on some axis
    (t = L - O < 0: tf2onnx writes a negative pad) and not shorter than the
    input on any (there tf2onnx leaves the node unconverted instead)."""
    axes = tensorflow_axes(record)
    return bool(axes) and all(a["o"] >= a["i"] for a in axes) and any(a["total"] < 0 for a in axes)
