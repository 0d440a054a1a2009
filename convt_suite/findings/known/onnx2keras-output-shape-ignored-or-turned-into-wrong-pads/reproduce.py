# onnx2keras 0.0.25's convert_convtranspose reads output_shape only where the node has no pads,
# and then turns it into pads = [S0*(I0 - 1) + (Kh - 1) - O0, S1*(I1 - 1) + (Kh - 1) - O1]: the
# kernel's height on both axes, one short of the spec's total S*(I - 1) + K - O, and cropped as
# Cropping2D(pads) from both ends of each axis (only where the first is positive). Beside pads,
# output_shape is ignored, where the spec says the pads are. The spec's output is the
# output_shape asked for (onnx's reference evaluator, which reads output_shape only with a SAME
# auto_pad, is not used here).
import contextlib
import io
import logging
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras
import numpy as np
import onnx2keras
from onnx import TensorProto, helper, numpy_helper

logging.disable(logging.CRITICAL)   # onnx2keras's debug notes


def attempt(what, size, kernel, expected, **attrs):
    x = np.ones((1, 1) + size, np.float32)
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], **attrs)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                              initializer=[numpy_helper.from_array(np.ones((1, 1) + kernel, np.float32), "w")])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            converted = onnx2keras.onnx_to_keras(m, ["x"], verbose=False)
        got = converted.predict(x, verbose=0).shape[2:]
    except Exception as err:
        got = f"{type(err).__name__}: {err}"
    finally:
        keras.backend.set_image_data_format("channels_last")   # onnx_to_keras leaves channels_first set
    print(f"{what}: the spec {tuple(attrs['output_shape'])} | onnx2keras {got}")
    return got == expected


held = [
    attempt("input 4x4, kernel 3x3, output_shape [5, 5] (total 1; onnx2keras's pads 0: no crop)",
            (4, 4), (3, 3), (6, 6), output_shape=[5, 5]),
    attempt("input 3x3, kernel 3x3, strides 2, output_shape [3, 3] (total 4; pads 3, cropped from both ends)",
            (3, 3), (3, 3), (1, 1), strides=[2, 2], output_shape=[3, 3]),
    attempt("input 4x4, kernel 3x1, output_shape [4, 4] (width total 0; pads from the kernel's height: 1)",
            (4, 4), (3, 1), (4, 2), output_shape=[4, 4]),
    attempt("input 4x4, kernel 3x3, pads [1, 1, 1, 1], output_shape [5, 5] (the pads applied instead)",
            (4, 4), (3, 3), (4, 4), pads=[1, 1, 1, 1], output_shape=[5, 5]),
]
if all(held):
    print("REPRODUCED: onnx2keras ignores output_shape beside pads and, without pads, derives wrong pads from it "
          "(the kernel's height on both axes, one short, cropped from both ends)")
else:
    print("NOT REPRODUCED: output_shape is converted otherwise")
    sys.exit(3)
