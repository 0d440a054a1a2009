"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """'same' with an output_padding: some axis of input size 1, an even
    dilated kernel span and output_padding 0 there, whose Keras output length
    (I - 1)·S + span % 2 + output_padding is 0."""
    native = record.get("native") or {}
    if native.get("padding") != "same" or native.get("output_padding") is None:
        return False
    return any(i == 1 and (d * (k - 1) + 1) % 2 == 0 and p == 0
               for i, k, d, p in zip(native["input_size"], native["kernel"], native["dilation"],
                                     native["output_padding"]))
