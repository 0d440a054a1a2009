import sys

import torch
import torch.nn.functional as F

x, w = torch.ones(1, 1, 1, 1), torch.ones(1, 1, 4, 4)
def call(padding, output_padding):
    try:
        return tuple(F.conv_transpose2d(x, w, stride=3, padding=padding,
                                        output_padding=output_padding).shape)
    except RuntimeError as err:
        return f"RuntimeError: {str(err)[:70]}"
# full length L = 4; the output length is L - 2 * padding + output_padding
zero, minus_one = call(3, 2), call(3, 1)
print("length 0 ->", zero, "| length -1 ->", minus_one)
if zero == (1, 1, 0, 0) and isinstance(minus_one, str):
    print("REPRODUCED: an output length of 0 returns an empty tensor, -1 raises")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
