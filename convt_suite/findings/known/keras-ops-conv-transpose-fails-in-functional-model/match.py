"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """Keras's own message where a Keras adapter runs the model (in a model,
    or a saved one); the converter's fallback message where litert[keras]
    converts it (its native call)."""
    error = record.get("error") or ""
    if record.get("adapter") == "litert[keras]":
        return record.get("kind") == "native" and "'NoneType' object is not callable" in error
    return record.get("kind") in ("in model", "round trip") and "object has no attribute 'lower'" in error
