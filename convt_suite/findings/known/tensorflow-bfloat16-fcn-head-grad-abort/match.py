"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """The gradient for x (a Conv2D of the upstream gradient, padded by the
    crops) in bfloat16 with FCN-32s's head, a 64x64 kernel at stride 32, and
    a crop on the height: where oneDNN's bfloat16 Conv2D was seen to abort
    (kernel 48 at stride 24, or 64 at stride 16, compute). Only aborts
    qualify, so nothing else is excused."""
    spec = record["case"]["spec"]
    return (record.get("kind") == "vjp" and record.get("dtype") == "bfloat16"
            and list(spec["kernel_size"]) == [64, 64] and list(spec["stride"]) == [32, 32]
            and any(spec["padding"][0]))
