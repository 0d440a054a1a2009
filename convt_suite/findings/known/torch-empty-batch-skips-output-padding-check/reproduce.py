import sys

import torch
import torch.nn.functional as F


def call(batch):
    x, w = torch.ones(batch, 1, 3, 3), torch.ones(1, 1, 3, 3)
    try:
        return tuple(F.conv_transpose2d(x, w, stride=1, output_padding=2).shape)
    except RuntimeError as err:
        return f"RuntimeError: {str(err)[:60]}"
# output_padding must be < max(stride, dilation) = 1
empty, one = call(0), call(1)
print("batch 0 ->", empty, "| batch 1 ->", one)
if isinstance(empty, tuple) and isinstance(one, str):
    print("REPRODUCED: output_padding 2 with stride 1 is accepted for an empty batch only")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
