import sys

import keras
import numpy as np

x, kernel = np.ones((1, 3, 3, 1), "float32"), np.ones((3, 3, 1, 1), "float32")
try:
    y = keras.ops.conv_transpose(x, kernel, strides=2, padding="valid", output_padding=3)
    op_says = f"shape {tuple(y.shape)}"
except Exception as err:
    op_says = f"{type(err).__name__}"
try:
    keras.layers.Conv2DTranspose(1, 3, strides=2, output_padding=3)
    layer_says = "built"
except ValueError:
    layer_says = "ValueError"
print(keras.backend.backend(), "| ops, output_padding 3 > stride 2 ->", op_says, "| layer ->", layer_says)


def call_in_rank(rank):
    """The same op on 1-D (NWC) and 3-D (NDHWC) inputs, and Conv1DTranspose / Conv3DTranspose."""
    x, kernel = np.ones((1,) + (3,) * rank + (1,), "float32"), np.ones((3,) * rank + (1, 1), "float32")
    try:
        y = keras.ops.conv_transpose(x, kernel, strides=2, padding="valid", output_padding=3)
        op_said = f"shape {tuple(y.shape)}"
    except Exception as err:
        op_said = f"{type(err).__name__}"
    try:
        {1: keras.layers.Conv1DTranspose, 3: keras.layers.Conv3DTranspose}[rank](1, 3, strides=2, output_padding=3)
        layer_said = "built"
    except ValueError:
        layer_said = "ValueError"
    return op_said, layer_said


ranks = {rank: call_in_rank(rank) for rank in (1, 3)}
for rank, (op_said, layer_said) in ranks.items():
    print(f"{rank}-D: ops ->", op_said, "| layer ->", layer_said)
if op_says.startswith("shape") and layer_says == "ValueError" and all(
        op_said.startswith("shape") and layer_said == "ValueError" for op_said, layer_said in ranks.values()):
    print("REPRODUCED: ops.conv_transpose computes an output_padding its docs and the layer refuse (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
