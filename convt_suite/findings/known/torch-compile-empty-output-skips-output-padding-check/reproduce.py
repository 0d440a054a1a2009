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


def call_in_rank(rank):
    """Control, not the finding: the same call in 1-D (x (2, 2, 1)) and 3-D (x (2, 2, 1, 1, 2)), an output
    axis of length 0; torch 2.13 refuses both compiled, 1-D at trace time ('Output size is too small')."""
    entry = {1: F.conv_transpose1d, 3: F.conv_transpose3d}[rank]
    x_, w_ = torch.ones({1: (2, 2, 1), 3: (2, 2, 1, 1, 2)}[rank]), torch.ones((2, 1) + (1,) * rank)
    g = lambda a, b: entry(a, b, None, stride=1, padding=1, output_padding=1)  # noqa: E731
    try:
        return tuple(torch.compile(g, fullgraph=True, dynamic=False)(x_, w_).shape)
    except RuntimeError as err:   # dynamo's TorchRuntimeError is one: the fake tensor's error is inside
        return f"{type(err).__name__}: {str(err).split('got RuntimeError(')[-1].splitlines()[0][:60]}"


for rank in (1, 3):
    print(f"control {rank}-D compiled:", call_in_rank(rank))
if isinstance(eager, str) and isinstance(compiled, tuple) and 0 in compiled:
    print("REPRODUCED: torch.compile returns an empty output for an output_padding eager refuses")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
