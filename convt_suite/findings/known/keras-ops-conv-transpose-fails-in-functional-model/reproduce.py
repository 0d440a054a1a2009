import re
import sys

import keras
import numpy as np

x, kernel = np.ones((2, 5, 2, 7), "float32"), np.ones((3, 3, 4, 7), "float32")   # NHWC, (kH, kW, out, in)
eager = keras.ops.conv_transpose(x, kernel, strides=2, padding="valid").shape
inputs = keras.Input(batch_shape=x.shape)
model = keras.Model(inputs, keras.ops.conv_transpose(inputs, kernel, strides=2, padding="valid"))
print(keras.backend.backend(), "| eager:", tuple(eager), "| symbolic:", model.output.shape)
try:
    print("predict:", model.predict(x, verbose=0).shape)
except AttributeError as err:
    print("predict: AttributeError", re.sub(r"\x1b\[[0-9;]*m", "", str(err).splitlines()[2])[:80])
    print("REPRODUCED: ops.conv_transpose builds a Functional model that cannot run "
          "(ConvTranspose.call passes output_padding as the padding)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
