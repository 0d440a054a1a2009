"""The generic matchers: named conditions on a check record that more than
one finding could use (a dilation, an empty batch, NaN spreading...), which
a finding's finding.toml names under [explains] matchers (every one must
hold), and the helpers its own match.py builds on (the convolution an
adapter called, the ONNX attributes' per-axis facts...). A condition one
finding's investigation found belongs in that finding's match.py; a new
generic one here comes with a record it accepts and a near miss it rejects
(tests/test_matchers.py).

Each matcher takes a check record (what compare.py writes: adapter, kind,
dtype, case, failure, error, native, plan, expected_shape...) and answers
whether the condition holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from convt_suite.adapters.spec import full_length
from convt_suite.core.native import TRANSLATE, NativeCase, base_kind
from convt_suite.core.records import plan_of, record_rank
from convt_suite.host import cpu

MATCHERS: dict[str, Callable[[dict], bool]] = {}


def matcher(function: Callable[[dict], bool]) -> Callable[[dict], bool]:
    MATCHERS[function.__name__] = function
    return function


@matcher
def dilated(record: dict) -> bool:
    """Some axis has a dilation above 1."""
    return max(record["case"]["spec"]["dilation"]) > 1


def isa(record: dict) -> str | None:
    """The oneDNN level the check ran at: the record's, else this machine's."""
    return record["onednn_isa"] if "onednn_isa" in record else cpu.onednn_isa()


@matcher
def grouped(record: dict) -> bool:
    """The spec has groups > 1."""
    return record["case"]["spec"]["groups"] > 1


@matcher
def empty_batch(record: dict) -> bool:
    return record["case"]["input_shape"][0] == 0


@matcher
def scaled(record: dict) -> bool:
    """The special-values sweep's overflow cases (x and w scaled up)."""
    return record["case"].get("scale", 1.0) != 1.0


@matcher
def composed_dilation(record: dict) -> bool:
    """The adapter composed the dilation (a zero-dilated kernel, its plan says)."""
    return bool(plan_of(record).get("dilated_kernel"))


@matcher
def only_spurious_nonfinite(record: dict) -> bool:
    """The check failed only by non-finite values where the definition has
    finite ones (and, where it has non-finite ones, perhaps others: an
    overflow's infinity of the other sign): nothing non-finite missing, every
    finite element in the bound."""
    return (record.get("failure") == "values"
            and record.get("unexpected_inf", 0) + record.get("unexpected_nan", 0) > 0
            and record.get("missing_nonfinite", 1) == 0
            and record.get("finite_error_over_bound", float("inf")) <= 1.0)


@matcher
def nan_spreads(record: dict) -> bool:
    return (bool(record["case"].get("specials")) and record.get("unexpected_inf", 1) == 0
            and record.get("wrong_nonfinite", 0) == 0 and only_spurious_nonfinite(record))


def finite_values_off(record: dict) -> bool:
    """Finite values beyond the bound, and non-finite disagreements only where
    the inputs hold NaN or inf or are scaled to overflow (16-bit partial sums
    then overflow where the exact result does not); a spurious NaN or infinity
    from plain inputs is not a precision finding's."""
    if record.get("finite_error_over_bound", record.get("max_error_over_bound", 0.0)) <= 1:
        return False
    nonfinite = sum(record.get(k, 0) for k in ("unexpected_inf", "unexpected_nan", "missing_nonfinite",
                                                "wrong_nonfinite"))
    case = record.get("case") or {}
    return not nonfinite or bool(case.get("specials")) or case.get("scale", 1.0) != 1.0


def weight_channel_outputs(record: dict, weight_indices) -> int:
    """How many outputs the output channels of these weight taps (flat
    indices) hold: the weight is (in, out / groups, *kernel), the output
    (N, out, *spatial)."""
    spec = record["case"]["spec"]
    shape = record.get("expected_shape") or []
    if not weight_indices or len(shape) < 3:
        return 0
    per_group_in = spec["in_channels"] // spec["groups"]
    per_group_out = spec["out_channels"] // spec["groups"]
    taps = math.prod(spec["kernel_size"])
    channels = {(index // (per_group_out * taps)) // per_group_in * per_group_out + (index // taps) % per_group_out
                for index in weight_indices}
    return shape[0] * math.prod(shape[2:]) * len(channels)


def effective(spec: dict, axis: int) -> int:
    return spec["dilation"][axis] * (spec["kernel_size"][axis] - 1) + 1


def only_failed(record: dict, gradient: str) -> bool:
    """Of a vjp's gradients, `gradient` alone failed."""
    others = [g for name, g in (record.get("gradients") or {}).items() if name != gradient]
    return record.get("failed_gradient") == gradient and not any(g.get("failure") for g in others)


def only_grad_x_failed(record: dict) -> bool:
    return only_failed(record, "grad_x")


@matcher
def only_grad_bias_failed(record: dict) -> bool:
    """Of a vjp's gradients, grad_bias alone failed (grad_x and grad_weight
    passed): the bias add's gradient, a sum over batch and positions."""
    return base_kind(record) == "vjp" and only_failed(record, "grad_bias")


def conv_crops(record: dict, spec: dict) -> tuple | None:
    """The crops per axis ((H), (W) in 2-D) of the groups=1 oneDNN call the adapter made, as
    its plan states them, or None where that call is not oneDNN's strided one
    or the plan does not say: torch with groups > 1 in float32 (oneDNN's grouped
    float32 kernels are exact, its bfloat16 ones are not); the tensorflow adapter only with 'VALID' or 'SAME' (an
    explicit padding list runs TF's own kernel). Keras's torch backend always
    asks torch for the full output (padding 0) and slices or zero-pads it
    afterwards."""
    plan = plan_of(record)
    crops = plan.get("call_crops")
    if record["adapter"] == "keras[torch]":
        return ((0, 0),) * len(spec["kernel_size"])
    if crops is None:
        return None
    if record["adapter"] == "tensorflow" and not isinstance((plan.get("call") or {}).get("padding"), str):
        return None
    if (not record["adapter"].startswith(("tensorflow", "keras")) and spec["groups"] != 1
            and record.get("dtype") != "bfloat16"):
        return None
    return tuple(tuple(pair) for pair in crops)


@matcher
def onednn_strided_deconv_nan_spread(record: dict) -> bool:
    """A NaN/inf weight tap (..., a), stride_w >= 2, dilation_w 1 on the last
    axis (W), a groups=1 call whose output width is not a whole number of
    strides (else oneDNN picks brg_deconv, which is exact; the other axes do
    not matter), and some output position p, computed by the call and
    returned by the adapter, with p = a (mod stride_w) whose input index
    (p - a) / stride_w lies outside the input, at positions of the other axes
    (H; D and H) the tap reaches: there brgconv_strided multiplies padding by
    the tap. In every rank (a 1-D call is a 2-D one of height 1)."""
    if record.get("dtype") not in ("float32", "bfloat16") or not nan_spreads(record):
        return False
    spec, shape = record["case"]["spec"], record["case"]["input_shape"]
    s, width = spec["stride"][-1], shape[-1]
    if spec["dilation"][-1] != 1 or s < 2:
        return False
    call = conv_crops(record, spec)
    if call is None:
        return False
    full = [full_length(size, kernel, stride, d) for size, kernel, stride, d in zip(
        shape[2:], spec["kernel_size"], spec["stride"], spec["dilation"])]
    if (full[-1] - sum(call[-1])) % s == 0:
        return False
    # per axis, the full coordinates both the call computed and the adapter returned
    spans = [range(max(b, cb), length - max(a, ca)) for (b, a), (cb, ca), length
             in zip(spec["padding"], call, full)]
    kernel = spec["kernel_size"]
    taps = {tuple(int(t) for t in np.unravel_index(index % math.prod(kernel), kernel))
            for tensor, index, _ in record["case"]["specials"] if tensor == "weight"}

    def reached(axis: int, tap: int) -> bool:   # some position of this axis the tap reaches
        stride, d, size = spec["stride"][axis], spec["dilation"][axis], shape[2 + axis]
        return any((h - tap * d) % stride == 0 and 0 <= (h - tap * d) // stride < size for h in spans[axis])

    return any(all(reached(axis, tap[axis]) for axis in range(len(kernel) - 1))
               and any((p - tap[-1]) % s == 0 and not 0 <= (p - tap[-1]) // s < width for p in spans[-1])
               for tap in taps)


def called_padding(record: dict) -> str:
    """The padding mode the check called, in capitals ('SAME', 'VALID', or a
    list's text): the native call's as drawn, else the adapter's own call as
    its plan states it (TF's and Keras's 'SAME' decides their kernels' pads)."""
    native = record.get("native")
    padding = native.get("padding") if native else (plan_of(record).get("call") or {}).get("padding")
    return str(padding).upper()


def called_crops(record: dict) -> list[tuple[int, int]]:
    """Per axis, the crops (before, after) the framework's own call performed:
    a native call's (its spec's), else the adapter's plan's `call_crops` (what
    the adapter clipped and composed around is not TF's), else, for a record
    without them, the spec's. TF differentiates a 'SAME' call to convolutions
    padded by exactly these: before + after = (L - 1)·s + k - O in total, of
    which TF puts (before + after) // 2 in front."""
    case = record["case"]
    crops = None if record.get("native") or "language" in case else plan_of(record).get("call_crops")
    return [(before, after) for before, after in (crops or case["spec"]["padding"])]


def called_output(record: dict) -> list[int]:
    """Per axis, the output length the framework's own call computed (the
    upstream gradient's, which grad_x's convolution reads): (L - 1)·s + k for
    the effective kernel k, less the call's crops."""
    spec, size = record["case"]["spec"], record["case"]["input_shape"][2:]
    return [(length - 1) * s + effective(spec, axis) - before - after for axis, (length, s, (before, after))
            in enumerate(zip(size, spec["stride"], called_crops(record)))]


# ------------------------------------------------- native calls (native.py)
def native_case(record: dict):
    case = record.get("case") or {}
    return NativeCase.from_dict(case) if "language" in case else None


def native_lengths(record: dict):
    """Per axis, L - before - after for a native record's parameters (the
    definition's output length, which may be 0 or less), or None where the
    parameters themselves are invalid."""
    case = native_case(record)
    if case is None:
        return None
    try:
        spec = TRANSLATE[case.language](case.call, case.input_size)
    except ValueError:
        return None
    return [length - before - after
            for length, (before, after) in zip(spec.full_size(case.input_size), spec.padding)]


@matcher
def no_output_returned_empty(record: dict) -> bool:
    """Some axis has no output (its length is 0 or less) and the framework
    returned a tensor of length 0 there and the right length elsewhere."""
    lengths, actual = native_lengths(record), record.get("actual_shape")
    return (lengths is not None and actual is not None and min(lengths) <= 0
            and list(actual[2:]) == [max(length, 0) for length in lengths])


@matcher
def output_length_exactly_zero(record: dict) -> bool:
    """No axis is shorter than 0, and some is exactly 0."""
    lengths = native_lengths(record)
    return lengths is not None and min(lengths) == 0


def torch_rules_unchecked(record: dict, rules: tuple[str, ...]) -> bool:
    """PyTorch parameters that break only the rules named (the refusal
    `Spec.from_torch` gives starts with the parameter), and the output those
    parameters give taken as they are."""
    case = native_case(record)
    if case is None or not case.language.startswith("torch"):
        return False
    if not str(record.get("expected_refusal", "")).startswith(rules):
        return False
    native = case.normalized()
    lengths = [full_length(i, k, s, d) - 2 * p + op for i, k, s, d, p, op in zip(
        native["input_size"], native["kernel"], native["stride"], native["dilation"],
        native["padding"], native["output_padding"])]
    if native.get("output_size") is not None:   # forward(x, output_size): PyTorch's range, p as given
        asked = list(native["output_size"])
        if not all(low - op <= o <= low - op + s - 1
                   for o, low, op, s in zip(asked, lengths, native["output_padding"], native["stride"])):
            return False
        lengths = asked
    return min(lengths) >= 0 and list(record.get("actual_shape") or [])[2:] == lengths


@matcher
def torch_output_padding_unchecked(record: dict) -> bool:
    """PyTorch parameters that break only output_padding < max(stride,
    dilation), and the output the over-large output_padding gives."""
    return torch_rules_unchecked(record, ("output_padding=",))


@matcher
def output_has_an_empty_axis(record: dict) -> bool:
    """The output computed has a spatial axis of length 0 (and a batch)."""
    actual = record.get("actual_shape") or []
    return len(actual) > 2 and actual[0] > 0 and 0 in actual[2:]


@matcher
def keras_ops_entry(record: dict) -> bool:
    """A Keras native call through keras.ops.conv_transpose (not the layer)."""
    return (record.get("native") or {}).get("entry") == "ops" and \
        (record.get("native") or {}).get("language") == "keras"


@matcher
def keras_same_asymmetric(record: dict) -> bool:
    """A Keras native call with padding='same' whose window is asymmetric on
    some axis: its crops of the full output (Keras's own, as Spec.from_keras
    reads them) differ before and after, which PyTorch's symmetric padding
    and right-hand output_padding cannot say directly."""
    native = record.get("native") or {}
    return (native.get("language") == "keras" and native.get("padding") == "same"
            and any(before != after for before, after in record["case"]["spec"]["padding"]))


@matcher
def within_float32_bound(record: dict) -> bool:
    """A float64 result off by no more than float32 would be: error / bound
    at most u32 / u64 = 2^29 (computed, or its inputs rounded, in float32)."""
    ratio = record.get("max_error_over_bound")
    return (record.get("dtype") == "float64" and isinstance(ratio, (int, float))
            and 1.0 < ratio <= 2.0 ** 29)


# ---------------------------------------------- ONNX ConvTranspose attributes
def tensorflow_axes(record: dict) -> list[dict]:
    """Per spatial axis of the TensorFlow call the check converted (the native
    call, else the adapter's own call as its plan states it): the input I, the
    output_shape O, the full length L = (I - 1)·S + (K - 1)·D + 1, the total
    padding t = L - O that tf2onnx derives from output_shape alone, and TF's
    explicit pair (None where the call says 'SAME' or 'VALID'); [] where the
    record states no TensorFlow call."""
    native = record.get("native")
    if native:
        if native.get("language") != "tensorflow":
            return []
        sizes, outs = native.get("input_size"), native.get("output_size")
        kernel, stride, dilation = native.get("kernel"), native.get("stride"), native.get("dilation")
        pairs = native.get("explicit") if native.get("padding") == "EXPLICIT" else None
    else:
        call = plan_of(record).get("call") or {}
        sizes, outs = ((record.get("case") or {}).get("input_shape") or [])[2:], call.get("output_shape")
        kernel, stride, dilation = call.get("kernel_size"), call.get("strides"), call.get("dilations")
        padding = call.get("padding")
        pairs = None if isinstance(padding, str) else (padding or [])[1:-1]   # NHWC rows: the spatial ones
    if not (sizes and outs and kernel and stride and dilation):
        return []
    axes = []
    for n, (i, o, k, s, d) in enumerate(zip(sizes, outs, kernel, stride, dilation)):
        length = full_length(i, k, s, d)
        axes.append({"i": i, "o": o, "length": length, "total": length - o,
                     "pair": None if pairs is None else tuple(pairs[n]) if n < len(pairs) else None})
    return axes


def onnx_axes(record: dict) -> list[dict]:
    """Per axis of an ONNX native call (none for another language): I, S, D,
    output_padding, the full length L, output_shape's O (or None) and the
    total padding t = L + op - O the spec derives from O or from SAME's I·S
    (None where the pads are explicit)."""
    native = record.get("native") or {}
    if native.get("language") != "onnx":
        return []
    mode, outs = native.get("padding"), native.get("output_size")
    rank = len(native["input_size"])
    ops = native.get("output_padding") or [0] * rank
    axes = []
    for a in range(rank):
        i, s, d = native["input_size"][a], native["stride"][a], native["dilation"][a]
        length = full_length(i, native["kernel"][a], s, d)
        target = outs[a] if outs else i * s if mode in ("SAME_UPPER", "SAME_LOWER") else None
        axes.append({"i": i, "s": s, "d": d, "op": ops[a], "length": length,
                     "out": outs[a] if outs else None,
                     "total": None if target is None else length + ops[a] - target})
    return axes


@matcher
def onnx_negative_total_padding(record: dict) -> bool:
    """An ONNX call with an axis whose total padding, derived from
    output_shape or SAME (onnx_axes), is negative: the output must be
    extended where the split puts it (runtimes that clamp it at 0 do not)."""
    return any(a["total"] is not None and a["total"] < 0 for a in onnx_axes(record))


def _per_axis(value, rank: int) -> list[int]:
    if value is None:
        return [0] * rank
    return [int(value)] * rank if isinstance(value, int) else [int(v) for v in value]


def onnx_node(record: dict) -> dict | None:
    """The ConvTranspose node a check ran, per axis: the native call's
    attributes, else the node the ONNX adapters build for a spec (its pads and
    output_padding as the plan states them); pads flat in ONNX's order (every
    begin, then every end; None where not given). None where the record
    states no ONNX node."""
    rank = record_rank(record)
    native, case = record.get("native"), record.get("case") or {}
    if native:
        if native.get("language") != "onnx":
            return None
        explicit = native.get("explicit")
        return {"size": list(native["input_size"]), "kernel": _per_axis(native["kernel"], rank),
                "strides": _per_axis(native["stride"], rank), "dilations": _per_axis(native.get("dilation"), rank),
                "group": native.get("groups") or 1, "output_padding": _per_axis(native.get("output_padding"), rank),
                "pads": None if explicit is None else [p[0] for p in explicit] + [p[1] for p in explicit],
                "auto_pad": native.get("padding"), "output_shape": native.get("output_size")}
    spec, call = case.get("spec"), plan_of(record).get("call") or {}
    if not spec or "pads" not in call:
        return None
    return {"size": list(case["input_shape"][2:]), "kernel": list(spec["kernel_size"]),
            "strides": list(spec["stride"]), "dilations": list(spec["dilation"]), "group": spec["groups"],
            "output_padding": _per_axis(call.get("output_padding"), rank),
            "pads": [p[0] for p in call["pads"]] + [p[1] for p in call["pads"]],
            "auto_pad": None, "output_shape": None}


def onnx2keras_pads_output(node: dict) -> list[int] | None:
    """The 2-D spatial output onnx2keras's pads rule gives (auto_pad unread):
    the full output, cropped by (top, top) and (left, left) where the top pad
    is positive (None where uneven pads then fail its assert)."""
    full = [full_length(i, k, s, 1) for i, k, s in zip(node["size"], node["kernel"], node["strides"])]
    pads = node["pads"] or [0, 0, 0, 0]
    if pads[0] <= 0:
        return full
    if pads[2] != pads[0] or pads[3] != pads[1]:
        return None
    return [full[0] - 2 * pads[0], full[1] - 2 * pads[1]]
