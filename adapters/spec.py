"""The one channels-first contract every adapter implements: `Spec`.

A transposed convolution is fixed by its channels, groups, kernel, stride,
dilation, bias flag and the *crops* taken off each side of the full output,
in 1, 2 or 3 spatial dimensions (NCW, NCHW, NCDHW; the 2-D API of the
original NCHW contract is unchanged: an int kernel is 2-D).
Per spatial dimension, with input length I, kernel K, stride S, dilation D, the
full output has length L = (I - 1)·S + D·(K - 1) + 1; input element i times
kernel tap a lands at i·S + a·D. `padding[d] = (before, after)` is the amount
cropped from each end; a negative amount appends zeros (which still get the
bias). Every framework's native parameters map onto this; the `from_*`
constructors are those maps, and tests/test_native_semantics.py proves each
one against the real framework.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

Pair = tuple[int, int]
Ints = tuple[int, ...]          # one int per spatial axis
RANKS = (1, 2, 3)               # the spatial ranks: NCW, NCHW, NCDHW
# the spatial axes' names by rank, as the messages and the frameworks' docs name them
AXES = {1: ("W",), 2: ("H", "W"), 3: ("D", "H", "W")}
# TensorFlow's and Keras's data_format per rank: (channels last, the default; channels first)
TF_LAYOUTS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}
LAYOUT = {1: "(N, C_in, W)", 2: "(N, C_in, H, W)", 3: "(N, C_in, D, H, W)"}
CROPS = {1: "((left, right),)", 2: "((top, bottom), (left, right))",
         3: "((front, back), (top, bottom), (left, right))"}


def _ints(name: str, value, rank: int = 2) -> Ints:
    """An int (the same on every axis) or one int per spatial axis, as the
    frameworks accept, made a tuple of `rank` ints."""
    per_axis = "a pair of ints" if rank == 2 else f"{rank} ints"
    if isinstance(value, bool):
        raise ValueError(f"{name}={value!r}: must be an int or {per_axis}, not a bool")
    if isinstance(value, int):
        return (value,) * rank
    try:
        items = tuple(value)
    except TypeError:
        raise ValueError(f"{name}={value!r}: must be an int or {per_axis}") from None
    if len(items) != rank or not all(isinstance(v, int) and not isinstance(v, bool) for v in items):
        names = "height, width" if rank == 2 else ", ".join(axis.lower() for axis in AXES.get(rank, ()))
        raise ValueError(f"{name}={value!r}: must be an int or {per_axis} ({names})")
    return items


def _pair(name: str, value) -> Pair:
    """An int or a pair of ints: _ints in 2-D, for the modules that read 2-D
    calls (the native sweeps, the translator's sources, the pitfalls)."""
    return cast(Pair, _ints(name, value, 2))


def _positive_ints(name: str, value, rank: int) -> Ints:
    ints = _ints(name, value, rank)
    if min(ints) < 1:
        raise ValueError(f"{name}={value!r}: every entry must be >= 1")
    return ints


def _positive_axes(rank: int, **named) -> tuple[Ints, ...]:
    """Each named argument made `rank` ints >= 1 (a reader's kernel, strides,
    dilations and sizes), in the order named."""
    return tuple(_positive_ints(name, value, rank) for name, value in named.items())


def _positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}={value!r}: must be an int")
    if value < 1:
        raise ValueError(f"{name}={value!r}: must be >= 1")
    return value


def rank_of(rank=None, default: int = 2, **named) -> int:
    """The spatial rank a call states: `rank` where given (1, 2 or 3), else
    the length of the first of `named` that is a sequence of ints (one per
    axis), else `default` (2, the 2-D API's). A `padding`-like sequence of
    pairs counts its pairs."""
    if rank is not None:
        if isinstance(rank, bool) or rank not in RANKS:
            raise ValueError(f"rank={rank!r}: must be 1, 2 or 3 (spatial axes: W; H, W; D, H, W)")
        return rank
    for name, value in named.items():
        if isinstance(value, (str, bytes)) or value is None or isinstance(value, int):
            continue
        try:
            length = len(value)
        except TypeError:
            continue
        if length not in RANKS:
            raise ValueError(f"{name}={value!r}: must have 1, 2 or 3 entries, one per spatial axis")
        return length
    return default


def full_length(size: int, kernel: int, stride: int, dilation: int) -> int:
    """L = (I - 1)·S + D·(K - 1) + 1, the uncropped output length."""
    return (size - 1) * stride + dilation * (kernel - 1) + 1


def tensorflow_output_range(mode: str, i: int, k: int, s: int, d: int, pads=(0, 0)):
    """The output sizes `tf.nn.conv2d_transpose` documents for one axis, [low, high]:
    'SAME' [(I-1)·S + 1, I·S]; 'VALID' or explicit pads (a, b): the forward
    convolution of an O-long output with those pads must give I, so
    O in [L - a - b, L - a - b + S - 1]."""
    if mode == "SAME":
        return (i - 1) * s + 1, i * s
    low = full_length(i, k, s, d) - sum(pads)
    return low, low + s - 1


@dataclass(frozen=True)
class Spec:
    """A transposed convolution in canonical channels-first terms, in 1, 2 or
    3 spatial dimensions (see module doc): every per-axis field has one entry
    per spatial axis, in the order of the input's (W; H, W; D, H, W). The
    rank is the kernel's: an int kernel (with int strides and dilations and
    no padding pairs to count) is 2-D, as the original 2-D API."""

    in_channels: int
    out_channels: int
    kernel_size: Ints
    stride: Ints = 1              # type: ignore[assignment]  # an int: every axis (normalised)
    padding: tuple[Pair, ...] = None   # type: ignore[assignment]  # None: no crops
    dilation: Ints = 1            # type: ignore[assignment]
    groups: int = 1
    bias: bool = True

    if TYPE_CHECKING:
        # what the constructor accepts: an int for every axis, any sequence
        # with one entry per axis (a list read from JSON); __post_init__
        # stores tuples
        def __init__(self, in_channels: int, out_channels: int, kernel_size: int | Sequence[int],
                     stride: int | Sequence[int] = 1,
                     padding: Sequence[int | Sequence[int]] | None = None,
                     dilation: int | Sequence[int] = 1, groups: int = 1, bias: bool = True) -> None: ...

    def __post_init__(self):
        set_ = object.__setattr__  # frozen: normalise through the back door once
        set_(self, "in_channels", _positive_int("in_channels", self.in_channels))
        set_(self, "out_channels", _positive_int("out_channels", self.out_channels))
        set_(self, "groups", _positive_int("groups", self.groups))
        rank = rank_of(kernel_size=self.kernel_size, stride=self.stride, dilation=self.dilation,
                       padding=self.padding)
        set_(self, "kernel_size", _positive_ints("kernel_size", self.kernel_size, rank))
        set_(self, "stride", _positive_ints("stride", self.stride, rank))
        set_(self, "dilation", _positive_ints("dilation", self.dilation, rank))
        given = ((0, 0),) * rank if self.padding is None else self.padding
        try:
            if isinstance(given, (int, str)) or len(given) != rank:
                raise ValueError(f"one (before, after) pair per spatial axis, {rank} in all")
            padding = tuple(_pair(f"padding[{axis}]", pair) for axis, pair in enumerate(given))
        except (TypeError, ValueError) as err:
            raise ValueError(
                f"padding={self.padding!r}: must be {CROPS[rank]} ints "
                f"({err})"
            ) from None
        set_(self, "padding", padding)
        if not isinstance(self.bias, bool):
            raise ValueError(f"bias={self.bias!r}: must be True or False")
        for name in ("in_channels", "out_channels"):
            if getattr(self, name) % self.groups:
                raise ValueError(
                    f"{name}={getattr(self, name)} is not divisible by groups={self.groups}: "
                    f"each group takes {name} // groups channels"
                )

    # ----------------------------------------------------------------- shapes
    @property
    def rank(self) -> int:
        """The number of spatial axes: 1, 2 or 3."""
        return len(self.kernel_size)

    @property
    def weight_shape(self) -> tuple[int, ...]:
        """(C_in, C_out // groups, *kernel), PyTorch's layout."""
        return (self.in_channels, self.out_channels // self.groups, *self.kernel_size)

    @property
    def bias_shape(self) -> tuple[int] | None:
        return (self.out_channels,) if self.bias else None

    def full_size(self, spatial: Sequence[int]) -> Ints:
        """The uncropped output size per spatial axis ((L_h, L_w) in 2-D)."""
        return tuple(
            full_length(i, k, s, d)
            for i, k, s, d in zip(spatial, self.kernel_size, self.stride, self.dilation)
        )

    def output_shape(self, input_shape: Sequence[int]) -> tuple[int, ...]:
        """(N, C_out, *spatial out) for a channels-first input shape ((N, C_in,
        H, W) in 2-D); ValueError if none exists."""
        shape = tuple(input_shape)
        axes = AXES[self.rank]
        if len(shape) != self.rank + 2 or not all(isinstance(v, int) and not isinstance(v, bool)
                                                  for v in shape):
            raise ValueError(f"input shape {input_shape!r}: must be {self.rank + 2} ints {LAYOUT[self.rank]}")
        n, c, spatial = shape[0], shape[1], shape[2:]
        if n < 0:
            raise ValueError(f"input shape {shape}: batch N={n} must be >= 0")
        if c != self.in_channels:
            raise ValueError(
                f"input shape {shape}: C_in={c} does not match in_channels={self.in_channels}"
            )
        if min(spatial) < 1:
            raise ValueError(f"input shape {shape}: spatial sizes ({', '.join(axes)})="
                             f"{spatial if self.rank > 1 else spatial[0]} must be >= 1")
        out = []
        for axis, size, (before, after) in zip(axes, self.full_size(spatial), self.padding):
            length = size - before - after
            if length < 1:
                raise ValueError(
                    f"padding={self.padding}: output {axis} = L - before - after = "
                    f"{size} - {before} - {after} = {length}, must be >= 1"
                )
            out.append(length)
        return (n, self.out_channels, *out)

    def check_tensors(self, x_shape, weight_shape, bias_shape=None) -> None:
        """ValueError unless the tensors fit this spec (input, weight, bias)."""
        self.output_shape(tuple(x_shape))
        if tuple(weight_shape) != self.weight_shape:
            kernel = ", ".join(f"k{axis}" for axis in AXES[self.rank])
            raise ValueError(
                f"weight shape {tuple(weight_shape)}: must be (C_in, C_out // groups, {kernel}) = "
                f"{self.weight_shape}"
            )
        expected = self.bias_shape
        got = None if bias_shape is None else tuple(bias_shape)
        if got != expected:
            raise ValueError(f"bias shape {got}: must be {expected} when bias={self.bias}")

    def per_group(self) -> Spec:
        """The groups=1 spec of one group: what a framework without groups is
        called with, once per group (C_in/g -> C_out/g channels)."""
        return dataclasses.replace(self, in_channels=self.in_channels // self.groups,
                                   out_channels=self.out_channels // self.groups, groups=1)

    @property
    def effective_kernel(self) -> Ints:
        """D·(K - 1) + 1 per dimension: the span of one dilated kernel."""
        return tuple(d * (k - 1) + 1 for k, d in zip(self.kernel_size, self.dilation))

    # --------------------------------------------------- native constructors
    @classmethod
    def from_torch(cls, in_channels, out_channels, kernel_size, stride=1, padding=0,
                   output_padding=0, groups=1, bias=True, dilation=1, output_size=None,
                   input_size=None, padding_mode="zeros", rank=None) -> Spec:
        """`torch.nn.ConvTranspose{1,2,3}d` / `F.conv_transpose{1,2,3}d`: crops (p, p - op).

        `rank` is the module's number (1, 2 or 3); by default the length of a
        per-axis argument given as a sequence, else 2 (ConvTranspose2d).
        The defaults are the module's: `bias=True`, as the module has one by
        default (`F.conv_transpose2d`'s bias=None is bias=False).
        `output_size` is the module's `forward(x, output_size=...)` (the
        spatial sizes, or with N and C in front), which needs the input's
        spatial size: each O must lie in [m, m + S - 1], m = (I - 1)·S - 2p +
        D·(K - 1) + 1, and replaces output_padding with O - m. `padding_mode`
        must be 'zeros', the only one the modules support."""
        rank = rank_of(rank, kernel_size=kernel_size, stride=stride, padding=padding,
                       output_padding=output_padding, dilation=dilation, input_size=input_size)
        module = f"ConvTranspose{rank}d"
        if padding_mode != "zeros":
            raise ValueError(f"padding_mode={padding_mode!r}: {module} supports only 'zeros' "
                             f"(PyTorch: 'Only \"zeros\" padding mode is supported for {module}')")
        stride, dilation, kernel = _positive_axes(rank, stride=stride, dilation=dilation,
                                                  kernel_size=kernel_size)
        pad = _ints("padding", padding, rank)
        if min(pad) < 0:
            raise ValueError(f"padding={padding!r}: PyTorch requires padding >= 0")
        if output_size is not None:
            output_padding = cls._torch_output_padding(output_size, input_size, kernel, stride,
                                                       pad, dilation)
        out_pad = _ints("output_padding", output_padding, rank)
        for _, op, s, d in zip(pad, out_pad, stride, dilation):
            if op < 0 or op >= max(s, d):
                raise ValueError(
                    f"output_padding={output_padding!r}: must satisfy "
                    f"0 <= output_padding < max(stride, dilation) = max({s}, {d})"
                )
        crops = tuple((p, p - op) for p, op in zip(pad, out_pad))
        return cls(in_channels, out_channels, kernel, stride, crops, dilation, groups, bias)

    @staticmethod
    def _torch_output_padding(output_size, input_size, kernel, stride, pad, dilation) -> Ints:
        """The output_padding `ConvTranspose{1,2,3}d.forward(x, output_size)` derives."""
        rank = len(kernel)
        counts = f"{rank} or {rank + 2}"
        try:
            sizes = tuple(output_size)
        except TypeError:
            raise ValueError(f"output_size={output_size!r}: must be {counts} ints") from None
        if len(sizes) not in (rank, rank + 2) or not all(isinstance(v, int) for v in sizes):
            axes = ", ".join(AXES[rank])
            raise ValueError(f"output_size={output_size!r}: must be {rank} ints ({axes}) or "
                             f"{rank + 2} (N, C, {axes})")
        inputs = _positive_ints("input_size", input_size, rank)
        lows = tuple((i - 1) * s - 2 * p + d * (k - 1) + 1
                     for i, k, s, p, d in zip(inputs, kernel, stride, pad, dilation))
        highs = tuple(low + s - 1 for low, s in zip(lows, stride))
        sizes = sizes[-rank:]
        if any(not low <= o <= high for o, low, high in zip(sizes, lows, highs)):
            raise ValueError(
                f"output_size={output_size!r}: each size must lie in [m, m + stride - 1], "
                f"m = (I - 1)·S - 2·padding + D·(K - 1) + 1: from {list(lows)} to {list(highs)} "
                f"for an input of {list(inputs)}")
        return tuple(o - low for o, low in zip(sizes, lows))

    @classmethod
    def from_tensorflow(cls, in_channels, out_channels, kernel_size, input_size, output_size,
                        strides=1, padding="VALID", dilations=1, bias=False,
                        data_format=None, rank=None) -> Spec:
        """`tf.nn.conv{1,2,3}d_transpose` (and `tf.nn.conv_transpose`): the
        crops depend on `output_shape` (here its spatial part, `output_size`)
        and the input's spatial size.

        'VALID': O in [L, L + S - 1], crops (0, L - O).
        'SAME': O in [(I-1)·S + 1, I·S], t = max(L - O, 0) // 2, crops (t, L - O - t).
        explicit [[0,0],[a,b],[c,d],[0,0]] (NHWC; NCHW: [[0,0],[0,0],[a,b],[c,d]]):
        crops (a, L - O - a); TensorFlow takes explicit pairs in 2-D only
        (conv1d_transpose and conv3d_transpose document 'SAME' or 'VALID').
        `bias=False` by default: TensorFlow's call has no bias argument; `bias`
        says whether one is added after. `data_format` ('NWC'/'NCW',
        'NHWC'/'NCHW', 'NDHWC'/'NCDHW') is the layout only, and says the rank;
        by default channels last in the rank of a per-axis argument given as a
        sequence (else 2).
        """
        formats = {layout: r for r, pair in TF_LAYOUTS.items() for layout in pair}
        if data_format is not None and data_format not in formats:
            raise ValueError(f"data_format={data_format!r}: must be one of {', '.join(formats)}")
        rank = rank_of(rank, formats.get(data_format, 2), kernel_size=kernel_size, strides=strides,
                       dilations=dilations, input_size=input_size, output_size=output_size)
        if data_format is None:
            data_format = TF_LAYOUTS[rank][0]
        elif formats[data_format] != rank:
            raise ValueError(f"data_format={data_format!r} is {formats[data_format]}-D: the other "
                             f"arguments are {rank}-D")
        kernel, strides, dilations, sizes, outs = _positive_axes(
            rank, kernel_size=kernel_size, strides=strides, dilations=dilations, input_size=input_size,
            output_size=output_size)
        explicit = None
        if isinstance(padding, str):
            mode = padding.upper()
            if mode not in ("SAME", "VALID"):
                raise ValueError(f"padding={padding!r}: must be 'SAME', 'VALID' or explicit pairs")
        else:
            mode = "EXPLICIT"
            if rank != 2:
                raise ValueError(f"padding={padding!r}: tf.nn.conv{rank}d_transpose takes 'SAME' or "
                                 f"'VALID'; explicit pairs are conv2d_transpose's only")
            try:
                rows = [tuple(r) for r in padding]
            except TypeError:
                rows = None
            spatial = (1, 2) if data_format == "NHWC" else (2, 3)
            if rows is None or len(rows) != 4 or any(len(r) != 2 for r in rows) \
                    or any(rows[i] != (0, 0) for i in range(4) if i not in spatial):
                raise ValueError(
                    f"padding={padding!r}: explicit padding must be " + (
                        "[[0,0],[top,bottom],[left,right],[0,0]] (NHWC)" if data_format == "NHWC"
                        else "[[0,0],[0,0],[top,bottom],[left,right]] (NCHW)")
                )
            explicit = (_pair(f"padding[{spatial[0]}]", rows[spatial[0]]),
                        _pair(f"padding[{spatial[1]}]", rows[spatial[1]]))
            if min(min(explicit[0]), min(explicit[1])) < 0:
                raise ValueError(f"padding={padding!r}: explicit amounts must be >= 0")
        crops = []
        for axis in range(rank):
            i, k, s, d, o = sizes[axis], kernel[axis], strides[axis], dilations[axis], outs[axis]
            length = full_length(i, k, s, d)
            low, high = tensorflow_output_range(mode, i, k, s, d, explicit[axis] if explicit else (0, 0))
            if not low <= o <= high:
                raise ValueError(
                    f"output_size={output_size!r}: with padding {mode!r} and input size {i}, "
                    f"kernel {k}, stride {s}, dilation {d}, output size must be in "
                    f"[{low}, {high}], got {o}"
                )
            if mode == "VALID":
                crops.append((0, length - o))
            elif mode == "SAME":
                top = max(length - o, 0) // 2
                crops.append((top, length - o - top))
            else:
                assert explicit is not None   # mode EXPLICIT: checked above
                a = explicit[axis][0]
                crops.append((a, length - o - a))
        return cls(in_channels, out_channels, kernel, strides, tuple(crops), dilations, 1, bias)

    @classmethod
    def from_keras(cls, in_channels, filters, kernel_size, strides=1, padding="valid",
                   output_padding=None, dilation_rate=1, use_bias=True, entry="layer",
                   data_format=None, activation=None, rank=None) -> Spec:
        """`keras.layers.Conv{1,2,3}DTranspose` (entry "layer") or
        `keras.ops.conv_transpose` (entry "ops"), as Keras defines both through
        its JAX conversion (keras/src/backend/common/backend_utils.py). The
        layer rejects strides > 1 with dilation_rate > 1; the op documents no
        such rule, so the conversion defines it there. `use_bias=True` by
        default, as the layer's. `rank` is the layer's (1, 2 or 3); by default
        the length of a per-axis argument given as a sequence, else 2.
        `data_format` is the layout only (the kernel is (*kernel, filters,
        C_in) in both); an `activation` other than None or 'linear' is not a
        transposed convolution: refused."""
        if data_format not in (None, "channels_last", "channels_first"):
            raise ValueError(f"data_format={data_format!r}: must be 'channels_last' or 'channels_first'")
        if activation not in (None, "linear"):
            raise ValueError(f"activation={activation!r}: a Spec is the transposed convolution alone "
                             f"(activation None or 'linear'); apply the activation to its result")
        rank = rank_of(rank, kernel_size=kernel_size, strides=strides, output_padding=output_padding,
                       dilation_rate=dilation_rate)
        kernel, strides, dilation = _positive_axes(rank, kernel_size=kernel_size, strides=strides,
                                                   dilation_rate=dilation_rate)
        mode = padding.lower() if isinstance(padding, str) else padding
        if mode not in ("valid", "same"):
            raise ValueError(f"padding={padding!r}: Keras accepts 'valid' or 'same'")
        out_pads = ((None,) * rank if output_padding is None
                    else _ints("output_padding", output_padding, rank))
        if entry not in ("layer", "ops"):
            raise ValueError(f"entry={entry!r}: must be 'layer' or 'ops'")
        if entry == "layer" and max(strides) > 1 and max(dilation) > 1:
            raise ValueError(
                f"strides={strides}, dilation_rate={dilation}: Keras's Conv{rank}DTranspose rejects "
                f"strides > 1 together with dilation_rate > 1"
            )
        crops = []
        for k, s, d, op in zip(kernel, strides, dilation, out_pads):
            if op is not None and not 0 <= op < s:
                raise ValueError(
                    f"output_padding={output_padding!r}: Keras requires 0 <= output_padding < "
                    f"strides (stride {s})"
                )
            span = d * (k - 1) + 1
            if mode == "valid":
                op = max(span, s) - span if op is None else op
                low, high = span - 1, span - 1 + op
            else:
                total = s + span - 2 if op is None else span + span % 2 - 2 + op
                low = min(total // 2 + total % 2, span - 1)
                high = total - low
            # JAX-style pads (low, high) on the dilated input crop span-1-pad
            crops.append((span - 1 - low, span - 1 - high))
        return cls(in_channels, filters, kernel, strides, tuple(crops), dilation, 1, use_bias)

    @classmethod
    def from_jax(cls, in_channels, out_channels, kernel_size, strides=1, padding="VALID",
                 rhs_dilation=1, bias=False, use_consistent_padding=False,
                 transpose_kernel=True, rank=None) -> Spec:
        """`jax.lax.conv_transpose(..., transpose_kernel=True)`.

        `transpose_kernel` must be True: the spec's weight (C_in, C_out, kH,
        kW) is what JAX reads with transpose_kernel=True (as 'OIHW'); with
        False, rhs is the forward convolution's kernel, which is that weight
        flipped in H and W with its channel axes swapped (the translator reads
        such a call: convt_suite/porting/translate.py). `bias=False` by default: JAX's
        call has no bias argument.

        Explicit pairs (lo, hi) pad the stride-dilated input: crops
        (D·(K-1) - lo, D·(K-1) - hi); with `use_consistent_padding` (JAX >=
        0.7) they are the forward convolution's padding, so they crop (lo, hi)
        as PyTorch's padding does. 'SAME'/'VALID' follow JAX's
        `_conv_transpose_padding` on the dilated kernel span k = D·(K-1)+1.
        JAX has no bias argument; `bias` says whether one is added after.
        `rank` is the number of spatial axes (lax.conv_transpose takes any);
        by default the length of a per-axis argument given as a sequence (the
        explicit pairs count theirs), else 2.
        """
        if transpose_kernel is not True:
            raise ValueError(
                f"transpose_kernel={transpose_kernel!r}: a Spec's weight is the transposed "
                f"convolution's, which lax.conv_transpose reads with transpose_kernel=True; with "
                f"False, pass w = np.transpose(rhs, (1, 0, 2, 3))[:, :, ::-1, ::-1] for an 'OIHW' rhs")
        rank = rank_of(rank, kernel_size=kernel_size, strides=strides, rhs_dilation=rhs_dilation,
                       padding=padding)
        kernel, strides, dilation = _positive_axes(rank, kernel_size=kernel_size, strides=strides,
                                                   rhs_dilation=rhs_dilation)
        if isinstance(padding, str):
            mode = padding.upper()
            if mode not in ("SAME", "VALID"):
                raise ValueError(f"padding={padding!r}: must be 'SAME', 'VALID' or (lo, hi) pairs")
            pads = []
            for k, s, d in zip(kernel, strides, dilation):
                span = d * (k - 1) + 1
                if mode == "SAME":
                    total = span + s - 2
                    low = span - 1 if s > span - 1 else -(-total // 2)
                else:
                    total = span + s - 2 + max(span - s, 0)
                    low = span - 1
                pads.append((low, total - low))
        else:
            try:
                pads = [_pair(f"padding[{i}]", p) for i, p in enumerate(padding)]
            except TypeError:
                pads = []
            if len(pads) != rank:
                raise ValueError(f"padding={padding!r}: must be {'two' if rank == 2 else rank} "
                                 f"(lo, hi) pair{'s' if rank > 1 else ''}")
            if use_consistent_padding:
                pads = [(d * (k - 1) - lo, d * (k - 1) - hi)
                        for (lo, hi), k, d in zip(pads, kernel, dilation)]
        crops = tuple(
            (d * (k - 1) - lo, d * (k - 1) - hi)
            for (lo, hi), k, d in zip(pads, kernel, dilation)
        )
        return cls(in_channels, out_channels, kernel, strides, crops, dilation, 1, bias)

    @classmethod
    def from_onnx(cls, in_channels, out_channels, kernel_shape, input_size, strides=1,
                  pads=None, output_padding=None, dilations=1, group=1, auto_pad=None,
                  output_shape=None, bias=False) -> Spec:
        """ONNX `ConvTranspose`, as its operator specification states it.

        Per axis, L = (I - 1)·S + D·(K - 1) + 1 and op = output_padding:
        - NOTSET (or no auto_pad): `pads` [top, left, bottom, right] (default
          0) crop (begin, end - op); the spec sets no sign on them, so a
          negative pad appends zeros, as the formula says;
        - VALID: no pads, output L + op;
        - SAME_UPPER / SAME_LOWER: output I·S, total padding t = L + op - I·S
          split with the odd one at the end (UPPER) or the beginning (LOWER);
        - `output_shape` O (any auto_pad): pads are ignored, t = L + op - O,
          split as SAME_UPPER for SAME_UPPER and the other way otherwise.
        Halves round down (t // 2), as the spec's executable reading does for
        a negative t. `pads` cannot be given with an auto_pad other than
        NOTSET; output_padding must be below "the corresponding
        stride/dilation", read as PyTorch's max(stride, dilation).
        ONNX has the bias as an optional third input: `bias` says whether it
        is given (False by default, as the input is optional). The rank is
        the kernel_shape's (ONNX's attributes are lists, one entry per spatial
        axis; `pads` has two per axis, all begins then all ends); an int
        kernel_shape is 2-D.
        """
        rank = rank_of(kernel_shape=kernel_shape, input_size=input_size, strides=strides,
                       dilations=dilations)
        kernel, strides, dilations, sizes = _positive_axes(
            rank, kernel_shape=kernel_shape, strides=strides, dilations=dilations, input_size=input_size)
        mode = "NOTSET" if auto_pad is None else auto_pad
        if mode not in ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"):
            raise ValueError(f"auto_pad={auto_pad!r}: must be NOTSET, SAME_UPPER, SAME_LOWER or VALID")
        if pads is not None and mode != "NOTSET":
            raise ValueError(f"pads={list(pads)!r} with auto_pad={mode!r}: the spec says pads "
                             f"cannot be used together with auto_pad")
        if pads is None:
            pads = (0,) * (2 * rank)
        if len(tuple(pads)) != 2 * rank or not all(isinstance(p, int) for p in pads):
            order = {1: "[left, right]", 2: "[top, left, bottom, right]",
                     3: "[front, top, left, back, bottom, right]"}[rank]
            raise ValueError(f"pads={pads!r}: must be {2 * rank} ints {order}")
        begins, ends = pads[:rank], pads[rank:]
        out_pads = (0,) * rank if output_padding is None else _ints("output_padding", output_padding, rank)
        for op, s, d in zip(out_pads, strides, dilations):
            if op < 0 or op >= max(s, d):
                raise ValueError(f"output_padding={list(out_pads)}: must satisfy 0 <= output_padding "
                                 f"< the stride/dilation, read as max(stride, dilation) = max({s}, {d})")
        outs = None if output_shape is None else _positive_ints("output_shape", output_shape, rank)
        crops = []
        for axis in range(rank):
            i, k, s, d, op = sizes[axis], kernel[axis], strides[axis], dilations[axis], out_pads[axis]
            length = full_length(i, k, s, d) + op
            if outs is not None or mode in ("SAME_UPPER", "SAME_LOWER"):
                total = length - (outs[axis] if outs is not None else i * s)
                begin = total // 2 if mode == "SAME_UPPER" else total - total // 2
                end = total - begin
            elif mode == "VALID":
                begin, end = 0, 0
            else:
                begin, end = begins[axis], ends[axis]
            crops.append((begin, end - op))
        return cls(in_channels, out_channels, kernel, strides, tuple(crops), dilations, group, bias)

    # ------------------------------------------------------------- display
    def describe(self) -> str:
        """A short human summary for test ids, logs and the report."""
        def by(values) -> str:
            return "x".join(str(v) for v in values)

        parts = [
            f"{self.in_channels}->{self.out_channels}",
            f"k={by(self.kernel_size)}",
            f"s={by(self.stride)}",
        ]
        if max(self.dilation) > 1:
            parts.append(f"d={by(self.dilation)}")
        if self.groups > 1:
            parts.append(f"g={self.groups}")
        parts.append("crop=" + ",".join(f"({before},{after})" for before, after in self.padding))
        parts.append("bias" if self.bias else "nobias")
        return " ".join(parts)

    def to_dict(self) -> dict:
        return {
            "in_channels": self.in_channels,
            "out_channels": self.out_channels,
            "kernel_size": list(self.kernel_size),
            "stride": list(self.stride),
            "padding": [list(p) for p in self.padding],
            "dilation": list(self.dilation),
            "groups": self.groups,
            "bias": self.bias,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Spec:
        return cls(
            data["in_channels"], data["out_channels"], tuple(data["kernel_size"]),
            tuple(data["stride"]), tuple(tuple(p) for p in data["padding"]),
            tuple(data["dilation"]), data["groups"], data["bias"],
        )


def accumulation_length(spec: Spec) -> int:
    """K = (C_in / groups) · kH · kW (the kernel's every axis): the most
    products one output element sums."""
    return spec.in_channels // spec.groups * math.prod(spec.kernel_size)
