import sys

import keras
import numpy as np

layer = keras.layers.Conv2DTranspose(3, (1, 2), padding="same", output_padding=0)
out = layer(np.ones((2, 1, 1, 2), "float32"))                  # NHWC, width 1
print(keras.backend.backend(), "output shape", tuple(out.shape),
      "declared", layer.compute_output_shape((2, 1, 1, 2)))


def call_in_rank(rank):
    """The same in 1-D (Conv1DTranspose, kernel 2) and 3-D (Conv3DTranspose, kernel (1, 1, 2)):
    output shape and declared shape on an input of size 1 on the last axis."""
    entry = {1: keras.layers.Conv1DTranspose, 3: keras.layers.Conv3DTranspose}[rank]
    shape = (2,) + (1,) * rank + (2,)                            # channels last, every axis 1
    layer = entry(3, (1,) * (rank - 1) + (2,), padding="same", output_padding=0)
    out = layer(np.ones(shape, "float32"))
    print(f"{rank}-D output shape", tuple(out.shape), "declared", layer.compute_output_shape(shape))
    return tuple(out.shape)


shapes = {rank: call_in_rank(rank) for rank in (1, 3)}
if 0 in tuple(out.shape) and all(0 in shape for shape in shapes.values()):
    print("REPRODUCED: an empty output, width", out.shape[2], "- no error (1-D, 2-D and 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
