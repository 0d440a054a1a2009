# TensorFlow's conv2d_transpose takes explicit pads [[0, 0], [a, b], [c, d], [0, 0]], which can
# leave an output shorter than the input: I=4, K=3, S=1 (L=6), pads (2, 2): O=2. tf2onnx refuses such
# an output_shape ("output dims cannot be smaller than input dims", nn.py's ConvTranspose), but
# tf2onnx.convert.from_function converts with continue_on_error=True: the node is left as it was,
# renamed ConvTranspose with TF's inputs (int32 input_sizes, filter, input), and the model it returns
# is invalid: ONNX Runtime refuses it (INVALID_GRAPH; with a bias, fused in as a fourth input, "input
# size 4 not in range"). Explicit pairs are conv2d_transpose's only: 'SAME' and 'VALID' (the 1-D
# and 3-D calls) never give an output shorter than the input.
import logging
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import onnxruntime as ort
import tensorflow as tf
import tf2onnx

logging.getLogger("tf2onnx").setLevel(logging.CRITICAL)
ort.set_default_logger_severity(4)
x = np.arange(1, 17, dtype=np.float32).reshape(1, 4, 4, 1)
w, b = tf.Variable(np.ones((3, 3, 1, 1), np.float32)), tf.Variable(np.ones(1, np.float32))
spec = [tf.TensorSpec(x.shape, tf.float32)]
PADS = [[0, 0], [2, 2], [2, 2], [0, 0]]


def attempt(with_bias):
    def call(x_):
        y = tf.nn.conv2d_transpose(x_, w, [1, 2, 2, 1], 1, PADS)
        return tf.nn.bias_add(y, b) if with_bias else y

    fn = tf.function(call, input_signature=spec)
    by_tf = fn(x).numpy()
    model, _ = tf2onnx.convert.from_function(fn, input_signature=spec)
    node = next(n for n in model.graph.node if n.op_type == "ConvTranspose")
    text = ""
    try:
        session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
        by_ort = f"computes {session.run(None, {session.get_inputs()[0].name: x})[0].shape}"
    except Exception as err:
        text = str(err)
        by_ort = f"refuses: {type(err).__name__}: ... {text[-90:]}"
    print(f"pads (2, 2), output_shape 2{' + bias' if with_bias else ''}: TensorFlow {by_tf.shape} | converted "
          f"ConvTranspose's inputs {list(node.input)} | ONNX Runtime {by_ort}")
    return (by_tf.shape == (1, 2, 2, 1) and "input_sizes" in node.input[0]
            and "INVALID_GRAPH : This is an invalid model" in text)


held = [attempt(False), attempt(True)]
if all(held):
    print("REPRODUCED: an output shorter than the input leaves the node unconverted, and the model "
          "tf2onnx returns is invalid")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
