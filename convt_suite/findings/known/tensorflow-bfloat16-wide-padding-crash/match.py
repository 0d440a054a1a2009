"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import isa
from convt_suite.host import cpu


def match(record: dict) -> bool:
    """The gradient for x (a Conv2D of the upstream gradient, padded by the
    crops) on an axis with stride >= 2, a right crop >= 1 and a left crop at
    least as wide as the output there: the region where oneDNN's bfloat16
    Conv2D was seen to die (and its float16 Conv2D, where oneDNN runs float16
    natively: the record's level, else this machine's); CI met a left crop
    equal to the output on 2026-12-06 (crops (1, 7) of 9 columns, stride 2:
    SIGSEGV on every call). Only crashes qualify, so nothing else is excused."""
    spec, out = record["case"]["spec"], record.get("expected_shape") or [0, 0, 0, 0]
    half = record.get("dtype") == "bfloat16" or (
        record.get("dtype") == "float16"
        and isa(record) in cpu.LEVELS[cpu.LEVELS.index("avx512_core_fp16"):])
    return (record.get("kind") == "vjp" and half
            and any(spec["stride"][axis] >= 2 and spec["padding"][axis][1] >= 1
                    and spec["padding"][axis][0] >= out[2 + axis] for axis in (0, 1)))
