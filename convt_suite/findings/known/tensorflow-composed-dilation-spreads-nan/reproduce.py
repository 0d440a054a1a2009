import sys

import numpy as np
import tensorflow as tf

# The adapter's composition, per rank: one NaN input, kernel of ones (k=2, dilation 2) dilated
# with zeros to [1, 0, 1] per axis, called with dilation 1. The definition: NaN at the taps,
# 0 at the centre (no product reaches it).
CALL = {1: tf.nn.conv1d_transpose, 2: tf.nn.conv2d_transpose, 3: tf.nn.conv3d_transpose}
held = []
for rank in (1, 2, 3):
    x = np.full([1] * (rank + 2), np.nan)                       # N, *spatial, C
    dilated = np.ones([3] * rank + [1, 1])
    for axis in range(rank):
        dilated[(slice(None),) * axis + (1,)] = 0.0             # the inserted zeros
    out = {dt: CALL[rank](tf.constant(x, dt), tf.constant(dilated, dt), [1] + [3] * rank + [1],
                          1, "VALID").numpy().squeeze() for dt in ("float64", "float32")}
    centre = (1,) * rank
    try:   # what TF itself gives with dilations=2 (float32: oneDNN where TF uses it)
        native = CALL[rank](tf.constant(x, "float32"), tf.ones([2] * rank + [1, 1]), [1] + [3] * rank + [1],
                            1, "VALID", dilations=2).numpy().squeeze()[centre]
    except tf.errors.InvalidArgumentError:
        native = "refused"
    print(f"{rank}-D centre: zero-dilated kernel float64 {out['float64'][centre]}, float32 "
          f"{out['float32'][centre]}; TF dilations=2 float32: {native}; definition: 0")
    held.append(bool(np.isnan(out["float64"][centre]) and np.isnan(out["float32"][centre])))
if all(held):
    print("REPRODUCED: the inserted zero times NaN is NaN in 1-D, 2-D and 3-D")
else:
    print(f"NOT REPRODUCED: held in 1-D, 2-D, 3-D: {held}")
    sys.exit(3)
