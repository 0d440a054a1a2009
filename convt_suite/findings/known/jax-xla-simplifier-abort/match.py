"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.native import base_kind
from convt_suite.findings.matchers import effective


def match(record: dict) -> bool:
    """One axis whose input is shorter than its effective kernel K, with an
    output (>= 1) that is not exactly K from an input of 1 (that compiles);
    another with effective kernel 2, stride 2, crops (1, 1) and input 3 or
    more (the investigation's grid: no abort outside it). In 3-D (measured
    2026-12-07) each remaining axis is one of those two kinds or does nothing
    (input 1, kernel 1, stride 1, crops (0, 0)): those abort, a remaining axis
    of input 3 and kernel 1 computes. 1-D has no axis beside: never."""
    spec, shape = record["case"]["spec"], record["case"]["input_shape"]
    rank = len(shape) - 2
    out = record.get("expected_shape") or [0] * (rank + 2)

    def short(axis):
        size, kernel, length = shape[2 + axis], effective(spec, axis), out[2 + axis]
        return size < kernel and length >= 1 and not (size == 1 and length == kernel)

    def beside(axis):
        return (effective(spec, axis) == 2 and spec["stride"][axis] == 2
                and tuple(spec["padding"][axis]) == (1, 1) and shape[2 + axis] >= 3)

    def idle(axis):
        return (shape[2 + axis] == 1 and effective(spec, axis) == 1 and spec["stride"][axis] == 1
                and tuple(spec["padding"][axis]) == (0, 0))

    def gradient_other(axis, other):
        # the gradients' programs abort far wider: the other axis with an input of 2
        # or more and a stride or an effective kernel above 1 (a grid of 32 on
        # 2026-12-06, beside input 3 under kernel 4, stride 2, crops (3, 3)); 2-D only
        return (rank == 2 and base_kind(record) == "vjp" and shape[2 + other] >= 2
                and (spec["stride"][other] >= 2 or effective(spec, other) >= 2))

    axes = range(rank)
    return any(short(a) and (
        (beside(b) and all(short(c) or beside(c) or idle(c) for c in axes if c not in (a, b)))
        or gradient_other(a, b))
        for a in axes for b in axes if b != a)
