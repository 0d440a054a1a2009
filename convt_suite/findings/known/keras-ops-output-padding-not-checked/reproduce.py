import sys

import keras
import numpy as np


def call(rank=2):
    """ops.conv_transpose and Conv{1,2,3}DTranspose, output_padding 3 > stride 2, on rank-D (N...C) inputs."""
    x, kernel = np.ones((1,) + (3,) * rank + (1,), "float32"), np.ones((3,) * rank + (1, 1), "float32")
    try:
        y = keras.ops.conv_transpose(x, kernel, strides=2, padding="valid", output_padding=3)
        op_said = f"shape {tuple(y.shape)}"
    except Exception as err:
        op_said = f"{type(err).__name__}"
    layer = {1: keras.layers.Conv1DTranspose, 2: keras.layers.Conv2DTranspose, 3: keras.layers.Conv3DTranspose}
    try:
        layer[rank](1, 3, strides=2, output_padding=3)
        layer_said = "built"
    except ValueError:
        layer_said = "ValueError"
    return op_said, layer_said


ranks = {rank: call(rank) for rank in (2, 1, 3)}
for rank, (op_said, layer_said) in ranks.items():
    if rank == 2:
        print(keras.backend.backend(), "| ops, output_padding 3 > stride 2 ->", op_said, "| layer ->", layer_said)
    else:
        print(f"{rank}-D: ops ->", op_said, "| layer ->", layer_said)
if all(op_said.startswith("shape") and layer_said == "ValueError" for op_said, layer_said in ranks.values()):
    print("REPRODUCED: ops.conv_transpose computes an output_padding its docs and the layer refuse (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
