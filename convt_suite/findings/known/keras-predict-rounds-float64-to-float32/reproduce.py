import os
import sys

if os.environ.get("KERAS_BACKEND") == "jax":
    import jax
    jax.config.update("jax_enable_x64", True)   # float64 must be float64
import keras
import numpy as np


def rounded_by_predict(rank):
    """A Conv{rank}DTranspose of ones in float64, called and run by predict."""
    shape = (1,) * (rank + 2)
    x = np.full(shape, 1 + 2.0 ** -40)                                    # float64, not a float32
    inputs = keras.Input(batch_shape=shape, dtype="float64")
    layer = getattr(keras.layers, f"Conv{rank}DTranspose")(1, 1, use_bias=False, dtype="float64",
                                                            kernel_initializer="ones")
    model = keras.Model(inputs, layer(inputs))
    called, predicted = keras.ops.convert_to_numpy(model(x)), model.predict(x, verbose=0)
    print(keras.backend.backend(), f"{rank}-D | model(x) - 1:", float(called.ravel()[0] - 1),
          "| predict(x) - 1:", float(predicted.ravel()[0] - 1), predicted.dtype)
    return called.ravel()[0] == x.ravel()[0] and predicted.ravel()[0] == 1.0


if all([rounded_by_predict(rank) for rank in (1, 2, 3)]):
    print("REPRODUCED: predict rounded the float64 input to float32 (floatx) before the float64 model, "
          "in 1-D, 2-D and 3-D")
else:
    print("NOT REPRODUCED: the output above is not the finding's (in every rank)")
    sys.exit(3)
