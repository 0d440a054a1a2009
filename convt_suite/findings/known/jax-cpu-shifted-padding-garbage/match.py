"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.native import base_kind
from convt_suite.findings.matchers import effective, only_grad_x_failed


def _jax_cpu_shift_conv(pads, products: int, dilation) -> bool:
    """The conv_general_dilated XLA computes wrongly on CPU: every axis padded
    (lo, hi) with lo <= 0 and lo + hi <= 0, some hi > 0 (the axis shifted),
    no kernel dilation, and 8 or more products per output (C_in · kH · kW)."""
    return (products >= 8 and tuple(dilation) == (1, 1)
            and all(lo <= 0 and lo + hi <= 0 for lo, hi in pads) and any(hi > 0 for _, hi in pads))


def match(record: dict) -> bool:
    """The convolution the jax adapter's call runs meets _jax_cpu_shift_conv:
    the forward at stride 1 (pads D·(K-1) - crops, C_in/g inputs per output), or
    the gradient for x (pads = the crops, C_out/g), with the other gradients right."""
    spec = record["case"]["spec"]
    if record.get("dtype") not in ("float32", "float16", "bfloat16"):
        return False
    taps = spec["kernel_size"][0] * spec["kernel_size"][1]
    if base_kind(record) in ("forward", "special", "determinism"):
        pads = [(effective(spec, a) - 1 - spec["padding"][a][0], effective(spec, a) - 1 - spec["padding"][a][1])
                for a in (0, 1)]
        return tuple(spec["stride"]) == (1, 1) and _jax_cpu_shift_conv(
            pads, spec["in_channels"] // spec["groups"] * taps, spec["dilation"])
    if base_kind(record) == "vjp" and only_grad_x_failed(record):
        return _jax_cpu_shift_conv(
            spec["padding"], spec["out_channels"] // spec["groups"] * taps, spec["dilation"])
    return False
