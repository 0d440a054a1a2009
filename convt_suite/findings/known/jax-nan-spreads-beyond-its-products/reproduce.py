import sys

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)
def run(dtype):
    x = np.ones((1, 1, 3, 1), dtype)                   # N, C, H=3, W=1
    w = np.ones((1, 1, 3, 1), dtype)
    w[0, 0, 0, 0] = np.nan                             # tap 0 reaches outputs 0, 1, 2 only
    return np.asarray(jax.lax.conv_transpose(
        x, w, (1, 1), "VALID", dimension_numbers=("NCHW", "OIHW", "NCHW"),
        transpose_kernel=True)).ravel()
f32, f64 = run(np.float32), run(np.float64)
print("float32:", f32, " float64:", f64, " definition: [nan nan nan 2 1]")


def call_in_rank(rank, dtype):
    """The same call in 1-D (NCH) and 3-D (NCDHW, the new axes of length 1)."""
    x = np.ones((1, 1, 3) + (1,) * (rank - 1), dtype)
    w = np.ones((1, 1, 3) + (1,) * (rank - 1), dtype)
    w.flat[0] = np.nan
    dn = {1: ("NCH", "OIH", "NCH"), 3: ("NCDHW", "OIDHW", "NCDHW")}[rank]
    return np.asarray(jax.lax.conv_transpose(x, w, (1,) * rank, "VALID", dimension_numbers=dn,
                                             transpose_kernel=True)).ravel()


ranks = {rank: (call_in_rank(rank, np.float32), call_in_rank(rank, np.float64)) for rank in (1, 3)}
for rank, (r32, r64) in ranks.items():
    print(f"{rank}-D float32:", r32, " float64:", r64)
if np.isnan(f32[3:]).any() and not np.isnan(f64[3:]).any() and all(
        np.isnan(r32[3:]).any() and not np.isnan(r64[3:]).any() for r32, r64 in ranks.values()):
    print("REPRODUCED: float32 outputs 3 and 4 are NaN (1-D, 2-D, 3-D); float64 gives", f64[3:])
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
