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


def call_in_rank(rank, batch):
    """The same call in 1-D (conv_transpose1d) and 3-D (conv_transpose3d)."""
    x, w = torch.ones((batch, 1) + (3,) * rank), torch.ones((1, 1) + (3,) * rank)
    entry = {1: F.conv_transpose1d, 3: F.conv_transpose3d}[rank]
    try:
        return tuple(entry(x, w, stride=1, output_padding=2).shape)
    except RuntimeError as err:
        return f"RuntimeError: {str(err)[:60]}"


ranks = {rank: (call_in_rank(rank, 0), call_in_rank(rank, 1)) for rank in (1, 3)}
for rank, (empty_n, one_n) in ranks.items():
    print(f"{rank}-D: batch 0 ->", empty_n, "| batch 1 ->", one_n)
if isinstance(empty, tuple) and isinstance(one, str) and all(
        isinstance(empty_n, tuple) and isinstance(one_n, str) for empty_n, one_n in ranks.values()):
    print("REPRODUCED: output_padding 2 with stride 1 is accepted for an empty batch only (1-D, 2-D, 3-D)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
