"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import onnx_axes


def match(record: dict) -> bool:
    """SAME_UPPER/LOWER without output_shape, declared min(L, I·S) +
    output_padding on every axis, which is not I·S on some."""
    axes = onnx_axes(record)
    declared = [min(a["length"], a["i"] * a["s"]) + a["op"] for a in axes]
    return (bool(axes) and record["native"].get("padding") in ("SAME_UPPER", "SAME_LOWER")
            and record["native"].get("output_size") is None
            and list(record.get("actual_shape") or [])[2:] == declared
            and declared != [a["i"] * a["s"] for a in axes])
