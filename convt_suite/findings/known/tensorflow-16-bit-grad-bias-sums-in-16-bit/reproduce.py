import sys

import ml_dtypes
import numpy as np
import tensorflow as tf

# U-Net's up-conv 1024 -> 512 (k2, stride 2), 16x16 -> 32x32, with its bias
rng = np.random.default_rng(0)
x, w, b, g = (rng.standard_normal(shape) for shape in ((1, 16, 16, 1024), (2, 2, 512, 1024), (512,), (1, 32, 32, 512)))
ADDS = {"tf.nn.bias_add": tf.nn.bias_add, "y + b": lambda y, b: y + b[None, None, None, :]}


def median_relative_error(dtype, add):
    """Of the bias gradient computed in `dtype` with `add`, and of float32 sums rounded to `dtype`."""
    xv, wv, bv, gv = (tf.constant(v.astype(dtype)) for v in (x, w, b, g))
    with tf.GradientTape() as tape:
        tape.watch(bv)
        y = add(tf.nn.conv2d_transpose(xv, wv, [1, 32, 32, 512], 2, "VALID"), bv)
    got = tape.gradient(y, bv, output_gradients=gv).numpy().astype(np.float64)
    values = g.astype(dtype)
    exact = values.astype(np.float64).sum(axis=(0, 1, 2))          # the same values, summed exactly
    wide = values.astype(np.float32).sum(axis=(0, 1, 2)).astype(dtype).astype(np.float64)
    return np.median(np.abs(got - exact) / np.abs(exact)), np.median(np.abs(wide - exact) / np.abs(exact))


errors = {(name, dtype.__name__): median_relative_error(dtype, add)
          for name, add in ADDS.items() for dtype in (ml_dtypes.bfloat16, np.float16)}
for (name, dtype), (got, wide) in errors.items():
    print(f"{name:22} {dtype:9} grad_bias median relative error {got:.2g} (float32 sums rounded once: {wide:.2g})")
summed_in_16_bit = {key for key, (got, wide) in errors.items() if got > 4 * wide}
if summed_in_16_bit == {("tf.nn.bias_add", "bfloat16"), ("y + b", "float16")}:
    print("REPRODUCED: TF sums these 16-bit bias gradients in the 16-bit dtype:", sorted(summed_in_16_bit))
else:
    print("NOT REPRODUCED: the 16-bit bias gradients summed in 16 bits are", sorted(summed_in_16_bit))
    sys.exit(3)
