"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """lax.conv_transpose given padding pairs as lists, with use_consistent_padding=True."""
    native = record.get("native") or {}
    return (native.get("language") == "jax" and native.get("pairs_as") == "lists"
            and native.get("use_consistent_padding") is True)
