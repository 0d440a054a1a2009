"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.native import base_kind
from convt_suite.findings.matchers import effective


def match(record: dict) -> bool:
    """One axis whose input is shorter than its effective kernel K, with an
    output (>= 1) that is not exactly K from an input of 1 (that compiles);
    the other with effective kernel 2, stride 2, crops (1, 1) and input 3 or
    more (the investigation's grid: no abort outside it)."""
    spec, shape = record["case"]["spec"], record["case"]["input_shape"]
    out = record.get("expected_shape") or [0, 0, 0, 0]

    def short(axis):
        size, kernel, length = shape[2 + axis], effective(spec, axis), out[2 + axis]
        return size < kernel and length >= 1 and not (size == 1 and length == kernel)

    def gradient_other(axis):
        # the gradients' programs abort far wider: the other axis with an input of 2
        # or more and a stride or an effective kernel above 1 (a grid of 32 on
        # 2026-12-06, beside input 3 under kernel 4, stride 2, crops (3, 3))
        return (base_kind(record) == "vjp" and shape[3 - axis] >= 2
                and (spec["stride"][1 - axis] >= 2 or effective(spec, 1 - axis) >= 2))

    return any(short(a) and (
        (effective(spec, 1 - a) == 2 and spec["stride"][1 - a] == 2
         and tuple(spec["padding"][1 - a]) == (1, 1) and shape[3 - a] >= 3) or gradient_other(a))
        for a in (0, 1))
