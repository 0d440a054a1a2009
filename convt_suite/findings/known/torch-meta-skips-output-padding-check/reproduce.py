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


def call_in_rank(rank, device):
    """The same call in 1-D (conv_transpose1d) and 3-D (conv_transpose3d)."""
    x, w = torch.ones((1, 1) + (3,) * rank, device=device), torch.ones((1, 1) + (3,) * rank, device=device)
    entry = {1: F.conv_transpose1d, 3: F.conv_transpose3d}[rank]
    try:
        return tuple(entry(x, w, stride=1, output_padding=2).shape)
    except RuntimeError as err:
        return f"RuntimeError: {str(err)[:60]}"


ranks = {rank: (call_in_rank(rank, "meta"), call_in_rank(rank, "cpu")) for rank in (1, 3)}
for rank, (meta_n, cpu_n) in ranks.items():
    print(f"{rank}-D: meta ->", meta_n, "| cpu ->", cpu_n)
if isinstance(meta, tuple) and isinstance(cpu, str) and all(
        isinstance(meta_n, tuple) and isinstance(cpu_n, str) for meta_n, cpu_n in ranks.values()):
    print("REPRODUCED: meta tensors declare (1, 1, 7, 7) for a call the CPU kernel refuses (and its 1-D, 3-D twins)")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
