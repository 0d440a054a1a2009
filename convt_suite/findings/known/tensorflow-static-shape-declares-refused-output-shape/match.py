"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """A TF native call whose output_shape is outside TF's documented range,
    declared as exactly that shape."""
    native = record.get("native") or {}
    return (native.get("language") == "tensorflow"
            and str(record.get("expected_refusal", "")).startswith("output_size=")
            and list(record.get("actual_shape") or [])[2:] == list(native["output_size"])
            and (record.get("actual_shape") or [0, 0])[1] == native["out_channels"])
