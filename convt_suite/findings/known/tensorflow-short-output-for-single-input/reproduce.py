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
if single == "computed" and double != "computed":
    print("REPRODUCED: an output one below L is accepted for a single-element input only")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
