import sys

import keras
import numpy as np

layer = keras.layers.Conv2DTranspose(1, 2, dilation_rate=2, dtype="float64")
try:
    out = layer(np.ones((1, 3, 3, 1)))
    print("computed", out.shape)
except Exception as err:
    print("REPRODUCED:", type(err).__name__, str(err).splitlines()[-1][:160])
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
