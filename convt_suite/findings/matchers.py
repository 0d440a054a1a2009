"""The closed set of named matchers that say which failed checks a known
finding explains (convt_suite/findings/known/<id>.toml names them under
[explains] matchers; every one must hold). A finding file cannot add code:
a new kind of condition is a new matcher here, with a test that it rejects
a near miss (tests/test_matchers.py).

Each takes a check record (what compare.py writes: adapter, kind, dtype,
case, failure, error, native, plan, expected_shape...) and answers whether
the condition holds. They are the conditions each finding's investigation
found, no wider.
"""

from __future__ import annotations

from collections.abc import Callable

from convt_suite.adapters.keras import native_params as keras_native_params
from convt_suite.adapters.spec import Spec, full_length, tensorflow_output_range
from convt_suite.adapters.tensorflow import plan_call as tf_plan_call
from convt_suite.adapters.torch import native_params as torch_native_params
from convt_suite.core.native import TRANSLATE, NativeCase, base_kind
from convt_suite.host import cpu

MATCHERS: dict[str, Callable[[dict], bool]] = {}


def matcher(function: Callable[[dict], bool]) -> Callable[[dict], bool]:
    MATCHERS[function.__name__] = function
    return function


@matcher
def dilated(record: dict) -> bool:
    """Some axis has a dilation above 1."""
    return max(record["case"]["spec"]["dilation"]) > 1


def _isa(record: dict) -> str | None:
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
    """The tensorflow adapter composed the dilation (a zero-dilated kernel)."""
    return "dilated with zeros" in str(record.get("plan"))


@matcher
def keras_same_zero_output_padding_even_kernel(record: dict) -> bool:
    """Some axis has an even dilated kernel span and the crops of Keras's
    'same' with output_padding 0 there: (span / 2, span / 2)."""
    spec = record["case"]["spec"]
    for k, d, crops in zip(spec["kernel_size"], spec["dilation"], spec["padding"]):
        span = d * (k - 1) + 1
        if span % 2 == 0 and list(crops) == [span // 2, span // 2]:
            return True
    return False


@matcher
def tensorflow_short_output_for_single_input(record: dict) -> bool:
    """Every axis in TF's documented range, or (input size 1) up to S - 1 below it."""
    native = record.get("native") or {}
    if native.get("padding") == "SAME" or "output_size" not in native:
        return False
    pads = native.get("explicit") or ((0, 0), (0, 0))
    short = False
    for axis in range(2):
        i, o, s = native["input_size"][axis], native["output_size"][axis], native["stride"][axis]
        low, high = tensorflow_output_range("VALID", i, native["kernel"][axis], s,
                                            native["dilation"][axis], pads[axis])
        if low <= o <= high:
            continue
        if i == 1 and low - s < o < low:
            short = True
            continue
        return False
    return short


@matcher
def only_spurious_nonfinite(record: dict) -> bool:
    """The check failed only by non-finite values where the definition has
    finite ones: nothing non-finite missing, every finite element in the bound."""
    return (record.get("failure") == "values"
            and record.get("unexpected_inf", 0) + record.get("unexpected_nan", 0) > 0
            and record.get("missing_nonfinite", 1) == 0
            and record.get("finite_error_over_bound", float("inf")) <= 1.0)


@matcher
def nan_spreads(record: dict) -> bool:
    return (bool(record["case"].get("specials")) and record.get("unexpected_inf", 1) == 0
            and only_spurious_nonfinite(record))


def _effective(spec: dict, axis: int) -> int:
    return spec["dilation"][axis] * (spec["kernel_size"][axis] - 1) + 1


@matcher
def tensorflow_onednn_width_one_grad_x(record: dict) -> bool:
    """The conditions the investigation found (each needed; see the detail)."""
    spec, (n, _, h, w) = record["case"]["spec"], record["case"]["input_shape"]
    return (record.get("kind") == "vjp" and record.get("failed_gradient") == "grad_x"
            and record.get("dtype") in ("float32", "bfloat16")
            and w == 1 and h >= 2 and spec["stride"][0] == 1 and spec["stride"][1] >= 2
            and spec["out_channels"] // spec["groups"] == 1 and _effective(spec, 1) >= 2
            and (n >= 2 or record["dtype"] == "bfloat16"))


def _only_grad_x_failed(record: dict) -> bool:
    others = [g for name, g in (record.get("gradients") or {}).items() if name != "grad_x"]
    return record.get("failed_gradient") == "grad_x" and not any(g.get("failure") for g in others)


def _grad_weight_values_failed(record: dict) -> bool:
    grad_weight = (record.get("gradients") or {}).get("grad_weight") or {}
    return record.get("failure") == "values" and grad_weight.get("failure") == "values"


def _jax_cpu_shift_conv(pads, products: int, dilation) -> bool:
    """The conv_general_dilated XLA computes wrongly on CPU: every axis padded
    (lo, hi) with lo <= 0 and lo + hi <= 0, some hi > 0 (the axis shifted),
    no kernel dilation, and 8 or more products per output (C_in · kH · kW)."""
    return (products >= 8 and tuple(dilation) == (1, 1)
            and all(lo <= 0 and lo + hi <= 0 for lo, hi in pads) and any(hi > 0 for _, hi in pads))


@matcher
def jax_cpu_shifted_padding(record: dict) -> bool:
    """The convolution the jax adapter's call runs meets _jax_cpu_shift_conv:
    the forward at stride 1 (pads D·(K-1) - crops, C_in/g inputs per output), or
    the gradient for x (pads = the crops, C_out/g), with the other gradients right."""
    spec = record["case"]["spec"]
    if record.get("dtype") not in ("float32", "float16", "bfloat16"):
        return False
    taps = spec["kernel_size"][0] * spec["kernel_size"][1]
    if base_kind(record) in ("forward", "special", "determinism"):
        pads = [(_effective(spec, a) - 1 - spec["padding"][a][0], _effective(spec, a) - 1 - spec["padding"][a][1])
                for a in (0, 1)]
        return tuple(spec["stride"]) == (1, 1) and _jax_cpu_shift_conv(
            pads, spec["in_channels"] // spec["groups"] * taps, spec["dilation"])
    if base_kind(record) == "vjp" and _only_grad_x_failed(record):
        return _jax_cpu_shift_conv(
            spec["padding"], spec["out_channels"] // spec["groups"] * taps, spec["dilation"])
    return False


@matcher
def tensorflow_bfloat16_wide_padding_crash(record: dict) -> bool:
    """The gradient for x (a Conv2D of the upstream gradient, padded by the
    crops) on an axis with stride >= 2, a right crop >= 1 and a left crop at
    least as wide as the output there: the region where oneDNN's bfloat16
    Conv2D was seen to die (and its float16 Conv2D, where oneDNN runs float16
    natively: the record's level, else this machine's); CI met a left crop
    equal to the output on 2026-12-06 (crops (1, 7) of 9 columns, stride 2:
    SIGSEGV on every call). Only crashes qualify, so nothing else is excused."""
    spec, out = record["case"]["spec"], record.get("expected_shape") or [0, 0, 0, 0]
    half = record.get("dtype") == "bfloat16" or (
        record.get("dtype") == "float16"
        and _isa(record) in cpu.LEVELS[cpu.LEVELS.index("avx512_core_fp16"):])
    return (record.get("kind") == "vjp" and half
            and any(spec["stride"][axis] >= 2 and spec["padding"][axis][1] >= 1
                    and spec["padding"][axis][0] >= out[2 + axis] for axis in (0, 1)))


@matcher
def keras_same_empty_output(record: dict) -> bool:
    """'same' with an output_padding: some axis of input size 1, an even
    dilated kernel span and output_padding 0 there, whose Keras output length
    (I - 1)·S + span % 2 + output_padding is 0."""
    native = record.get("native") or {}
    if native.get("padding") != "same" or native.get("output_padding") is None:
        return False
    return any(i == 1 and (d * (k - 1) + 1) % 2 == 0 and p == 0
               for i, k, d, p in zip(native["input_size"], native["kernel"], native["dilation"],
                                     native["output_padding"]))


@matcher
def jax_xla_simplifier_abort(record: dict) -> bool:
    """One axis whose input is shorter than its effective kernel K, with an
    output (>= 1) that is not exactly K from an input of 1 (that compiles);
    the other with effective kernel 2, stride 2, crops (1, 1) and input 3 or
    more (the investigation's grid: no abort outside it)."""
    spec, shape = record["case"]["spec"], record["case"]["input_shape"]
    out = record.get("expected_shape") or [0, 0, 0, 0]

    def short(axis):
        size, kernel, length = shape[2 + axis], _effective(spec, axis), out[2 + axis]
        return size < kernel and length >= 1 and not (size == 1 and length == kernel)

    def gradient_other(axis):
        # the gradients' programs abort far wider: the other axis with an input of 2
        # or more and a stride or an effective kernel above 1 (a grid of 32 on
        # 2026-12-06, beside input 3 under kernel 4, stride 2, crops (3, 3))
        return (base_kind(record) == "vjp" and shape[3 - axis] >= 2
                and (spec["stride"][1 - axis] >= 2 or _effective(spec, 1 - axis) >= 2))

    return any(short(a) and (
        (_effective(spec, 1 - a) == 2 and spec["stride"][1 - a] == 2
         and tuple(spec["padding"][1 - a]) == (1, 1) and shape[3 - a] >= 3) or gradient_other(a))
        for a in (0, 1))


def _conv_crops(record: dict, spec: dict) -> tuple | None:
    """The crops ((H), (W)) of the groups=1 call the adapter made, or None where
    that call is not oneDNN's strided one: the spec's crops when the framework
    states them, the full output's when the adapter composes them; torch with
    groups > 1 (oneDNN's grouped kernels are exact); the tensorflow adapter
    only with 'VALID' or 'SAME' (an explicit padding list runs TF's own
    kernel). Keras and TF are called once per group; Keras's torch backend
    always asks torch for the full output (padding 0) and slices or zero-pads
    it afterwards."""
    group = Spec.from_dict(spec).per_group()
    if record["adapter"] == "tensorflow":
        call = tf_plan_call(group, record["dtype"], record["case"]["input_shape"][2:])
        return call.done if isinstance(call.padding, str) else None
    if record["adapter"] == "keras[torch]":
        return ((0, 0), (0, 0))
    if record["adapter"].startswith("keras"):
        return group.padding if keras_native_params(group) else ((0, 0), (0, 0))
    if spec["groups"] != 1:
        return None
    return group.padding if torch_native_params(group) else ((0, 0), (0, 0))


@matcher
def onednn_strided_deconv_nan_spread(record: dict) -> bool:
    """A NaN/inf weight tap (th, a), stride_w >= 2, dilation_w 1, a groups=1
    call whose output width is not a whole number of strides (else oneDNN
    picks brg_deconv, which is exact; the height does not matter), and some
    output position p, computed by the call and returned by the adapter, with
    p = a (mod stride_w) whose input index (p - a) / stride_w lies outside the
    input, in a row the tap reaches: there brgconv_strided multiplies padding
    by the tap."""
    if record.get("dtype") not in ("float32", "bfloat16") or not nan_spreads(record):
        return False
    spec, shape = record["case"]["spec"], record["case"]["input_shape"]
    (s_h, s), (k_h, k), (height, width) = spec["stride"], spec["kernel_size"], shape[2:]
    if spec["dilation"][1] != 1 or s < 2:
        return False
    call = _conv_crops(record, spec)
    if call is None:
        return False
    full = [full_length(size, kernel, stride, d) for size, kernel, stride, d in zip(
        shape[2:], spec["kernel_size"], spec["stride"], spec["dilation"])]
    if (full[1] - sum(call[1])) % s == 0:
        return False
    # full coordinates both the call computed and the adapter returned
    rows, cols = (range(max(b, cb), length - max(a, ca)) for (b, a), (cb, ca), length
                  in zip(spec["padding"], call, full))
    taps = {((index // k) % k_h, index % k) for tensor, index, _ in record["case"]["specials"]
            if tensor == "weight"}
    d_h = spec["dilation"][0]
    return any(any((h - th * d_h) % s_h == 0 and 0 <= (h - th * d_h) // s_h < height for h in rows)
               and any((p - a) % s == 0 and not 0 <= (p - a) // s < width for p in cols)
               for th, a in taps)


@matcher
def tensorflow_bfloat16_grad_weight_overread(record: dict) -> bool:
    """bfloat16 grad_weight through oneDNN ('VALID'/'SAME' calls: the adapter's,
    or a native call as drawn), input width 1, stride_w wider than the call's
    output width, and either one output channel per group (any crop: with none
    NaN, with a 'SAME' crop garbage, as main jobs with seed 1 showed in
    native gradients) or several with some crop."""
    if (base_kind(record) != "vjp" or record.get("dtype") != "bfloat16"
            or record.get("failed_gradient") != "grad_weight"):
        return False
    spec, shape = record["case"]["spec"], record["case"]["input_shape"]
    native = record.get("native")
    crops: tuple | None
    if native is not None:   # the call as drawn: oneDNN's unless it gives explicit pairs
        if str(native.get("padding")).upper() not in ("VALID", "SAME"):
            return False
        crops = tuple(tuple(pair) for pair in spec["padding"])
    else:
        crops = _conv_crops(record, spec)
    if crops is None or shape[3] != 1:
        return False
    (left, right), stride = crops[1], spec["stride"][1]
    width = _effective(spec, 1) - left - right             # the call's output width (input 1)
    channels = spec["out_channels"] // spec["groups"]
    return stride > width and (channels == 1 or left + right > 0)


@matcher
def tensorflow_grad_weight_longest_output_crash(record: dict) -> bool:
    """A crash in the gradient of the tensorflow adapter's conv2d_transpose
    call whose output_shape, on an axis with stride >= 2 and an effective
    kernel of 1, is the longest TF accepts ((I - 1)·S + K + S - 1): the
    Conv2DBackpropFilter over an upstream gradient with S - 1 unused rows.
    A native call (TF's own, or Keras-on-TF's layer) asks TF for its output
    as it is; the tensorflow adapter's canonical ones for what it plans.
    The corrupted heap shows by chance: as a crash, or as garbage in
    grad_weight (a `values` failure of that gradient) when the process lives."""
    spec = record["case"]["spec"]
    if base_kind(record) != "vjp" or not (record.get("failure") == "crash"
                                           or _grad_weight_values_failed(record)):
        return False
    size = record["case"]["input_shape"][2:]
    if record.get("native"):
        kernel, outputs = Spec.from_dict(spec).effective_kernel, record["expected_shape"][2:]
    else:
        call = tf_plan_call(Spec.from_dict(spec).per_group(), record["dtype"], size)
        kernel, outputs = call.spec.effective_kernel, call.output_size
    return any(spec["stride"][a] >= 2 and kernel[a] == 1 and outputs[a] == size[a] * spec["stride"][a]
               for a in (0, 1))


@matcher
def onednn_amx_bfloat16_width_one_grad_x(record: dict) -> bool:
    """Only grad_x failed, in bfloat16, on a CPU where oneDNN runs its AMX
    kernels (the record's level, else this machine's: classification happens
    where the check ran), for x of width 1 and height >= 5, stride_w >= 2 and
    kernel_w >= 2: grad_x is a Conv2D of output width 1, stride_w > 1."""
    spec, (_, _, h, w) = record["case"]["spec"], record["case"]["input_shape"]
    return (base_kind(record) == "vjp" and record.get("dtype") == "bfloat16"
            and _only_grad_x_failed(record)
            and _isa(record) in ("avx512_core_amx", "avx512_core_amx_fp16")
            and w == 1 and h >= 5 and spec["stride"][1] >= 2 and spec["kernel_size"][1] >= 2)


@matcher
def onednn_amx_bfloat16_dilated_grad_x_crash(record: dict) -> bool:
    """A crash in a bfloat16 gradient, on a CPU where oneDNN runs its AMX
    kernels, where some axis has a dilation >= 3 whose kernel span exceeds an
    output of at least one element (the gradient for x convolves that output
    with the dilated kernel)."""
    if (record.get("failure") != "crash" or record.get("dtype") != "bfloat16"
            or base_kind(record) != "vjp" or _isa(record) not in ("avx512_core_amx", "avx512_core_amx_fp16")):
        return False
    spec, out = record["case"]["spec"], (record.get("expected_shape") or [0, 0, 0, 0])[2:]
    return any(d >= 3 and d * (k - 1) + 1 > o >= 1
               for k, d, o in zip(spec["kernel_size"], spec["dilation"], out))


# ------------------------------------------------- native calls (native.py)
def _native_case(record: dict):
    case = record.get("case") or {}
    return NativeCase.from_dict(case) if "language" in case else None


def _native_lengths(record: dict):
    """Per axis, L - before - after for a native record's parameters (the
    definition's output length, which may be 0 or less), or None where the
    parameters themselves are invalid."""
    case = _native_case(record)
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
    lengths, actual = _native_lengths(record), record.get("actual_shape")
    return (lengths is not None and actual is not None and min(lengths) <= 0
            and list(actual[2:]) == [max(length, 0) for length in lengths])


@matcher
def output_length_exactly_zero(record: dict) -> bool:
    """No axis is shorter than 0, and some is exactly 0."""
    lengths = _native_lengths(record)
    return lengths is not None and min(lengths) == 0


def _torch_rules_unchecked(record: dict, rules: tuple[str, ...]) -> bool:
    """PyTorch parameters that break only the rules named (the refusal
    `Spec.from_torch` gives starts with the parameter), and the output those
    parameters give taken as they are."""
    case = _native_case(record)
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
    return _torch_rules_unchecked(record, ("output_padding=",))


@matcher
def output_has_an_empty_axis(record: dict) -> bool:
    """The output computed has a spatial axis of length 0 (and a batch)."""
    actual = record.get("actual_shape") or []
    return len(actual) == 4 and actual[0] > 0 and 0 in actual[2:]


@matcher
def torch_padding_rules_unchecked(record: dict) -> bool:
    """PyTorch parameters that break only padding >= 0 or the output_padding
    limit, and the output they give as they are."""
    return _torch_rules_unchecked(record, ("output_padding=", "padding="))


@matcher
def jax_list_pairs_with_consistent_padding(record: dict) -> bool:
    """lax.conv_transpose given padding pairs as lists, with use_consistent_padding=True."""
    native = record.get("native") or {}
    return (native.get("language") == "jax" and native.get("pairs_as") == "lists"
            and native.get("use_consistent_padding") is True)


@matcher
def keras_ops_output_padding_at_least_stride(record: dict) -> bool:
    """keras.ops.conv_transpose with some output_padding >= its stride."""
    native = record.get("native") or {}
    return (native.get("entry") == "ops" and native.get("output_padding") is not None
            and any(op >= s for op, s in zip(native["output_padding"], native["stride"])))


@matcher
def tensorflow_declares_the_output_shape_asked(record: dict) -> bool:
    """A TF native call whose output_shape is outside TF's documented range,
    declared as exactly that shape."""
    native = record.get("native") or {}
    return (native.get("language") == "tensorflow"
            and str(record.get("expected_refusal", "")).startswith("output_size=")
            and list(record.get("actual_shape") or [])[2:] == list(native["output_size"])
            and (record.get("actual_shape") or [0, 0])[1] == native["out_channels"])


@matcher
def empty_batch_grad_x_shape(record: dict) -> bool:
    """An empty batch whose grad_x came back with the forward output's shape
    (a native call), or whose shape the op above it refused ('shape of dy
    was': the adapters' own transposes and slices)."""
    grad_x = (record.get("gradients") or {}).get("grad_x") or {}
    return record["case"]["input_shape"][0] == 0 and (
        "shape of dy was" in str(record.get("error"))
        or (record.get("failed_gradient") == "grad_x" and grad_x.get("failure") == "shape"
            and grad_x.get("actual_shape") == record.get("expected_shape")))


@matcher
def tensorflow_bfloat16_dilated_single_row_grad_crash(record: dict) -> bool:
    """A crash in a native bfloat16 gradient where some axis has input 1,
    stride >= 3 and a dilation >= 3 whose kernel span exceeds the output,
    and the output is shorter than the stride ('SAME')."""
    native = record.get("native") or {}
    if (record.get("failure") != "crash" or record.get("dtype") != "bfloat16"
            or record.get("kind") != "native vjp" or str(native.get("padding")).upper() != "SAME"):
        return False
    out = (record.get("expected_shape") or [0, 0, 0, 0])[2:]
    return any(i == 1 and s >= 3 and d >= 3 and d * (k - 1) + 1 > o and o < s
               for i, k, s, d, o in zip(native["input_size"], native["kernel"], native["stride"],
                                        native["dilation"], out))


@matcher
def keras_ops_entry(record: dict) -> bool:
    """A Keras native call through keras.ops.conv_transpose (not the layer)."""
    return (record.get("native") or {}).get("entry") == "ops" and \
        (record.get("native") or {}).get("language") == "keras"


@matcher
def within_float32_bound(record: dict) -> bool:
    """A float64 result off by no more than float32 would be: error / bound
    at most u32 / u64 = 2^29 (computed, or its inputs rounded, in float32)."""
    ratio = record.get("max_error_over_bound")
    return (record.get("dtype") == "float64" and isinstance(ratio, (int, float))
            and 1.0 < ratio <= 2.0 ** 29)


@matcher
def keras_before_3_12_output_padding_zero(record: dict) -> bool:
    """A Keras native call with output_padding 0 on some axis, recorded on a
    Keras before 3.12 (the record's versions: a later Keras refusing 0 is news)."""
    from packaging.version import InvalidVersion, Version

    native = record.get("native") or {}
    try:
        old = Version((record.get("versions") or {}).get("keras", "")) < Version("3.12.0")
    except InvalidVersion:
        return False
    return old and native.get("language") == "keras" and 0 in (native.get("output_padding") or ())


@matcher
def phantom_input_row_in_output(record: dict) -> bool:
    """Some axis with stride >= 2 whose output reaches position I·S of the
    full output: where input row I (one past the last) would land with tap 0,
    a position only appended zeros fill."""
    spec, size = record["case"]["spec"], record["case"]["input_shape"][2:]
    for axis in (0, 1):
        s, (_, after) = spec["stride"][axis], spec["padding"][axis]
        length = full_length(size[axis], spec["kernel_size"][axis], s, spec["dilation"][axis])
        if s >= 2 and length - after - 1 >= size[axis] * s:
            return True
    return False


# ---------------------------------------------- ONNX ConvTranspose attributes
def _onnx_axes(record: dict) -> list[dict]:
    """Per axis of an ONNX native call (none for another language): I, S, D,
    output_padding, the full length L, output_shape's O (or None) and the
    total padding t = L + op - O the spec derives from O or from SAME's I·S
    (None where the pads are explicit)."""
    native = record.get("native") or {}
    if native.get("language") != "onnx":
        return []
    mode, outs = native.get("padding"), native.get("output_size")
    ops = native.get("output_padding") or [0, 0]
    axes = []
    for a in (0, 1):
        i, s, d = native["input_size"][a], native["stride"][a], native["dilation"][a]
        length = full_length(i, native["kernel"][a], s, d)
        target = outs[a] if outs else i * s if mode in ("SAME_UPPER", "SAME_LOWER") else None
        axes.append({"i": i, "s": s, "d": d, "op": ops[a], "length": length,
                     "out": outs[a] if outs else None,
                     "total": None if target is None else length + ops[a] - target})
    return axes


@matcher
def output_padding_from_stride(record: dict) -> bool:
    """Some output_padding >= its stride, every one in [0, max(stride,
    dilation)): an ONNX call's, or the one a PyTorch module (or its export)
    has for the spec's crops, before - after."""
    axes = _onnx_axes(record)
    if axes:
        found = [(a["op"], a["s"], a["d"]) for a in axes]
    else:
        spec = record["case"]["spec"]
        found = [(before - after, s, d) for (before, after), s, d in
                 zip(spec["padding"], spec["stride"], spec["dilation"])]
    return (any(op >= s for op, s, _ in found)
            and all(0 <= op < max(s, d) for op, s, d in found))


@matcher
def onnx_output_shape_past_full_output(record: dict) -> bool:
    """Some output_shape O > L + S - 1 (output_padding not counted)."""
    return any(a["out"] is not None and a["out"] > a["length"] + a["s"] - 1 for a in _onnx_axes(record))


@matcher
def onnx_negative_total_padding(record: dict) -> bool:
    """Some axis whose total padding, derived from output_shape or SAME, is negative."""
    return any(a["total"] is not None and a["total"] < 0 for a in _onnx_axes(record))


@matcher
def onnx_output_shape_without_same(record: dict) -> bool:
    """output_shape with auto_pad absent, NOTSET or VALID, and on some axis
    pads (the explicit ones, else 0) other than those the spec derives from
    output_shape."""
    axes, native = _onnx_axes(record), record.get("native") or {}
    spec = (record.get("case") or {}).get("spec")
    if (not axes or spec is None or native.get("output_size") is None
            or native.get("padding") not in (None, "NOTSET", "VALID")):
        return False
    kept = native.get("explicit") or ((0, 0), (0, 0))
    return any(list(crops) != [begin, end - a["op"]]
               for crops, (begin, end), a in zip(spec["padding"], kept, axes))


@matcher
def onnx_pads_with_auto_pad(record: dict) -> bool:
    """pads given with an auto_pad other than NOTSET."""
    native = record.get("native") or {}
    return (native.get("language") == "onnx" and native.get("explicit") is not None
            and native.get("padding") not in (None, "NOTSET"))


@matcher
def onnx_output_shape_below_input_drops_dims(record: dict) -> bool:
    """Some output_shape shorter than the input there, and a declared shape
    of rank below 4."""
    axes = _onnx_axes(record)
    return (any(a["out"] is not None and a["out"] < a["i"] for a in axes)
            and len(record.get("actual_shape") or [0] * 4) < 4)


@matcher
def onnx_same_declared_length(record: dict) -> bool:
    """SAME_UPPER/LOWER without output_shape, declared min(L, I·S) +
    output_padding on every axis, which is not I·S on some."""
    axes = _onnx_axes(record)
    declared = [min(a["length"], a["i"] * a["s"]) + a["op"] for a in axes]
    return (bool(axes) and record["native"].get("padding") in ("SAME_UPPER", "SAME_LOWER")
            and record["native"].get("output_size") is None
            and list(record.get("actual_shape") or [])[2:] == declared
            and declared != [a["i"] * a["s"] for a in axes])


@matcher
def onnx_refused_output_padding_shape_or_length(record: dict) -> bool:
    """An ONNX call the spec refuses for its output_padding, its output_shape
    or leaving no output (not for pads given with auto_pad)."""
    return bool(_onnx_axes(record)) and str(record.get("expected_refusal", "")).startswith(
        ("output_padding=", "output_shape=", "padding="))


@matcher
def onnx_output_shape_with_refused_sizes(record: dict) -> bool:
    """output_shape given, and the spec refusing the call for its
    output_padding or its output_shape."""
    native = record.get("native") or {}
    return (native.get("language") == "onnx" and native.get("output_size") is not None
            and str(record.get("expected_refusal", "")).startswith(("output_padding=", "output_shape=")))


@matcher
def onnx_negative_pads(record: dict) -> bool:
    """pads given, some of them negative."""
    native = record.get("native") or {}
    return (native.get("language") == "onnx" and native.get("explicit") is not None
            and min(min(pair) for pair in native["explicit"]) < 0)
