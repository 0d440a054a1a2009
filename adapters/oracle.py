"""The float64 reference: the definition in spec.py, vectorised.

One matrix product computes every (input element × kernel tap) contribution at
once; a strided add per kernel tap then scatters them to i·S + a·D. There is no
Python loop per element. tests/test_oracle.py checks this against hand-worked
examples, an independent zero-insertion formulation and the adjoint identity.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from .spec import Spec


def full_output(x: np.ndarray, weight: np.ndarray, spec: Spec) -> np.ndarray:
    """The uncropped transposed convolution (no bias), in float64."""
    return _full_outputs(x, weight, spec, partials=False)[0]


def _full_outputs(x, weight, spec: Spec, partials: bool) -> tuple[np.ndarray, np.ndarray | None]:
    """full_output, and with `partials` Σ|partial| per element from the same
    product: each (input position, tap) contribution, a sum over the input
    channels, added as its absolute value (reference_and_partials). In every
    rank: the spatial axes are the input's after (N, C)."""
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    r = spec.rank
    n, spatial = x.shape[0], x.shape[2:]
    g = spec.groups
    cin, cout = spec.in_channels // g, spec.out_channels // g
    kernel = spec.kernel_size
    lengths = spec.full_size(spatial)
    inner, outer = tuple(range(3, 3 + r)), tuple(range(2, 2 + r))

    # (g, N·∏spatial, cin) @ (g, cin, ∏kernel·cout): every contribution in one product
    xg = x.reshape(n, g, cin, *spatial).transpose(1, 0, *inner, 2).reshape(g, n * math.prod(spatial), cin)
    wg = weight.reshape(g, cin, cout, *kernel).transpose(0, 1, *inner, 2).reshape(g, cin, -1)
    # -> (n, *spatial, *kernel, g, cout): channels last, so each tap's add below
    # moves contiguous runs of channels (about 3x faster than adding channels first)
    # NaN and inf are inputs the suite feeds on purpose (IEEE arithmetic is the definition)
    with np.errstate(invalid="ignore", over="ignore"):
        taps = np.matmul(xg, wg).reshape(g, n, *spatial, *kernel, cout).transpose(
            1, *outer, *(axis + r for axis in outer), 0, 2 + 2 * r)
        summed = [taps, np.abs(taps)] if partials else [taps]
        outs = [np.zeros((n, *lengths, g, cout)) for _ in summed]
        for tap in itertools.product(*(range(k) for k in kernel)):
            # input i times tap a lands at i·S + a·D, on every axis
            where = (slice(None), *(slice(a * d, a * d + (i - 1) * s + 1, s) for a, i, s, d in
                                    zip(tap, spatial, spec.stride, spec.dilation)))
            for out, contributions in zip(outs, summed):
                out[where] += contributions[(slice(None),) * (1 + r) + tap]
    shaped = [out.reshape(n, *lengths, g * cout).transpose(0, r + 1, *range(1, r + 1)) for out in outs]
    return shaped[0], shaped[1] if partials else None


def split_crops(padding):
    """Crops ((before, after) per axis) as (zeros to append, amounts to
    slice off) per axis: a negative crop appends zeros instead. The one copy
    of this rule: the oracle, the adapters' CropPlan and the snippets use it."""
    pads = tuple((max(-a, 0), max(-b, 0)) for a, b in padding)
    slices = tuple((max(a, 0), max(b, 0)) for a, b in padding)
    return pads, slices


def crop(full, padding):
    """Crop (before, after) off the last len(padding) axes; negative amounts append zeros."""
    pads, slices = split_crops(padding)
    r = len(padding)
    if any(v for pair in pads for v in pair):
        full = np.pad(full, ((0, 0),) * (full.ndim - r) + pads)
    sizes = full.shape[full.ndim - r:]
    return full[(..., *(slice(before, size - after) for (before, after), size in zip(slices, sizes)))]


def conv_transpose(x, weight, bias, spec: Spec) -> np.ndarray:
    """The canonical result, float64, channels first, in the spec's rank."""
    spec.check_tensors(np.shape(x), np.shape(weight), None if bias is None else np.shape(bias))
    return _cropped_with_bias(full_output(x, weight, spec), bias, spec)


def conv_transpose2d(x, weight, bias, spec: Spec) -> np.ndarray:
    """The canonical result, float64, NCHW (conv_transpose in 2-D: the name
    the suite and its plug-ins have called since it was 2-D only)."""
    return conv_transpose(x, weight, bias, spec)


def _cropped_with_bias(full, bias, spec: Spec) -> np.ndarray:
    out = crop(full, spec.padding)
    if bias is not None:
        with np.errstate(invalid="ignore"):  # inf + -inf is NaN, by definition
            out = out + np.asarray(bias, dtype=np.float64).reshape(-1, *(1,) * spec.rank)
    return out


def magnitude(x, weight, bias, spec: Spec) -> np.ndarray:
    """(|x| ⊛ᵀ |w|) + |b| per output element: the scale of the rounding error."""
    absolute = None if bias is None else np.abs(np.asarray(bias, dtype=np.float64))
    return conv_transpose(
        np.abs(np.asarray(x, dtype=np.float64)), np.abs(np.asarray(weight, dtype=np.float64)),
        absolute, spec,
    )


def reference_and_partials(x, weight, bias, spec: Spec) -> tuple[np.ndarray, np.ndarray]:
    """conv_transpose, and Σ|partial| per output element from the same
    product: the partials are the sums over input channels that each kernel
    tap adds there (col2im's), and the bias; the scale of the rounding a
    kernel may do between them (core/tolerance.py)."""
    spec.check_tensors(np.shape(x), np.shape(weight), None if bias is None else np.shape(bias))
    full, partials = _full_outputs(x, weight, spec, partials=True)
    absolute = None if bias is None else np.abs(np.asarray(bias, dtype=np.float64))
    return _cropped_with_bias(full, bias, spec), _cropped_with_bias(partials, absolute, spec)


def vjp(x, weight, bias, spec: Spec, grad_out):
    """(grad_x, grad_weight, grad_bias or None) of <grad_out, convT(x, w, b)>, float64, in
    every rank (i and a below run over every spatial axis).

    Derivation: out = crop(full) + b and full[i·S + a·D] += x[i]·w[a], so with
    g_full = the adjoint of the crop applied to grad_out (crop by the negated
    amounts: appended rows are dropped, cropped ones come back as zeros) and
    G_a = g_full sampled at i·S + a·D:
      grad_x[n, ci, i]  = Σ_{co, a} G_a[n, co, i] · w[ci, co, a]       (C_out/g · ∏K terms)
      grad_w[ci, co, a] = Σ_{n, i} x[n, ci, i] · G_a[n, co, i]          (N·∏I terms)
      grad_b[co]        = Σ_{n, o} grad_out[n, co, o]                   (N·∏O terms)
    tests/test_oracle.py checks it against central finite differences.
    """
    spec.check_tensors(np.shape(x), np.shape(weight), None if bias is None else np.shape(bias))
    x = np.asarray(x, dtype=np.float64)
    weight = np.asarray(weight, dtype=np.float64)
    grad_out = np.asarray(grad_out, dtype=np.float64)
    if grad_out.shape != spec.output_shape(x.shape):
        raise ValueError(f"grad_out shape {grad_out.shape}: must be {spec.output_shape(x.shape)}")
    n, spatial = x.shape[0], x.shape[2:]
    g = spec.groups
    cin, cout = spec.in_channels // g, spec.out_channels // g
    g_full = crop(grad_out, tuple((-before, -after) for before, after in spec.padding))
    # G_a for every tap a (C order over the kernel's axes, as the weight's): (taps, n, g, cout, P)
    taps = np.stack([
        g_full[(slice(None), slice(None), *(slice(a * d, a * d + (i - 1) * s + 1, s) for a, i, s, d in
                                            zip(tap, spatial, spec.stride, spec.dilation)))]
        for tap in itertools.product(*(range(k) for k in spec.kernel_size))
    ]).reshape(math.prod(spec.kernel_size), n, g, cout, math.prod(spatial))
    wg = weight.reshape(g, cin, cout, math.prod(spec.kernel_size))
    xg = x.reshape(n, g, cin, math.prod(spatial))
    grad_x = np.einsum("angop,gioa->ngip", taps, wg, optimize=True).reshape(x.shape)
    grad_w = np.einsum("ngip,angop->gioa", xg, taps, optimize=True).reshape(weight.shape)
    grad_b = None if bias is None else grad_out.sum(axis=(0, *range(2, 2 + spec.rank)))
    return grad_x, grad_w, grad_b


def vjp_magnitude(x, weight, bias, spec: Spec, grad_out):
    """The vjp of the absolute values: the scale of each gradient's rounding error."""
    return vjp(np.abs(np.asarray(x, np.float64)), np.abs(np.asarray(weight, np.float64)),
               None if bias is None else np.abs(np.asarray(bias, np.float64)), spec,
               np.abs(np.asarray(grad_out, np.float64)))


def vjp_partials_magnitude(x, weight, bias, spec: Spec, grad_out):
    """(None, Σ_n |grad_weight of sample n|, Σ_n |grad_bias of sample n|):
    the weight and bias gradients' partials are the samples' sums."""
    per_sample = [vjp(x[i: i + 1], weight, bias, spec, grad_out[i: i + 1]) for i in range(len(x))]
    weight_part = sum(np.abs(sample[1]) for sample in per_sample)
    bias_part = None if bias is None else sum(np.abs(sample[2]) for sample in per_sample)
    return None, weight_part, bias_part
