"""What a transposed-convolution call in one framework's words states: the
translator's sources (convt_suite/porting/translate.py turns a reading into every
other framework's form).

A source is parsed (literal arguments only) by the framework's own
signature, which SIGNATURES holds once, parameter by parameter, each with
what the translator does with it: *read* into the native case, a *tensor*
written as its name, *noted* (it does not change what is computed from given
weights and input: an initializer, a regularizer, a device; printed with the
translation), or read *only* at the values the translator models, any other
refused by name. tests/test_translate.py checks SIGNATURES against the
installed frameworks' own signatures, so a parameter a new release adds
cannot be dropped in silence. `Spec.from_<framework>` then says what the
call computes, or refuses it with the parameter and the rule.

What a refusal means is its type, and the translate command's exit status:
`Usage` (2: not a call the translator reads), `Invalid` (4: the framework
itself refuses the layer), `Unsupported` (5: a valid layer with an argument
the translator does not model, named).
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
from dataclasses import dataclass

import numpy as np

from convt_suite.adapters.base import kernel_first
from convt_suite.adapters.spec import AXES, RANKS, TF_LAYOUTS, _ints
from convt_suite.core.native import NativeCase


# ------------------------------------------------------------ refusals
class Refused(ValueError):
    """The translator does not answer for this layer; `status` is the exit status."""
    status = 4


class Usage(Refused):
    """Not a call the translator reads: not Python, not literal, not a known call."""
    status = 2


class Invalid(Refused):
    """The layer is invalid in its own framework (the framework refuses it)."""
    status = 4


class Unsupported(Refused):
    """A valid layer with an argument (named) that the translator does not model."""
    status = 5


# ------------------------------------------------------------ the sources
REQUIRED = inspect.Parameter.empty
ROLES = ("read", "tensor", "noted", "only")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a source's signature, as the framework declares it
    (name, default, keyword-only), and what the translator does with it."""
    name: str
    default: object = REQUIRED
    role: str = "read"           # one of ROLES
    why: str = ""                # noted: why it does not change the computation; only: the rule
    allowed: tuple = ()          # only: the values the translator reads
    keyword_only: bool = False
    reads: str | None = None     # the native case's name for it (default: its own)


@dataclass(frozen=True)
class Source:
    """How one framework's call is written: its names and its signature."""
    language: str
    names: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    signature_of: str            # where the installed framework declares it (the tests read it)
    rank: int | None = None      # the rank its name states; None: --input's

    @property
    def positional(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parameters if not p.keyword_only)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


P = Parameter
DEVICE = "where the parameters live: the computation is the same on every device"
PRECISION = "the precision it computes in: every form here is verified in float32"
NAME = "a name: it does not change what is computed"
INITIAL = "the weights' initial values: a translation takes the weights as they are"
TRAINING = "acts in training only (a loss term or a projection after each update), not in the forward computation"
# each rank's layouts: channels last, then channels first (TF's data_format words)
CHANNELS_FIRST = {rank: first for rank, (_, first) in TF_LAYOUTS.items()}
NOT_ACTIVATION = ("the translator translates the transposed convolution alone: give activation=None and "
                  "apply the activation to its result in every framework")

def _torch_sources(rank: int) -> tuple[Source, ...]:
    return (
        Source("torch.nn", (f"ConvTranspose{rank}d",), (
            P("in_channels"), P("out_channels"), P("kernel_size", reads="kernel"), P("stride", 1),
            P("padding", 0), P("output_padding", 0), P("groups", 1), P("bias", True),
            P("dilation", 1), P("padding_mode", "zeros"),
            P("device", None, "noted", DEVICE), P("dtype", None, "noted", PRECISION)),
            f"torch.nn.ConvTranspose{rank}d.__init__", rank),
        # the weight as its shape, (C_in, C_out // groups, *kernel); the bias a name or None
        Source("torch", (f"conv_transpose{rank}d",), (
            P("input", role="tensor"), P("weight"), P("bias", None), P("stride", 1), P("padding", 0),
            P("output_padding", 0), P("groups", 1), P("dilation", 1)),
            f"torch.nn.functional.conv_transpose{rank}d", rank),
    )


def _keras_source(rank: int) -> Source:
    ones = 1 if rank == 1 else (1,) * rank   # each layer's own default
    # Conv3DTranspose takes data_format before output_padding, the others after
    order = ("data_format", "output_padding") if rank == 3 else ("output_padding", "data_format")
    formats = {"output_padding": P("output_padding", None), "data_format": P("data_format", None)}
    return Source("keras", (f"Conv{rank}DTranspose",), (
        P("filters", reads="out_channels"), P("kernel_size", reads="kernel"),
        P("strides", ones, reads="stride"), P("padding", "valid"), *(formats[name] for name in order),
        P("dilation_rate", ones, reads="dilation"),
        P("activation", None, "only", NOT_ACTIVATION, (None, "linear")),
        P("use_bias", True, reads="bias"),
        P("kernel_initializer", "glorot_uniform", "noted", INITIAL),
        P("bias_initializer", "zeros", "noted", INITIAL),
        P("kernel_regularizer", None, "noted", TRAINING), P("bias_regularizer", None, "noted", TRAINING),
        P("activity_regularizer", None, "noted", TRAINING),
        P("kernel_constraint", None, "noted", TRAINING), P("bias_constraint", None, "noted", TRAINING),
        # keras.layers.Layer's own keyword arguments
        P("trainable", True, "noted", "whether training updates the weights", keyword_only=True),
        P("dtype", None, "noted", PRECISION, keyword_only=True),
        P("autocast", True, "noted", PRECISION, keyword_only=True),
        P("name", None, "noted", NAME, keyword_only=True)),
        f"keras.layers.Conv{rank}DTranspose.__init__", rank)


def _tensorflow_source(entry: str, layout: str | None, rank: int | None) -> Source:
    return Source("tensorflow", (entry,), (
        P("input", role="tensor"), P("filters"), P("output_shape"), P("strides", reads="stride"),
        P("padding", "SAME"), P("data_format", layout), P("dilations", None, reads="dilation"),
        P("name", None, "noted", NAME)),
        f"tensorflow.nn.{entry}", rank)


# a source per spelling: a name that states its rank (ConvTranspose1d) is read in
# it; one that does not (tf.nn.conv_transpose, lax.conv_transpose, ONNX's node)
# in the rank of --input
SIGNATURES = {
    "torch": tuple(source for rank in RANKS for source in _torch_sources(rank)),
    # the kernel is (*kernel, filters, C_in); the input channels come from --channels
    "keras": tuple(_keras_source(rank) for rank in RANKS),
    # the filter and the output as their shapes: (*kernel, C_out, C_in) and [N, *spatial, C]
    # (channels last) or [N, C, *spatial] (channels first)
    "tensorflow": (*(_tensorflow_source(f"conv{rank}d_transpose", TF_LAYOUTS[rank][0], rank) for rank in RANKS),
                   _tensorflow_source("conv_transpose", None, None)),
    # rhs as its shape, in the layout dimension_numbers give it (default: JAX's for the rank,
    # 'HIO', 'HWIO' or 'HWDIO')
    "jax": (Source("jax", ("conv_transpose",), (
        P("lhs", role="tensor"), P("rhs"), P("strides", reads="stride"), P("padding"),
        P("rhs_dilation", None, reads="dilation"), P("dimension_numbers", None),
        P("transpose_kernel", False),
        P("precision", None, "noted", PRECISION),
        P("preferred_element_type", None, "noted", "the result's dtype: " + PRECISION),
        P("use_consistent_padding", False)),
        "jax.lax.conv_transpose"),),
    # a ConvTranspose node: its inputs W as its shape (C_in, C_out // group, *kernel) and B
    # (given or not), X as a name, its attributes as keywords, as onnx.helper.make_node takes
    # them (strides and dilations: 1 on every axis where not given)
    "onnx": (Source("onnx", ("ConvTranspose",), (
        P("W"), P("B", None, keyword_only=True, reads="bias"),
        P("X", None, "tensor", keyword_only=True),
        P("auto_pad", None, keyword_only=True, reads="padding"),
        P("dilations", None, keyword_only=True, reads="dilation"),
        P("group", 1, keyword_only=True, reads="groups"),
        P("kernel_shape", None, keyword_only=True),
        P("output_padding", None, keyword_only=True),
        P("output_shape", None, keyword_only=True, reads="output_size"),
        P("pads", None, keyword_only=True), P("strides", None, keyword_only=True, reads="stride")),
        "onnx ConvTranspose"),),
}
# how a source's own words name what Spec.from_<framework> calls otherwise, for its refusals
OWN_WORDS = {"tensorflow": (("output_size=", "output_shape's ({axes})="),)}


@dataclass(frozen=True)
class Reading:
    """What a source call states: the native case (channels first: NCW, NCHW
    or NCDHW; the weight as w), and what a user needs beside it."""
    case: NativeCase
    notes: tuple[str, ...] = ()   # arguments given that do not change the computation, and why
    weight: str = "w"             # the source's weight as w (C_in, C_out // groups, *kernel), numpy
    layout: str = "NCHW"          # the source's input and output layout
    # the source's weight as w: its axes taken in this order (None: as they are), then
    # flipped on every spatial axis or not
    weight_axes: tuple | None = None
    weight_flipped: bool = False

    def weight_as_w(self, weight: np.ndarray) -> np.ndarray:
        w = weight if self.weight_axes is None else np.transpose(weight, self.weight_axes)
        if self.weight_flipped:
            w = w[(slice(None), slice(None), *(slice(None, None, -1) for _ in w.shape[2:]))]
        return np.ascontiguousarray(w)


def kernel_words(rank: int) -> str:
    """The kernel's axes as the messages name them: 'kW', 'kH, kW', 'kD, kH, kW'."""
    return ", ".join(f"k{axis}" for axis in AXES[rank])


def _weight_text(name: str, axes, flipped: bool, rank: int) -> str:
    text = name if axes is None else f"np.transpose({name}, {tuple(axes)})"
    return f"w = {text}" + (f"[:, :, {', '.join(['::-1'] * rank)}]" if flipped else "")


def _literal(name: str, key: str, node):
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise Usage(f"{name}: {key}={ast.unparse(node)} must be a literal value") from None


def _bind(source: Source, name: str, tree: ast.Call) -> dict[str, ast.expr]:
    """The call's arguments by parameter name, as Python binds them to the
    framework's signature; Invalid where the framework's call would raise
    TypeError (too many positionals, an unknown keyword, one given twice, a
    required one missing)."""
    positional = source.positional
    if any(isinstance(arg, ast.Starred) for arg in tree.args) or any(kw.arg is None for kw in tree.keywords):
        raise Usage(f"{name}: *args and **kwargs cannot be translated; write the arguments out")
    if len(tree.args) > len(positional):
        raise Invalid(f"{name}: takes at most {len(positional)} positional arguments "
                      f"({', '.join(positional)}), {len(tree.args)} given")
    bound = {}
    for key, node in [*zip(positional, tree.args), *((kw.arg, kw.value) for kw in tree.keywords)]:
        if key is None or source.parameter(key) is None:
            known = ", ".join(p.name for p in source.parameters)
            raise Invalid(f"{name}: unknown argument {key!r}: {name} takes {known}")
        if key in bound:
            raise Invalid(f"{name}: {key} given twice")
        bound[key] = node
    # a tensor may be left out: the input is --input's
    missing = [p.name for p in source.parameters
               if p.default is REQUIRED and p.role != "tensor" and p.name not in bound]
    if missing:
        raise Invalid(f"{name}: missing {', '.join(missing)}")
    return bound


def _values(source: Source, name: str, bound: dict) -> tuple[dict, list[str]]:
    """Each parameter's value by its role: the native case's values (renamed
    by `reads`), and the notes for the arguments given that it does not read."""
    values, notes = {}, []
    for parameter in source.parameters:
        node = bound.get(parameter.name)
        key = parameter.reads or parameter.name
        if parameter.role == "tensor":
            if node is not None and not isinstance(node, (ast.Name, ast.Attribute, ast.Subscript)):
                raise Usage(f"{name}: {parameter.name}={ast.unparse(node)}: a tensor, written as its "
                            f"name (x); its spatial size is --input")
            continue
        if parameter.role == "noted":
            if node is not None:
                text = ast.unparse(node)
                try:
                    default = ast.literal_eval(node) == parameter.default
                except ValueError:
                    default = False
                if not default:
                    notes.append(f"{parameter.name}={text}: {parameter.why}")
            continue
        if node is None:
            value = parameter.default
        elif key == "bias" and isinstance(node, (ast.Name, ast.Attribute)):   # F.conv_transpose2d(x, w, b)
            value = True
        else:
            value = _literal(name, parameter.name, node)
        if parameter.role == "only" and value not in parameter.allowed:
            raise Unsupported(f"{name}: {parameter.name}={value!r}: {parameter.why}")
        values[key] = value
    return values, notes


def read(language: str, text: str, input_size, in_channels: int | None = None,
         seed: int = 0) -> Reading:
    """What a source call states, read by its framework's signature; a
    Refused (Usage, Invalid or Unsupported) naming what is wrong."""
    if language not in SIGNATURES:
        raise Usage(f"--from {language!r}: must be one of {', '.join(SIGNATURES)}")
    sources = SIGNATURES[language]
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as err:
        raise Usage(f"layer {text!r}: not a Python call ({err.msg})") from None
    if not isinstance(tree, ast.Call):
        raise Usage(f"layer {text!r}: must be a call, e.g. {sources[0].names[0]}(...)")
    forward = None
    if isinstance(tree.func, ast.Call):   # a layer called: ConvTranspose2d(...)(x, output_size=...)
        tree, forward = tree.func, tree
    name = ast.unparse(tree.func).rsplit(".", 1)[-1]
    source = next((s for s in sources if name in s.names), None)
    if source is None:
        names = [n for s in sources for n in s.names]
        raise Usage(f"layer {text!r}: {language} calls here are {', '.join(names)}, not {name}")
    size = _input_size(input_size, source, name)
    values, notes = _values(source, name, _bind(source, name, tree))
    reading = _BUILD[source.language](values, in_channels, name, size)
    if forward is not None:
        reading = dataclasses.replace(reading, case=_forward_call(reading.case, forward, source, name))
    try:   # the source's own rules: Spec.from_<framework> refuses what the framework refuses
        reading.case.spec()
    except ValueError as err:
        message = str(err)
        for theirs, ours in OWN_WORDS.get(language, ()):
            message = message.replace(theirs, ours.format(axes=", ".join(AXES[len(size)])))
        raise Invalid(message) from None
    return dataclasses.replace(reading, notes=tuple(notes) + reading.notes,
                               case=dataclasses.replace(reading.case, seed=seed))


def parse(language: str, text: str, input_size, in_channels: int | None = None,
          seed: int = 0) -> NativeCase:
    """The native case a source call states (read()'s case)."""
    return read(language, text, input_size, in_channels, seed).case


SIZE_WORDS = {1: "W", 2: "HxW", 3: "DxHxW"}
SIZE_EXAMPLES = {1: "32", 2: "16x16", 3: "8x16x16"}


def _input_size(input_size, source: Source, name: str) -> tuple[int, ...]:
    """--input: the spatial size of a batched input, one int per axis of the
    source's rank (its name's, e.g. ConvTranspose1d; else 1, 2 or 3 axes)."""
    size = tuple(input_size)
    if not (1 <= len(size) <= 4 and all(isinstance(v, int) and not isinstance(v, bool) for v in size)):
        raise Usage(f"input size {input_size!r}: must be the spatial size, 1, 2 or 3 ints "
                    f"(W, HxW or DxHxW)")
    rank = source.rank
    if rank is not None and len(size) == rank + 1 and source.language.startswith("torch"):
        spatial = ", ".join(AXES[rank])
        raise Unsupported(f"input size {size}: the translator takes the spatial size ({spatial}) of a "
                          f"batched input; PyTorch's unbatched (C, {spatial}) input computes what a batch "
                          f"of one does (x[None], then y[0]): give --input {'x'.join(map(str, size[1:]))}")
    if rank is not None and len(size) != rank:
        raise Usage(f"input size {'x'.join(map(str, size))}: {name} is {rank}-D: give its spatial "
                    f"size {SIZE_WORDS[rank]}, e.g. --input {SIZE_EXAMPLES[rank]}")
    if len(size) == 4:   # a call of any rank (lax.conv_transpose, ONNX's ConvTranspose) takes 1 to 3
        words = f"{SIZE_WORDS[1]}, {SIZE_WORDS[2]} or {SIZE_WORDS[3]}"
        raise Usage(f"input size {'x'.join(map(str, size))}: 4 axes: {name} is checked in 1, 2 or 3 "
                    f"spatial axes: give {words}, e.g. --input {SIZE_EXAMPLES[3]}")
    if min(size) < 1:
        raise Unsupported(
            f"input size {size}: the contract takes spatial sizes >= 1. A zero-size input has no "
            f"defined output, and the frameworks differ on it: PyTorch raises, TensorFlow, JAX and "
            f"Keras return zeros (the error-path parity table's 'zero-size input' records each)")
    return size


def _case(call: dict, batch: int) -> NativeCase:
    call = dict(call)
    language, size = call.pop("language"), call.pop("size")
    return NativeCase(language, tuple(call.items()), (batch, call["in_channels"], *size), 0)


def _shape(name: str, key: str, value, what: str, rank: int) -> tuple:
    if not (isinstance(value, (list, tuple)) and len(value) == rank + 2
            and all(isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value)):
        raise Usage(f"{name}: {key} must be given as its shape {what}, not {value!r}")
    return tuple(value)


def _channels(given, stated: int, name: str, what: str) -> None:
    if given is not None and given != stated:
        raise Usage(f"--channels {given}: {name} says {what}={stated}")


def _forward_call(case: NativeCase, forward, source, name) -> NativeCase:
    """ConvTranspose2d(...)(x) or (x, output_size=...): the module's forward."""
    if source.language != "torch.nn":
        raise Usage(f"{name}(...)(...): only a torch module is called like this")
    module = Source("torch.nn", ("forward",), (P("input", role="tensor"), P("output_size", None)),
                    f"torch.nn.{name}.forward", case.rank)
    bound = _bind(module, f"{name}.forward", forward)
    if "input" not in bound:
        raise Invalid(f"{name}.forward: missing its input")
    values, _ = _values(module, f"{name}.forward", bound)
    size = values.get("output_size")
    if size is None:
        return case
    rank, axes = case.rank, ", ".join(AXES[case.rank])
    if not (isinstance(size, (list, tuple)) and len(size) in (rank, rank + 2)):
        raise Invalid(f"{name}.forward: output_size must be [{axes}] or [N, C, {axes}], not {size!r}")
    return dataclasses.replace(case, params=case.params + (("output_size", tuple(size)),))


def _torch_call(values, in_channels, name, size) -> Reading:
    _channels(in_channels, values["in_channels"], name, "in_channels")
    if values["padding_mode"] == "zeros":   # the only one the layer supports: Spec.from_torch refuses others
        del values["padding_mode"]
    call = {"language": "torch.nn", "size": size, **values}
    return Reading(_case(call, 1), layout=CHANNELS_FIRST[len(size)],
                   weight=f"w = layer.weight  # (C_in, C_out // groups, {kernel_words(len(size))}), as it is")


def _torch_functional_call(values, in_channels, name, size) -> Reading:
    rank = len(size)
    weight = _shape(name, "weight", values.pop("weight"), f"(C_in, C_out // groups, {kernel_words(rank)})", rank)
    groups = values["groups"]
    values["bias"] = values["bias"] not in (None, False)
    _channels(in_channels, weight[0], name, "in_channels (the weight's C_in)")
    if not isinstance(groups, int) or isinstance(groups, bool) or groups < 1:
        raise Invalid(f"{name}: groups={groups!r}: must be an int >= 1")
    call = {"language": "torch", "size": size, "in_channels": weight[0],
            "out_channels": weight[1] * groups, "kernel": weight[2:], **values}
    return Reading(_case(call, 1), layout=CHANNELS_FIRST[rank],
                   weight=f"w = weight  # (C_in, C_out // groups, {kernel_words(rank)}), as it is")


def _keras_call(values, in_channels, name, size) -> Reading:
    if in_channels is None:
        raise Usage(f"{name}: the layer does not state its input channels: give --channels")
    data_format = values.pop("data_format")
    if data_format not in (None, "channels_last", "channels_first"):
        raise Invalid(f"{name}: data_format={data_format!r}: Keras takes 'channels_last' or "
                      f"'channels_first'")
    rank = len(size)
    last, first = TF_LAYOUTS[rank]
    layout = f"{first} (channels_first)" if data_format == "channels_first" else f"{last} (channels_last)"
    call = {"language": "keras", "size": size, "in_channels": in_channels, **values, "entry": "layer"}
    return Reading(_case(call, 1), layout=layout, weight_axes=kernel_first(rank),
                   weight=_weight_text("layer.kernel", kernel_first(rank), False, rank)
                   + f"  # the kernel is ({kernel_words(rank)}, filters, C_in)")


def _tf_spatial(name: str, key: str, value, data_format: str, rank: int) -> tuple[int, ...]:
    """TF's strides and dilations: an int, or 1, rank or rank + 2 entries (N and C at 1)."""
    if value is None:
        return (1,) * rank
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * rank
    if isinstance(value, (list, tuple)) and len(value) in (1, rank, rank + 2):
        if len(value) == 1:
            return (value[0],) * rank
        if len(value) == rank:
            return tuple(value)
        batch, channel = (0, rank + 1) if data_format.endswith("C") else (0, 1)
        if value[batch] != 1 or value[channel] != 1:
            raise Invalid(f"{name}: {key}={list(value)}: TF takes no {key} in the batch and depth "
                          f"dimensions (they must be 1)")
        spatial = [v for i, v in enumerate(value) if i not in (batch, channel)]
        return tuple(spatial)
    counts = sorted({1, rank, rank + 2})
    raise Invalid(f"{name}: {key}={value!r}: must be an int or a list of "
                  f"{', '.join(map(str, counts[:-1]))} or {counts[-1]} ints")


def _tensorflow_call(values, in_channels, name, size) -> Reading:
    rank = len(size)
    last, first = TF_LAYOUTS[rank]
    data_format = values.pop("data_format") or last   # conv_transpose's None is channels last
    if data_format not in (last, first):
        raise Invalid(f"{name}: data_format={data_format!r}: a {rank}-D transposed convolution takes "
                      f"{last!r} or {first!r}")
    channels_at_end = data_format == last
    kernel = kernel_words(rank)
    filters = _shape(name, "filters", values.pop("filters"), f"({kernel}, C_out, C_in)", rank)
    output = values.pop("output_shape")
    axes = ", ".join(AXES[rank])
    words = f"[N, {axes}, C_out]" if channels_at_end else f"[N, C_out, {axes}]"
    if not (isinstance(output, (list, tuple)) and len(output) == rank + 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in output)):
        raise Invalid(f"{name}: output_shape={output!r}: must be the whole output shape {words} "
                      f"(data_format={data_format!r})")
    batch, channels = output[0], output[-1] if channels_at_end else output[1]
    sizes = tuple(output[1:-1] if channels_at_end else output[2:])
    if channels != filters[rank]:
        raise Invalid(f"{name}: output_shape={list(output)}: its C_out={channels} must be the "
                      f"filters' C_out={filters[rank]} (filters are ({kernel}, C_out, C_in))")
    if batch < 0:
        raise Invalid(f"{name}: output_shape={list(output)}: the batch N={batch} must be >= 0")
    _channels(in_channels, filters[rank + 1], name, "C_in (the filters' last axis)")
    padding = values["padding"]
    explicit = None
    if not isinstance(padding, str) and rank != 2:
        raise Invalid(f"{name}: padding={padding!r}: a {rank}-D transposed convolution takes 'SAME' or "
                      f"'VALID' (explicit pairs are conv2d_transpose's only: TF raises 'Expected string "
                      f"for argument padding')")
    if not isinstance(padding, str):   # explicit pairs, in the data format's axes
        rows = [tuple(p) for p in padding] if isinstance(padding, (list, tuple)) else []
        spatial = (1, 2) if channels_at_end else (2, 3)
        others = [rows[i] for i in range(len(rows)) if i not in spatial]
        if len(rows) != 4 or any(r != (0, 0) for r in others):
            form = ("[[0, 0], [top, bottom], [left, right], [0, 0]]" if channels_at_end
                    else "[[0, 0], [0, 0], [top, bottom], [left, right]]")
            raise Invalid(f"{name}: padding={padding!r}: explicit padding in {data_format} must be {form}")
        explicit, padding = (rows[spatial[0]], rows[spatial[1]]), "EXPLICIT"
    call = {"language": "tensorflow", "size": size, "in_channels": filters[rank + 1],
            "out_channels": filters[rank], "kernel": filters[:rank],
            "stride": _tf_spatial(name, "strides", values["stride"], data_format, rank),
            "dilation": _tf_spatial(name, "dilations", values["dilation"], data_format, rank),
            "padding": padding, "output_size": sizes, "bias": False, "entry": name}
    if explicit is not None:
        call["explicit"] = explicit
    notes: tuple[str, ...] = ()
    if not channels_at_end:
        notes = (("data_format='NCHW': TensorFlow's CPU kernel refuses many NCHW calls "
                  "('Conv2DCustomBackpropInputOp only supports NHWC': float64, explicit padding); "
                  "the TensorFlow form below is NHWC",) if rank == 2 else
                 (f"data_format={data_format!r}: the TensorFlow form below is {last}",))
    return Reading(_case(call, batch), notes, layout=data_format, weight_axes=kernel_first(rank),
                   weight=_weight_text("filters", kernel_first(rank), False, rank)
                   + f"  # filters are ({kernel}, C_out, C_in)")


# lax.conv_transpose's own defaults per rank (TensorFlow's layouts, its spatial letters)
JAX_DEFAULTS = {1: ("NHC", "HIO", "NHC"), 2: ("NHWC", "HWIO", "NHWC"), 3: ("NHWDC", "HWDIO", "NHWDC")}


def _jax_layouts(name: str, dimension_numbers, rank: int) -> tuple[str, str, str, str]:
    """(lhs, rhs, out, the spatial letters in rhs's order): JAX matches the
    spatial axes by letter and orders them as rhs does, so --input gives
    their sizes in that order."""
    if dimension_numbers is None:
        lhs, rhs, out = JAX_DEFAULTS[rank]
        return lhs, rhs, out, rhs.replace("I", "").replace("O", "")
    if not (isinstance(dimension_numbers, (list, tuple)) and len(dimension_numbers) == 3
            and all(isinstance(s, str) for s in dimension_numbers)):
        raise Usage(f"{name}: dimension_numbers={dimension_numbers!r}: give them as three strings, "
                    f"e.g. {JAX_DEFAULTS[rank]!r}")
    lhs, rhs, out = dimension_numbers
    spatial = "".join(letter for letter in rhs if letter not in "OI")
    if rank == 2:   # --input is HxW: the letters H and W, H first
        for spec, letters in ((lhs, "NCHW"), (rhs, "OIHW"), (out, "NCHW")):
            if sorted(spec) != sorted(letters):
                raise Unsupported(f"{name}: dimension_numbers={tuple(dimension_numbers)!r}: the translator "
                                  f"reads the letters N, C, H, W (O, I, H, W for rhs); {spec!r} has others")
        if rhs.index("H") > rhs.index("W"):
            raise Unsupported(f"{name}: dimension_numbers={tuple(dimension_numbers)!r}: the translator "
                              f"reads H before W in rhs (JAX orders the spatial axes by rhs)")
        return lhs, rhs, out, spatial
    for spec, letters in ((lhs, "NC" + spatial), (rhs, "OI" + spatial), (out, "NC" + spatial)):
        if sorted(spec) != sorted(letters) or len(set(spec)) != len(spec) or len(spatial) != rank:
            raise Invalid(f"{name}: dimension_numbers={tuple(dimension_numbers)!r}: for a {rank}-D input "
                          f"lhs and out must be N, C and {rank} spatial letters, rhs O, I and the same "
                          f"letters; {spec!r} is not")
    return lhs, rhs, out, spatial


def _jax_call(values, in_channels, name, size) -> Reading:
    rank = len(size)
    lhs, rhs_layout, out, spatial = _jax_layouts(name, values.pop("dimension_numbers"), rank)
    transposed = values.pop("transpose_kernel")
    if not isinstance(transposed, bool):
        raise Invalid(f"{name}: transpose_kernel={transposed!r}: must be True or False")
    rhs = _shape(name, "rhs", values.pop("rhs"), f"in its layout {rhs_layout!r}", rank)
    by = dict(zip(rhs_layout, rhs))
    # transpose_kernel=True: JAX flips the kernel and swaps its O and I axes, so
    # rhs's O axis is the layer's input channels and no flip is left to do;
    # False: rhs is the forward convolution's kernel: I the input, flipped
    order = ("OI" if transposed else "IO") + spatial
    axes = tuple(rhs_layout.index(letter) for letter in order)
    c_in, c_out = by[order[0]], by[order[1]]
    _channels(in_channels, c_in, name, f"C_in (rhs's {order[0]} axis)")
    for key in ("stride", "dilation"):
        value = values[key]
        if value is None:
            values[key] = (1,) * rank
        elif not (isinstance(value, (list, tuple)) and len(value) == rank):
            raise Invalid(f"{name}: {'strides' if key == 'stride' else 'rhs_dilation'}={value!r}: "
                          f"JAX takes a sequence of {rank} ints ({', '.join(spatial)})")
        else:
            values[key] = tuple(value)
    padding = values["padding"]
    if not isinstance(padding, str):
        try:
            padding = tuple(tuple(p) for p in padding)
        except TypeError:
            raise Invalid(f"{name}: padding={padding!r}: must be 'SAME', 'VALID' or (lo, hi) pairs") from None
    call = {"language": "jax", "size": size, "in_channels": c_in, "out_channels": c_out,
            "kernel": tuple(by[letter] for letter in spatial), "stride": values["stride"], "padding": padding,
            "dilation": values["dilation"], "pairs_as": "tuples", "bias": False}
    if values["use_consistent_padding"]:
        call["use_consistent_padding"] = True
    layout = lhs if lhs == out else f"input {lhs}, output {out}"
    notes = () if rank != 3 or spatial == "DHW" else (
        f"dimension_numbers: the spatial axes are rhs's, in its order ({', '.join(spatial)}): --input and "
        f"every form below take them in that order",)
    return Reading(_case(call, 1), notes, layout=layout, weight_axes=axes, weight_flipped=not transposed,
                   weight=_weight_text("rhs", axes, not transposed, rank)
                   + f"  # rhs is {rhs_layout!r}, transpose_kernel={transposed}")


# ONNX's pads: every axis's begin, then every end
PADS_WORDS = {1: "[left, right]", 2: "[top, left, bottom, right]",
              3: "[front, top, left, back, bottom, right]"}


def _onnx_call(values, in_channels, name, size) -> Reading:
    rank = len(size)
    kernel = kernel_words(rank)
    weight = _shape(name, "W", values.pop("W"), f"(C_in, C_out // group, {kernel})", rank)
    pads, kernel_shape = values.pop("pads"), values.pop("kernel_shape")
    if kernel_shape is not None and tuple(kernel_shape) != tuple(weight[2:]):
        raise Invalid(f"{name}: kernel_shape={list(kernel_shape)} is not W's ({kernel}) = {list(weight[2:])}")
    if pads is not None and not (isinstance(pads, (list, tuple)) and len(pads) == 2 * rank):
        raise Invalid(f"{name}: pads must be {PADS_WORDS[rank]}, not {pads!r}")
    _channels(in_channels, weight[0], name, "in_channels")
    try:
        stride, dilation = (tuple(_ints(word, (1,) * rank if value is None else value, rank))
                            for word, value in (("strides", values["stride"]), ("dilations", values["dilation"])))
    except ValueError as err:
        raise Invalid(f"{name}: {err}") from None
    call = {"language": "onnx", "size": size, "in_channels": weight[0],
            "out_channels": weight[1] * values["groups"], "kernel": weight[2:], **values,
            "stride": stride, "dilation": dilation,
            "explicit": None if pads is None else tuple((pads[axis], pads[axis + rank]) for axis in range(rank)),
            "output_padding": None if values["output_padding"] is None else tuple(values["output_padding"]),
            "output_size": None if values["output_size"] is None else tuple(values["output_size"]),
            "kernel_shape_given": kernel_shape is not None, "bias": values["bias"] not in (None, False)}
    return Reading(_case(call, 1), layout=CHANNELS_FIRST[rank],
                   weight=f"w = W  # (C_in, C_out // group, {kernel}), as it is")


_BUILD = {"torch.nn": _torch_call, "torch": _torch_functional_call, "keras": _keras_call,
          "tensorflow": _tensorflow_call, "jax": _jax_call, "onnx": _onnx_call}
