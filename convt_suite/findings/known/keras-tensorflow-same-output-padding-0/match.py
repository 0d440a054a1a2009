"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """Some axis has an even dilated kernel span and the crops of Keras's
    'same' with output_padding 0 there: (span / 2, span / 2)."""
    spec = record["case"]["spec"]
    for k, d, crops in zip(spec["kernel_size"], spec["dilation"], spec["padding"]):
        span = d * (k - 1) + 1
        if span % 2 == 0 and list(crops) == [span // 2, span // 2]:
            return True
    return False
