# tf2onnx converts tf.nn.conv{1,2,3}d_transpose with a constant output_shape without checking it
# against TensorFlow's range ('VALID': [L, L + S - 1]): it derives ConvTranspose pads from
# output_shape alone (total t = L - O, int(t/2) before). An output_shape TensorFlow refuses to
# compute therefore converts into a model that declares that shape and that ONNX Runtime computes
# wherever 0 <= t and O >= I: 'VALID', I=3, K=3, S=1 (L=5, TF takes O=5 only), output_shape 4: TF
# raises, the converted model declares 4 and returns the full output's first 4 positions (pads
# (0, 1)), in 1-D, 2-D and 3-D.
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


def attempt(rank):
    x = np.ones((1,) + (3,) * rank + (1,), np.float32)
    w = tf.Variable(np.ones((3,) * rank + (1, 1), np.float32))
    spec = [tf.TensorSpec(x.shape, tf.float32)]
    fn = tf.function(lambda x_: ENTRY[rank](x_, w, [1] + [4] * rank + [1], 1, "VALID"), input_signature=spec)
    try:
        by_tf = f"computes {fn(x).shape}"
    except (tf.errors.InvalidArgumentError, tf.errors.AbortedError) as err:
        by_tf = f"refuses ({type(err).__name__})"
    model, _ = tf2onnx.convert.from_function(fn, input_signature=spec)
    declared = [d.dim_value for d in model.graph.output[0].type.tensor_type.shape.dim]
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    out = session.run(None, {session.get_inputs()[0].name: x})[0]
    row = out[(0,) + (0,) * (rank - 1)].ravel()   # the last axis at 0 on the others: the full output's is 1 2 3 2 1
    print(f"{rank}-D 'VALID', output_shape 4 (TF's range [5, 5]): TensorFlow {by_tf} | converted model declares "
          f"{declared}, ONNX Runtime computes {out.shape}, first row {row.tolist()}")
    return by_tf.startswith("refuses") and declared == [1] + [4] * rank + [1] and out.shape == tuple(declared)


held = [attempt(rank) for rank in (1, 2, 3)]
if all(held):
    print("REPRODUCED: an output_shape TensorFlow refuses converts, is declared and is computed (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
