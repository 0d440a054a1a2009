import sys

import keras
import numpy as np

x = np.ones((0, 3, 3, 2), "float32")                                   # an empty batch, NHWC
inputs = keras.Input(batch_shape=(0, 3, 3, 2))
model = keras.Model(inputs, keras.layers.Conv2DTranspose(4, 3, strides=2)(inputs))
print(keras.backend.backend(), "| calling the model:", tuple(model(x).shape))


def call_in_rank(rank):
    """model.predict on an empty batch around Conv1DTranspose (1-D) and Conv3DTranspose (3-D)."""
    entry = {1: keras.layers.Conv1DTranspose, 3: keras.layers.Conv3DTranspose}[rank]
    shape = (0,) + (3,) * rank + (2,)
    inputs = keras.Input(batch_shape=shape)
    model = keras.Model(inputs, entry(4, 3, strides=2)(inputs))
    try:
        return f"predict: {model.predict(np.ones(shape, 'float32'), verbose=0).shape}"
    except UnboundLocalError as err:
        return f"predict: UnboundLocalError {err}"


ranks = {rank: call_in_rank(rank) for rank in (1, 3)}
for rank, outcome in ranks.items():
    print(f"{rank}-D", outcome)
try:
    print("predict:", model.predict(x, verbose=0).shape)
except UnboundLocalError as err:
    print("predict: UnboundLocalError", err)
    if all("UnboundLocalError" in outcome for outcome in ranks.values()):
        print("REPRODUCED: model.predict on an empty batch fails inside Keras (1-D, 2-D and 3-D)")
        sys.exit(0)
print("NOT REPRODUCED: the output above is not the finding's")
sys.exit(3)
