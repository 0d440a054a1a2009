# TFLiteConverter's float16 weight quantization (Optimize.DEFAULT, supported_types=[tf.float16])
# stores an infinite weight as +-65504, float16's largest finite value (a NaN weight stays NaN), so a
# converted conv_transpose computes x * 65504 where IEEE gives x * inf: x = [1, 0.5, 0] times
# w = inf gives [65504, 32752, 0] where the definition gives [inf, inf, nan]. The same under XNNPACK
# and the reference kernels, in 1-D, 2-D and 3-D.
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter, OpResolverType

X = np.float32([1, 0.5, 0])
W = np.float32([np.inf, -np.inf, np.nan])   # one weight per output channel


def convert(rank):
    """A stride-1 kernel-1 conv{rank}d_transpose of x (3 positions along the first axis, 1 channel)
    to 3 channels, weights W, converted with float16 weights."""
    ones = (1,) * (rank - 1)
    shape, out = (1, 3) + ones + (1,), (1, 3) + ones + (3,)
    kernel = tf.constant(W.reshape((1,) * rank + (3, 1)))
    graph = tf.function(lambda x_: tf.nn.conv_transpose(x_, kernel, out, 1, "VALID"),
                        input_signature=[tf.TensorSpec(shape, tf.float32)])
    converter = tf.lite.TFLiteConverter.from_concrete_functions([graph.get_concrete_function()], graph)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.target_spec.supported_types = [tf.float16]
    return converter.convert(), shape


def run(model, shape, resolver):
    """The output for x, (position, channel), and the float16 weights the model stores."""
    interpreter = Interpreter(model_content=model, experimental_op_resolver_type=getattr(OpResolverType, resolver))
    interpreter.allocate_tensors()
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], X.reshape(shape))
    interpreter.invoke()
    stored = [interpreter.get_tensor(d["index"]).ravel().tolist() for d in interpreter.get_tensor_details()
              if d["dtype"] == np.float16]
    return interpreter.get_tensor(interpreter.get_output_details()[0]["index"]).reshape(3, 3), stored


with np.errstate(invalid="ignore"):
    ieee = np.outer(X, W)
print(f"x = {X}, w = {W} (per output channel); IEEE: {ieee[:, 0]} {ieee[:, 1]} {ieee[:, 2]}")
holds = []
for rank in (1, 2, 3):
    model, shape = convert(rank)
    for resolver in ("AUTO", "BUILTIN_REF"):
        y, stored = run(model, shape, resolver)
        print(f"{rank}-D {resolver}: weights stored {stored}; y = {y[:, 0]} {y[:, 1]} {y[:, 2]}")
        holds.append(len(stored) == 1 and stored[0][:2] == [65504, -65504] and np.isnan(stored[0][2])
                     and (y[:, :2] == np.outer(X, [65504, -65504])).all())
if all(holds):
    print("REPRODUCED: float16 weight quantization stores an infinite weight as +-65504 (a NaN stays NaN), so "
          "x * inf comes out x * 65504 (finite; 0, not NaN, for x = 0), in 1-D, 2-D and 3-D, XNNPACK and reference")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
