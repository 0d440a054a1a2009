"""onnx2keras: the one-node ONNX `ConvTranspose` model the ONNX adapters build
(adapters/onnx.py: the same pads, output_padding and composition), its weights
initializers, converted to a Keras model by `onnx2keras.onnx_to_keras(model,
["x"])` as its README converts one (channels first, as the ONNX model is), and
run by `model.predict` on Keras's TensorFlow backend ("onnx[keras]").

onnx2keras's convert_convtranspose maps the node to Conv2DTranspose('valid',
output_padding=0, dilation_rate=dilations[0]) and then Cropping2D(pads[:2])
only when the height's pad is positive (the pitfall `onnx2keras-crop` states
that rule); it raises for groups, a dilation, an output_padding, and 1-D and
3-D weights. Those are not declined here: the converter meets every model the
ONNX adapters build, and what it refuses or gets wrong is a finding.
Inference only; float32 (onnx2keras builds Keras's default float32 layers).
"""

from __future__ import annotations

import io
import logging
import os
import sys
from contextlib import redirect_stdout

import numpy as np

from .onnx import OnnxAdapter, model_bytes


class OnnxToKerasAdapter(OnnxAdapter):
    name = "onnx[keras]"
    framework = "onnx2keras"
    static_shapes = True   # onnx2keras reads the Keras Input's shape from the model's input
    # each check converts a model and runs predict: 0.05 to 0.2 s
    case_share = 4
    case_share_reason = "each check converts a model with onnx2keras and runs Keras predict: 0.05 to 0.2 s"

    def needs(self):
        return ("onnx", "onnx2keras", "keras", "tensorflow")

    def _load(self):
        from convt_suite.host import quiet

        if "keras" not in sys.modules:   # onnx2keras imports tensorflow.keras: Keras 3 on its TF backend
            os.environ["KERAS_BACKEND"] = "tensorflow"
        quiet.silence_tensorflow()
        import keras
        import onnx2keras

        if keras.backend.backend() != "tensorflow":
            raise RuntimeError(f"this process runs Keras on {keras.backend.backend()!r}; onnx2keras "
                               "builds tf.keras layers: run onnx[keras] in its own process")
        logging.getLogger("onnx2keras").setLevel(logging.ERROR)   # its debug notes
        return onnx2keras

    def versions(self):
        from importlib.metadata import version

        import keras

        return {**super().versions(), "onnx2keras": version("onnx2keras"), "keras": keras.__version__}

    def _supports(self, spec, dtype):
        if dtype != "float32":
            return f"{self.name}: onnx2keras builds Keras's default float32 layers (asked {dtype})"
        return None

    def _model(self, attrs: dict, tensors) -> bytes:
        """The node with x an input of its static shape, and w (and b)
        initializers: onnx2keras reads a node's weights from the initializers."""
        import onnx
        from onnx import numpy_helper

        model = onnx.load_from_string(model_bytes(attrs, tensors[0].dtype.name, len(tensors) == 3, self.opset,
                                                  [list(t.shape) for t in tensors]))
        graph = model.graph
        for name, tensor in zip(("w", "b"), tensors[1:]):
            graph.initializer.append(numpy_helper.from_array(tensor, name))
        kept = [i for i in graph.input if i.name == "x"]
        del graph.input[:]
        graph.input.extend(kept)
        return model.SerializeToString()

    def _run(self, model: bytes, tensors) -> np.ndarray:
        import keras
        import onnx

        with redirect_stdout(io.StringIO()):   # onnx2keras prints its layer names
            converted = self.module.onnx_to_keras(onnx.load_from_string(model), ["x"], verbose=False)
        x = tensors[0]
        for layer in converted.layers:
            if "Conv" in type(layer).__name__ or "Cropping" in type(layer).__name__:
                self._note_kernel({"library": "Keras", "primitive": type(layer).__name__, "direction": "forward",
                                   "implementation": "onnx2keras's layer", "dtype": "float32"})
        out = converted.predict(x, verbose=0, batch_size=max(len(x), 1))
        keras.backend.set_image_data_format("channels_last")   # onnx_to_keras left channels_first set
        return np.asarray(out)

    def _declarers(self, call):
        from .base import Decline

        raise Decline(f"{self.name} declares shapes as onnxruntime's shape inference does: its check runs them")
