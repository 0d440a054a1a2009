import sys

import jax
import jax.numpy as jnp
import ml_dtypes
import numpy as np

# U-Net's up-conv 1024 -> 512 (k2, stride 2), 16x16 -> 32x32, with its bias, in bfloat16 and float16;
# and its 1-D (512 -> 1024) and 3-D (4x8x8 -> 8x16x16) twins: 1,024 terms per bias element in each rank
SIDES = {1: (512,), 2: (16, 16), 3: (4, 8, 8)}
NAMES = {1: ("NCH", "IOH", "NCH"), 2: ("NCHW", "IOHW", "NCHW"), 3: ("NCDHW", "IODHW", "NCDHW")}


def median_relative_error(rank, dtype):
    """Of grad_bias computed in `dtype` (the jit-compiled vjp), and of float32 sums rounded to it."""
    rng = np.random.default_rng(0)   # the same values for both dtypes; in 2-D the original's
    shapes = ((1, 1024, *SIDES[rank]), (1024, 512, *[2] * rank), (512,), (1, 512, *[2 * s for s in SIDES[rank]]))
    values = [jnp.asarray(rng.standard_normal(shape).astype(dtype)) for shape in shapes]

    def layer(x, w, b):
        y = jax.lax.conv_transpose(x, w, (2,) * rank, "VALID", dimension_numbers=NAMES[rank])
        return y + b.reshape(512, *[1] * rank)

    _, vjp = jax.vjp(layer, *values[:3])
    got = np.asarray(jax.jit(vjp)(values[3])[2]).astype(np.float64)
    terms = np.asarray(values[3]).reshape(512, -1)          # batch 1: a bias element's terms
    exact = terms.astype(np.float64).sum(axis=1)            # the same values, summed exactly
    wide = terms.astype(np.float32).sum(axis=1).astype(dtype).astype(np.float64)
    return np.median(np.abs(got - exact) / np.abs(exact)), np.median(np.abs(wide - exact) / np.abs(exact))


holds = {}
for rank in (1, 2, 3):
    bf16, f16 = median_relative_error(rank, ml_dtypes.bfloat16), median_relative_error(rank, np.float16)
    print(f"{rank}-D grad_bias median relative error: bfloat16 {bf16[0]:.2g} (float32 sums rounded once: {bf16[1]:.2g});"
          f" float16 {f16[0]:.2g} ({f16[1]:.2g})")
    holds[rank] = bf16[0] > 4 * max(bf16[1], 2.0 ** -9) and f16[0] > 4 * max(f16[1], 2.0 ** -12)
if all(holds.values()):
    print("REPRODUCED: XLA on CPU sums the 16-bit bias gradient in the 16-bit dtype (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the bias gradient is as accurate as float32 sums rounded once in ranks",
          [r for r, h in holds.items() if not h])
    sys.exit(3)
