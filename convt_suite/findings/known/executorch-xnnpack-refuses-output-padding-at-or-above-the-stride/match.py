"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

import re


def match(record: dict) -> bool:
    """An output_padding at or above the stride on some axis (PyTorch takes it
    below the dilation): in the native call, or in the torch call the adapter
    planned for a spec; the runtime's error 0x1 (Internal), not another code."""
    if not re.search(r"error 0x1\b", record.get("error") or ""):
        return False
    native = record.get("native") or {}
    if native:
        stride, output_padding = native.get("stride") or [], native.get("output_padding") or []
    else:
        call = (record.get("plan") or {}).get("call") or {}
        stride = ((record.get("case") or {}).get("spec") or {}).get("stride") or []
        output_padding = call.get("output_padding") or []
    if isinstance(output_padding, int):
        output_padding = [output_padding] * len(stride)
    return any(op >= s for op, s in zip(output_padding, stride))
