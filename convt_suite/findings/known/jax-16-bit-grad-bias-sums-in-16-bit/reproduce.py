import sys

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np

# U-Net's up-conv 1024 -> 512 (k2, stride 2), 16x16 -> 32x32, with its bias, in bfloat16 and float16
rng = np.random.default_rng(0)
x, w, b, g = (rng.standard_normal(shape) for shape in ((1, 1024, 16, 16), (1024, 512, 2, 2), (512,), (1, 512, 32, 32)))


def layer(x, w, b):
    y = jax.lax.conv_transpose(x, w, (2, 2), "VALID", dimension_numbers=("NCHW", "IOHW", "NCHW"))
    return y + b[None, :, None, None]


def median_relative_error(dtype):
    """Of grad_bias computed in `dtype` (the jit-compiled vjp), and of float32 sums rounded to it."""
    values = [jnp.asarray(v.astype(dtype)) for v in (x, w, b, g)]
    _, vjp = jax.vjp(layer, *values[:3])
    got = np.asarray(jax.jit(vjp)(values[3])[2]).astype(np.float64)
    exact = np.asarray(values[3]).astype(np.float64).sum(axis=(0, 2, 3))   # the same values, summed exactly
    wide = np.asarray(values[3]).astype(np.float32).sum(axis=(0, 2, 3)).astype(dtype).astype(np.float64)
    return np.median(np.abs(got - exact) / np.abs(exact)), np.median(np.abs(wide - exact) / np.abs(exact))


bf16, f16 = median_relative_error(ml_dtypes.bfloat16), median_relative_error(np.float16)
print(f"grad_bias median relative error: bfloat16 {bf16[0]:.2g} (float32 sums rounded once: {bf16[1]:.2g});"
      f" float16 {f16[0]:.2g} ({f16[1]:.2g})")
if bf16[0] > 4 * max(bf16[1], 2.0 ** -9) and f16[0] > 4 * max(f16[1], 2.0 ** -12):
    print("REPRODUCED: XLA on CPU sums the 16-bit bias gradient in the 16-bit dtype")
else:
    print("NOT REPRODUCED: the bias gradient is as accurate as float32 sums rounded once")
    sys.exit(3)
