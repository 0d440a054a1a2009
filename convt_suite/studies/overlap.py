"""How many kernel taps reach each output position: the checkerboard.

A transposed convolution scatters each input element through the kernel's
taps, S apart. Where the (dilated) kernel is not a multiple of the stride,
output positions receive unequal numbers of products (the uneven overlap
behind checkerboard artifacts, Odena et al. 2016). Per axis the count is the
number of (input index i, tap k) pairs with i·S + k·D = position + crop
before; the map in any rank is the outer product of its axes' counts (per
input channel of a group, which every output channel shares).

Counted here from the definition; tests/test_overlap.py checks it against the
oracle run on ones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convt_suite.adapters import oracle
from convt_suite.adapters.spec import Spec, full_length


def axis_counts(size: int, kernel: int, stride: int, dilation: int,
                crops: tuple[int, int]) -> np.ndarray:
    """Taps reaching each output position of one axis: the full output's
    counts, cropped as the oracle crops (a negative crop appends zeros)."""
    full = np.zeros(full_length(size, kernel, stride, dilation), dtype=np.int64)
    for tap in range(kernel):
        full[np.arange(size) * stride + tap * dilation] += 1
    return oracle.crop(full[None, :], ((0, 0), crops))[0]


AXIS_NAMES = {1: ("position",), 2: ("row", "column"), 3: ("plane", "row", "column")}


@dataclass(frozen=True)
class Overlap:
    axes: tuple[tuple[int, ...], ...]   # taps per output position, one tuple per spatial axis

    @property
    def counts(self) -> np.ndarray:
        """(*spatial output): products per output position and input channel."""
        counts = np.ones((), dtype=np.int64)
        for axis in self.axes:
            counts = np.multiply.outer(counts, np.asarray(axis, dtype=np.int64))
        return counts

    @property
    def even(self) -> bool:
        """Every position that full-overlap taps reach gets the same number
        (the borders, where fewer taps fit, aside)."""
        return all(_interior_even(axis) for axis in self.axes)

    def describe(self) -> str:
        def line(name, counts):
            shown = " ".join(map(str, counts[:24])) + (" …" if len(counts) > 24 else "")
            return f"taps per {name}: {shown}"
        verdict = "even" if self.even else "uneven (checkerboard)"
        names = AXIS_NAMES[len(self.axes)]
        return "; ".join([*(line(name, axis) for name, axis in zip(names, self.axes)), verdict])


def _interior_even(counts) -> bool:
    """The counts away from the borders (the ramp up and down at each end,
    where the input runs out) are all the same."""
    values = list(counts)
    top = max(values, default=0)
    reached = [n for n, v in enumerate(values) if v == top]
    if not reached:
        return True
    interior = values[reached[0]:reached[-1] + 1]
    return len(set(interior)) <= 1


def overlap(spec: Spec, input_size) -> Overlap:
    """The tap counts of `spec` for an input of this spatial size (one entry per axis)."""
    spec.output_shape((1, spec.in_channels, *input_size))   # ValueError where there is no output
    return Overlap(tuple(tuple(int(v) for v in axis_counts(size, k, s, d, crops))
                         for size, k, s, d, crops in zip(
                             input_size, spec.kernel_size, spec.stride, spec.dilation, spec.padding)))
