"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import recorded_before


def match(record: dict) -> bool:
    """A Keras native call with output_padding 0 on some axis, recorded on a
    Keras before 3.12 (the record's versions: a later Keras refusing 0 is news)."""
    native = record.get("native") or {}
    return (recorded_before(record, "keras", "3.12.0") and native.get("language") == "keras"
            and 0 in (native.get("output_padding") or ()))
