"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """A crash in a native bfloat16 gradient where some axis has input 1,
    stride >= 3 and a dilation >= 3 whose kernel span exceeds the output,
    and the output is shorter than the stride ('SAME')."""
    native = record.get("native") or {}
    if (record.get("failure") != "crash" or record.get("dtype") != "bfloat16"
            or record.get("kind") != "native vjp" or str(native.get("padding")).upper() != "SAME"):
        return False
    out = (record.get("expected_shape") or [0, 0, 0, 0])[2:]
    return any(i == 1 and s >= 3 and d >= 3 and d * (k - 1) + 1 > o and o < s
               for i, k, s, d, o in zip(native["input_size"], native["kernel"], native["stride"],
                                        native["dilation"], out))
