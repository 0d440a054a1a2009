import sys

import numpy as np
import tensorflow as tf

CALL = {1: tf.nn.conv1d_transpose, 2: tf.nn.conv2d_transpose, 3: tf.nn.conv3d_transpose}
held = []   # claimed in 2-D and 3-D; 1-D is printed only: conv1d_transpose is a 2-D call between
            # ExpandDims and Squeeze, and ExpandDims' gradient reshapes the empty (0, 1, 7, 3) to x's shape
for rank in (1, 2, 3):
    x_shape, out_shape = (0,) + (3,) * rank + (2,), [0] + [7] * rank + [3]   # channels-last, empty batch
    shapes = {}
    for dtype in ("float32", "bfloat16", "float64"):
        x = tf.cast(np.ones(x_shape), dtype)
        w = tf.cast(np.ones((3,) * rank + (3, 2)), dtype)               # *k, C_out, C_in
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = CALL[rank](x, w, out_shape, 2, "VALID")
        shapes[dtype] = tuple(tape.gradient(y, x, output_gradients=tf.ones_like(y)).shape)
    print(f"{rank}-D grad_x shapes (input is {x_shape}):", shapes)
    if rank > 1:
        held.append(shapes["float32"] == shapes["bfloat16"] == tuple(out_shape) and shapes["float64"] == x_shape)
if all(held):
    print("REPRODUCED: empty-batch grad_x has the output's shape in float32 and bfloat16 in 2-D and 3-D")
else:
    print(f"NOT REPRODUCED: held in 2-D, 3-D: {held}")
    sys.exit(3)
