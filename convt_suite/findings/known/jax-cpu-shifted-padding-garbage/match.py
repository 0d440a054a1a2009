"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.native import base_kind
from convt_suite.findings.matchers import effective, only_grad_x_failed


def _jax_cpu_shift_conv(pads, products: int, dilation) -> bool:
    """The conv_general_dilated XLA computes wrongly on CPU: every axis padded
    (lo, hi) with lo <= 0 and lo + hi <= 0, some hi > 0 (the axis shifted),
    no kernel dilation, and 8 or more products per output (C_in · kH · kW).
    The same in 1-D (measured 2026-12-07); 3-D was exact in every case tried
    (the finding's ranks leave it out)."""
    return (products >= 8 and all(d == 1 for d in dilation)
            and all(lo <= 0 and lo + hi <= 0 for lo, hi in pads) and any(hi > 0 for _, hi in pads))


def match(record: dict) -> bool:
    """The convolution the jax adapter's call runs meets _jax_cpu_shift_conv:
    the forward at stride 1 (pads D·(K-1) - crops, C_in/g inputs per output), or
    the gradient for x (pads = the crops, C_out/g), with the other gradients right."""
    spec = record["case"]["spec"]
    if record.get("dtype") not in ("float32", "float16", "bfloat16"):
        return False
    axes = range(len(spec["kernel_size"]))
    taps = 1
    for k in spec["kernel_size"]:
        taps *= k
    if base_kind(record) in ("forward", "special", "determinism"):
        pads = [(effective(spec, a) - 1 - spec["padding"][a][0], effective(spec, a) - 1 - spec["padding"][a][1])
                for a in axes]
        channels = spec["in_channels"] // spec["groups"]
        return all(s == 1 for s in spec["stride"]) and _jax_cpu_shift_conv(
            pads, channels * taps, spec["dilation"])
    if base_kind(record) == "vjp" and only_grad_x_failed(record):
        channels = spec["out_channels"] // spec["groups"]
        return _jax_cpu_shift_conv(spec["padding"], channels * taps, spec["dilation"])
    return False
