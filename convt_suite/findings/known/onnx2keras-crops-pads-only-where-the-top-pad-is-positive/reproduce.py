# onnx2keras 0.0.25 converts a 2-D ConvTranspose node to Conv2DTranspose('valid') and applies
# its pads [top, left, bottom, right] afterwards only `if pads[0] > 0`, and then as
# Cropping2D(pads[:2]) (top and left cropped from both ends of their axes) after
# `assert pads[2] == pads[0] and pads[3] == pads[1]`. So pads with a top of 0 are dropped (the
# full output comes back) and uneven pads with a positive top fail a bare AssertionError; only
# symmetric pads with a positive top convert right. Input 3x3, kernel 3x3 (full output 5x5).
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
rng = np.random.default_rng(0)
X = rng.standard_normal((1, 1, 3, 3)).astype(np.float32)
W = rng.standard_normal((1, 1, 3, 3)).astype(np.float32)


def attempt(pads):
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], pads=pads)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(X.shape))],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                              initializer=[numpy_helper.from_array(W, "w")])
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    want = ReferenceEvaluator(m).run(None, {"x": X})[0]
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            converted = onnx2keras.onnx_to_keras(m, ["x"], verbose=False)
        got = converted.predict(X, verbose=0)
        said = f"{got.shape}" + (f", max error {np.abs(got - want).max():.1e}" if got.shape == want.shape else "")
    except Exception as err:
        got, said = None, f"{type(err).__name__}: {err}"
    finally:
        keras.backend.set_image_data_format("channels_last")   # onnx_to_keras leaves channels_first set
    print(f"pads {pads}: onnx's reference evaluator {want.shape} | onnx2keras {said}")
    return want, got, said


_, top0, _ = attempt([0, 1, 0, 1])
_, _, uneven = attempt([1, 0, 1, 1])
want_even, even, _ = attempt([1, 1, 1, 1])
if (top0 is not None and top0.shape == (1, 1, 5, 5) and uneven.startswith("AssertionError")
        and even is not None and np.allclose(even, want_even, atol=1e-5)):
    print("REPRODUCED: onnx2keras drops pads whose top is 0 (the full 5x5 output) and fails an assert "
          "on uneven pads; symmetric pads with a positive top convert right")
else:
    print("NOT REPRODUCED: the pads above are converted otherwise")
    sys.exit(3)
