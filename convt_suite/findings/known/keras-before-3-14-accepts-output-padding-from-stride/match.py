"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """A Keras layer (not keras.ops) with some output_padding >= its stride
    (recorded on a Keras before 3.14, the fix: Finding.recorded_before_its_fix)."""
    native = record.get("native") or {}
    return (native.get("language") == "keras" and native.get("entry") == "layer"
            and native.get("output_padding") is not None
            and any(op >= s for op, s in zip(native["output_padding"], native["stride"])))
