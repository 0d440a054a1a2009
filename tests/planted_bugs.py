"""Deliberately broken adapters: the sweep must fail every one of them.

Each is the correct zero-insertion example with one classic mistake. A
planted bug that the sweep passed would mean the suite can be fooled.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from convt_suite.adapters import oracle
from convt_suite.adapters.base import numpy_dtype
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


class Float16ComputedInBfloat16(ZeroInsertionAdapter):
    """Reduced precision: asked for float16, rounds the inputs to bfloat16
    (3 fewer mantissa bits) before computing."""

    name = "planted:float16-computed-in-bfloat16"

    def forward(self, x, weight, bias, spec):
        if x.dtype.name == "float16":
            bf16 = numpy_dtype("bfloat16")
            x, weight = x.astype(bf16).astype(np.float32), weight.astype(bf16).astype(np.float32)
            bias = None if bias is None else bias.astype(bf16).astype(np.float32)
            return conv_transpose2d(x, weight, bias, spec).astype(np.float16)
        return super().forward(x, weight, bias, spec)


class HalfReturnedAsFloat32(ZeroInsertionAdapter):
    """Reduced precision: float16 and bfloat16 results come back as float32."""

    name = "planted:half-returned-as-float32"

    def forward(self, x, weight, bias, spec):
        out = super().forward(x, weight, bias, spec)
        return out.astype(np.float32) if x.dtype.name in ("float16", "bfloat16") else out


class OracleGradients(ZeroInsertionAdapter):
    """A correct vjp (the oracle's, rounded to the dtype): the base the planted
    gradient bugs mutate."""

    name = "oracle-gradients"

    def vjp(self, x, weight, bias, spec, grad_out):
        grads = self._grads(x, weight, bias, spec, grad_out)
        return tuple(None if g is None else g.astype(x.dtype) for g in grads)

    def _grads(self, x, weight, bias, spec, grad_out):
        return oracle.vjp(x, weight, bias, spec, grad_out)


class GradWeightFlipped(OracleGradients):
    """grad_weight with its kernel taps mirrored."""

    name = "planted:grad-weight-flipped"

    def _grads(self, x, weight, bias, spec, grad_out):
        grad_x, grad_w, grad_b = super()._grads(x, weight, bias, spec, grad_out)
        return grad_x, np.ascontiguousarray(grad_w[:, :, ::-1, ::-1]), grad_b


class GradInputCropsSwapped(OracleGradients):
    """grad_x computed as if the crops were swapped (the adjoint of the wrong crop)."""

    name = "planted:grad-input-crops-swapped"

    def _grads(self, x, weight, bias, spec, grad_out):
        swapped = dataclasses.replace(spec, padding=tuple((a, b) for b, a in spec.padding))
        wrong = oracle.vjp(x, weight, bias, swapped, grad_out)[0] \
            if swapped.output_shape(x.shape) == spec.output_shape(x.shape) else None
        grad_x, grad_w, grad_b = super()._grads(x, weight, bias, spec, grad_out)
        return (grad_x if wrong is None else wrong), grad_w, grad_b


class GradBiasSkipsAppendedRows(OracleGradients):
    """grad_bias summed only over the rows and columns the full output had,
    not those appended by negative crops."""

    name = "planted:grad-bias-skips-appended-rows"

    def _grads(self, x, weight, bias, spec, grad_out):
        grad_x, grad_w, grad_b = super()._grads(x, weight, bias, spec, grad_out)
        if grad_b is not None:
            (t, b), (l, r) = spec.padding
            h, w = grad_out.shape[2:]
            inner = np.asarray(grad_out, np.float64)[:, :, max(-t, 0): h - max(-b, 0),
                                                     max(-l, 0): w - max(-r, 0)]
            grad_b = inner.sum(axis=(0, 2, 3))
        return grad_x, grad_w, grad_b


PLANTED = [KernelNotFlipped, CropsSwapped, DilationIgnored, BiasMissingOnExtension,
           GroupsInterleaved]
PLANTED_REDUCED_PRECISION = [Float16ComputedInBfloat16, HalfReturnedAsFloat32]
PLANTED_GRADIENTS = [GradWeightFlipped, GradInputCropsSwapped, GradBiasSkipsAppendedRows]


# --- bugs of one rank: right in 2-D, wrong in 1-D or 3-D ------------------------

class OracleEveryRank:
    """A correct adapter of every rank (the oracle, rounded to the dtype; its
    vjp likewise): the base the planted rank bugs mutate."""

    name = "oracle-every-rank"
    ranks = (1, 2, 3)
    kinds = ("forward", "vjp")   # the checks whose results the bug changes

    def supports(self, spec, dtype):
        return None

    def forward(self, x, weight, bias, spec):
        spec.check_tensors(x.shape, weight.shape, None if bias is None else bias.shape)
        return oracle.conv_transpose(x, self.weight_for(weight, spec), bias, self.spec_for(spec)).astype(x.dtype)

    def vjp(self, x, weight, bias, spec, grad_out):
        grads = oracle.vjp(x, self.weight_for(weight, spec), bias, self.spec_for(spec), grad_out)
        return tuple(None if g is None else g.astype(x.dtype) for g in grads)

    def spec_for(self, spec):
        """The spec this adapter computes instead of `spec` (the bug)."""
        return spec

    def weight_for(self, weight, spec):
        """The weight this adapter computes with instead of `weight` (the bug)."""
        return weight


class DepthStrideFromWidth(OracleEveryRank):
    """3-D: the stride per axis read as (W, H, D) instead of (D, H, W): a
    layout bug of a channels-last port, invisible where D and W strides agree."""

    name = "planted:3d-depth-stride-from-width"
    rank = 3   # the rank whose path it breaks

    def spec_for(self, spec):
        return dataclasses.replace(spec, stride=spec.stride[::-1]) if spec.rank == 3 else spec

    def forward(self, x, weight, bias, spec):
        if self.spec_for(spec).output_shape(x.shape) != spec.output_shape(x.shape):   # a shape bug shows anyway
            return np.zeros(spec.output_shape(x.shape), x.dtype)
        return super().forward(x, weight, bias, spec)

    def vjp(self, x, weight, bias, spec, grad_out):
        if self.spec_for(spec).output_shape(x.shape) != spec.output_shape(x.shape):
            return tuple(np.zeros(shape, x.dtype) for shape in
                         (x.shape, weight.shape, None if bias is None else bias.shape) if shape is not None)
        return super().vjp(x, weight, bias, spec, grad_out)


class DepthKernelNotFlipped(OracleEveryRank):
    """3-D: the kernel mirrored along D only (a correlation along depth)."""

    name = "planted:3d-depth-kernel-not-flipped"
    rank = 3   # the rank whose path it breaks

    def weight_for(self, weight, spec):
        return np.ascontiguousarray(weight[:, :, ::-1]) if spec.rank == 3 else weight


class LineCropsSwapped(OracleEveryRank):
    """1-D: the crops swapped (output_padding on the wrong side), only in 1-D."""

    name = "planted:1d-crops-swapped"
    rank = 1   # the rank whose path it breaks

    def spec_for(self, spec):
        if spec.rank != 1:
            return spec
        return dataclasses.replace(spec, padding=tuple((after, before) for before, after in spec.padding))


class LineDilationIgnored(OracleEveryRank):
    """1-D: dilation taken as 1, the output zero-padded or cut to the expected length."""

    name = "planted:1d-dilation-ignored"
    rank = 1   # the rank whose path it breaks
    kinds = ("forward",)

    def forward(self, x, weight, bias, spec):
        if spec.rank != 1 or spec.dilation == (1,):
            return super().forward(x, weight, bias, spec)
        want = spec.output_shape(x.shape)
        try:
            out = oracle.conv_transpose(x, weight, bias, dataclasses.replace(spec, dilation=(1,)))
        except ValueError:
            return np.zeros(want, x.dtype)
        fitted = np.zeros(want)
        n = min(want[2], out.shape[2])
        fitted[:, :, :n] = out[:, :, :n]
        return fitted.astype(x.dtype)


PLANTED_RANKS = [DepthStrideFromWidth, DepthKernelNotFlipped, LineCropsSwapped, LineDilationIgnored]
