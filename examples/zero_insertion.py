"""A complete user adapter: transposed convolution as zero insertion plus an
ordinary (correlation) convolution with the flipped kernel, in NumPy.

Check it with:  pytest --adapter examples.zero_insertion:adapter
It is deliberately a different formulation from the oracle (which scatters
each kernel tap), so the suite's own tests also use it as the oracle's
independent second opinion. It is exact for finite values; a NaN or inf,
though, also multiplies the inserted zeros and spreads NaN where the
definition has none: `pytest --adapter examples.zero_insertion:adapter -k special`
shows the suite catching exactly that.
"""

from __future__ import annotations

import numpy as np


def _pad_or_crop(array, widths):
    """np.pad on the last two axes where negative widths crop instead."""
    grow = [(0, 0)] * (array.ndim - 2) + [(max(a, 0), max(b, 0)) for a, b in widths]
    array = np.pad(array, grow)
    (t, b), (l, r) = ((max(-a, 0), max(-b, 0)) for a, b in widths)
    h, w = array.shape[-2:]
    return array[..., t: h - b, l: w - r]


def conv_transpose2d(x, weight, bias, spec):
    """Zero-insert x by the stride, pad by D·(K-1) - crop, correlate with the
    flipped, dilated kernel. Float64 throughout."""
    x = np.asarray(x, np.float64)
    weight = np.asarray(weight, np.float64)
    n, _, h, w = x.shape
    (sh, sw), (dh, dw), (kh, kw) = spec.stride, spec.dilation, spec.kernel_size
    spread = np.zeros((n, x.shape[1], (h - 1) * sh + 1, (w - 1) * sw + 1))
    spread[:, :, ::sh, ::sw] = x
    widths = [(d * (k - 1) - before, d * (k - 1) - after)
              for (before, after), k, d in zip(spec.padding, spec.kernel_size, spec.dilation)]
    padded = _pad_or_crop(spread, widths)
    out_h, out_w = spec.output_shape(x.shape)[2:]
    g = spec.groups
    cin, cout = spec.in_channels // g, spec.out_channels // g
    flipped = weight[:, :, ::-1, ::-1].reshape(g, cin, cout, kh, kw)
    grouped = padded.reshape(n, g, cin, *padded.shape[-2:])
    out = np.zeros((n, g, cout, out_h, out_w))
    for a in range(kh):
        for c in range(kw):
            window = grouped[..., a * dh: a * dh + out_h, c * dw: c * dw + out_w]
            out += np.einsum("ngihw,gio->ngohw", window, flipped[..., a, c])
    out = out.reshape(n, g * cout, out_h, out_w)
    if bias is not None:
        out += np.asarray(bias, np.float64)[None, :, None, None]
    return out


class ZeroInsertionAdapter:
    """The adapter contract, nothing more: name, supports, forward, vjp."""

    name = "numpy-zero-insertion"

    def supports(self, spec, dtype):
        return None  # computes in float64 and rounds once to the dtype asked for

    def forward(self, x, weight, bias, spec):
        return conv_transpose2d(x, weight, bias, spec).astype(x.dtype)

    def vjp(self, x, weight, bias, spec, grad_out):
        raise NotImplementedError


adapter = ZeroInsertionAdapter()
