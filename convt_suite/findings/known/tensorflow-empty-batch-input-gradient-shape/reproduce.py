import sys

import numpy as np
import tensorflow as tf

shapes = {}
for dtype in ("float32", "bfloat16", "float64"):
    x = tf.cast(np.ones((0, 3, 3, 2)), dtype)               # NHWC, empty batch
    w = tf.cast(np.ones((3, 3, 3, 2)), dtype)               # kH, kW, C_out, C_in
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.conv2d_transpose(x, w, [0, 7, 7, 3], 2, "VALID")
    shapes[dtype] = tuple(tape.gradient(y, x, output_gradients=tf.ones_like(y)).shape)
print("grad_x shapes (input is (0, 3, 3, 2)):", shapes)
if shapes["float32"] == shapes["bfloat16"] == (0, 7, 7, 3) and shapes["float64"] == (0, 3, 3, 2):
    print("REPRODUCED: empty-batch grad_x has the output's shape in float32 and bfloat16")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
