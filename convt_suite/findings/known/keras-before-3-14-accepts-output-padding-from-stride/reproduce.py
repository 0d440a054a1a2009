# Keras's Conv2DTranspose with output_padding >= strides, which its docs forbid: the layer
# should refuse it when it is made, as Keras 3.14 and later do, on every backend.
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras
import numpy as np

x = np.ones((1, 3, 3, 2), "float32")   # NHWC


def attempt(stride, output_padding):
    try:
        layer = keras.layers.Conv2DTranspose(4, 3, strides=stride, output_padding=output_padding)
    except ValueError as err:
        return f"refused when made: {' '.join(str(err).split())[:70]}"
    declared = tuple(layer.compute_output_shape(x.shape))
    try:
        return f"made; declares {declared}, computes {tuple(layer(x).shape)}"
    except Exception as err:
        return f"made; declares {declared}, then {type(err).__name__} when called"


bad = attempt(2, 2)      # output_padding 2 with stride 2
control = attempt(2, 1)  # output_padding 1 with stride 2: valid
print(f"keras {keras.__version__} ({keras.backend.backend()}) output_padding 2, stride 2: {bad} | "
      f"output_padding 1, stride 2: {control}")
if bad.startswith("made") and control.startswith("made") and "computes (1, 8, 8, 4)" in control:
    print("REPRODUCED: the layer is made with output_padding >= strides and declares a shape for it")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
