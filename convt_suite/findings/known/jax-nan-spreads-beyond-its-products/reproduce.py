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
if np.isnan(f32[3:]).any() and not np.isnan(f64[3:]).any():
    print("REPRODUCED: float32 outputs 3 and 4 are NaN; float64 gives", f64[3:])
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
