import sys

import torch

x = torch.ones(1, 1, 1, 1, dtype=torch.float16)
w = torch.tensor([[[[float("nan"), 1.0]]]], dtype=torch.float16)       # (C_in, C_out, 1, 2)
out = torch.nn.functional.conv_transpose2d(x, w, stride=(1, 2), output_padding=(0, 1)).flatten().tolist()
print("float16 output", out, "(right: [nan, 1.0, 0.0]: the last column is appended)")
if out[1] == 1.0 and out[2] != out[2]:
    print("REPRODUCED: NaN at the appended column a phantom input row would reach")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
