"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """A Keras native call with output_padding 0 on some axis (recorded on a
    Keras before 3.12, the fix: Finding.recorded_before_its_fix)."""
    native = record.get("native") or {}
    return native.get("language") == "keras" and 0 in (native.get("output_padding") or ())
