"""Pitfalls: the naive mappings that porting guides, converters and forum
answers state, each run over a grid of layers and measured: where it holds,
where it breaks, and how (shape, shift, values, refusal).

A pitfall maps a source layer (a native case, in one framework's words) to
what its rule writes in the target framework (a native case there), plus the
array steps the rule adds around that call: pad the input, crop or pad the
output, copy the kernel unflipped. Both sides go through `Spec.from_<framework>`
(the frameworks' semantics, proven against them by the native sweeps; the
pitfalls' tests also run each pitfall's examples in the real frameworks) and
the float64 oracle, on the same random tensors. So a rule is judged by what
the frameworks compute, never by what its author meant.

Each rule is measured in every rank (1-D, 2-D, 3-D: the same rule on
ConvTranspose1d/3d, Conv1DTranspose/3DTranspose, conv1d/3d_transpose), over
each rank's grid: a guide's rule is stated for 2-D and ported to the others
as it is, and a converter's code meets every rank its users have.

Bias is added after the rule's array steps (a converter that pads the output
before its bias add gets the benefit of the doubt).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from convt_suite.adapters import oracle
from convt_suite.adapters.spec import AXES as AXES_BY_RANK
from convt_suite.adapters.spec import RANKS, Spec, _ints
from convt_suite.core.cases import Case
from convt_suite.core.native import NativeCase

NO_PADS = ()   # no array step: (before, after) per axis where there is one
OUTCOMES = ("holds", "shift", "shape", "values", "refused", "unsupported")
# wrong: a result, silently not the source's; refused: the target framework or
# the converter raises (loud, so the user knows)
WRONG = ("shift", "shape", "values")
REFUSED = ("refused", "unsupported")


class Unsupported(Exception):
    """The converter itself refuses the layer (its own words)."""


@dataclass(frozen=True)
class Naive:
    """What a rule writes for one source layer: the target call (a native
    case's parameters) and the array steps around it."""
    language: str
    params: dict
    pad_input: tuple = NO_PADS      # zeros added to x before the call, per axis (before, after)
    crop_output: tuple = NO_PADS    # crops after the call, per axis; negative appends zeros
    flip_kernel: bool = False       # the kernel copied without its spatial flip
    steps: str = ""                 # those steps in words, as the rule does them


@dataclass(frozen=True)
class Pitfall:
    id: str
    title: str
    rule: str                       # the mapping in words
    source: str                     # the source layer's native language
    target: str                     # the framework the rule writes for
    cited: tuple[str, ...]          # where the rule is stated or used
    naive: Callable                 # (source call, input size) -> Naive | None (rule not for it)


# ------------------------------------------------------------- the rules
def _axes(call, name, size):
    """The call's `name`, one int per axis of the input's rank (len(size))."""
    return _ints(name, call[name], len(size))


def _geometry(call) -> dict:
    return {key: call[key] for key in ("in_channels", "out_channels", "kernel", "stride", "dilation")}


def _keras(call, padding, output_padding) -> dict:
    return {**_geometry(call), "padding": padding, "output_padding": output_padding,
            "bias": False, "entry": "layer"}


def _torch(call, padding, output_padding) -> dict:
    return {**_geometry(call), "padding": padding, "output_padding": output_padding,
            "groups": call.get("groups", 1), "bias": False}


def pad_input_by_p(call, size):
    """torch `padding=p` read as zeros added around the input, then no padding."""
    pads = tuple((p, p) for p in _axes(call, "padding", size))
    return Naive("torch.nn", _torch(call, 0, call["output_padding"]), pad_input=pads,
                 steps=f"x zero-padded by {pads}")


def same_for_half_kernel(call, size):
    """torch padding=(k-1)//2, output_padding=s-1 read as Keras 'same'."""
    kernel, stride = _axes(call, "kernel", size), _axes(call, "stride", size)
    if (_axes(call, "padding", size) != tuple((k - 1) // 2 for k in kernel)
            or _axes(call, "output_padding", size) != tuple(s - 1 for s in stride)):
        return None
    return Naive("keras", _keras(call, "same", None))


def keras_torch_arguments(call, size):
    """Keras's own conversion of Conv2DTranspose arguments to torch's, per
    axis (keras/src/backend/common/backend_utils.py,
    _convert_conv_transpose_padding_args_from_keras_to_torch, the same in
    Keras 3.14 and 3.15.1), clamp included: its torch backend's
    conv_transpose through 3.14. tests/test_pitfalls.py holds this copy to
    Keras's function."""
    pads, out_pads = [], []
    given = call["output_padding"]
    for axis, (k, s, d) in enumerate(zip(_axes(call, "kernel", size), _axes(call, "stride", size),
                                         _axes(call, "dilation", size))):
        op = None if given is None else _axes(call, "output_padding", size)[axis]
        p, op = keras_to_torch_axis(k, s, d, call["padding"], op)
        pads.append(p)
        out_pads.append(op)
    return Naive("torch.nn", {**_torch(call, tuple(pads), tuple(out_pads)), "groups": 1})


def keras_to_torch_axis(kernel, stride, dilation, padding, output_padding):
    span = (kernel - 1) * dilation + 1
    if padding.lower() == "valid":
        op = max(span, stride) - span if output_padding is None else output_padding
        torch_pad, torch_op = 0, op
    else:
        op = stride - span % 2 if output_padding is None else output_padding
        torch_pad = max(-((span % 2 - span + op) // 2), 0)
        torch_op = 2 * torch_pad + span % 2 - span + op
    if torch_op >= stride:   # Keras warns and clamps
        torch_op = stride - 1
    return torch_pad, torch_op


def _only_unpadded(call, size):
    return set(_axes(call, "padding", size)) == {0} and set(_axes(call, "output_padding", size)) == {0}


def valid_fills_to_stride(call, size):
    """torch padding=0, output_padding=0 read as Keras 'valid' (output_padding None)."""
    return Naive("keras", _keras(call, "valid", None)) if _only_unpadded(call, size) else None


def same_for_unpadded(call, size):
    """torch padding=0 read as Keras 'same' (a blog's ConvTranspose2d(k=3, s=2, p=0))."""
    return Naive("keras", _keras(call, "same", None)) if _only_unpadded(call, size) else None


def onnx2keras(call, size):
    """onnx2keras: Conv2DTranspose('valid', output_padding=0), then
    Cropping2D(pads[:2]) only if the height's pad is > 0; raises for groups,
    a height dilation > 1, or output_padding > 0 (its code's order); a 3-D
    weight (5 axes) raises NotImplementedError, a 1-D one (3 axes)
    AttributeError (convert_convtranspose's first branches)."""
    if len(size) == 3:
        raise Unsupported("NotImplementedError: Not implemented (a 5-D ConvTranspose weight)")
    if len(size) == 1:
        raise Unsupported("AttributeError: Layer is not supported for now (a 3-D ConvTranspose weight)")
    dilation = _axes(call, "dilation", size)
    if call.get("groups", 1) > 1:
        raise Unsupported("Cannot convert ConvTranspose2d with groups != 1")
    if dilation[0] > 1:
        raise Unsupported("Cannot convert ConvTranspose2d with dilation_rate != 1")
    if max(_axes(call, "output_padding", size)) > 0:
        raise Unsupported("Cannot convert ConvTranspose2d with output_padding != 0")
    # it passes dilation_rate=dilations[0] for both axes
    params = {**_keras(call, "valid", 0), "dilation": (dilation[0], dilation[0])}
    pad_h, pad_w = _axes(call, "padding", size)
    crops = ((pad_h, pad_h), (pad_w, pad_w)) if pad_h > 0 else NO_PADS
    return Naive("keras", params, crop_output=crops,
                 steps=f"Cropping2D({(pad_h, pad_w)})" if pad_h > 0 else "no Cropping2D (pads[0] == 0)")


def output_padding_as_zeros(call, size):
    """torch output_padding read as zeros appended to the output's end."""
    extra = _axes(call, "output_padding", size)
    return Naive("torch.nn", _torch(call, call["padding"], 0),
                 crop_output=tuple((0, -op) for op in extra),
                 steps=f"output zero-padded at the end by {extra}")


def _torch_spec(call, size) -> Spec:
    """What the torch source layer computes (its call is valid: the grid keeps only those)."""
    return NativeCase("torch.nn", tuple(call.items()), (1, call["in_channels"], *size), 0).spec()


def same_for_any_padding(call, size):
    """Nonzero pads read as TF 'SAME', given the source's output shape."""
    if max(_axes(call, "padding", size)) == 0:
        return None
    output = _torch_spec(call, size).output_shape((1, call["in_channels"], *size))[2:]
    return Naive("tensorflow", {**_geometry(call), "padding": "SAME", "bias": False,
                                "entry": f"conv{len(size)}d_transpose", "output_size": tuple(output)})


def _jax_padding(call, size):
    from convt_suite.adapters.jax import native_padding

    return native_padding(_torch_spec(call, size))


def flax_unflipped_kernel(call, size):
    """torch weights copied into flax ConvTranspose (transpose_kernel=False) as
    w.transpose(2, 3, 0, 1): the padding right, the kernel not flipped."""
    if call.get("groups", 1) > 1:
        return None
    return Naive("jax", {**_geometry(call), "padding": _jax_padding(call, size), "bias": False,
                         "pairs_as": "tuples"}, flip_kernel=True,
                 steps="kernel not flipped (transpose_kernel=False)")


def lax_padding_is_p(call, size):
    """torch padding=p passed to lax.conv_transpose as [(p, p), (p, p)]."""
    if call.get("groups", 1) > 1:
        return None
    pads = tuple((p, p) for p in _axes(call, "padding", size))
    return Naive("jax", {**_geometry(call), "padding": pads, "bias": False, "pairs_as": "tuples",
                         "use_consistent_padding": False})


PITFALLS = (
    Pitfall("pad-input-by-p", "torch padding as input padding",
            "ConvTranspose2d(padding=p) ported as zero-padding of the input by p, then a "
            "transposed convolution without padding",
            "torch.nn", "PyTorch",
            ("github.com/Samsung/TICO/issues/420 ('ConvTranspose2d padding was treated as input "
             "padding')", "github.com/gmalivenko/pytorch2keras/issues/7",
             "mlverse/torch (R) docs: padding is 'implicit paddings on both sides of the input'"),
            pad_input_by_p),
    Pitfall("same-for-half-kernel", "padding=(k-1)//2, output_padding=s-1 is 'same'",
            "ConvTranspose2d(k, s, padding=(k-1)//2, output_padding=s-1) ported as "
            "Conv2DTranspose(k, s, padding='same')",
            "torch.nn", "Keras",
            ("blog.csdn.net/langtaosha1996/article/details/106847003",
             "github.com/keras-team/keras/pull/22876 (Keras's torch backend: 'values shifted by "
             "one pixel for padding=same with strides > 1 on odd kernels')"),
            same_for_half_kernel),
    Pitfall("keras-torch-arguments", "Keras's own Keras-to-torch argument conversion",
            "Conv2DTranspose(padding, output_padding) converted to torch (padding, output_padding) "
            "by Keras's rule, which clamps output_padding to stride - 1 with only a warning",
            "keras", "PyTorch",
            ("keras/src/backend/common/backend_utils.py, "
             "_convert_conv_transpose_padding_args_from_keras_to_torch: Keras's torch backend "
             "through 3.14 (keras/src/backend/torch/nn.py conv_transpose); 3.15 crops instead "
             "(github.com/keras-team/keras/pull/22876)",
             "github.com/keras-team/keras/issues/20949", "github.com/keras-team/keras/pull/21852"),
            keras_torch_arguments),
    Pitfall("valid-fills-to-stride", "padding=0 is 'valid'",
            "ConvTranspose2d(k, s) (no padding) ported as Conv2DTranspose(k, s, padding='valid') "
            "with output_padding left None",
            "torch.nn", "Keras",
            ("github.com/samuela/torch2jax/pull/3 (works around Keras's (i-1)*s + max(k, s))",),
            valid_fills_to_stride),
    Pitfall("same-for-unpadded", "padding=0 is 'same'",
            "ConvTranspose2d(k, s, padding=0) ported as Conv2DTranspose(k, s, padding='same')",
            "torch.nn", "Keras",
            ("gpu-blog-data/how-can-i-transfer-deconvolution-weights-from-a.md "
             "(Alejogb1/job-board): ConvTranspose2d(k=3, s=2, p=0) as padding='same'",),
            same_for_unpadded),
    Pitfall("onnx2keras-crop", "onnx2keras: 'valid' then Cropping2D(pads[:2]) if pads[0] > 0",
            "ConvTranspose (from torch, pads p) converted to Conv2DTranspose('valid', "
            "dilation_rate=dilations[0]) and Cropping2D(pads[:2]) only when the height's pad is "
            "positive",
            "torch.nn", "Keras",
            ("github.com/gmalivenko/onnx2keras onnx2keras/convolution_layers.py "
             "(convert_convtranspose)",),
            onnx2keras),
    Pitfall("output-padding-as-zeros", "output_padding appends zeros",
            "ConvTranspose2d(output_padding=op) ported as the layer without output_padding, "
            "then op zeros appended at the output's end",
            "torch.nn", "PyTorch",
            ("github.com/dmlc/nnvm/pull/217", "github.com/llvm/torch-mlir/pull/2026",
             "github.com/apple/coreai-torch/issues/57"),
            output_padding_as_zeros),
    Pitfall("same-for-any-padding", "nonzero pads are 'SAME' (with the output shape)",
            "ConvTranspose with pads p > 0 converted to tf.nn.conv2d_transpose(padding='SAME') "
            "with the source's output shape",
            "torch.nn", "TensorFlow",
            ("github.com/PINTO0309/onnx2tf/issues/56: onnx2tf used 'SAME' for pads > 0 until "
             "PR 68 (VALID and a slice). This is the rule in its plain form; the layer #56 "
             "reports, ConvTranspose2d(3, 64, 3, stride=3, padding=1) on 224x224, holds under it: "
             "PR 68 blames the output shape onnx2tf passed",),
            same_for_any_padding),
    Pitfall("flax-unflipped-kernel", "torch weights copied into flax unflipped",
            "ConvTranspose2d's weight copied into flax.linen.ConvTranspose (transpose_kernel="
            "False) as w.transpose(2, 3, 0, 1), with the right padding",
            "torch.nn", "JAX",
            ("flax docs/guides/convert_pytorch_to_flax.rst ('torch.nn.ConvTranspose2d and "
             "nn.ConvTranspose are not compatible')", "github.com/google/flax/issues/3137"),
            flax_unflipped_kernel),
    Pitfall("lax-padding-is-p", "lax.conv_transpose padding=[(p, p)]",
            "ConvTranspose2d(padding=p) ported as jax.lax.conv_transpose(padding=[(p, p), (p, p)]) "
            "(JAX's meaning before use_consistent_padding)",
            "torch.nn", "JAX",
            ("github.com/jax-ml/jax/issues/32267, fixed by PR 32268 (use_consistent_padding)",),
            lax_padding_is_p),
)
BY_ID = {p.id: p for p in PITFALLS}


# -------------------------------------------------------------- the grid
AXES = dict(kernel=(1, 2, 3, 4, 5), stride=(1, 2, 3, 4), dilation=(1, 2), padding=(0, 1, 2, 3),
            output_padding=(0, 1, 2, 3), input=(1, 2, 3, 5))
# 3-D: the same rules on a smaller grid (a 3-D layer's every axis alike or one
# axis apart costs the oracle a cube; the report says which grid)
AXES_3D = dict(kernel=(1, 2, 3, 4), stride=(1, 2, 3), dilation=(1, 2), padding=(0, 1, 2),
               output_padding=(0, 1, 2), input=(1, 2, 3))
CHANNELS = (2, 3)   # in, out: unequal, so that a swapped channel axis cannot pass


def _axis_grid(rank: int = 2):
    """Per-axis (kernel, stride, dilation, padding, output_padding, input)."""
    return itertools.product(*(AXES_3D if rank == 3 else AXES).values())


def _layers(rank: int):
    """Each per-axis layer on every axis alike and, in 2-D and 3-D, for each
    padded or dilated one, the same with the leading axes plain (padding 0,
    dilation 1): the asymmetric cases some converters read one axis of."""
    for k, s, d, p, op, i in _axis_grid(rank):
        axis = (k, s, d, p, op, i)
        yield (axis,) * rank
        if rank > 1 and (p or d > 1 or op):
            yield ((k, s, 1, 0, 0, i),) * (rank - 1) + (axis,)


def torch_grid(rank: int = 2) -> list[NativeCase]:
    """Layers with every axis alike and, for each padded or dilated one, the
    same with the leading axes plain."""
    cases: list = []
    for axes in _layers(rank):
        kernel, stride, dilation, padding, output_padding, sizes = zip(*axes)
        call = {"in_channels": CHANNELS[0], "out_channels": CHANNELS[1],
                "kernel": kernel, "stride": stride, "padding": padding,
                "output_padding": output_padding, "groups": 1, "bias": True, "dilation": dilation}
        cases.append(NativeCase("torch.nn", tuple(call.items()), (1, CHANNELS[0], *sizes), len(cases)))
    return cases


def keras_grid(rank: int = 2) -> list[NativeCase]:
    axes = AXES_3D if rank == 3 else AXES
    cases: list[NativeCase] = []
    for (k, s, d, i), mode in itertools.product(
            itertools.product(axes["kernel"], axes["stride"], axes["dilation"], axes["input"]),
            ("valid", "same")):
        for op in (None, *range(s)):
            call = {"in_channels": CHANNELS[0], "out_channels": CHANNELS[1], "kernel": (k,) * rank,
                    "stride": (s,) * rank, "padding": mode,
                    "output_padding": None if op is None else (op,) * rank,
                    "dilation": (d,) * rank, "bias": True, "entry": "layer"}
            cases.append(NativeCase("keras", tuple(call.items()), (1, CHANNELS[0], *(i,) * rank), len(cases)))
    return cases


GRIDS = {"torch.nn": torch_grid, "keras": keras_grid}


# ------------------------------------------------------------ measuring
@dataclass
class Sources:
    """Each grid's valid layers with their spec and true output, made once."""
    cases: dict = field(default_factory=dict)

    def of(self, language, rank: int = 2):
        if (language, rank) not in self.cases:
            made = []
            for case in GRIDS[language](rank):
                spec, _ = case.expectation()
                if spec is None:   # the source framework refuses it: not a layer to port
                    continue
                x, w, b = Case(spec, case.input_shape, case.seed).tensors("float64")
                made.append((case, spec, (x, w, b), oracle.conv_transpose(x, w, b, spec)))
            self.cases[language, rank] = made
        return self.cases[language, rank]


def run_naive(naive: Naive, tensors, input_shape, seed: int, forward=None):
    """The rule's pipeline on the source's tensors: (the target's native case,
    its output, None) or (the case, None, why it refused). `forward(x, w, b,
    case)` runs the target call: the oracle on the target's spec by default,
    a framework's `native_forward` when replayed."""
    x, w, b = tensors
    rank = len(input_shape) - 2
    pads = naive.pad_input or ((0, 0),) * rank
    shape = (*input_shape[:2], *(size + before + after for size, (before, after) in zip(input_shape[2:], pads)))
    target = NativeCase(naive.language, tuple(naive.params.items()), shape, seed)
    x = np.pad(x, ((0, 0), (0, 0), *pads))
    w = np.ascontiguousarray(w[(..., *(slice(None, None, -1),) * rank)]) if naive.flip_kernel else w
    if forward is None:
        target_spec, refusal = target.expectation()
        if target_spec is None:
            return target, None, refusal
        out = oracle.conv_transpose(x, w, None, target_spec)
    else:
        try:
            out = np.asarray(forward(x, w, None, target), dtype=np.float64)
        except Exception as err:   # the framework refused it
            return target, None, f"{type(err).__name__}: {err}"
    if naive.crop_output:
        out = oracle.crop(out, naive.crop_output)
    if b is not None:
        out = out + np.asarray(b, dtype=np.float64).reshape((1, -1) + (1,) * rank)
    return target, out, None


def compare(got, truth) -> dict:
    """holds, shift (same shape, the truth moved), shape (with where the truth
    sits inside, if it does) or values, with the size of the difference
    relative to the truth's largest value."""
    scale = max(float(np.abs(truth).max(initial=0.0)), 1e-300)
    tolerance = 1e-9 * scale   # float64 arithmetic, summed in another order
    if got.shape != truth.shape:
        delta = tuple(int(g - t) for g, t in zip(got.shape[2:], truth.shape[2:]))
        return {"outcome": "shape", "delta": delta, "offset": _offset(got, truth, tolerance)}
    error = float(np.abs(got - truth).max(initial=0.0))
    if error <= tolerance:
        return {"outcome": "holds"}
    shift = _shift(got, truth, tolerance)
    outcome = {"outcome": "values"} if shift is None else {"outcome": "shift", "shift": shift}
    return {**outcome, "relative_error": error / scale}


def _close(a, b, tolerance) -> bool:
    return a.size > 0 and float(np.abs(a - b).max()) <= tolerance


def _shift(got, truth, tolerance, most: int = 3):
    """The smallest move, one int per axis ((dy, dx) in 2-D), with
    got[y + dy, x + dx] == truth[y, x] wherever both exist (more than half of
    each axis, and not constant there), or None."""
    sizes = truth.shape[2:]
    rank = len(sizes)
    moves = sorted((m for m in itertools.product(range(-most, most + 1), repeat=rank) if any(m)),
                   key=lambda m: (sum(map(abs, m)), m))
    for move in moves:
        if any(2 * (n - abs(d)) <= n for n, d in zip(sizes, move)):
            continue
        g = got[(..., *(slice(max(d, 0), n + min(d, 0)) for n, d in zip(sizes, move)))]
        t = truth[(..., *(slice(max(-d, 0), n + min(-d, 0)) for n, d in zip(sizes, move)))]
        # a constant overlap (zeros and bias) matches any shift: not evidence of one
        # (asked only of a match: most moves do not match, and this is the dearer test)
        if _close(g, t, tolerance) and _varies(t, tolerance):
            return move
    return None


def _varies(t, tolerance) -> bool:
    spatial = tuple(range(2, t.ndim))
    return float(np.abs(t - t.mean(axis=spatial, keepdims=True)).max(initial=0.0)) > tolerance


def _offset(got, truth, tolerance):
    """Where the smaller of the two sits inside the larger, one int per axis
    ((dy, dx) in 2-D) of the truth in got (negative: got inside the truth), or None."""
    if all(g >= t for g, t in zip(got.shape[2:], truth.shape[2:])):
        big, small, sign = got, truth, 1
    elif all(g <= t for g, t in zip(got.shape[2:], truth.shape[2:])):
        big, small, sign = truth, got, -1
    else:
        return None
    sizes = small.shape[2:]
    for at in itertools.product(*(range(b - n + 1) for b, n in zip(big.shape[2:], sizes))):
        if _close(big[(..., *(slice(a, a + n) for a, n in zip(at, sizes)))], small, tolerance):
            return tuple(sign * a for a in at)
    return None


def features(case: NativeCase, spec: Spec) -> list[str]:
    """What a layer is, in the words its outcome rates are given by."""
    call = case.normalized()
    kernel, stride, dilation = spec.kernel_size, spec.stride, spec.dilation
    spans = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    parity = {k % 2 for k in kernel}
    names = ["kernel 1" if max(kernel) == 1 else
             {frozenset({1}): "odd kernel > 1", frozenset({0}): "even kernel"}.get(
                 frozenset(parity), "odd and even kernel"),
             "stride 1" if max(stride) == 1 else "stride > 1",
             "dilation 1" if max(dilation) == 1 else "dilation > 1",
             "stride > dilated kernel" if any(s > k for s, k in zip(stride, spans))
             else "stride <= dilated kernel",
             "input 1" if min(case.input_size) == 1 else "input > 1",
             "axes alike" if len(set(zip(kernel, stride, dilation, *zip(*spec.padding)))) == 1
             else "axes differ"]
    padding, out_pad = call.get("padding"), call.get("output_padding")
    if isinstance(padding, str):
        names.append(f"padding '{padding}'")
    else:
        assert padding is not None   # every grid's call names its padding
        names.append("padding 0" if max(padding) == 0 else "padding > 0")
    names.append("output_padding None" if out_pad is None
                 else "output_padding 0" if max(out_pad) == 0 else "output_padding > 0")
    return names


def judge(pitfall: Pitfall, case: NativeCase, tensors=None, truth=None):
    """(the outcome, the rule's Naive, the target's native case) for one
    source layer, or None where the rule is not for it."""
    if tensors is None:
        spec = case.spec()
        tensors = Case(spec, case.input_shape, case.seed).tensors("float64")
        x, weight, bias = tensors
        truth = oracle.conv_transpose(x, weight, bias, spec)
    try:
        naive = pitfall.naive(case.call, case.input_size)
    except Unsupported as err:
        return {"outcome": "unsupported", "reason": str(err)}, None, None
    if naive is None:
        return None
    target, got, refusal = run_naive(naive, tensors, case.input_shape, case.seed)
    result = {"outcome": "refused", "reason": refusal} if got is None else compare(got, truth)
    return result, naive, target


def measure(pitfall: Pitfall, sources: Sources | None = None, rank: int = 2) -> dict:
    """The pitfall over its source grid in `rank`: outcome counts, the rates
    per feature, and the first example of each outcome."""
    sources = sources or Sources()
    counts: Counter = Counter()
    shifts: Counter = Counter()
    deltas: Counter = Counter()
    by_feature: dict = {}
    examples, worst = {}, 0.0
    for case, spec, tensors, truth in sources.of(pitfall.source, rank):
        judged = judge(pitfall, case, tensors, truth)
        if judged is None:   # not a layer the rule is for
            continue
        result, naive, target = judged
        outcome = result["outcome"]
        counts[outcome] += 1
        if outcome == "shift":
            shifts[str(tuple(result["shift"]))] += 1
        if outcome == "shape":
            deltas[str(tuple(result["delta"]))] += 1
        worst = max(worst, result.get("relative_error", 0.0))
        for name in features(case, spec):
            row = by_feature.setdefault(name, Counter())
            row["cases"] += 1
            row["wrong"] += outcome in WRONG
            row["refused"] += outcome in REFUSED
        if outcome not in examples:
            examples[outcome] = _example(pitfall, case, spec, naive, target, result)
    total = sum(counts.values())
    return {"type": "pitfall", "id": pitfall.id, "rank": rank, "title": pitfall.title, "rule": pitfall.rule,
            "source": pitfall.source, "target": pitfall.target, "cited": list(pitfall.cited),
            "cases": total, "outcomes": {o: counts[o] for o in OUTCOMES if counts[o]},
            "wrong": sum(counts[o] for o in WRONG), "refused": sum(counts[o] for o in REFUSED),
            "shifts": dict(shifts.most_common()), "shape_deltas": dict(deltas.most_common()),
            "worst_relative_error": worst,
            "features": [{"feature": name, **row} for name, row in sorted(by_feature.items())],
            "examples": [examples[o] for o in OUTCOMES if o in examples]}


def _example(pitfall, case, spec, naive, target, result) -> dict:
    example = {"pitfall": pitfall.id, "source": case.code(), "input_shape": list(case.input_shape),
               "source_case": case.to_dict(), "spec": spec.describe(), **result}
    if target is not None:
        example.update(naive=target.code(), naive_case=target.to_dict(), steps=naive.steps)
    for key in ("delta", "offset", "shift"):
        if example.get(key) is not None:
            example[key] = list(example[key])
    return example


def measure_all(ids=None, ranks=RANKS) -> list[dict]:
    """Each pitfall (of `ids`: default all) in each of `ranks`, by rank."""
    sources = Sources()
    return [measure(p, sources, rank) for rank in sorted(ranks) for p in PITFALLS if ids is None or p.id in ids]


# ------------------------------------------------------- in the frameworks
def example_cases(results: list[dict], language: str) -> list[NativeCase]:
    """The native calls of every example in `language`'s words: the layers
    as written and the rules' target calls. A framework that computes each
    as its spec says (check_native) computes each example's outcome as
    measured: the rest of a rule is array steps."""
    found: dict = {}
    for result in results:
        for example in result["examples"]:
            for key in ("source_case", "naive_case"):
                data = example.get(key)
                if data and data["language"] == language:
                    case = NativeCase.from_dict(data)
                    found.setdefault(case, None)
    return list(found)


def same_case(a: dict, b: dict) -> bool:
    return all(a.get(k) == b.get(k) for k in ("language", "params", "input_shape", "seed"))


# ------------------------------------------------------------- display
def always(result: dict) -> tuple[list[str], list[str]]:
    """The features under which the rule always holds, and always gives a
    wrong result."""
    rows = result["features"]
    holds = [r["feature"] for r in rows if r["wrong"] == r["refused"] == 0]
    wrong = [r["feature"] for r in rows if r["wrong"] == r["cases"]]
    return holds, wrong


def describe(result: dict) -> str:
    """One line: how often the rule is silently wrong, how often refused."""
    if not result["cases"]:
        return "no layer of the grid is one the rule is for"
    n = result["cases"]
    parts = [f"{result['outcomes'].get(o, 0)} {o}" for o in WRONG if result["outcomes"].get(o)]
    text = f"wrong on {result['wrong']} of {n} layers ({result['wrong'] / n:.0%})"
    if parts:
        text += f": {', '.join(parts)}"
    if result["refused"]:
        text += f"; refused on {result['refused']} ({result['refused'] / n:.0%})"
    return text + f"; holds on {result['outcomes'].get('holds', 0)}"


def top(counts: dict, most: int = 6) -> str:
    items = list(counts.items())
    text = ", ".join(f"{key} x{n}" for key, n in items[:most])
    return text + (f", {len(items) - most} more" if len(items) > most else "")


# a move and a shape's difference, per axis, as the rank names them
MOVES = {1: "dx", 2: "dy, dx", 3: "dz, dy, dx"}
DELTAS = {rank: ", ".join(f"d{axis}" for axis in axes) for rank, axes in AXES_BY_RANK.items()}


def render(results: list[dict]) -> str:
    """The measurements as text (`convt-suite pitfalls`)."""
    lines = []
    for result in results:
        holds, wrong = always(result)
        rank = result.get("rank", 2)
        lines += [f"== {result['id']}, {rank}-D: {result['title']} ({result['source']} -> {result['target']})",
                  f"   rule: {result['rule']}",
                  f"   {describe(result)}"]
        if result["shifts"]:
            lines.append(f"   shifted by ({MOVES[rank]}): {top(result['shifts'])}")
        if result["shape_deltas"]:
            lines.append(f"   shape off by ({DELTAS[rank]}): {top(result['shape_deltas'])}")
        if result["worst_relative_error"]:
            lines.append(f"   worst error, same shape: {result['worst_relative_error']:.3g}"
                         " x the output's largest value")
        if holds:
            lines.append(f"   always holds for: {', '.join(holds)}")
        if wrong:
            lines.append(f"   always wrong for: {', '.join(wrong)}")
        for example in result["examples"]:
            if example["outcome"] == "holds":
                continue
            detail = {k: example[k] for k in ("delta", "offset", "shift", "relative_error", "reason")
                      if example.get(k) is not None}
            lines.append(f"   e.g. {example['outcome']}: {example['source']} on "
                         f"{'x'.join(map(str, example['input_shape'][2:]))} -> "
                         f"{example.get('naive', '(the converter refuses)')} "
                         f"{example.get('steps') or ''} {detail}".rstrip())
        lines.append(f"   cited: {'; '.join(result['cited'])}")
        lines.append("")
    return "\n".join(lines)
