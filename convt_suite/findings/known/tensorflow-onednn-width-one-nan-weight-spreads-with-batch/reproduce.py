# A NaN weight tap of tf.nn.conv2d_transpose / conv3d_transpose turns NaN the rows no
# product with it reaches, for an input of width 1 and a batch of 2 or more (TF CPU float32
# and bfloat16: oneDNN). numpy + tensorflow only.
import sys

import numpy as np
import tensorflow as tf


def column(rank, dtype, batch):
    """x of ones (H = 1, W = 1), a 2-tap kernel [NaN, 1] along H: the output column
    is [NaN, 1] by the definition (the NaN tap reaches row 0 only)."""
    x = np.ones((batch,) + (1,) * rank + (1,), dtype)              # N, (D,) H, W, C
    f = np.ones((1,) * (rank - 2) + (2, 1, 1, 1), dtype)             # (kD,) kH, kW, C_out, C_in
    f.flat[0] = np.nan
    transpose = {2: tf.nn.conv2d_transpose, 3: tf.nn.conv3d_transpose}[rank]
    out = transpose(x, f, [batch] + [1] * (rank - 2) + [2, 1, 1], 1, "VALID")
    return np.isnan(np.asarray(out, np.float64)[-1].reshape(-1)).astype(int).tolist()


definition = [1, 0]
print("tf", tf.__version__, "NaN down the output column (last sample); the definition:", definition)
seen = {}
for rank in (2, 3):
    for dtype in ("float32", "float64"):
        for batch in (1, 2):
            seen[rank, dtype, batch] = column(rank, dtype, batch)
            print(f"conv{rank}d_transpose {dtype} batch {batch}:", seen[rank, dtype, batch])
wrong = {key for key, got in seen.items() if got != definition and key[1] == "float32"}
if wrong == {(2, "float32", 2), (3, "float32", 2)} and seen[2, "float64", 2] == definition:
    print("REPRODUCED: in float32 with a batch of 2, row 1 is NaN in 2-D and 3-D, where no product with "
          "the NaN tap lands; batch 1 and float64 (2-D) are exact")
else:
    print("NOT REPRODUCED: the outputs above are not the finding's")
    sys.exit(3)
