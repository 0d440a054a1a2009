"""TensorFlow converted to ONNX by tf2onnx and run in ONNX Runtime
("tensorflow[onnx]"): the converter users take from a TF model to a served one.

Each check builds what the tensorflow adapter computes as a `tf.function` of
the input, its weights held in `tf.Variable`s as a model holds them (tf2onnx
freezes variables into the graph's initializers; a captured constant it would
leave as a graph input), converts it with `tf2onnx.convert.from_function` at
its default opset, and runs the model in ONNX Runtime on the CPU. The native
sweeps convert the drawn tf.nn.conv{1,2,3}d_transpose call as written; the
converted graph's declared output shape is its declared shape.

The TF graph is what a user's model holds, so its plan is the tensorflow
adapter's: the converter gets no help and no hindrance from the adapter.
ONNX Runtime infers only (no gradients) and computes ConvTranspose in the
dtypes it is asked (float32 and float16 here).
"""

from __future__ import annotations

import functools

from .base import CompiledTwin, Decline
from .onnx import OnnxRuntimeAdapter, new_session
from .tensorflow import TensorFlowAdapter, constant


class TfToOnnxAdapter(CompiledTwin, TensorFlowAdapter):
    name, eager = "tensorflow[onnx]", "tensorflow"
    framework = "tf2onnx"
    own_kernel = None   # ONNX Runtime's kernel ran: noted per check
    # each check traces and converts a graph (0.05 to 0.2 s): a quarter of the cases
    case_share = 4
    case_share_reason = "each check converts a tf.function with tf2onnx: 0.05 to 0.2 s"

    def __init__(self):
        super().__init__()
        self._runtime = OnnxRuntimeAdapter()   # asks ONNX Runtime which dtypes it computes

    def needs(self):
        return ("tensorflow", "tf2onnx", "onnxruntime")

    def _load(self):
        tf = super()._load()
        import logging

        import tf2onnx  # noqa: F401

        # its INFO lines on every conversion ("Using tensorflow=..., opset=...")
        logging.getLogger("tf2onnx").setLevel(logging.ERROR)
        return tf

    def versions(self):
        import tf2onnx

        return {**super().versions(), "tf2onnx": tf2onnx.__version__, "opset": str(_default_opset()),
                "onnxruntime": self._runtime.module.__version__}

    def _supports(self, spec, dtype):
        return self._runtime._supports(spec, dtype) or super()._supports(spec, dtype)

    def _differentiate(self, compute, x, weight, bias, grad_out):
        raise Decline(f"{self.name} runs in ONNX Runtime, which infers only: no gradients")

    def _compiled(self, function):
        def run(x, *weights):
            out = self._run(self.convert(function, x, weights), x.numpy())
            return self.module.constant(out)

        return run

    def convert(self, function, x, weights) -> bytes:
        """function(x, *weights) as tf2onnx converts it: a tf.function of x
        with the weights as variables."""
        import tf2onnx

        tf = self.module
        held = [None if w is None else tf.Variable(w, trainable=False) for w in weights]
        signature = [tf.TensorSpec(x.shape, x.dtype)]
        graph = tf.function(lambda x_: function(x_, *held), input_signature=signature)
        model, _ = tf2onnx.convert.from_function(graph, input_signature=signature)
        return model.SerializeToString()

    def _run(self, model: bytes, x):
        session = new_session(self._runtime.module, model)
        out = session.run(None, {session.get_inputs()[0].name: x})[0]
        self._note_kernel({"library": "ONNX Runtime", "primitive": "ConvTranspose", "direction": "forward",
                           "implementation": f"{session.get_providers()[0]} (converted by tf2onnx)",
                           "dtype": str(x.dtype)})
        return out

    def _declarers(self, call):
        """The converted graph's output shape (tf2onnx's own shape inference)."""
        import onnx

        def converted(x, weight, bias):
            tensors = [None if a is None else constant(self.module, a) for a in (weight, bias)]
            model = onnx.load_from_string(self.convert(
                lambda x_, w_, b_: self._native(x_, w_, b_, call), constant(self.module, x), tensors))
            output = model.graph.output[0].type.tensor_type
            if not all(d.HasField("dim_value") for d in output.shape.dim):
                raise ValueError(f"the converted graph leaves the output's shape open: {output.shape}")
            return [d.dim_value for d in output.shape.dim]

        return {"converted graph": converted}


@functools.lru_cache(maxsize=1)
def _default_opset() -> int:
    from tf2onnx import constants

    return constants.PREFERRED_OPSET
