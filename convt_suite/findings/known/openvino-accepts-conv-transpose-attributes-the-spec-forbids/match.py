"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

# the rules OpenVINO does not hold ConvTranspose to: the beginnings of Spec.from_onnx's refusals
RULES = (
    ("output_padding=", "must satisfy 0 <= output_padding < the stride/dilation"),
    ("pads=", "the spec says pads cannot be used together with auto_pad"),
    ("output_shape=", "every entry must be >= 1"),
    ("padding=", "must be >= 1"),   # crops leaving an output of length 0 (less than 0 it refuses)
)


def match(record: dict) -> bool:
    """An ONNX native call the spec forbids by one of the four rules, computed."""
    refusal = record.get("expected_refusal") or ""
    return (record.get("native") or {}).get("language") == "onnx" and any(
        refusal.startswith(start) and text in refusal for start, text in RULES)
