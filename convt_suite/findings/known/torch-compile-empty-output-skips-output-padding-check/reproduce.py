# Eager PyTorch refuses output_padding 1 with stride 1; compiled, the same call returns an
# empty tensor when the output (counting that output_padding) has an axis of length 0.
import sys

import torch
import torch.nn.functional as F

x, w = torch.ones(2, 2, 1, 2), torch.ones(2, 1, 1, 1)
f = lambda x_, w_: F.conv_transpose2d(x_, w_, None, stride=1, padding=1, output_padding=1)  # noqa: E731


def shape(function):
    try:
        return tuple(function(x, w).shape)
    except RuntimeError as err:
        return f"RuntimeError: {str(err).splitlines()[0][:60]}"


eager = shape(f)
compiled = shape(torch.compile(f, fullgraph=True, dynamic=False))
print("eager:", eager, "| compiled:", compiled)
if isinstance(eager, str) and isinstance(compiled, tuple) and 0 in compiled:
    print("REPRODUCED: torch.compile returns an empty output for an output_padding eager refuses")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
