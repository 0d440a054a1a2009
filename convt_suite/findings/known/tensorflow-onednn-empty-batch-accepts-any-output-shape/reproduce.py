import sys

import numpy as np
import tensorflow as tf


def call(batch, output, dtype="float32"):
    x = np.ones((batch, 3, 3, 2), dtype)                      # NHWC
    w = np.ones((4, 4, 3, 2), dtype)                          # (kH, kW, C_out, C_in)
    try:
        return tuple(tf.nn.conv2d_transpose(x, w, [batch, output, output, 3], 2, "SAME").shape)
    except (tf.errors.InvalidArgumentError, tf.errors.AbortedError) as err:
        return type(err).__name__
# 'SAME', input 3, stride 2: the documented output range is [5, 6]
empty, one, empty64 = call(0, 20), call(1, 20), call(0, 20, "float64")
print("float32 batch 0 ->", empty, "| batch 1 ->", one, "| float64 batch 0 ->", empty64)


def call_in_rank(rank, batch, output, dtype="float32"):
    """The same call in 1-D (conv1d_transpose: Conv2DBackpropInput on an added axis) and 3-D (conv3d_transpose)."""
    x = tf.cast(np.ones((batch,) + (3,) * rank + (2,)), dtype)
    w = tf.cast(np.ones((4,) * rank + (3, 2)), dtype)
    entry = {1: tf.nn.conv1d_transpose, 3: tf.nn.conv3d_transpose}[rank]
    try:
        return tuple(entry(x, w, [batch] + [output] * rank + [3], 2, "SAME").shape)
    except (tf.errors.InvalidArgumentError, tf.errors.AbortedError) as err:
        return type(err).__name__


in_ranks = {}
for rank in (1, 3):
    got = call_in_rank(rank, 0, 20), call_in_rank(rank, 0, 20, "bfloat16"), call_in_rank(rank, 1, 20), \
        call_in_rank(rank, 0, 20, "float64")
    print(f"{rank}-D float32 batch 0 ->", got[0], "| bfloat16 batch 0 ->", got[1], "| float32 batch 1 ->", got[2],
          "| float64 batch 0 ->", got[3])
    in_ranks[rank] = isinstance(got[0], tuple) and isinstance(got[1], tuple) and all(isinstance(g, str) for g in got[2:])
if isinstance(empty, tuple) and isinstance(one, str) and isinstance(empty64, str) and all(in_ranks.values()):
    print("REPRODUCED: output_shape 20 (range [5, 6]) is accepted for an empty float32 batch (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
