# tf.function(jit_compile=True) (XLA on CPU) spreads a NaN weight tap to outputs no product
# with it reaches, in float32, float16 and bfloat16 (as XLA does for JAX); eager TF follows the
# definition. Input 3, kernel 3 (tap 0 NaN), stride 1: only outputs 0, 1, 2 take tap 0.
import sys

import numpy as np
import tensorflow as tf

conv = lambda x, w: tf.nn.conv2d_transpose(x, w, [1, 5, 1, 1], 1, "VALID")   # noqa: E731


def run(dtype, compiled):
    x = tf.ones((1, 3, 1, 1), dtype)                        # NHWC
    w = np.ones((3, 1, 1, 1), np.float32)
    w[0, 0, 0, 0] = np.nan
    w = tf.cast(w, dtype)
    f = tf.function(conv, jit_compile=True) if compiled else conv
    return tf.cast(f(x, w), tf.float32).numpy().ravel()


found = {(d.name, c): run(d, c) for d in (tf.float16, tf.bfloat16, tf.float32) for c in (True, False)}
for key, out in found.items():
    print(key, out)
print("definition: [nan nan nan 2 1]")
spread = [d for d in ("float16", "bfloat16", "float32") if np.isnan(found[d, True][3:]).any()]
exact = all(not np.isnan(found[d, False][3:]).any() for d in ("float16", "bfloat16", "float32"))


def call_in_rank(rank, compiled):
    """float32, the same call in 1-D (conv1d_transpose) and 3-D (conv3d_transpose, new axes of 1)."""
    x = tf.ones((1, 3) + (1,) * rank, tf.float32)
    w = np.ones((3,) + (1,) * (rank + 1), np.float32)
    w.flat[0] = np.nan
    entry = {1: tf.nn.conv1d_transpose, 3: tf.nn.conv3d_transpose}[rank]
    call = lambda x, w: entry(x, w, [1, 5] + [1] * rank, 1, "VALID")   # noqa: E731
    return (tf.function(call, jit_compile=True) if compiled else call)(x, tf.constant(w)).numpy().ravel()


ranks = {(rank, c): call_in_rank(rank, c) for rank in (1, 3) for c in (True, False)}
for (rank, c), out in ranks.items():
    print(f"{rank}-D float32, jit_compile={c}:", out)
ranks_hold = all(np.isnan(ranks[r, True][3:]).any() and not np.isnan(ranks[r, False][3:]).any() for r in (1, 3))
if spread and exact and ranks_hold:
    print(f"REPRODUCED: under XLA, outputs 3 and 4 are NaN in {', '.join(spread)} (and float32 1-D, 3-D); "
          "eager TF keeps them finite")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
