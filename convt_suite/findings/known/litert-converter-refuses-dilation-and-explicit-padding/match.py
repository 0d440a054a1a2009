"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """A TensorFlow native call with dilation > 1 or an explicit padding list;
    or a Keras layer with dilation > 1 (a native call, or a spec's layer)."""
    native = record.get("native") or {}
    if native.get("language") == "tensorflow":
        return max(native.get("dilation") or [1]) > 1 or native.get("padding") == "EXPLICIT"
    if record.get("adapter") != "litert[keras]":
        return False
    dilation = native.get("dilation") or ((record.get("case") or {}).get("spec") or {}).get("dilation")
    return max(dilation or [1]) > 1
