# Keras's Conv2DTranspose on the torch backend, padding='same' with an even kernel and
# stride 1: 'same' keeps the input's size, as on the other backends.
import os
import re
import sys
import warnings

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras
import numpy as np

x = np.ones((1, 6, 5, 2), "float32")   # NHWC


def shape(kernel, stride):
    layer = keras.layers.Conv2DTranspose(3, kernel, strides=stride, padding="same")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            got = tuple(layer(x).shape)
        except ValueError as err:
            words = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", str(err)).split())
            return "ValueError: " + words[words.find("The padding"):][:100]
    said = [str(w.message)[:80] for w in caught if "output_padding" in str(w.message)]
    return got if not said else f"{got}, warning: {said[0]}"


even = shape(2, 1)
controls = {"kernel 3 stride 1": shape(3, 1), "kernel 2 stride 2": shape(2, 2)}
print(f"keras {keras.__version__} ({keras.backend.backend()}) kernel 2 stride 1 'same': {even}"
      f" (expected (1, 6, 5, 3)) | controls: {controls}")
if even != (1, 6, 5, 3) and controls == {"kernel 3 stride 1": (1, 6, 5, 3), "kernel 2 stride 2": (1, 12, 10, 3)}:
    print("REPRODUCED: 'same' with an even kernel and stride 1 does not keep the input's size")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
