import re
import sys

import keras
import numpy as np


def predict_error(rank):
    """ops.conv_transpose in a Functional model on a channels-last input of `rank` spatial axes."""
    x = np.ones((2, *(5, 2, 3)[-rank:], 7), "float32")              # N, (D, H,) W, C
    kernel = np.ones((3,) * rank + (4, 7), "float32")              # (*kernel, out, in)
    inputs = keras.Input(batch_shape=x.shape)
    model = keras.Model(inputs, keras.ops.conv_transpose(inputs, kernel, strides=2, padding="valid"))
    eager = keras.ops.conv_transpose(x, kernel, strides=2, padding="valid").shape
    try:
        model.predict(x, verbose=0)
    except AttributeError as err:
        said = re.sub(r"\x1b\[[0-9;]*m", "", str(err).splitlines()[2])[:80]
        print(f"{rank}-D | eager: {tuple(eager)} | symbolic: {model.output.shape} | predict: AttributeError {said}")
        return True
    print(f"{rank}-D | eager: {tuple(eager)} | predict: ran")
    return False


print(keras.backend.backend())
if all([predict_error(rank) for rank in (1, 2, 3)]):
    print("REPRODUCED: ops.conv_transpose builds a Functional model that cannot run in 1-D, 2-D and 3-D "
          "(ConvTranspose.call passes output_padding as the padding)")
else:
    print("NOT REPRODUCED: the output above is not the finding's (in every rank)")
    sys.exit(3)
