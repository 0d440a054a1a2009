"""Deliberately broken adapters: the sweep must fail every one of them.

Each is the correct zero-insertion example with one classic mistake. A
planted bug that the sweep passed would mean the suite can be fooled.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from examples.zero_insertion import ZeroInsertionAdapter, conv_transpose2d


class KernelNotFlipped(ZeroInsertionAdapter):
    """Correlates where it should convolve (the kernel's taps mirrored)."""

    name = "planted:kernel-not-flipped"

    def forward(self, x, weight, bias, spec):
        return super().forward(x, np.ascontiguousarray(weight[:, :, ::-1, ::-1]), bias, spec)


class CropsSwapped(ZeroInsertionAdapter):
    """Crops the after-amount before and the before-amount after (a one-pixel
    shift whenever they differ, e.g. PyTorch's output_padding on the wrong side)."""

    name = "planted:crops-swapped"

    def forward(self, x, weight, bias, spec):
        swapped = tuple((after, before) for before, after in spec.padding)
        return super().forward(x, weight, bias, dataclasses.replace(spec, padding=swapped))


class DilationIgnored(ZeroInsertionAdapter):
    """Computes as if dilation were 1, then zero-pads or crops at the end to the
    expected shape, so only the values (not the shape) can give it away."""

    name = "planted:dilation-ignored"

    def forward(self, x, weight, bias, spec):
        plain = dataclasses.replace(spec, dilation=(1, 1))
        want = spec.output_shape(x.shape)
        try:
            out = conv_transpose2d(x, weight, bias, plain)
        except ValueError:  # no output at all without dilation
            return np.zeros(want, x.dtype)
        fitted = np.zeros(want)
        h, w = min(want[2], out.shape[2]), min(want[3], out.shape[3])
        fitted[:, :, :h, :w] = out[:, :, :h, :w]
        return fitted.astype(x.dtype)


class BiasMissingOnExtension(ZeroInsertionAdapter):
    """Adds the bias only where the full output was, not on rows and columns
    appended by negative crops."""

    name = "planted:bias-missing-on-extension"

    def forward(self, x, weight, bias, spec):
        out = conv_transpose2d(x, weight, None, spec)
        if bias is not None:
            (t, b), (l, r) = spec.padding
            h, w = out.shape[2:]
            out[:, :, max(-t, 0): h - max(-b, 0), max(-l, 0): w - max(-r, 0)] += \
                np.asarray(bias, np.float64)[None, :, None, None]
        return out.astype(x.dtype)


class GroupsInterleaved(ZeroInsertionAdapter):
    """Splits channels into groups round-robin instead of in contiguous blocks."""

    name = "planted:groups-interleaved"

    def forward(self, x, weight, bias, spec):
        g = spec.groups
        order = np.concatenate([np.arange(i, spec.in_channels, g) for i in range(g)])
        return super().forward(x[:, order], weight[order], bias, spec)


PLANTED = [KernelNotFlipped, CropsSwapped, DilationIgnored, BiasMissingOnExtension,
           GroupsInterleaved]
