import sys

import keras
import numpy as np

layer = keras.layers.Conv2DTranspose(3, (1, 2), padding="same", output_padding=0)
out = layer(np.ones((2, 1, 1, 2), "float32"))                  # NHWC, width 1
print(keras.backend.backend(), "output shape", tuple(out.shape),
      "declared", layer.compute_output_shape((2, 1, 1, 2)))
if 0 in tuple(out.shape):
    print("REPRODUCED: an empty output, width", out.shape[2], "- no error")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
