import sys

import numpy as np
import tensorflow as tf

x, w = np.ones((1, 3, 3, 2), "float32"), np.ones((4, 4, 3, 2), "float32")   # NHWC, (kH, kW, C_out, C_in)
# 'SAME', input 3, stride 2: output_shape must be 5 or 6
layer = tf.function(lambda x, w: tf.nn.conv2d_transpose(x, w, [1, 20, 20, 3], 2, "SAME"))
declared = layer.get_concrete_function(tf.TensorSpec(x.shape), tf.TensorSpec(w.shape)).structured_outputs.shape
try:
    ran = tuple(layer(x, w).shape)
except (tf.errors.InvalidArgumentError, tf.errors.AbortedError) as err:
    ran = type(err).__name__
print("static shape", declared, "| running it ->", ran)


def call_in_rank(rank):
    """The same call in 1-D (conv1d_transpose) and 3-D (conv3d_transpose): its static shape, and running it."""
    x, w = np.ones((1,) + (3,) * rank + (2,), "float32"), np.ones((4,) * rank + (3, 2), "float32")
    entry = {1: tf.nn.conv1d_transpose, 3: tf.nn.conv3d_transpose}[rank]
    asked = [1] + [20] * rank + [3]
    layer = tf.function(lambda x, w: entry(x, w, asked, 2, "SAME"))
    declared = layer.get_concrete_function(tf.TensorSpec(x.shape), tf.TensorSpec(w.shape)).structured_outputs.shape
    try:
        ran = tuple(layer(x, w).shape)
    except (tf.errors.InvalidArgumentError, tf.errors.AbortedError) as err:
        ran = type(err).__name__
    print(f"{rank}-D static shape", declared, "| running it ->", ran)
    return declared.as_list() == asked and isinstance(ran, str)


in_ranks = {rank: call_in_rank(rank) for rank in (1, 3)}
if declared.as_list() == [1, 20, 20, 3] and isinstance(ran, str) and all(in_ranks.values()):
    print("REPRODUCED: the static shape is the refused output_shape (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
