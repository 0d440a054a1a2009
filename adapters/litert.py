"""LiteRT (TensorFlow Lite): the tensorflow adapter's whole computation, as a
`tf.function` of the input with the weights as constants, converted by
`tf.lite.TFLiteConverter.from_concrete_functions` (as a user converts a TF
model) and run by `ai_edge_litert`'s interpreter on the CPU: "litert" with its
default delegate (XNNPACK, where it takes the graph), "litert[reference]" with
the reference kernels (`OpResolverType.BUILTIN_REF`).

The converter maps conv{1,2,3}d_transpose to TRANSPOSE_CONV (1-D: reshaped to
2-D) and CONV_3D_TRANSPOSE; it refuses, as needing TF's own kernels (Select
ops: Conv2DBackpropInput), an explicit padding list and dilation > 1. So
this adapter calls 'VALID' or 'SAME' only (other crops: the full output,
cropped and zero-padded), and dilates the kernel with zeros. Each check
records the ops the interpreter ran, a DELEGATE node meaning XNNPACK took them.
Inference only. float32; and float16 as the converter offers it, a float32
model converted with float16 weights (`Optimize.DEFAULT` with
`supported_types=[tf.float16]`: the weights stored in float16, dequantized
to float32 when the model runs), fed the float16 input as float32, its float32
output rounded to float16. bfloat16 and float64: the converter offers neither.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io

import numpy as np

from .base import CompiledTwin, Decline, channels_first, channels_last, contract_array
from .keras import KerasAdapter
from .tensorflow import TensorFlowAdapter, plan_call


class LiteRtConversion:
    """What every LiteRT adapter shares: the converter's dtypes (float32, and
    float16 weights at most), and the runtime's version beside the framework's."""

    name: str

    def versions(self):
        from importlib.metadata import version

        return {**super().versions(), "ai-edge-litert": version("ai-edge-litert")}  # type: ignore[misc]

    def _supports(self, spec, dtype):
        if dtype not in ("float32", "float16"):
            return (f"{self.name}: the TFLite converter makes float32 models, with float16 weights at "
                    f"most (asked {dtype})")
        return super()._supports(spec, dtype)  # type: ignore[misc]


class LiteRtAdapter(LiteRtConversion, CompiledTwin, TensorFlowAdapter):
    name, eager = "litert", "tensorflow"
    framework = "litert"
    own_kernel = None   # the interpreter's ops are noted instead
    resolver = "AUTO"   # the interpreter's default: its built-in kernels with XNNPACK applied
    dilation_reason = ("LiteRT's converter refuses dilation > 1 (a TF Select op, Conv2DBackpropInput): "
                       "kernel dilated with zeros, called with dilation 1")
    crop_reason = ("LiteRT's converter refuses an explicit padding list, and 'VALID' and 'SAME' do not "
                   "state these crops: the full output, cropped and zero-padded with tf.pad")
    # each check traces and converts a model (0.1 to 0.5 s): an eighth of the cases
    case_share = 8
    case_share_reason = "each check converts a model with TFLiteConverter: 0.1 to 0.5 s"

    def needs(self):
        return ("tensorflow", "ai_edge_litert")

    def _plan_call(self, spec, dtype, input_size):
        return plan_call(spec, dtype, input_size, explicit=False, dilates=())

    def _differentiate(self, compute, x, weight, bias, grad_out):
        raise Decline(f"{self.name} runs inference only: no gradients")

    def _compiled(self, function):
        tf = self.module

        def run(x, *weights):
            """The function of x alone, its weights constants, converted and
            interpreted (float16: a float32 model with float16 weights)."""
            half = x.dtype == tf.float16
            if half:
                x, weights = tf.cast(x, tf.float32), [None if w is None else tf.cast(w, tf.float32) for w in weights]
            graph = tf.function(lambda x_: function(x_, *weights),
                                input_signature=[tf.TensorSpec(x.shape, x.dtype)])
            converter = tf.lite.TFLiteConverter.from_concrete_functions([graph.get_concrete_function()], graph)
            if half:
                converter.optimizations = [tf.lite.Optimize.DEFAULT]
                converter.target_spec.supported_types = [tf.float16]
            out = self._interpret(converter.convert(), x.numpy(), "float16 weights, computed in float32" if half
                                  else "float32")
            return tf.constant(out.astype(np.float16) if half else out)

        return run

    def _interpret(self, model: bytes, x: np.ndarray, dtype: str = "float32") -> np.ndarray:
        from ai_edge_litert.interpreter import Interpreter, OpResolverType

        interpreter = Interpreter(model_content=model,
                                  experimental_op_resolver_type=getattr(OpResolverType, self.resolver))
        interpreter.allocate_tensors()
        interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
        interpreter.invoke()
        ops = [op["op_name"] for op in interpreter._get_ops_details()]
        kernels = ("reference kernels" if self.resolver == "BUILTIN_REF" else
                   "XNNPACK in the graph (a DELEGATE node)" if "DELEGATE" in ops else
                   "built-in kernels (no delegate in the graph)")
        for op in ops:
            if "CONV" in op:
                self._note_kernel({"library": "LiteRT", "primitive": op, "direction": "forward",
                                   "implementation": kernels, "dtype": dtype})
        return interpreter.get_tensor(interpreter.get_output_details()[0]["index"])


class LiteRtReferenceAdapter(LiteRtAdapter):
    name = "litert[reference]"
    resolver = "BUILTIN_REF"


class LiteRtKerasAdapter(LiteRtConversion, KerasAdapter):
    """A Keras model converted as Keras users convert one: a Functional model
    holding the `Conv{1,2,3}DTranspose` layer (its weights set with
    `set_weights`) or the `keras.ops.conv_transpose` call, converted by
    `tf.lite.TFLiteConverter.from_keras_model` and run by the interpreter
    with XNNPACK ("litert[keras]"). A Keras model holds the layer as the user
    wrote it: a spec the layer cannot state (groups, crops no ('valid' |
    'same', output_padding) gives) is declined, not composed; the litert
    adapter converts the composed TF graph. float16 as litert's: a float32
    model with float16 weights."""

    framework = "litert"
    resolver = "AUTO"
    case_share = 8
    case_share_reason = "each check builds a Keras model and converts it with TFLiteConverter: 0.2 to 0.6 s"
    model_machinery: str | None = None   # a converted model runs in the interpreter, not in Keras
    _interpret = LiteRtAdapter._interpret

    def __init__(self):
        super().__init__("tensorflow")
        self.name = "litert[keras]"

    def needs(self):
        return ("keras", "tensorflow", "ai_edge_litert")

    def _supports(self, spec, dtype):
        declined = super()._supports(spec, dtype)   # the converter's dtypes, then the layer's own rule
        if declined:
            return declined
        if spec.groups > 1 or self.native(spec) is None:
            lacks = "groups" if spec.groups > 1 else "crops no (padding, output_padding) gives"
            return (f"{self.name} converts a Keras model holding one Conv{spec.rank}DTranspose layer, which "
                    f"cannot state this spec ({lacks}): the keras adapter composes it in ops, and litert "
                    f"converts that TF graph")
        return None

    def plan(self, spec, dtype):
        plan = super().plan(spec, dtype)
        return dataclasses.replace(plan, words=f"{plan.words}, a Keras model converted by "
                                               "TFLiteConverter.from_keras_model")

    def forward(self, x, weight, bias, spec):
        self._rank_supported(spec)
        spec.check_tensors(x.shape, weight.shape, None if bias is None else bias.shape)
        params = self.native(spec)
        if spec.groups > 1 or params is None:
            raise Decline(self._supports(spec, "float32"))
        padding, output_padding = params
        call = {"entry": "layers", "out_channels": spec.out_channels, "kernel": list(spec.kernel_size),
                "bias": bias is not None, "stride": list(spec.stride), "padding": padding,
                "output_padding": None if output_padding is None else list(output_padding),
                "dilation": list(spec.dilation)}
        return self.native_forward(x, weight, bias, call)

    def native_forward(self, x, weight, bias, call):
        """The Functional model of the call (as keras[tensorflow]'s model
        machinery builds it), converted and interpreted."""
        import tensorflow as tf

        with self._watching("forward"):
            half = x.dtype == np.float16
            model = self._functional_model(call, x.astype(np.float32) if half else x, weight, bias)
            converter = tf.lite.TFLiteConverter.from_keras_model(model)
            if half:
                converter.optimizations = [tf.lite.Optimize.DEFAULT]
                converter.target_spec.supported_types = [tf.float16]
            with contextlib.redirect_stdout(io.StringIO()):   # Keras's export prints where it saved
                flatbuffer = converter.convert()
            r = x.ndim - 2
            out = self._interpret(flatbuffer, np.transpose(x, channels_last(r)).astype(np.float32),
                                  "float16 weights, computed in float32" if half else "float32")
            out = np.transpose(out, channels_first(r))
            return contract_array(out.astype(np.float16) if half else out)

    def _differentiate(self, compute, x, weight, bias, grad_out):
        raise Decline(f"{self.name} runs inference only: no gradients")

    def round_trip_ways(self, call):
        return ()

    def _declarers(self, call):
        raise Decline(f"{self.name} declares shapes as keras[tensorflow] does: its check runs them")
