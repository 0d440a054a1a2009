import sys

import numpy as np
import tensorflow as tf


def call(size, output):
    x = np.ones((1, 1, size, 1), "float32")                 # NHWC, width `size`
    w = np.ones((1, 3, 1, 1), "float32")                    # 1x3 kernel
    try:
        tf.nn.conv2d_transpose(x, w, [1, 1, output, 1], [1, 2], "VALID")
        return "computed"
    except (tf.errors.InvalidArgumentError, tf.errors.AbortedError) as err:
        return type(err).__name__
single = call(1, 2)    # L = 3: documented VALID range [3, 4]
double = call(2, 4)    # L = 5: documented VALID range [5, 6]
print("input 1, output 2 ->", single, "| input 2, output 4 ->", double)


def call_in_rank(rank, size, output):
    """The same call in 1-D (conv1d_transpose) and 3-D (conv3d_transpose, 1x1x3 kernel, stride (1, 1, 2))."""
    x = np.ones((1,) + (1,) * (rank - 1) + (size, 1), "float32")
    w = np.ones((1,) * (rank - 1) + (3, 1, 1), "float32")
    entry = {1: tf.nn.conv1d_transpose, 3: tf.nn.conv3d_transpose}[rank]
    try:
        entry(x, w, [1] + [1] * (rank - 1) + [output, 1], [1] * (rank - 1) + [2], "VALID")
        return "computed"
    except (tf.errors.InvalidArgumentError, tf.errors.AbortedError) as err:
        return type(err).__name__


in_ranks = {}
for rank in (1, 3):
    got = call_in_rank(rank, 1, 2), call_in_rank(rank, 2, 4)
    print(f"{rank}-D input 1, output 2 ->", got[0], "| input 2, output 4 ->", got[1])
    in_ranks[rank] = got[0] == "computed" and got[1] != "computed"
if single == "computed" and double != "computed" and all(in_ranks.values()):
    print("REPRODUCED: an output one below L is accepted for a single-element input only (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
