"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.native import base_kind
from convt_suite.findings.matchers import isa, only_grad_x_failed


def match(record: dict) -> bool:
    """Only grad_x failed, in bfloat16, on a CPU where oneDNN runs its AMX
    kernels (the record's level, else this machine's: classification happens
    where the check ran), for x of width 1 and height >= 5, stride_w >= 2 and
    kernel_w >= 2: grad_x is a Conv2D of output width 1, stride_w > 1."""
    if not (base_kind(record) == "vjp" and record.get("dtype") == "bfloat16" and only_grad_x_failed(record)):
        return False
    spec, (_, _, h, w) = record["case"]["spec"], record["case"]["input_shape"]
    return (isa(record) in ("avx512_core_amx", "avx512_core_amx_fp16")
            and w == 1 and h >= 5 and spec["stride"][1] >= 2 and spec["kernel_size"][1] >= 2)
