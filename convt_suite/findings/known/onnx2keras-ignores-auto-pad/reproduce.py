# onnx2keras 0.0.25's convert_convtranspose never reads auto_pad: it builds Conv2DTranspose('valid')
# and crops only the node's pads (where the top pad is positive). So SAME_UPPER and SAME_LOWER,
# which ask for output = input * stride, come back as the full output (I - 1)*S + K, and pads
# given beside an auto_pad, which the spec forbids ("This attribute cannot be used
# simultaneously with auto_pad attribute"; onnx's strict shape inference refuses the node), are
# applied as if auto_pad were NOTSET. Input 3x3, kernel 3x3, strides 2: the full output is 7x7.
import contextlib
import io
import logging
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import keras
import numpy as np
import onnx
import onnx2keras
from onnx import TensorProto, helper, numpy_helper
from onnx.reference import ReferenceEvaluator

logging.disable(logging.CRITICAL)   # onnx2keras's debug notes
X = np.ones((1, 1, 3, 3), np.float32)


def attempt(**attrs):
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], strides=[2, 2], **attrs)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(X.shape))],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                              initializer=[numpy_helper.from_array(np.ones((1, 1, 3, 3), np.float32), "w")])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    if "pads" in attrs:
        try:
            onnx.shape_inference.infer_shapes(m, strict_mode=True)
            by_onnx = "onnx's strict shape inference accepts it"
        except Exception as err:
            by_onnx = "onnx refuses: " + str(err).split("] ")[-1].strip()[:80]
    else:
        by_onnx = f"onnx's reference evaluator {ReferenceEvaluator(m).run(None, {'x': X})[0].shape}"
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            converted = onnx2keras.onnx_to_keras(m, ["x"], verbose=False)
        shape = converted.predict(X, verbose=0).shape
    except Exception as err:
        shape = f"{type(err).__name__}: {err}"
    finally:
        keras.backend.set_image_data_format("channels_last")   # onnx_to_keras leaves channels_first set
    print(f"{attrs}: {by_onnx} | onnx2keras {shape}")
    return shape, by_onnx


upper, upper_onnx = attempt(auto_pad="SAME_UPPER")
lower, lower_onnx = attempt(auto_pad="SAME_LOWER")
with_pads = [attempt(auto_pad=mode, pads=[1, 1, 1, 1]) for mode in ("SAME_UPPER", "SAME_LOWER", "VALID")]
if (upper == lower == (1, 1, 7, 7) and upper_onnx.endswith("(1, 1, 6, 6)") and lower_onnx.endswith("(1, 1, 6, 6)")
        and all(shape == (1, 1, 5, 5) and "refuses" in said for shape, said in with_pads)):
    print("REPRODUCED: onnx2keras ignores auto_pad: SAME_* give the full 7x7 output (the spec: 6x6), and "
          "pads beside an auto_pad, which onnx refuses, are applied (5x5)")
else:
    print("NOT REPRODUCED: auto_pad is read, or the pads beside it are not applied")
    sys.exit(3)
