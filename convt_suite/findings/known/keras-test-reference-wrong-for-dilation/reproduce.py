import sys

import keras
import numpy as np
from keras.src.layers.convolutional.conv_transpose_test import (
    np_conv1d_transpose,
    np_conv2d_transpose,
    np_conv3d_transpose,
)

# Keras's own reference for Conv2DTranspose (its layer tests compare with it), dilation_rate 2
x = np.arange(1.0, 4.0).reshape(1, 1, 3, 1)          # NHWC: one row of 3
w = np.array([1.0, 10.0]).reshape(1, 2, 1, 1)        # (kH, kW, out, in): taps 1 and 10
layer = keras.layers.Conv2DTranspose(1, (1, 2), dilation_rate=(1, 2), padding="valid", use_bias=False)
layer.build(x.shape)
layer.set_weights([w])
got = np_conv2d_transpose(x, w, np.zeros(1), (1, 1), "valid", None, "channels_last", (1, 2)).ravel()
full = np.zeros(5)                                    # the definition: tap a lands at i + 2a
for i in range(3):
    full[i] += x.ravel()[i] * 1.0
    full[i + 2] += x.ravel()[i] * 10.0
print("keras", keras.__version__, "| reference:", got.tolist(), "| layer:",
      np.asarray(layer(x)).ravel().tolist(), "| definition:", full.tolist())
# its 1-D and 3-D references (Conv1DTranspose's and Conv3DTranspose's tests) on the same row
in_rank = {
    1: np_conv1d_transpose(x.reshape(1, 3, 1), w.reshape(2, 1, 1), np.zeros(1), 1, "valid", None,
                           "channels_last", 2).ravel(),
    3: np_conv3d_transpose(x.reshape(1, 1, 1, 3, 1), w.reshape(1, 1, 2, 1, 1), np.zeros(1), (1, 1, 1), "valid",
                           None, "channels_last", (1, 1, 2)).ravel(),
}
for rank, got_r in in_rank.items():
    print(f"{rank}-D reference:", got_r.tolist())
wrong_in_rank = all(got_r.shape != full.shape or not np.allclose(got_r, full) for got_r in in_rank.values())
if (got.shape != full.shape or not np.allclose(got, full)) and wrong_in_rank:
    print("REPRODUCED: np_conv1d/2d/3d_transpose are wrong for dilation_rate 2; the layer itself is right")
else:
    print("NOT REPRODUCED: the reference agrees with the definition")
    sys.exit(3)
