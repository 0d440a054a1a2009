"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import recorded_before


def match(record: dict) -> bool:
    """A Keras layer (not keras.ops) with some output_padding >= its stride,
    recorded on a Keras before 3.14.0, which refuses it."""
    native = record.get("native") or {}
    return (recorded_before(record, "keras", "3.14.0") and native.get("language") == "keras"
            and native.get("entry") == "layer" and native.get("output_padding") is not None
            and any(op >= s for op, s in zip(native["output_padding"], native["stride"])))
