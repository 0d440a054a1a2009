"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import conv_crops, effective


def match(record: dict) -> bool:
    """A NaN or inf weight tap, a batch of 2 or more, an input of width 1
    with a kernel of width 1 (W, the last axis), stride 1 along H, through
    oneDNN (the adapter's 'VALID'/'SAME' call)."""
    case = record["case"]
    spec, shape = case["spec"], case["input_shape"]
    last = len(spec["kernel_size"]) - 1
    return (shape[0] >= 2 and shape[-1] == 1 and effective(spec, last) == 1 and spec["stride"][last - 1] == 1
            and any(tensor == "weight" for tensor, _, _ in case.get("specials", ()))
            and conv_crops(record, spec) is not None)
