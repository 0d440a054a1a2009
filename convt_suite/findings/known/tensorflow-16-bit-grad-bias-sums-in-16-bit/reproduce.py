import sys

import ml_dtypes
import numpy as np
import tensorflow as tf

# U-Net's up-conv 1024 -> 512 (k2, stride 2), 16x16 -> 32x32, with its bias; and its 1-D
# (512 -> 1024) and 3-D (4x8x8 -> 8x16x16) twins: 1,024 terms per bias element in each rank
SIDES = {1: (512,), 2: (16, 16), 3: (4, 8, 8)}
TRANSPOSE = {1: tf.nn.conv1d_transpose, 2: tf.nn.conv2d_transpose, 3: tf.nn.conv3d_transpose}
ADDS = {"tf.nn.bias_add": tf.nn.bias_add, "y + b": lambda y, b: y + b}   # b broadcasts over N and space


def median_relative_error(rank, dtype, add):
    """Of the bias gradient computed in `dtype` with `add`, and of float32 sums rounded to `dtype`."""
    rng = np.random.default_rng(0)   # the same values for every dtype; in 2-D the original's
    out = [1, *[2 * s for s in SIDES[rank]], 512]
    x, w, b, g = (rng.standard_normal(shape) for shape in ((1, *SIDES[rank], 1024), (*[2] * rank, 512, 1024), (512,), out))
    xv, wv, bv, gv = (tf.constant(v.astype(dtype)) for v in (x, w, b, g))
    with tf.GradientTape() as tape:
        tape.watch(bv)
        y = add(TRANSPOSE[rank](xv, wv, out, 2, "VALID"), bv)
    got = tape.gradient(y, bv, output_gradients=gv).numpy().astype(np.float64)
    values = g.astype(dtype).reshape(-1, 512)
    exact = values.astype(np.float64).sum(axis=0)          # the same values, summed exactly
    wide = values.astype(np.float32).sum(axis=0).astype(dtype).astype(np.float64)
    return np.median(np.abs(got - exact) / np.abs(exact)), np.median(np.abs(wide - exact) / np.abs(exact))


holds = {}
for rank in (1, 2, 3):
    errors = {(name, dtype.__name__): median_relative_error(rank, dtype, add)
              for name, add in ADDS.items() for dtype in (ml_dtypes.bfloat16, np.float16)}
    for (name, dtype), (got, wide) in errors.items():
        print(f"{rank}-D {name:16} {dtype:9} grad_bias median relative error {got:.2g} (float32 sums rounded once: {wide:.2g})")
    summed_in_16_bit = {key for key, (got, wide) in errors.items() if got > 4 * wide}
    holds[rank] = summed_in_16_bit == {("tf.nn.bias_add", "bfloat16"), ("y + b", "float16")}
    print(f"{rank}-D summed in 16 bits: {sorted(summed_in_16_bit)}")
if all(holds.values()):
    print("REPRODUCED: TF sums these 16-bit bias gradients in the 16-bit dtype (tf.nn.bias_add bfloat16, y + b float16)"
          " in 1-D, 2-D and 3-D")
else:
    print("NOT REPRODUCED: not the finding's pattern in ranks", [r for r, h in holds.items() if not h])
    sys.exit(3)
