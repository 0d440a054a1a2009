"""TensorFlow: `tf.nn.conv2d_transpose`, NHWC input, (kH, kW, C_out, C_in) filter
(`conv1d_transpose` and `conv3d_transpose` in the other ranks: NWC and NDHWC,
(*kernel, C_out, C_in); a native call in its input's rank).

TF's crops depend on `output_shape` and the padding argument (see
Spec.from_tensorflow). Per call, this adapter takes the first of 'VALID',
'SAME' or explicit pads that TF reads as the spec's crops, so the modes are
exercised as users call them. TF has no bias argument: the bias is added with
`tf.nn.bias_add`, as TF users do. Composed, and labelled so:
  - groups > 1: `conv{1,2,3}d_transpose` has no groups; one call per group, concatenated;
  - dilation > 1 where TF's CPU kernel refuses it (finding
    tensorflow-cpu-dilation: float64, float16, and explicit padding in any
    dtype; every case where TF runs without oneDNN): the kernel is dilated
    with zeros and called with dilation 1;
  - a negative before-crop, or an after-crop below -(stride - 1): explicit
    pads must be >= 0, so the rest is zero-padded with `tf.pad` (before the bias);
  - in 1-D and 3-D, crops that 'VALID' and 'SAME' do not state (TF takes
    explicit pairs in 2-D only): the full output, cropped and zero-padded.
"""

from __future__ import annotations

import dataclasses
import functools
import tempfile

import numpy as np

from .base import Adapter, CompiledTwin, CropPlan, Plan, channels_first, channels_last, find_native, full, kernel_last
from .spec import Spec

# the dtypes whose CPU kernel (oneDNN) runs dilation > 1, with 'VALID'/'SAME' only, in
# every rank (measured 2026-12-07: conv1d/3d_transpose as conv2d_transpose); where TF
# runs without oneDNN, none does (finding tensorflow-cpu-dilation)
DILATION_DTYPES = ("float32", "bfloat16")


def dilation_dtypes() -> tuple:
    """Where TF's own call computes a dilation (elsewhere the kernel is dilated with zeros)."""
    from convt_suite.host.cpu import tensorflow_onednn
    return DILATION_DTYPES if tensorflow_onednn() else ()   # the same in every rank


def constant(tf, array: np.ndarray):
    """tf.constant; bfloat16 through float32 (exact) where TF's numpy bfloat16
    is not ml_dtypes' (TF 2.12 beside ml_dtypes 0.5 refuses the array)."""
    if array.dtype.name == "bfloat16" and array.dtype != np.dtype(tf.bfloat16.as_numpy_dtype):
        return tf.cast(tf.constant(array.astype(np.float32)), tf.bfloat16)
    return tf.constant(array)



def call_padding(call: dict):
    """A native case's padding argument ("tensorflow" language): 'SAME',
    'VALID' or (2-D only) the explicit NHWC list of its pads."""
    padding = call["padding"]
    if padding == "EXPLICIT":
        (top, bottom), (left, right) = call["explicit"]
        padding = [[0, 0], [top, bottom], [left, right], [0, 0]]
    return padding


@dataclasses.dataclass(frozen=True)
class Call:
    """How one group is computed: TF's arguments and what is composed around them."""

    spec: Spec                 # what conv2d_transpose is asked (dilation 1 if the kernel is dilated)
    padding: object            # 'VALID', 'SAME' or explicit NHWC pairs (2-D only)
    output_size: tuple         # the spatial part of output_shape ((H, W) in 2-D)
    done: tuple                # the crops TF performs; CropPlan does the rest
    dilate_kernel: bool


def _crops_tf_can_do(spec: Spec):
    """Explicit pads must be >= 0 and output_shape at most L + S - 1 (VALID)."""
    return tuple(
        (max(before, 0), max(after, -(s - 1)))
        for (before, after), s in zip(spec.padding, spec.stride)
    )


def plan_call(spec: Spec, dtype: str, input_size, explicit: bool = True, dilates=None) -> Call:
    """The native call for a groups=1 spec, and what must be composed around it:
    `explicit` whether the call may take an explicit padding list (2-D only),
    `dilates` the dtypes whose call computes a dilation (default: TF's CPU
    kernel's, dilation_dtypes())."""
    def output_size_of(crops):
        return dataclasses.replace(spec, padding=crops).output_shape((0, spec.in_channels, *input_size))[2:]

    done = _crops_tf_can_do(spec)
    try:
        output_size = output_size_of(done)
    except ValueError:  # clipping left no output (crops (3, -3) of L = 3): start from full
        done = full(spec.rank)
        output_size = output_size_of(done)
    modes: list = ["VALID", "SAME"]
    if explicit and spec.rank == 2:   # explicit pairs are conv2d_transpose's only
        modes.append([[0, 0], [done[0][0], max(done[0][1], 0)], [done[1][0], max(done[1][1], 0)], [0, 0]])

    padding = find_native(dataclasses.replace(spec, padding=done), (
        (padding, functools.partial(
            Spec.from_tensorflow, spec.in_channels, spec.out_channels, spec.kernel_size, input_size,
            output_size, spec.stride, padding, spec.dilation, spec.bias))
        for padding in modes
    ))
    if padding is None:   # 1-D or 3-D crops neither mode states: the full output, 'VALID' with O = L
        done, padding = full(spec.rank), "VALID"
        output_size = output_size_of(done)
    dilate = max(spec.dilation) > 1 and (dtype not in (dilation_dtypes() if dilates is None else dilates)
                                         or not isinstance(padding, str))
    called = spec
    if dilate:
        called = dataclasses.replace(spec, kernel_size=spec.effective_kernel, dilation=(1,) * spec.rank)
    return Call(called, padding, output_size, done, dilate)



class TensorFlowAdapter(Adapter):
    name = "tensorflow"
    framework = "tensorflow"
    ranks = (1, 2, 3)

    def _load(self):
        from convt_suite.host import quiet

        quiet.silence_tensorflow()
        import tensorflow as tf

        return tf

    dilation_reason = ("TF's CPU kernel refuses this dilation (finding tensorflow-cpu-dilation): "
                       "kernel dilated with zeros, called with dilation 1")
    crop_reason = "explicit pads must be >= 0 and output_shape at most L + S - 1: the rest zero-padded with tf.pad"

    def _plan_call(self, spec, dtype, input_size) -> Call:
        return plan_call(spec, dtype, input_size)

    def plan(self, spec, dtype, input_shape=None):
        call = self._plan_call(spec.per_group(), dtype, (input_shape or (1, 1) + (8,) * spec.rank)[2:])
        padding = call.padding if isinstance(call.padding, str) else [list(p) for p in call.padding]
        return Plan.from_reasons(
            f"no groups in tf.nn.conv{spec.rank}d_transpose: one call per group, concatenated"
            if spec.groups > 1 else "",
            self.dilation_reason if call.dilate_kernel else "",
            self.crop_reason if call.done != spec.padding else "",
            call={"padding": padding, "output_shape": list(call.output_size),
                  "kernel_size": list(call.spec.kernel_size), "strides": list(call.spec.stride),
                  "dilations": list(call.spec.dilation)},
            call_crops=call.done, per_group=spec.groups > 1, dilated_kernel=call.dilate_kernel)

    # what ran where no oneDNN primitive did (oneDNN is off, or lacks the dtype here)
    own_kernel: str | None = "TensorFlow's own kernel (no oneDNN primitive ran)"

    def kernels(self):
        found = super().kernels()
        if self.own_kernel and not any(k["library"] == "oneDNN" for k in found):
            found.append({"library": "TensorFlow", "primitive": "convolution", "direction": self._direction,
                          "implementation": self.own_kernel, "dtype": ""})
        return found

    def _evaluate(self, compute, x, weight, bias):
        tf = self.module
        return self._compiled(compute)(*(None if a is None else constant(tf, a)
                                         for a in (x, weight, bias))).numpy()

    def _differentiate(self, compute, x, weight, bias, grad_out):
        """tf.GradientTape through the same path as forward."""
        tf = self.module
        tensors = [None if a is None else constant(tf, a) for a in (x, weight, bias)]

        def gradients(tensors, upstream):
            watched = [t for t in tensors if t is not None]
            with tf.GradientTape() as tape:
                for tensor in watched:
                    tape.watch(tensor)
                y = compute(*tensors)
            grads = iter(tape.gradient(y, watched, output_gradients=upstream))
            return [None if t is None else next(grads) for t in tensors]

        found = self._compiled(gradients)(tensors, constant(tf, grad_out))
        return tuple(None if g is None else g.numpy() for g in found)

    native_language = "tensorflow"

    def _native(self, x, weight, bias, call):
        """tf.nn.conv{1,2,3}d_transpose or tf.nn.conv_transpose (the input's
        rank, channels last) with the drawn output_shape, strides, padding and
        dilations, then tf.nn.bias_add."""
        tf = self.module
        r = len(x.shape) - 2
        entry = getattr(tf.nn, call["entry"])
        y = entry(tf.transpose(x, channels_last(r)), tf.transpose(weight, kernel_last(r)),
                  output_shape=[x.shape[0], *call["output_size"], call["out_channels"]],
                  strides=call["stride"], padding=call_padding(call), dilations=call["dilation"])
        if bias is not None:
            y = tf.nn.bias_add(y, bias)
        return tf.transpose(y, channels_first(r))

    model_machinery: str | None = "tf.function"

    def _in_model(self, call, x, weight, bias):
        """The call inside a tf.function: traced to a graph, then run."""
        tf = self.module
        graph = tf.function(lambda *t: self._native(*t, call))
        return graph(*(None if a is None else constant(tf, a) for a in (x, weight, bias))).numpy()

    def round_trip_ways(self, call):
        return ("SavedModel",)

    def _round_trip(self, way, call, x, weight, bias):
        """A tf.Module holding the weights as variables, its call a
        tf.function with the input's signature, saved with
        tf.saved_model.save and loaded back."""
        tf = self.module
        module = tf.Module()
        module.weight = tf.Variable(constant(tf, weight))
        module.bias = None if bias is None else tf.Variable(constant(tf, bias))
        module.run = tf.function(lambda x_: self._native(x_, module.weight, module.bias, call),
                                 input_signature=[tf.TensorSpec(x.shape, tf.as_dtype(x.dtype.name))])
        with tempfile.TemporaryDirectory() as folder:
            tf.saved_model.save(module, folder)
            loaded = tf.saved_model.load(folder)   # held: its variables die with it
            return loaded.run(constant(tf, x)).numpy()

    def _declarers(self, call):
        """The static shape a tf.function traces for the call (graph mode's
        shape inference), with the tensors' exact shapes."""
        tf = self.module

        def static(x, weight, bias):
            specs = [None if a is None else tf.TensorSpec(a.shape, tf.as_dtype(a.dtype.name))
                     for a in (x, weight, bias)]
            traced = tf.function(lambda *t: self._native(*t, call)).get_concrete_function(*specs)
            return traced.structured_outputs.shape.as_list()

        return {"tf.function static shape": static}

    def _compute(self, x, weight, bias, spec):
        """Channels-first tensors in and out (NCHW in 2-D), in TF ops only (so
        TF can differentiate it)."""
        tf = self.module
        r = spec.rank
        x_last = tf.transpose(x, channels_last(r))
        group_spec = spec.per_group()
        call = self._plan_call(group_spec, x.dtype.name, tuple(x.shape[2:]))
        cin = group_spec.in_channels
        transpose = {1: tf.nn.conv1d_transpose, 2: tf.nn.conv2d_transpose, 3: tf.nn.conv3d_transpose}[r]
        outputs = []
        for g in range(spec.groups):
            # (C_in/g, C_out/g, *kernel) -> (*kernel, C_out/g, C_in/g)
            filters = tf.transpose(weight[g * cin:(g + 1) * cin], kernel_last(r))
            if call.dilate_kernel:
                filters = self._dilate(filters, spec.dilation)
            y = transpose(
                x_last[..., g * cin:(g + 1) * cin], filters,
                output_shape=[x.shape[0], *call.output_size, group_spec.out_channels],
                strides=spec.stride, padding=call.padding, dilations=call.spec.dilation,
            )
            outputs.append(CropPlan.between(call.done, spec.padding).apply(y, tf.pad, channels_last=True))
        y = outputs[0] if len(outputs) == 1 else tf.concat(outputs, axis=-1)
        if bias is not None:
            y = tf.nn.bias_add(y, bias)
        return tf.transpose(y, channels_first(r))

    def _dilate(self, filters, dilation):
        """Insert D - 1 zeros between kernel taps along each kernel axis, with TF ops."""
        tf = self.module
        for axis, d in enumerate(dilation):
            if d == 1:
                continue
            shape = list(filters.shape)
            k = shape[axis]
            spread = tf.expand_dims(filters, axis + 1)
            widths = [[0, 0]] * spread.shape.rank
            widths[axis + 1] = [0, d - 1]
            shape[axis] = k * d
            filters = tf.reshape(tf.pad(spread, widths), shape)
            filters = tf.gather(filters, tf.range(d * (k - 1) + 1), axis=axis)
        return filters


class TensorFlowXlaAdapter(CompiledTwin, TensorFlowAdapter):
    """The adapter's computation in `tf.function(jit_compile=True)`
    ("tensorflow[xla]"): compiled by XLA, forward and the GradientTape's
    gradients alike, as Keras's `jit_compile=True` training runs it. XLA
    brings its own convolution kernels, so TF's CPU kernels' rules (and
    their findings) need not hold."""

    name, eager = "tensorflow[xla]", "tensorflow"
    own_kernel = None   # XLA compiles its own: its program says how (host/kernels.py xla_kernels)
    # XLA compiles each new shape and dtype, some ten times the eager adapter's
    # check: a sixteenth of the cases (figures: docs, performance)
    case_share = 16
    case_share_reason = "each check compiles an XLA program for its shape: about 0.3 s"

    def _compiled(self, function):
        compiled = self.module.function(function, jit_compile=True)
        # the program that ran, its HLO optimized again (about 40 ms)
        return self._noting_xla(compiled, lambda *args: compiled.experimental_get_compiler_ir(*args)(
            stage="optimized_hlo"))
