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


def call_in_rank(rank, dtype):
    """The same call in 1-D (conv1d_transpose, NWC) and 3-D (conv3d_transpose, NDHWC)."""
    entry = {1: tf.nn.conv1d_transpose, 3: tf.nn.conv3d_transpose}[rank]
    out = entry(tf.cast(x.reshape((1, 3) + (1,) * rank), dtype), tf.cast(np.full((1,) * rank + (1, 1), 2.0), dtype),
                [1, 3] + [1] * rank, 1, "VALID")
    return tf.cast(out, tf.float32).numpy().ravel()
ranks = {rank: (call_in_rank(rank, "bfloat16"), call_in_rank(rank, "float32")) for rank in (1, 3)}
for rank, (b, f) in ranks.items():
    print(f"{rank}-D bfloat16:", b, " float32:", f)
if np.isnan(bf16[0]) and not np.isnan(f32[0]) and all(np.isnan(b[0]) and not np.isnan(f[0]) for b, f in ranks.values()):
    print("REPRODUCED: bfloat16 output 0 is NaN (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
