import sys

import torch
import torch.nn.functional as F
from torch.testing._internal.common_methods_invocations import conv_transpose_ref

# PyTorch's OpInfo reference for conv_transpose2d, with output_padding 1 >= stride 1, which
# conv_transpose2d takes because output_padding < dilation (2); and its 1-D and 3-D
# references (conv_transpose1d's and conv_transpose3d's OpInfos) on the same row
x, w = torch.arange(1.0, 4.0), torch.tensor([1.0, 10.0])
CALLS = {1: (F.conv_transpose1d, (1, 1, 3), (1, 1, 2), (1,)), 2: (F.conv_transpose2d, (1, 1, 1, 3), (1, 1, 1, 2), (0, 1)),
         3: (F.conv_transpose3d, (1, 1, 1, 1, 3), (1, 1, 1, 1, 2), (0, 0, 1))}
raised = {}
for rank, (entry, x_shape, w_shape, output_padding) in CALLS.items():
    args = dict(stride=1, padding=0, output_padding=output_padding, dilation=2)
    out = entry(x.reshape(x_shape), w.reshape(w_shape), **args)
    try:
        ref = conv_transpose_ref(x.reshape(x_shape).numpy(), w.reshape(w_shape).numpy(), None, fn=entry, **args)
        said = f"reference {ref.ravel().tolist()}"
    except RuntimeError as error:
        raised[rank], said = str(error), f"reference raises: {str(error)[:90]}"
    print(f"torch {torch.__version__} {entry.__name__}: {out.ravel().tolist()} | {said}")
if set(raised) == {1, 2, 3}:
    print(f"REPRODUCED: the OpInfo reference raises where conv_transpose1d/2d/3d compute: {raised[2]}")
    sys.exit(0)
print("NOT REPRODUCED: the reference computes")
sys.exit(3)
