"""Hypothesis draws for the sweeps, every one labelled (array-api-tests style),
so a falsifying example reads as a list of named parameters.

Each spatial dimension is drawn independently: kernel 1-5, stride 1-4,
dilation 1-3 (drawn on about half the cases; 1 on the rest), size 1-8, and
crops either PyTorch-style (padding,
output_padding < max(stride, dilation)) or an asymmetric (before, after)
pair, where either side may be negative (zeros appended). Groups 1-4,
channels up to 8, batch 0-3, bias on or off.

With `boundaries` (the default) about half the axes are drawn at a boundary
where frameworks part ways: input size 1, stride at least the kernel, the
widest crops (output size 1, the low end of the admissible range) or the
narrowest (the high end), and two batches in three are above 1. The
discovery benchmark measures what this buys on planted bugs.
"""

from __future__ import annotations

import dataclasses
import math

from hypothesis import strategies as st

from convt_suite.adapters.spec import Spec, full_length
from convt_suite.core.cases import Case

MAX_CHANNELS = 8
MAX_NEGATIVE_CROP = 2


# "interior" first: what hypothesis shrinks toward; the rest, about half the draws
BOUNDARIES = ("interior", "interior", "interior", "interior",
              "input size 1", "stride >= kernel", "output size 1", "widest output")


def draw_axis(data, axis: str, dilated: bool, boundaries: bool = True) -> dict:
    """Kernel, stride, dilation, input size and crops for one spatial axis."""
    at = data.draw(st.sampled_from(BOUNDARIES), label=f"boundary_{axis}") if boundaries else "interior"
    stride_over_kernel = at == "stride >= kernel"
    kernel = data.draw(st.integers(1, 4 if stride_over_kernel else 5), label=f"kernel_{axis}")
    stride = data.draw(st.integers(kernel if stride_over_kernel else 1, 4), label=f"stride_{axis}")
    dilation = data.draw(st.integers(1, 3), label=f"dilation_{axis}") if dilated else 1
    size = 1 if at == "input size 1" else data.draw(st.integers(1, 8), label=f"input_{axis}")
    length = full_length(size, kernel, stride, dilation)
    style = data.draw(st.sampled_from(["torch", "pair"]), label=f"crop_style_{axis}")
    if style == "torch":
        output_padding = data.draw(
            st.integers(0, max(stride, dilation) - 1), label=f"output_padding_{axis}")
        # output length L - 2p + op must stay >= 1
        most = (length - 1 + output_padding) // 2
        padding = {"output size 1": most, "widest output": 0}.get(at)
        if padding is None:
            padding = data.draw(st.integers(0, most), label=f"padding_{axis}")
        crops = (padding, padding - output_padding)
    elif at == "widest output":
        crops = (-MAX_NEGATIVE_CROP, -MAX_NEGATIVE_CROP)
    else:
        before = data.draw(st.integers(-MAX_NEGATIVE_CROP, length - 1), label=f"crop_before_{axis}")
        after = length - 1 - before if at == "output size 1" else data.draw(
            st.integers(-MAX_NEGATIVE_CROP, length - 1 - before), label=f"crop_after_{axis}")
        crops = (before, after)
    return {"kernel": kernel, "stride": stride, "dilation": dilation, "size": size, "crops": crops}


def draw_case(data, boundaries: bool = True) -> Case:
    # grouped and dilated convolutions are drawn for about half the cases each:
    # uniform draws made three in four cases grouped, which most frameworks
    # can only compose, and left the plain native call under-tested
    grouped = data.draw(st.booleans(), label="grouped")
    groups = data.draw(st.integers(2, 4), label="groups") if grouped else 1
    per_group = MAX_CHANNELS // groups
    in_channels = groups * data.draw(st.integers(1, per_group), label="in_channels_per_group")
    out_channels = groups * data.draw(st.integers(1, per_group), label="out_channels_per_group")
    dilated = data.draw(st.booleans(), label="dilated")
    h, w = draw_axis(data, "h", dilated, boundaries), draw_axis(data, "w", dilated, boundaries)
    bias = data.draw(st.booleans(), label="bias")
    batch = data.draw(st.sampled_from((1, 2, 3, 2, 3, 0)) if boundaries else st.integers(0, 3),
                      label="batch")
    seed = data.draw(st.integers(0, 2 ** 32 - 1), label="seed")
    spec = Spec(
        in_channels, out_channels, (h["kernel"], w["kernel"]), (h["stride"], w["stride"]),
        (h["crops"], w["crops"]), (h["dilation"], w["dilation"]), groups, bias,
    )
    return Case(spec, (batch, in_channels, h["size"], w["size"]), seed)


SPECIAL_VALUES = (float("nan"), float("inf"), float("-inf"))


def draw_special_case(data, boundaries: bool = True) -> Case:
    """A sweep case with NaN/±inf placed in x or the weight, or scaled so that
    float16 results overflow (they must become inf, not NaN)."""
    case = draw_case(data, boundaries)
    kind = data.draw(st.sampled_from(["specials", "overflow"]), label="special_kind")
    if kind == "overflow":
        # x and w ~ N(0, 256²): products ~ 2^16, beyond float16's 65504
        return dataclasses.replace(case, scale=256.0)
    sizes = {"x": math.prod(case.input_shape), "weight": math.prod(case.spec.weight_shape)}
    count = data.draw(st.integers(1, 3), label="special_count")
    specials = []
    for number in range(count):
        tensor = data.draw(st.sampled_from([t for t, n in sizes.items() if n]), label=f"special_{number}_in")
        index = data.draw(st.integers(0, sizes[tensor] - 1), label=f"special_{number}_index")
        value = data.draw(st.sampled_from(SPECIAL_VALUES), label=f"special_{number}_value")
        specials.append((tensor, index, value))
    return dataclasses.replace(case, specials=tuple(specials))
