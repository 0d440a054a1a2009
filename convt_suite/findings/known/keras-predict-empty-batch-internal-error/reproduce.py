import sys

import keras
import numpy as np

x = np.ones((0, 3, 3, 2), "float32")                                   # an empty batch, NHWC
inputs = keras.Input(batch_shape=(0, 3, 3, 2))
model = keras.Model(inputs, keras.layers.Conv2DTranspose(4, 3, strides=2)(inputs))
print(keras.backend.backend(), "| calling the model:", tuple(model(x).shape))
try:
    print("predict:", model.predict(x, verbose=0).shape)
except UnboundLocalError as err:
    print("predict: UnboundLocalError", err)
    print("REPRODUCED: model.predict on an empty batch fails inside Keras")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
