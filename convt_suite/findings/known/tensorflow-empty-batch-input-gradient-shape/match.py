"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """An empty batch whose grad_x came back with the forward output's shape
    (a native call), or whose shape the op above it refused ('shape of dy
    was': the adapters' own transposes and slices)."""
    grad_x = (record.get("gradients") or {}).get("grad_x") or {}
    return record["case"]["input_shape"][0] == 0 and (
        "shape of dy was" in str(record.get("error"))
        or (record.get("failed_gradient") == "grad_x" and grad_x.get("failure") == "shape"
            and grad_x.get("actual_shape") == record.get("expected_shape")))
