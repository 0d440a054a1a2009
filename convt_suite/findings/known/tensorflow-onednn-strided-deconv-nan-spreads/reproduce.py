# NaN in one filter tap of tf.nn.conv{1,2,3}d_transpose spreads to outputs that tap never reaches
# (TF CPU float32, oneDNN brgconv_strided). numpy + tensorflow only.
import sys

import numpy as np
import tensorflow as tf

tf.config.threading.set_intra_op_parallelism_threads(1)  # many threads may pick another kernel
TRANSPOSE = {1: tf.nn.conv1d_transpose, 2: tf.nn.conv2d_transpose, 3: tf.nn.conv3d_transpose}


def nan_along_w(rank, padding):
    """Where the output is NaN along W: stride 2 along W, output width 3 (Keras:
    output_padding 1), odd; x finite, the 2-tap kernel's tap 0 NaN (it reaches output 0 only)."""
    x = np.random.rand(*(1,) * (rank + 2)).astype("float32") + 0.5          # N, (D, H,) W, C
    f = np.random.rand(*(1,) * (rank - 1), 2, 1, 1).astype("float32") + 0.5  # (..., kW, C_out, C_in)
    f[(0,) * (rank + 2)] = np.nan
    out = TRANSPOSE[rank](x, f, [1, *(1,) * (rank - 1), 3, 1], [*(1,) * (rank - 1), 2], padding)
    return np.isnan(out.numpy().reshape(-1))


expected = np.array([True, False, False])
spread = {}
for rank in TRANSPOSE:
    got = nan_along_w(rank, "VALID")
    spread[rank] = got & ~expected
    print(f"tf {tf.__version__} {rank}-D: NaN along W", got.astype(int).tolist(),
          "| definition:", expected.astype(int).tolist())
exact_own = not (nan_along_w(2, [[0, 0]] * 4) & ~expected).any()   # an explicit list (2-D only): TF's own kernel
print("2-D with an explicit padding list (TF's own kernel): exact" if exact_own else "explicit padding: NaN too")
if all(extra.any() for extra in spread.values()) and exact_own:
    print(f"REPRODUCED: NaN at W {np.argwhere(spread[2]).ravel().tolist()} in 1-D, 2-D and 3-D, which no "
          "product with the NaN tap reaches; exact with an explicit padding list")
else:
    print("NOT REPRODUCED: the output above is not the finding's (in every rank)")
    sys.exit(3)
