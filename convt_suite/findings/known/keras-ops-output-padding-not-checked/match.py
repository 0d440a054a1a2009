"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """keras.ops.conv_transpose with some output_padding >= its stride."""
    native = record.get("native") or {}
    return (native.get("entry") == "ops" and native.get("output_padding") is not None
            and any(op >= s for op, s in zip(native["output_padding"], native["stride"])))
