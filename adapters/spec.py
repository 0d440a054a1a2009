"""The one NCHW contract every adapter implements: `Spec`.

A transposed convolution is fixed by its channels, groups, kernel, stride,
dilation, bias flag and the *crops* taken off each side of the full output.
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


def _pair(name: str, value) -> Pair:
    """An int or a pair of ints, as the frameworks accept, made a pair."""
    if isinstance(value, bool):
        raise ValueError(f"{name}={value!r}: must be an int or a pair of ints, not a bool")
    if isinstance(value, int):
        return (value, value)
    try:
        items = tuple(value)
    except TypeError:
        raise ValueError(f"{name}={value!r}: must be an int or a pair of ints") from None
    if len(items) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in items):
        raise ValueError(f"{name}={value!r}: must be an int or a pair of ints (height, width)")
    return cast(Pair, items)


def _positive_pair(name: str, value) -> Pair:
    pair = _pair(name, value)
    if min(pair) < 1:
        raise ValueError(f"{name}={value!r}: every entry must be >= 1")
    return pair


def _positive_int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name}={value!r}: must be an int")
    if value < 1:
        raise ValueError(f"{name}={value!r}: must be >= 1")
    return value


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
    """A transposed 2-D convolution in canonical NCHW terms (see module doc)."""

    in_channels: int
    out_channels: int
    kernel_size: Pair
    stride: Pair = (1, 1)
    padding: tuple[Pair, Pair] = ((0, 0), (0, 0))
    dilation: Pair = (1, 1)
    groups: int = 1
    bias: bool = True

    if TYPE_CHECKING:
        # what the constructor accepts: an int for a square pair, any pair-like
        # sequence (a list read from JSON); __post_init__ stores tuples
        def __init__(self, in_channels: int, out_channels: int, kernel_size: int | Sequence[int],
                     stride: int | Sequence[int] = (1, 1),
                     padding: Sequence[int | Sequence[int]] = ((0, 0), (0, 0)),
                     dilation: int | Sequence[int] = (1, 1), groups: int = 1, bias: bool = True) -> None: ...

    def __post_init__(self):
        set_ = object.__setattr__  # frozen: normalise through the back door once
        set_(self, "in_channels", _positive_int("in_channels", self.in_channels))
        set_(self, "out_channels", _positive_int("out_channels", self.out_channels))
        set_(self, "groups", _positive_int("groups", self.groups))
        set_(self, "kernel_size", _positive_pair("kernel_size", self.kernel_size))
        set_(self, "stride", _positive_pair("stride", self.stride))
        set_(self, "dilation", _positive_pair("dilation", self.dilation))
        try:
            rows, cols = self.padding
            padding = (_pair("padding[0]", rows), _pair("padding[1]", cols))
        except (TypeError, ValueError) as err:
            raise ValueError(
                f"padding={self.padding!r}: must be ((top, bottom), (left, right)) ints "
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
    def weight_shape(self) -> tuple[int, int, int, int]:
        """(C_in, C_out // groups, kH, kW), PyTorch's layout."""
        return (self.in_channels, self.out_channels // self.groups, *self.kernel_size)

    @property
    def bias_shape(self) -> tuple[int] | None:
        return (self.out_channels,) if self.bias else None

    def full_size(self, spatial: Sequence[int]) -> Pair:
        """The uncropped output size (L_h, L_w) for an input of size (H, W)."""
        return cast(Pair, tuple(
            full_length(i, k, s, d)
            for i, k, s, d in zip(spatial, self.kernel_size, self.stride, self.dilation)
        ))

    def output_shape(self, input_shape: Sequence[int]) -> tuple[int, int, int, int]:
        """(N, C_out, H_out, W_out) for an NCHW input shape; ValueError if none exists."""
        shape = tuple(input_shape)
        if len(shape) != 4 or not all(isinstance(v, int) and not isinstance(v, bool) for v in shape):
            raise ValueError(f"input shape {input_shape!r}: must be 4 ints (N, C_in, H, W)")
        n, c, h, w = shape
        if n < 0:
            raise ValueError(f"input shape {shape}: batch N={n} must be >= 0")
        if c != self.in_channels:
            raise ValueError(
                f"input shape {shape}: C_in={c} does not match in_channels={self.in_channels}"
            )
        if min(h, w) < 1:
            raise ValueError(f"input shape {shape}: spatial sizes (H, W)=({h}, {w}) must be >= 1")
        out = []
        for axis, size, (before, after) in zip(("H", "W"), self.full_size((h, w)), self.padding):
            length = size - before - after
            if length < 1:
                raise ValueError(
                    f"padding={self.padding}: output {axis} = L - before - after = "
                    f"{size} - {before} - {after} = {length}, must be >= 1"
                )
            out.append(length)
        return (n, self.out_channels, out[0], out[1])

    def check_tensors(self, x_shape, weight_shape, bias_shape=None) -> None:
        """ValueError unless the tensors fit this spec (input, weight, bias)."""
        self.output_shape(tuple(x_shape))
        if tuple(weight_shape) != self.weight_shape:
            raise ValueError(
                f"weight shape {tuple(weight_shape)}: must be (C_in, C_out // groups, kH, kW) = "
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
    def effective_kernel(self) -> Pair:
        """D·(K - 1) + 1 per dimension: the span of one dilated kernel."""
        return cast(Pair, tuple(d * (k - 1) + 1 for k, d in zip(self.kernel_size, self.dilation)))

    # --------------------------------------------------- native constructors
    @classmethod
    def from_torch(cls, in_channels, out_channels, kernel_size, stride=1, padding=0,
                   output_padding=0, groups=1, bias=True, dilation=1, output_size=None,
                   input_size=None, padding_mode="zeros") -> Spec:
        """`torch.nn.ConvTranspose2d` / `F.conv_transpose2d`: crops (p, p - op).

        The defaults are the module's: `bias=True`, as `nn.ConvTranspose2d`
        has one by default (`F.conv_transpose2d`'s bias=None is bias=False).
        `output_size` is the module's `forward(x, output_size=...)` (2 sizes, or
        4 with N and C), which needs the input's spatial size: each O must lie in
        [m, m + S - 1], m = (I - 1)·S - 2p + D·(K - 1) + 1, and replaces
        output_padding with O - m. `padding_mode` must be 'zeros', the only
        one ConvTranspose2d supports."""
        if padding_mode != "zeros":
            raise ValueError(f"padding_mode={padding_mode!r}: ConvTranspose2d supports only 'zeros' "
                             f"(PyTorch: 'Only \"zeros\" padding mode is supported for ConvTranspose2d')")
        stride = _positive_pair("stride", stride)
        dilation = _positive_pair("dilation", dilation)
        kernel = _positive_pair("kernel_size", kernel_size)
        pad = _pair("padding", padding)
        if min(pad) < 0:
            raise ValueError(f"padding={padding!r}: PyTorch requires padding >= 0")
        if output_size is not None:
            output_padding = cls._torch_output_padding(output_size, input_size, kernel, stride,
                                                       pad, dilation)
        out_pad = _pair("output_padding", output_padding)
        for _, op, s, d in zip(pad, out_pad, stride, dilation):
            if op < 0 or op >= max(s, d):
                raise ValueError(
                    f"output_padding={output_padding!r}: must satisfy "
                    f"0 <= output_padding < max(stride, dilation) = max({s}, {d})"
                )
        crops = tuple((p, p - op) for p, op in zip(pad, out_pad))
        return cls(in_channels, out_channels, kernel, stride, crops, dilation, groups, bias)

    @staticmethod
    def _torch_output_padding(output_size, input_size, kernel, stride, pad, dilation) -> Pair:
        """The output_padding `ConvTranspose2d.forward(x, output_size)` derives."""
        try:
            sizes = tuple(output_size)
        except TypeError:
            raise ValueError(f"output_size={output_size!r}: must be 2 or 4 ints") from None
        if len(sizes) not in (2, 4) or not all(isinstance(v, int) for v in sizes):
            raise ValueError(f"output_size={output_size!r}: must be 2 ints (H, W) or 4 (N, C, H, W)")
        inputs = _positive_pair("input_size", input_size)
        lows = tuple((i - 1) * s - 2 * p + d * (k - 1) + 1
                     for i, k, s, p, d in zip(inputs, kernel, stride, pad, dilation))
        highs = tuple(low + s - 1 for low, s in zip(lows, stride))
        sizes = sizes[-2:]
        if any(not low <= o <= high for o, low, high in zip(sizes, lows, highs)):
            raise ValueError(
                f"output_size={output_size!r}: each size must lie in [m, m + stride - 1], "
                f"m = (I - 1)·S - 2·padding + D·(K - 1) + 1: from {list(lows)} to {list(highs)} "
                f"for an input of {list(inputs)}")
        return tuple(o - low for o, low in zip(sizes, lows))

    @classmethod
    def from_tensorflow(cls, in_channels, out_channels, kernel_size, input_size, output_size,
                        strides=1, padding="VALID", dilations=1, bias=False,
                        data_format="NHWC") -> Spec:
        """`tf.nn.conv2d_transpose`: the crops depend on `output_shape` (here
        its spatial part, `output_size`) and the input's spatial size.

        'VALID': O in [L, L + S - 1], crops (0, L - O).
        'SAME': O in [(I-1)·S + 1, I·S], t = max(L - O, 0) // 2, crops (t, L - O - t).
        explicit [[0,0],[a,b],[c,d],[0,0]] (NHWC; NCHW: [[0,0],[0,0],[a,b],[c,d]]):
        crops (a, L - O - a).
        `bias=False` by default: TensorFlow's call has no bias argument; `bias`
        says whether one is added after. `data_format` ('NHWC' or 'NCHW') is
        the layout only: it places the explicit pairs.
        """
        if data_format not in ("NHWC", "NCHW"):
            raise ValueError(f"data_format={data_format!r}: must be 'NHWC' or 'NCHW'")
        kernel = _positive_pair("kernel_size", kernel_size)
        strides = _positive_pair("strides", strides)
        dilations = _positive_pair("dilations", dilations)
        sizes = _positive_pair("input_size", input_size)
        outs = _positive_pair("output_size", output_size)
        explicit = None
        if isinstance(padding, str):
            mode = padding.upper()
            if mode not in ("SAME", "VALID"):
                raise ValueError(f"padding={padding!r}: must be 'SAME', 'VALID' or explicit pairs")
        else:
            mode = "EXPLICIT"
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
        for axis in range(2):
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
                   data_format=None, activation=None) -> Spec:
        """`keras.layers.Conv2DTranspose` (entry "layer") or
        `keras.ops.conv_transpose` (entry "ops"), as Keras defines both through
        its JAX conversion (keras/src/backend/common/backend_utils.py). The
        layer rejects strides > 1 with dilation_rate > 1; the op documents no
        such rule, so the conversion defines it there. `use_bias=True` by
        default, as the layer's. `data_format` is the layout only (the kernel
        is (kH, kW, filters, C_in) in both); an `activation` other than
        None or 'linear' is not a transposed convolution: refused."""
        if data_format not in (None, "channels_last", "channels_first"):
            raise ValueError(f"data_format={data_format!r}: must be 'channels_last' or 'channels_first'")
        if activation not in (None, "linear"):
            raise ValueError(f"activation={activation!r}: a Spec is the transposed convolution alone "
                             f"(activation None or 'linear'); apply the activation to its result")
        kernel = _positive_pair("kernel_size", kernel_size)
        strides = _positive_pair("strides", strides)
        dilation = _positive_pair("dilation_rate", dilation_rate)
        mode = padding.lower() if isinstance(padding, str) else padding
        if mode not in ("valid", "same"):
            raise ValueError(f"padding={padding!r}: Keras accepts 'valid' or 'same'")
        out_pads = (None, None) if output_padding is None else _pair("output_padding", output_padding)
        if entry not in ("layer", "ops"):
            raise ValueError(f"entry={entry!r}: must be 'layer' or 'ops'")
        if entry == "layer" and max(strides) > 1 and max(dilation) > 1:
            raise ValueError(
                f"strides={strides}, dilation_rate={dilation}: Keras's Conv2DTranspose rejects "
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
                 transpose_kernel=True) -> Spec:
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
        """
        if transpose_kernel is not True:
            raise ValueError(
                f"transpose_kernel={transpose_kernel!r}: a Spec's weight is the transposed "
                f"convolution's, which lax.conv_transpose reads with transpose_kernel=True; with "
                f"False, pass w = np.transpose(rhs, (1, 0, 2, 3))[:, :, ::-1, ::-1] for an 'OIHW' rhs")
        kernel = _positive_pair("kernel_size", kernel_size)
        strides = _positive_pair("strides", strides)
        dilation = _positive_pair("rhs_dilation", rhs_dilation)
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
            if len(pads) != 2:
                raise ValueError(f"padding={padding!r}: must be two (lo, hi) pairs")
            if use_consistent_padding:
                pads = [(d * (k - 1) - lo, d * (k - 1) - hi)
                        for (lo, hi), k, d in zip(pads, kernel, dilation)]
        crops = tuple(
            (d * (k - 1) - lo, d * (k - 1) - hi)
            for (lo, hi), k, d in zip(pads, kernel, dilation)
        )
        return cls(in_channels, out_channels, kernel, strides, crops, dilation, 1, bias)

    @classmethod
    def from_onnx(cls, in_channels, out_channels, kernel_shape, input_size, strides=(1, 1),
                  pads=None, output_padding=None, dilations=(1, 1), group=1, auto_pad=None,
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
        is given (False by default, as the input is optional).
        """
        kernel = _positive_pair("kernel_shape", kernel_shape)
        strides = _positive_pair("strides", strides)
        dilations = _positive_pair("dilations", dilations)
        sizes = _positive_pair("input_size", input_size)
        mode = "NOTSET" if auto_pad is None else auto_pad
        if mode not in ("NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"):
            raise ValueError(f"auto_pad={auto_pad!r}: must be NOTSET, SAME_UPPER, SAME_LOWER or VALID")
        if pads is not None and mode != "NOTSET":
            raise ValueError(f"pads={list(pads)!r} with auto_pad={mode!r}: the spec says pads "
                             f"cannot be used together with auto_pad")
        if pads is None:
            pads = (0, 0, 0, 0)
        if len(tuple(pads)) != 4 or not all(isinstance(p, int) for p in pads):
            raise ValueError(f"pads={pads!r}: must be 4 ints [top, left, bottom, right]")
        begins, ends = pads[:2], pads[2:]
        out_pads = (0, 0) if output_padding is None else _pair("output_padding", output_padding)
        for op, s, d in zip(out_pads, strides, dilations):
            if op < 0 or op >= max(s, d):
                raise ValueError(f"output_padding={list(out_pads)}: must satisfy 0 <= output_padding "
                                 f"< the stride/dilation, read as max(stride, dilation) = max({s}, {d})")
        outs = None if output_shape is None else _positive_pair("output_shape", output_shape)
        crops = []
        for axis in range(2):
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
        (t, b), (l, r) = self.padding
        parts = [
            f"{self.in_channels}->{self.out_channels}",
            f"k={self.kernel_size[0]}x{self.kernel_size[1]}",
            f"s={self.stride[0]}x{self.stride[1]}",
        ]
        if self.dilation != (1, 1):
            parts.append(f"d={self.dilation[0]}x{self.dilation[1]}")
        if self.groups > 1:
            parts.append(f"g={self.groups}")
        parts.append(f"crop=({t},{b}),({l},{r})")
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
    """K = (C_in / groups) · kH · kW: the most products one output element sums."""
    return spec.in_channels // spec.groups * math.prod(spec.kernel_size)
