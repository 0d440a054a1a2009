# tf2onnx converts tf.nn.conv2d_transpose with a constant output_shape by ignoring its `padding`
# argument: it sets ConvTranspose pads from output_shape alone, total t = S*(I-1) + (K-1)*D + 1 - O
# split int(t/2) before, the rest after. TensorFlow's explicit pads [[0, 0], [a, b], [c, d], [0, 0]]
# crop a before the output (t = a + b at the smallest O): where a != int(t/2) the converted
# model returns another window of the full output, silently. I=3, K=3, S=1 (L=5), pads (2, 0): TF
# returns rows 2..4 of the full output, ONNX Runtime rows 1..3. Explicit pairs are conv2d_transpose's
# only (conv1d_transpose and conv3d_transpose take 'SAME' or 'VALID', whose split tf2onnx's matches).
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
x = np.arange(1, 10, dtype=np.float32).reshape(1, 3, 3, 1)
w = tf.Variable(np.arange(1, 10, dtype=np.float32).reshape(3, 3, 1, 1))
spec = [tf.TensorSpec(x.shape, tf.float32)]


def both(padding):
    """TensorFlow's output, the converted model's pads and ONNX Runtime's output."""
    fn = tf.function(lambda x_: tf.nn.conv2d_transpose(x_, w, [1, 3, 3, 1], 1, padding), input_signature=spec)
    model, _ = tf2onnx.convert.from_function(fn, input_signature=spec)
    node = next(n for n in model.graph.node if n.op_type == "ConvTranspose")
    pads = next(list(a.ints) for a in node.attribute if a.name == "pads")
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return fn(x).numpy()[0, ..., 0], pads, session.run(None, {session.get_inputs()[0].name: x})[0][0, ..., 0]


tf_out, pads, ort_out = both([[0, 0], [2, 0], [2, 0], [0, 0]])
print("explicit pads (2, 0) on each axis: TensorFlow", tf_out.tolist(), "| converted pads", pads,
      "| ONNX Runtime", ort_out.tolist())
even_tf, even_pads, even_ort = both([[0, 0], [1, 1], [1, 1], [0, 0]])
print("explicit pads (1, 1), tf2onnx's own split: converted pads", even_pads, "| agree:",
      bool(np.array_equal(even_tf, even_ort)))
if pads == [1, 1, 1, 1] and not np.array_equal(tf_out, ort_out) and np.array_equal(even_tf, even_ort):
    print("REPRODUCED: tf2onnx replaces conv2d_transpose's explicit pads (2, 0) by its even split (1, 1): "
          "ONNX Runtime returns another window")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
