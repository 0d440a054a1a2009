# A NaN weight tap of tf.nn.conv3d_transpose turns NaN the outputs no product reaches (the
# zeros between strided inputs), in float16 and float64 (TF's own kernel), with a batch of 2
# or more. numpy + tensorflow only.
import sys

import numpy as np
import tensorflow as tf


def nan_along_w(dtype, batch, rank=3):
    x = np.ones((batch,) + (1,) * (rank - 1) + (2, 1), dtype)        # N, (D, H,) W = 2, C
    f = np.full((1,) * rank + (1, 1), np.nan, dtype)                  # a 1-tap kernel of NaN
    transpose = {2: tf.nn.conv2d_transpose, 3: tf.nn.conv3d_transpose}[rank]
    out = transpose(x, f, [batch] + [1] * (rank - 1) + [3, 1], [1] * (rank - 1) + [2], "VALID")
    return np.isnan(np.asarray(out, np.float64)[0].reshape(-1)).astype(int).tolist()


definition = [1, 0, 1]   # W = 3: inputs land at 0 and 2 (stride 2); nothing reaches 1
print("tf", tf.__version__, "NaN along W; the definition:", definition)
seen = {}
for dtype in ("float16", "float32", "float64"):
    for batch in (1, 2):
        seen[dtype, batch] = nan_along_w(dtype, batch)
        print(f"conv3d_transpose {dtype} batch {batch}:", seen[dtype, batch])
plane = nan_along_w("float64", 2, rank=2)
print("conv2d_transpose float64 batch 2:", plane)
# float32 runs oneDNN where TF uses it (exact): printed, not judged
wrong = {key for key, got in seen.items() if got != definition and key[0] != "float32"}
if wrong == {("float16", 2), ("float64", 2)} and plane == definition:
    print("REPRODUCED: conv3d_transpose in float16 and float64 with batch 2 has NaN where nothing reaches; "
          "batch 1 and conv2d_transpose are exact")
else:
    print("NOT REPRODUCED: the outputs above are not the finding's")
    sys.exit(3)
