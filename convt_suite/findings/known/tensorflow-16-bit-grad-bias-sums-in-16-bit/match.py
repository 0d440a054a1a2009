"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """The tensorflow adapter adds the bias with tf.nn.bias_add, whose
    gradient sums in bfloat16 only; Keras's layers sum in both 16-bit dtypes."""
    return record.get("adapter") == "keras[tensorflow]" or record.get("dtype") == "bfloat16"
