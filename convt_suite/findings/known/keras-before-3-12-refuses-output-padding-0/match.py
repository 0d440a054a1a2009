"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """A Keras native call with output_padding 0 on some axis, recorded on a
    Keras before 3.12 (the record's versions: a later Keras refusing 0 is news)."""
    from packaging.version import InvalidVersion, Version

    native = record.get("native") or {}
    try:
        old = Version((record.get("versions") or {}).get("keras", "")) < Version("3.12.0")
    except InvalidVersion:
        return False
    return old and native.get("language") == "keras" and 0 in (native.get("output_padding") or ())
