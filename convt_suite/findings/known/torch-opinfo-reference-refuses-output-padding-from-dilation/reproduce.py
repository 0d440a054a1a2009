import sys

import torch
from torch.testing._internal.common_methods_invocations import conv_transpose_ref

# PyTorch's OpInfo reference for conv_transpose2d, with output_padding 1 >= stride 1, which
# conv_transpose2d takes because output_padding < dilation (2)
x, w = torch.arange(1.0, 4.0).reshape(1, 1, 1, 3), torch.tensor([1.0, 10.0]).reshape(1, 1, 1, 2)
args = dict(stride=1, padding=0, output_padding=(0, 1), dilation=2)
out = torch.nn.functional.conv_transpose2d(x, w, **args)
print("torch", torch.__version__, "conv_transpose2d:", out.ravel().tolist())
try:
    ref = conv_transpose_ref(x.numpy(), w.numpy(), None, fn=torch.nn.functional.conv_transpose2d, **args)
    print("reference:", ref.ravel().tolist())
except RuntimeError as error:
    print(f"REPRODUCED: the OpInfo reference raises where conv_transpose2d computes: {error}")
    sys.exit(0)
print("NOT REPRODUCED: the reference computes")
sys.exit(3)
