import os
import sys

if os.environ.get("KERAS_BACKEND") == "jax":
    import jax
    jax.config.update("jax_enable_x64", True)   # float64 must be float64
import keras
import numpy as np

x = np.full((1, 1, 1, 1), 1 + 2.0 ** -40)                                # float64, not a float32
inputs = keras.Input(batch_shape=(1, 1, 1, 1), dtype="float64")
layer = keras.layers.Conv2DTranspose(1, 1, use_bias=False, dtype="float64", kernel_initializer="ones")
model = keras.Model(inputs, layer(inputs))
called, predicted = keras.ops.convert_to_numpy(model(x)), model.predict(x, verbose=0)
print(keras.backend.backend(), "| model(x) - 1:", float(called.ravel()[0] - 1), "| predict(x) - 1:",
      float(predicted.ravel()[0] - 1), predicted.dtype)
if called.ravel()[0] == x.ravel()[0] and predicted.ravel()[0] == 1.0:
    print("REPRODUCED: predict rounded the float64 input to float32 (floatx) before the float64 model")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
