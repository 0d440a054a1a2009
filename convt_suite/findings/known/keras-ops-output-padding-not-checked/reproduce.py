import sys

import keras
import numpy as np

x, kernel = np.ones((1, 3, 3, 1), "float32"), np.ones((3, 3, 1, 1), "float32")
try:
    y = keras.ops.conv_transpose(x, kernel, strides=2, padding="valid", output_padding=3)
    op_says = f"shape {tuple(y.shape)}"
except Exception as err:
    op_says = f"{type(err).__name__}"
try:
    keras.layers.Conv2DTranspose(1, 3, strides=2, output_padding=3)
    layer_says = "built"
except ValueError:
    layer_says = "ValueError"
print(keras.backend.backend(), "| ops, output_padding 3 > stride 2 ->", op_says, "| layer ->", layer_says)
if op_says.startswith("shape") and layer_says == "ValueError":
    print("REPRODUCED: ops.conv_transpose computes an output_padding its docs and the layer refuse")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
