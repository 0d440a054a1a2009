"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """The reference was called with an output_padding at or above the
    stride on some axis (the call's own words, in the check's plan)."""
    call = (record.get("plan") or {}).get("call") or {}
    output_padding = call.get("output_padding") or [0, 0]
    return any(op >= stride for op, stride in zip(output_padding, record["case"]["spec"]["stride"]))
