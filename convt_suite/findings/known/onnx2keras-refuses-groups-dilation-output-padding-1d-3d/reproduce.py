# onnx2keras 0.0.25's convert_convtranspose maps a ConvTranspose node to Keras's Conv2DTranspose
# and raises for what it does not map: a 3-D node (5-axis weight) 'NotImplementedError: Not
# implemented', a 1-D node (3-axis weight) 'AttributeError: Layer is not supported for now', and
# for a 2-D node group > 1, dilations[0] > 1 (it reads the height's dilation only) and any
# output_padding > 0 ('AttributeError: Cannot convert ConvTranspose2d with ...'). Each node
# below is a valid ConvTranspose that onnx's reference evaluator computes.
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
from onnx.reference import ReferenceEvaluator

logging.disable(logging.CRITICAL)   # onnx2keras's debug notes


def model(x_shape, w_shape, **attrs):
    w = np.ones(w_shape, np.float32)
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], **attrs)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x_shape))],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                              initializer=[numpy_helper.from_array(w, "w")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])


def attempt(what, x_shape, w_shape, expected_error, **attrs):
    m = model(x_shape, w_shape, **attrs)
    x = np.ones(x_shape, np.float32)
    by_onnx = ReferenceEvaluator(m).run(None, {"x": x})[0].shape
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            converted = onnx2keras.onnx_to_keras(m, ["x"], verbose=False)
        got = f"converts: {converted.predict(x, verbose=0).shape}"
    except Exception as err:
        got = f"{type(err).__name__}: {err}"
    finally:
        keras.backend.set_image_data_format("channels_last")   # onnx_to_keras leaves channels_first set
    print(f"{what}: onnx's reference evaluator {by_onnx} | onnx2keras {got}")
    return got == expected_error


held = [
    attempt("2-D group 2", (1, 2, 3, 3), (2, 1, 2, 2), "AttributeError: Cannot convert ConvTranspose2d with groups != 1",
            group=2),
    attempt("2-D dilations [2, 1]", (1, 1, 3, 3), (1, 1, 2, 2),
            "AttributeError: Cannot convert ConvTranspose2d with dilation_rate != 1", dilations=[2, 1]),
    attempt("2-D output_padding [0, 1], strides 2", (1, 1, 3, 3), (1, 1, 2, 2),
            "AttributeError: Cannot convert ConvTranspose2d with output_padding != 0", strides=[2, 2],
            output_padding=[0, 1]),
    attempt("1-D", (1, 1, 3), (1, 1, 2), "AttributeError: Layer is not supported for now"),
    attempt("3-D", (1, 1, 3, 3, 3), (1, 1, 2, 2, 2), "NotImplementedError: Not implemented"),
]
if all(held):
    print("REPRODUCED: onnx2keras refuses valid ConvTranspose nodes: groups, a height dilation, "
          "output_padding, 1-D and 3-D")
else:
    print("NOT REPRODUCED: some node above is converted or refused otherwise")
    sys.exit(3)
