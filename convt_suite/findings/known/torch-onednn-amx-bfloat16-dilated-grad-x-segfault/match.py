"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.native import base_kind
from convt_suite.findings.matchers import isa


def match(record: dict) -> bool:
    """A crash in a bfloat16 gradient, on a CPU where oneDNN runs its AMX
    kernels, where some axis has a dilation >= 3 whose kernel span exceeds an
    output of at least one element (the gradient for x convolves that output
    with the dilated kernel)."""
    if (record.get("failure") != "crash" or record.get("dtype") != "bfloat16"
            or base_kind(record) != "vjp" or isa(record) not in ("avx512_core_amx", "avx512_core_amx_fp16")):
        return False
    spec, out = record["case"]["spec"], (record.get("expected_shape") or [0, 0, 0, 0])[2:]
    return any(d >= 3 and d * (k - 1) + 1 > o >= 1
               for k, d, o in zip(spec["kernel_size"], spec["dilation"], out))
