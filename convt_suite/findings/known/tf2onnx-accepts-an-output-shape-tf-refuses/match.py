"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import tensorflow_axes


def match(record: dict) -> bool:
    """A TF native call whose output_shape TF refuses (out of its padding's
    range), converted into a model declaring exactly that shape; for the
    native kinds, one ONNX Runtime then computes: tf2onnx's pads are >= 0
    (O <= L) and O >= I on every axis."""
    native = record.get("native") or {}
    refusal = str(record.get("expected_refusal") or "")
    if not (native.get("language") == "tensorflow" and refusal.startswith("output_size=")
            and "output size must be in" in refusal):
        return False
    if list(record.get("actual_shape") or [])[2:] != list(native.get("output_size") or []):
        return False
    if record.get("kind") == "declared shape":
        return True
    axes = tensorflow_axes(record)
    return bool(axes) and all(a["o"] >= a["i"] and a["total"] >= 0 for a in axes)
