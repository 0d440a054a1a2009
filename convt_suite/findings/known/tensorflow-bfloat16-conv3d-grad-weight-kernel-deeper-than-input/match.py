"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.native import base_kind
from convt_suite.findings.matchers import called_crops, called_output, called_padding, effective


def match(record: dict) -> bool:
    """bfloat16 grad_weight of a 3-D 'SAME' call (the native one, or the
    adapter's) whose filter-gradient convolution meets oneDNN's depth-loop
    rule (see the detail): its src is dy (depth id, the output's), its
    diff_dst x (depth od, the input's), kernel depth kd, stride sd and front
    pad fp, TF's 'SAME' half of (od - 1)·sd + kd - id rounded down
    (matchers.called_crops)."""
    if base_kind(record) != "vjp" or record.get("failed_gradient") != "grad_weight":
        return False   # [explains] holds it to bfloat16, 3-D and 'values'
    spec = record["case"]["spec"]
    if spec["dilation"][0] != 1 or called_padding(record) != "SAME":   # a dilated depth was right
        return False
    od, id_ = record["case"]["input_shape"][2], called_output(record)[0]
    kd, sd = effective(spec, 0), spec["stride"][0]
    fp = sum(called_crops(record)[0]) // 2
    if od < 2 or fp <= 0:
        return False
    first_out = -(-fp // sd)                  # F: depths 0 .. F - 1 start in the front pad
    last = min(first_out, od) - 1             # L: the last of them that runs
    both_ends = last * sd - fp + kd > id_     # some such window also runs past the end of dy
    lands_past = fp % sd == 0 and kd > id_ and first_out <= od - 1
    return both_ends or lands_past
