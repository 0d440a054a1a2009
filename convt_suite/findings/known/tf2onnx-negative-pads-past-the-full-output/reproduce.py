# tf2onnx converts tf.nn.conv{1,2,3}d_transpose with a constant output_shape by setting ConvTranspose
# pads from output_shape alone: total t = S*(I-1) + (K-1)*D + 1 - O, int(t/2) before, the rest after.
# TensorFlow accepts an output_shape past the full output L = S*(I-1) + (K-1)*D + 1 ('VALID' up to
# L + S - 1, 'SAME' up to I*S, which exceeds L where the kernel is shorter than the stride) and
# fills the extra positions with zeros; there t < 0, the converted node gets a negative pad, and
# ONNX Runtime refuses the model ("pads must not contain negative values"). 'VALID', I=3, K=3, S=2
# (L=7), output_shape 8: pads (0, -1) per axis, in 1-D, 2-D and 3-D; 'SAME', K=1 (L=5), output 6.
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
ENTRY = {1: tf.nn.conv1d_transpose, 2: tf.nn.conv2d_transpose, 3: tf.nn.conv3d_transpose}


def attempt(rank, kernel, out, padding):
    """TensorFlow's output (its last row), the converted pads, and what ONNX Runtime does."""
    x = np.arange(1, 1 + 3 ** rank, dtype=np.float32).reshape((1,) + (3,) * rank + (1,))
    w = tf.Variable(np.ones((kernel,) * rank + (1, 1), np.float32))
    spec = [tf.TensorSpec(x.shape, tf.float32)]
    fn = tf.function(lambda x_: ENTRY[rank](x_, w, [1] + [out] * rank + [1], 2, padding), input_signature=spec)
    by_tf = fn(x).numpy()
    model, _ = tf2onnx.convert.from_function(fn, input_signature=spec)
    node = next(n for n in model.graph.node if n.op_type == "ConvTranspose")
    pads = next(list(a.ints) for a in node.attribute if a.name == "pads")
    try:
        session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
        by_ort = f"computes {session.run(None, {session.get_inputs()[0].name: x})[0].shape}"
    except Exception as err:
        by_ort = f"refuses: {str(err).split('] ')[-1][:80]}"
    last = by_tf[(0,) + (slice(None),) * (rank - 1) + (-1,)].ravel()   # TF's zero-filled last position
    print(f"{rank}-D {padding}, K={kernel}, output_shape {out}: TensorFlow {by_tf.shape[1:-1]}, "
          f"last position all zero: {not last.any()} | converted pads {pads} | ONNX Runtime {by_ort}")
    return min(pads) < 0 and "pads must not contain negative values" in by_ort and not last.any()


held = [attempt(rank, 3, 8, "VALID") for rank in (1, 2, 3)] + [attempt(2, 1, 6, "SAME")]
if all(held):
    print("REPRODUCED: past the full output tf2onnx writes negative pads, which ONNX Runtime refuses "
          "('VALID' in 1-D, 2-D, 3-D; 'SAME')")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
