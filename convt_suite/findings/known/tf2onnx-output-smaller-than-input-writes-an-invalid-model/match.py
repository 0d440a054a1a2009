"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import tensorflow_axes


def match(record: dict) -> bool:
    """A TF call whose output_shape is shorter than the input on some axis
    (tf2onnx's "output dims cannot be smaller than input dims")."""
    return any(a["o"] < a["i"] for a in tensorflow_axes(record))
