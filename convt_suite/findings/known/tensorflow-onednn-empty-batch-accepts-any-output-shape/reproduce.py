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
if isinstance(empty, tuple) and isinstance(one, str) and isinstance(empty64, str):
    print("REPRODUCED: output_shape 20 (range [5, 6]) is accepted for an empty float32 batch")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
