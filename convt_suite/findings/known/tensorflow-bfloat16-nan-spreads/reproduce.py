import sys

import numpy as np
import tensorflow as tf

x = np.array([1.0, np.nan, 1.0], np.float32).reshape(1, 3, 1, 1)   # NHWC
def run(dtype):
    out = tf.nn.conv2d_transpose(tf.cast(x, dtype), tf.cast(np.full((1, 1, 1, 1), 2.0), dtype),
                                 [1, 3, 1, 1], 1, "VALID")
    return tf.cast(out, tf.float32).numpy().ravel()
bf16, f32 = run("bfloat16"), run("float32")
print("bfloat16:", bf16, " float32:", f32, " definition: [2, nan, 2]")
if np.isnan(bf16[0]) and not np.isnan(f32[0]):
    print("REPRODUCED: bfloat16 output 0 is NaN")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
