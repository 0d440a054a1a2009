"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.adapters.spec import tensorflow_output_range


def match(record: dict) -> bool:
    """Every axis in TF's documented range, or (input size 1) up to S - 1 below it;
    as many axes as the call has (1, 2 or 3)."""
    native = record.get("native") or {}
    if native.get("padding") == "SAME" or "output_size" not in native:
        return False
    axes = len(native["input_size"])
    pads = native.get("explicit") or ((0, 0),) * axes
    short = False
    for axis in range(axes):
        i, o, s = native["input_size"][axis], native["output_size"][axis], native["stride"][axis]
        low, high = tensorflow_output_range("VALID", i, native["kernel"][axis], s,
                                            native["dilation"][axis], pads[axis])
        if low <= o <= high:
            continue
        if i == 1 and low - s < o < low:
            short = True
            continue
        return False
    return short
