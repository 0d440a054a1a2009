import sys

import keras
import numpy as np

LAYER = {1: keras.layers.Conv1DTranspose, 2: keras.layers.Conv2DTranspose, 3: keras.layers.Conv3DTranspose}
PHRASES = ("could not create a primitive descriptor", "Size of out_backprop doesn't match computed")
held = []
for rank in (1, 2, 3):
    for dtype in ("float32", "float16"):   # oneDNN (AbortedError); TF's own kernel (InvalidArgumentError)
        layer = LAYER[rank](1, 2, padding="same", output_padding=0, dtype=dtype)
        try:
            out = layer(np.ones((1,) + (3,) * rank + (1,), dtype))
            print(f"{rank}-D {dtype}: computed", tuple(out.shape))
            held.append(False)
        except Exception as err:
            said = [p for p in PHRASES if p in str(err)]
            print(f"{rank}-D {dtype}:", type(err).__name__, said or str(err)[:200])
            held.append(bool(said))
if all(held):
    print("REPRODUCED: an even kernel with 'same' and output_padding=0 raises in 1-D, 2-D and 3-D")
else:
    print(f"NOT REPRODUCED: (1-D, 2-D, 3-D) x (float32, float16) raised as the finding says: {held}")
    sys.exit(3)
