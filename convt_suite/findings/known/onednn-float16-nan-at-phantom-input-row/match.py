"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.adapters.spec import full_length


def match(record: dict) -> bool:
    """Some axis with stride >= 2 whose output reaches position I·S of the
    full output: where input row I (one past the last) would land with tap 0,
    a position only appended zeros fill."""
    spec, size = record["case"]["spec"], record["case"]["input_shape"][2:]
    for axis in (0, 1):
        s, (_, after) = spec["stride"][axis], spec["padding"][axis]
        length = full_length(size[axis], spec["kernel_size"][axis], s, spec["dilation"][axis])
        if s >= 2 and length - after - 1 >= size[axis] * s:
            return True
    return False
