import sys

import keras
import numpy as np

layer = keras.layers.Conv2DTranspose(1, 2, padding="same", output_padding=0)
try:
    out = layer(np.ones((1, 3, 3, 1), "float32"))
    print("computed", tuple(out.shape))
except Exception as err:
    print("REPRODUCED:", type(err).__name__, str(err).split("message:")[-1][:90])
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
