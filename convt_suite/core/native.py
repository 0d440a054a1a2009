"""Native cases: a transposed convolution written in one framework's own
parameter language, exactly as its users write it (`padding=1,
output_padding=(1, 0)`, `output_shape`, `'SAME'`, `output_size=...`).

The sweeps' canonical cases ask each adapter to find native parameters for a
spec; a native case goes the other way: the framework is called with drawn
parameters, and `Spec.from_<framework>` must predict what it does: the output
(through the oracle) or, where the parameters are invalid or leave no output,
a refusal. Values are drawn one past each documented limit on purpose, so
that both sides of every rule are tried.

A language is what one adapter speaks (`adapter.native_language`):

- "torch": `F.conv_transpose2d` (padding, output_padding as ints or pairs, groups);
- "torch.nn": `nn.ConvTranspose2d`, plus `forward(x, output_size=...)`;
- "tensorflow": `tf.nn.conv2d_transpose` and `tf.nn.conv_transpose`, 'SAME',
  'VALID' or explicit pads, with an `output_shape` drawn over its range;
- "keras": `layers.Conv2DTranspose` and `ops.conv_transpose`, 'valid'/'same',
  output_padding None or a value, dilation_rate;
- "jax": `lax.conv_transpose(transpose_kernel=True)`, 'SAME', 'VALID', pairs
  (as tuples or lists), and `use_consistent_padding` where JAX has it;
- "onnx": a `ConvTranspose` node's attributes: auto_pad (absent, NOTSET,
  SAME_UPPER, SAME_LOWER, VALID), pads, output_padding, output_shape, group,
  dilations, strides, kernel_shape given or inferred from the weight.

Every parameter is a plain value in `NativeCase.params`, named the same in
every language where it means the same (kernel, stride, dilation, padding,
output_padding, output_size, explicit, entry; ONNX's auto_pad is its
"padding", its pads "explicit" and its output_shape "output_size"), so a known finding's matcher
reads them alike (`NativeCase.normalized`).
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from convt_suite.adapters.jax import LAYOUTS as JAX_LAYOUTS
from convt_suite.adapters.onnx import native_attributes
from convt_suite.adapters.spec import Spec, _ints, full_length, tensorflow_output_range
from convt_suite.adapters.tensorflow import call_padding as tensorflow_padding
from convt_suite.core import vocabulary
from convt_suite.core.cases import Case
from convt_suite.core.strategies import AXES, AXIS_LIMITS

LANGUAGES = ("torch", "torch.nn", "tensorflow", "keras", "jax", "onnx")
# the checks of native cases are forwards or vjps, called in the framework's own
# words (or run in its model machinery, or after a round trip): a finding about
# forwards (or gradients) explains them too
BASE_KIND = vocabulary.BASE_KIND


def base_kind(record: dict) -> str | None:
    kind = record.get("kind")
    return None if kind is None else BASE_KIND.get(kind, kind)
MAX_CHANNELS = 8


def _frozen(value):
    """Lists to tuples, so that a case is hashable (hypothesis keys on it)."""
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    return value


@dataclass(frozen=True)
class NativeCase:
    language: str
    params: tuple                  # ((name, value), ...) as the framework is called
    input_shape: tuple[int, ...]   # (N, C_in, *spatial): NCW, NCHW or NCDHW, the call's rank
    seed: int

    @property
    def call(self) -> dict:
        return dict(self.params)

    @property
    def rank(self) -> int:
        """The spatial axes: the input's (1, 2 or 3)."""
        return len(self.input_shape) - 2

    @property
    def input_size(self) -> tuple[int, ...]:
        return tuple(self.input_shape[2:])

    def probe(self) -> Spec:
        """Channels, kernel and bias without the crops: the tensors' shapes,
        which exist whether or not the parameters are valid."""
        call = self.call
        return Spec(call["in_channels"], call["out_channels"], _ints("kernel", call["kernel"], self.rank),
                    groups=call.get("groups", 1), bias=call["bias"])

    def spec(self) -> Spec:
        """What the framework must compute, by `Spec.from_<language>`;
        ValueError (naming the parameter and the rule) where it must refuse:
        invalid parameters, or no output for this input."""
        spec = TRANSLATE[self.language](self.call, self.input_size)
        spec.output_shape(self.input_shape)
        return spec

    def expectation(self) -> tuple[Spec | None, str | None]:
        """(the spec, None), or (None, why the framework must refuse)."""
        try:
            return self.spec(), None
        except ValueError as err:
            return None, str(err)

    def tensors(self, dtype: str):
        return Case(self.probe(), self.input_shape, self.seed).tensors(dtype)

    def upstream_gradient(self, dtype: str):
        return Case(self.spec(), self.input_shape, self.seed).upstream_gradient(dtype)

    def normalized(self) -> dict:
        """The parameters one per axis where the framework takes an int for
        every axis, with the input size: what the report and the matchers read."""
        rank = self.rank
        call = dict(self.call, language=self.language, input_size=list(self.input_size))
        for name in ("kernel", "stride", "dilation"):
            call[name] = list(_ints(name, call[name], rank))
        if call.get("output_padding") is not None:
            call["output_padding"] = list(_ints("output_padding", call["output_padding"], rank))
        if self.language.startswith("torch"):
            call["padding"] = list(_ints("padding", call["padding"], rank))
        if call.get("output_size") is not None:
            call["output_size"] = list(call["output_size"])[-rank:]
        return call

    def code(self) -> str:
        """The call as its users write it (NCHW x in 2-D; see the adapter for layouts)."""
        parts = self.layer_parts()
        return "".join(parts) if parts else CODE[self.language](self.call, self.rank)

    def layer_parts(self) -> tuple[str, str] | None:
        """(the layer's constructor, its call) where the entry builds a layer."""
        parts = LAYERS.get(self.language)
        return parts(self.call, self.rank) if parts else None

    def to_dict(self) -> dict:
        """With the spec it means (its probe where there is none), which the
        report's features and the known findings' matchers read."""
        spec = self.expectation()[0] or self.probe()
        return {"language": self.language, "params": {k: v for k, v in self.params},
                "input_shape": list(self.input_shape), "seed": self.seed, "spec": spec.to_dict()}

    @classmethod
    def from_dict(cls, data: dict) -> NativeCase:
        return cls(data["language"], tuple((k, _frozen(v)) for k, v in data["params"].items()),
                   tuple(data["input_shape"]), data["seed"])

    def __str__(self):
        return f"{self.code()} x={self.input_shape} seed={self.seed}"


# ------------------------------------------------------- the translations
def _torch(call, input_size):
    return Spec.from_torch(call["in_channels"], call["out_channels"], call["kernel"],
                           call["stride"], call["padding"], call["output_padding"],
                           call["groups"], call["bias"], call["dilation"],
                           output_size=call.get("output_size"), input_size=input_size,
                           padding_mode=call.get("padding_mode", "zeros"), rank=len(input_size))


def _tensorflow(call, input_size):
    return Spec.from_tensorflow(call["in_channels"], call["out_channels"], call["kernel"],
                                input_size, call["output_size"], call["stride"], tensorflow_padding(call),
                                call["dilation"], call["bias"], rank=len(input_size))


def _keras(call, input_size):
    return Spec.from_keras(call["in_channels"], call["out_channels"], call["kernel"],
                           call["stride"], call["padding"], call["output_padding"],
                           call["dilation"], call["bias"], call["entry"], rank=len(input_size))


def _jax(call, input_size):
    return Spec.from_jax(call["in_channels"], call["out_channels"], call["kernel"],
                         call["stride"], call["padding"], call["dilation"], call["bias"],
                         use_consistent_padding=call.get("use_consistent_padding", False),
                         rank=len(input_size))


def _onnx(call, input_size):
    # ONNX's attributes are optional: one a call does not state (None, or absent
    # from a record written by hand) is the node without it
    attrs = native_attributes(call)
    return Spec.from_onnx(call["in_channels"], call["out_channels"], call["kernel"], input_size,
                          call["stride"], attrs.get("pads"), call.get("output_padding"), call["dilation"],
                          call["groups"], call.get("padding"), call.get("output_size"), call["bias"])


TRANSLATE = {"torch": _torch, "torch.nn": _torch, "tensorflow": _tensorflow, "keras": _keras,
             "jax": _jax, "onnx": _onnx}


# ------------------------------------------------------ the calls as code
def _args(call, names) -> str:
    return ", ".join(f"{name}={call[name]!r}" for name in names if name in call)


# each rank's channels-last names of x and of the weight (TF's and Keras's layouts),
# and JAX's dimension numbers
CHANNELS_LAST_NAMES = {1: ("x_nwc", "w_woi"), 2: ("x_nhwc", "w_hwoi"), 3: ("x_ndhwc", "w_dhwoi")}


def _torch_code(call, rank):
    args = dict(stride=call["stride"], padding=call["padding"], output_padding=call["output_padding"],
                groups=call["groups"], dilation=call["dilation"])
    return (f"F.conv_transpose{rank}d(x, w, b, " if call["bias"] else f"F.conv_transpose{rank}d(x, w, None, ") \
        + _args(args, args) + ")"


def _torch_nn_parts(call, rank):
    layer = (f"nn.ConvTranspose{rank}d({call['in_channels']}, {call['out_channels']}, {call['kernel']!r}, "
             + _args(call, ("stride", "padding", "output_padding", "groups"))
             + f", bias={call['bias']}, " + _args(call, ("dilation",)) + ")")
    size = call.get("output_size")
    return layer, "(x)" if size is None else f"(x, output_size={size!r})"


def _tensorflow_code(call, rank):
    x, w = CHANNELS_LAST_NAMES[rank]
    sizes = ", ".join(map(str, call["output_size"]))
    text = (f"tf.nn.{call['entry']}({x}, {w}, output_shape=[N, {sizes}, {call['out_channels']}], "
            f"strides={call['stride']!r}, padding={tensorflow_padding(call)!r}, "
            f"dilations={call['dilation']!r})")
    return f"tf.nn.bias_add({text}, b)" if call["bias"] else text


def _keras_code(call, rank):
    x, w = CHANNELS_LAST_NAMES[rank]
    text = (f"keras.ops.conv_transpose({x}, {w}, strides={call['stride']!r}, "
            + _args(call, ("padding", "output_padding")) + f", dilation_rate={call['dilation']!r})")
    return text + " + b" if call["bias"] else text


def _keras_layer_parts(call, rank):
    if call["entry"] != "layer":
        return None
    return (f"keras.layers.Conv{rank}DTranspose({call['out_channels']}, {call['kernel']!r}, "
            f"strides={call['stride']!r}, " + _args(call, ("padding", "output_padding"))
            + f", dilation_rate={call['dilation']!r}, use_bias={call['bias']})", f"({CHANNELS_LAST_NAMES[rank][0]})")


def _jax_code(call, rank):
    padding = call["padding"]
    if call.get("pairs_as") == "lists":
        padding = [list(pair) for pair in padding]
    extra = (f", use_consistent_padding={call['use_consistent_padding']}"
             if "use_consistent_padding" in call else "")
    text = (f"jax.lax.conv_transpose(x, w, {call['stride']!r}, {padding!r}, "
            f"rhs_dilation={call['dilation']!r}, dimension_numbers={JAX_LAYOUTS[rank]!r}, "
            f"transpose_kernel=True{extra})")
    return text + f" + b[:, {', '.join(['None'] * rank)}]" if call["bias"] else text


def _onnx_code(call, rank):
    # conv_transpose builds the one-node model and runs it (the snippet defines it)
    return f"conv_transpose(x, w, {'b' if call['bias'] else 'None'}, {native_attributes(call)!r})"


CODE = {"torch": _torch_code, "tensorflow": _tensorflow_code, "keras": _keras_code,
        "jax": _jax_code, "onnx": _onnx_code}
# the entries that build a layer: (its constructor, its call), so that a
# snippet can set the layer's weights between the two
LAYERS = {"torch.nn": _torch_nn_parts, "keras": _keras_layer_parts}


# ------------------------------------------------------------- the draws
def _int_or_pair(data, label, low, high, ints: bool = True, axes=AXES[2]):
    """Users write an int for every axis or one per axis ((h, w) in 2-D):
    both are drawn (per axis only where the framework takes sequences only, as JAX)."""
    if ints and data.draw(st.booleans(), label=f"{label}_as_int"):
        return data.draw(st.integers(low, high), label=label)
    return tuple(data.draw(st.integers(low, high), label=f"{label}_{axis}") for axis in axes)


def _geometry(data, grouped: bool = False, dilation_high: int = 3, ints: bool = True, rank: int = 2):
    """Channels, kernel, stride, dilation, bias and the input shape, within
    the rank's limits (strategies.AXIS_LIMITS: the 2-D ones are 5, 4, 8)."""
    limits, axes = AXIS_LIMITS[rank], AXES[rank]
    groups = data.draw(st.integers(1, 4), label="groups") if grouped and data.draw(
        st.booleans(), label="grouped") else 1
    per_group = MAX_CHANNELS // groups
    call = {
        "in_channels": groups * data.draw(st.integers(1, per_group), label="in_channels_per_group"),
        "out_channels": groups * data.draw(st.integers(1, per_group), label="out_channels_per_group"),
        "kernel": _int_or_pair(data, "kernel", 1, limits.kernel, ints, axes),
        "stride": _int_or_pair(data, "stride", 1, limits.stride, ints, axes),
        "dilation": (_int_or_pair(data, "dilation", 1, min(dilation_high, limits.dilation), ints, axes)
                     if data.draw(st.booleans(), label="dilated") else (1,) * rank if not ints else 1),
        "bias": data.draw(st.booleans(), label="bias"),
    }
    if grouped:
        call["groups"] = groups
    size = tuple(data.draw(st.integers(1, limits.size), label=f"input_{axis}") for axis in axes)
    batch = data.draw(st.sampled_from((1, 2, 3, 2, 3, 0)), label="batch")
    return call, (batch, call["in_channels"], *size)


def draw_torch(data, module: bool = False, rank: int = 2) -> tuple[dict, tuple]:
    call, shape = _geometry(data, grouped=True, rank=rank)
    axes = AXES[rank]
    kernel, stride, dilation = (_ints(name, call[name], rank) for name in ("kernel", "stride", "dilation"))
    most = min(full_length(i, k, s, d) // 2 for i, k, s, d in zip(shape[2:], kernel, stride, dilation))
    call["padding"] = _int_or_pair(data, "padding", -1 if data.draw(
        st.integers(0, 9), label="negative_padding") == 0 else 0, most + 1, axes=axes)
    # one past max(stride, dilation) - 1 on purpose: both must refuse it
    call["output_padding"] = _int_or_pair(data, "output_padding", 0, max(*stride, *dilation), axes=axes)
    if module and data.draw(st.booleans(), label="with_output_size"):
        pads = _ints("padding", call["padding"], rank)
        lows = [(i - 1) * s - 2 * p + d * (k - 1) + 1
                for i, k, s, p, d in zip(shape[2:], kernel, stride, pads, dilation)]
        # the admissible range [m, m + S - 1] and one beyond each end
        sizes = tuple(data.draw(st.integers(max(low - 1, 0), max(low + s, 0)),
                                label=f"output_size_{axis}")
                      for low, s, axis in zip(lows, stride, axes))
        with_nc = data.draw(st.booleans(), label="output_size_with_nc")
        call["output_size"] = (shape[0], call["out_channels"], *sizes) if with_nc else sizes
    return call, shape


def draw_tensorflow(data, rank: int = 2) -> tuple[dict, tuple]:
    call, shape = _geometry(data, dilation_high=2, rank=rank)
    axes = AXES[rank]
    call["entry"] = data.draw(st.sampled_from([f"conv{rank}d_transpose", "conv_transpose"]), label="entry")
    # explicit pads are conv2d_transpose's (and conv_transpose's in 2-D) only
    mode = data.draw(st.sampled_from(["VALID", "SAME", "EXPLICIT"] if rank == 2 else ["VALID", "SAME"]),
                     label="padding")
    call["padding"] = mode
    kernel, stride, dilation = (_ints(name, call[name], rank) for name in ("kernel", "stride", "dilation"))
    explicit: tuple[tuple[int, ...], ...] = ((0, 0),) * rank
    if mode == "EXPLICIT":
        explicit = tuple(tuple(data.draw(st.integers(0, 2), label=f"pad_{axis}_{end}")
                               for end in ("before", "after")) for axis in axes)
        call["explicit"] = explicit
    sizes = []
    for i, k, s, d, pads, axis in zip(shape[2:], kernel, stride, dilation, explicit, axes):
        low, high = tensorflow_output_range(mode, i, k, s, d, pads)
        # every admissible output_shape, and one beyond each end
        sizes.append(data.draw(st.integers(max(low - 1, 1), max(high + 1, 1)), label=f"output_{axis}"))
    call["output_size"] = tuple(sizes)
    return call, shape


def draw_keras(data, rank: int = 2) -> tuple[dict, tuple]:
    call, shape = _geometry(data, rank=rank)
    call["entry"] = data.draw(st.sampled_from(["layer", "ops"]), label="entry")
    call["padding"] = data.draw(st.sampled_from(["valid", "same"]), label="padding")
    stride = _ints("stride", call["stride"], rank)
    call["output_padding"] = (None if data.draw(st.booleans(), label="output_padding_none")
                              # one past stride - 1 on purpose: both must refuse it
                              else _int_or_pair(data, "output_padding", 0, max(stride), axes=AXES[rank]))
    return call, shape


def draw_jax(data, rank: int = 2) -> tuple[dict, tuple]:
    call, shape = _geometry(data, ints=False, rank=rank)
    kernel, dilation = _ints("kernel", call["kernel"], rank), _ints("dilation", call["dilation"], rank)
    form = data.draw(st.sampled_from(["SAME", "VALID", "tuples", "lists"]), label="padding_form")
    if form in ("SAME", "VALID"):
        call["padding"] = form
    else:
        pairs = tuple(tuple(data.draw(st.integers(-2, d * (k - 1) + 1), label=f"pad_{axis}_{end}")
                            for end in ("lo", "hi"))
                      for k, d, axis in zip(kernel, dilation, AXES[rank]))
        # users pass lists as often as tuples; NativeCase keeps them hashable, the
        # adapter passes lists when "pairs_as" says so
        call["padding"] = pairs
        call["pairs_as"] = form
    # (a JAX without the argument declines these cases, with the reason)
    if data.draw(st.booleans(), label="use_consistent_padding_given"):
        call["use_consistent_padding"] = data.draw(st.booleans(), label="use_consistent_padding")
    return call, shape


def draw_onnx(data, rank: int = 2) -> tuple[dict, tuple]:
    call, shape = _geometry(data, grouped=True, ints=False, rank=rank)
    axes = AXES[rank]
    kernel, stride, dilation = call["kernel"], call["stride"], call["dilation"]
    mode = data.draw(st.sampled_from([None, "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"]),
                     label="auto_pad")
    call["padding"] = mode
    # pads under NOTSET, given or left out; now and then with another auto_pad, which the spec forbids
    given = data.draw(st.booleans() if mode in (None, "NOTSET") else st.integers(0, 7).map(
        lambda v: v == 0), label="pads_given")
    negative = data.draw(st.integers(0, 9), label="negative_pads") == 0
    lengths = [full_length(i, k, s, d) for i, k, s, d in zip(shape[2:], kernel, stride, dilation)]
    call["explicit"] = tuple(tuple(data.draw(st.integers(-1 if negative else 0, length // 2 + 1),
                                             label=f"pad_{axis}_{end}") for end in ("begin", "end"))
                             for length, axis in zip(lengths, axes)) if given else None
    # one past max(stride, dilation) - 1 on purpose
    call["output_padding"] = None if data.draw(st.booleans(), label="output_padding_absent") else tuple(
        data.draw(st.integers(0, max(s, d)), label=f"output_padding_{axis}")
        for s, d, axis in zip(stride, dilation, axes))
    sizes = None
    if data.draw(st.booleans(), label="with_output_shape"):
        extra = call["output_padding"] or (0,) * rank
        # from well inside the crops to one past the longest the runtimes take
        sizes = tuple(data.draw(st.integers(max(length + op - d * (k - 1) - s - 1, 0), length + op + s),
                                label=f"output_shape_{axis}")
                      for length, op, k, s, d, axis in zip(lengths, extra, kernel, stride, dilation, axes))
    call["output_size"] = sizes
    call["kernel_shape_given"] = data.draw(st.booleans(), label="kernel_shape_given")
    return call, shape


def draw_native(data, language: str, ranks: tuple[int, ...] = (2,)) -> NativeCase:
    """A call in `language`'s words, of one of `ranks` (drawn first where there are several)."""
    rank = data.draw(st.sampled_from(ranks), label="rank") if len(ranks) > 1 else ranks[0]
    if language in ("torch", "torch.nn"):
        call, shape = draw_torch(data, module=language == "torch.nn", rank=rank)
    elif language == "tensorflow":
        call, shape = draw_tensorflow(data, rank)
    elif language == "keras":
        call, shape = draw_keras(data, rank)
    elif language == "jax":
        call, shape = draw_jax(data, rank)
    elif language == "onnx":
        call, shape = draw_onnx(data, rank)
    else:
        raise ValueError(f"native language {language!r}: must be one of {', '.join(LANGUAGES)}")
    seed = data.draw(st.integers(0, 2 ** 32 - 1), label="seed")
    return NativeCase(language, tuple((k, _frozen(v)) for k, v in call.items()), shape, seed)
