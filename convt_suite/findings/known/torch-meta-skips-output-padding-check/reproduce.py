import sys

import torch
import torch.nn.functional as F


def call(device):
    x, w = torch.ones(1, 1, 3, 3, device=device), torch.ones(1, 1, 3, 3, device=device)
    try:   # output_padding must be < max(stride, dilation) = 1
        return tuple(F.conv_transpose2d(x, w, stride=1, output_padding=2).shape)
    except RuntimeError as err:
        return f"RuntimeError: {str(err)[:60]}"
meta, cpu = call("meta"), call("cpu")
print("meta ->", meta, "| cpu ->", cpu)
if isinstance(meta, tuple) and isinstance(cpu, str):
    print("REPRODUCED: meta tensors declare (1, 1, 7, 7) for a call the CPU kernel refuses")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
