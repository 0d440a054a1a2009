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

The rank (1: W; 2: H, W; 3: D, H, W) is drawn from `ranks` where there are
several (labelled "rank", shrinking toward the first), and each axis is
drawn as above, within its rank's `AXIS_LIMITS`: 1-D layers are long and
thin (vocoders upsample by 8 with kernel 16), 3-D ones short on each axis
(a 3-D case is the product of three). A 2-D case is drawn from exactly the
choices it always was, so the 2-D sweeps' fixed cases are unchanged.
"""

from __future__ import annotations

import dataclasses
import math

from hypothesis import strategies as st

from convt_suite.adapters.spec import Spec, full_length
from convt_suite.core.cases import Case

MAX_CHANNELS = 8
MAX_NEGATIVE_CROP = 2


@dataclasses.dataclass(frozen=True)
class AxisLimits:
    """The largest kernel, stride, dilation and input size drawn on one axis."""
    kernel: int
    stride: int
    dilation: int
    size: int


AXIS_LIMITS = {
    1: AxisLimits(kernel=16, stride=8, dilation=3, size=16),   # HiFi-GAN: kernel 16, stride 8
    2: AxisLimits(kernel=5, stride=4, dilation=3, size=8),
    3: AxisLimits(kernel=4, stride=3, dilation=2, size=4),     # 3-D U-Net: kernel 2, stride 2
}
AXES = {1: ("w",), 2: ("h", "w"), 3: ("d", "h", "w")}   # the labels of each rank's axes
PLANE = (2,)         # the ranks the 2-D sweeps draw (no rank drawn: 2-D)
OTHER_RANKS = (1, 3)  # the ranks the other sweeps draw


def ranks_name(ranks) -> str:
    """"1-D", "1-D and 3-D": how records, keys and messages name drawn ranks."""
    return " and ".join(f"{rank}-D" for rank in sorted(ranks))


# "interior" first: what hypothesis shrinks toward; the rest, about half the draws
BOUNDARIES = ("interior", "interior", "interior", "interior",
              "input size 1", "stride >= kernel", "output size 1", "widest output")


def draw_axis(data, axis: str, dilated: bool, boundaries: bool = True,
              limits: AxisLimits = AXIS_LIMITS[2]) -> dict:
    """Kernel, stride, dilation, input size and crops for one spatial axis."""
    at = data.draw(st.sampled_from(BOUNDARIES), label=f"boundary_{axis}") if boundaries else "interior"
    stride_over_kernel = at == "stride >= kernel"
    most_kernel = min(limits.kernel, limits.stride) if stride_over_kernel else limits.kernel
    kernel = data.draw(st.integers(1, most_kernel), label=f"kernel_{axis}")
    stride = data.draw(st.integers(kernel if stride_over_kernel else 1, limits.stride), label=f"stride_{axis}")
    dilation = data.draw(st.integers(1, limits.dilation), label=f"dilation_{axis}") if dilated else 1
    size = 1 if at == "input size 1" else data.draw(st.integers(1, limits.size), label=f"input_{axis}")
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


def draw_case(data, boundaries: bool = True, ranks: tuple[int, ...] = (2,)) -> Case:
    """A case of one of `ranks` (drawn where there are several)."""
    rank = data.draw(st.sampled_from(ranks), label="rank") if len(ranks) > 1 else ranks[0]
    # grouped and dilated convolutions are drawn for about half the cases each:
    # uniform draws made three in four cases grouped, which most frameworks
    # can only compose, and left the plain native call under-tested
    grouped = data.draw(st.booleans(), label="grouped")
    groups = data.draw(st.integers(2, 4), label="groups") if grouped else 1
    per_group = MAX_CHANNELS // groups
    in_channels = groups * data.draw(st.integers(1, per_group), label="in_channels_per_group")
    out_channels = groups * data.draw(st.integers(1, per_group), label="out_channels_per_group")
    dilated = data.draw(st.booleans(), label="dilated")
    axes = [draw_axis(data, name, dilated, boundaries, AXIS_LIMITS[rank]) for name in AXES[rank]]
    bias = data.draw(st.booleans(), label="bias")
    batch = data.draw(st.sampled_from((1, 2, 3, 2, 3, 0)) if boundaries else st.integers(0, 3),
                      label="batch")
    seed = data.draw(st.integers(0, 2 ** 32 - 1), label="seed")
    def per_axis(field: str) -> tuple:
        return tuple(axis[field] for axis in axes)

    spec = Spec(in_channels, out_channels, per_axis("kernel"), per_axis("stride"), per_axis("crops"),
                per_axis("dilation"), groups, bias)
    return Case(spec, (batch, in_channels, *(axis["size"] for axis in axes)), seed)


SPECIAL_VALUES = (float("nan"), float("inf"), float("-inf"))


def draw_special_case(data, boundaries: bool = True, ranks: tuple[int, ...] = (2,)) -> Case:
    """A sweep case with NaN/±inf placed in x or the weight, or scaled so that
    float16 results overflow (they must become inf, not NaN)."""
    case = draw_case(data, boundaries, ranks)
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
