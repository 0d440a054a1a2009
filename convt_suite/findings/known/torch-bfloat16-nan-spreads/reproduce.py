import sys

import numpy as np
import torch

F = torch.nn.functional
x = np.ones((1, 1, 2, 2), np.float32)
x[0, 0, 0, 1] = np.nan                                 # reaches output (0, 1) only
def run(dtype):
    xt, wt = torch.from_numpy(x).to(dtype), torch.full((1, 1, 1, 1), 2.0, dtype=dtype)
    return F.conv_transpose2d(xt, wt, stride=(2, 1)).float().numpy()[0, 0]
bf16, f32 = run(torch.bfloat16), run(torch.float32)
print("bfloat16 row 0:", bf16[0], " float32 row 0:", f32[0], " definition: [2, nan]")


def nan_3d(dtype):   # the same in 3-D: a NaN at (0, 0, 1) reaches one output
    x3 = np.ones((1, 1, 2, 2, 2), np.float32)
    x3[0, 0, 0, 0, 1] = np.nan
    xt, wt = torch.from_numpy(x3).to(dtype), torch.full((1, 1, 1, 1, 1), 2.0, dtype=dtype)
    return int(np.isnan(F.conv_transpose3d(xt, wt, stride=(2, 1, 1)).float().numpy()).sum())


def nan_1d(dtype):   # 1-D, 3 groups: a NaN in group 1's input; group 0's outputs stay finite
    x1 = np.ones((1, 3, 6), np.float32)
    x1[0, 1, 3] = np.nan
    xt, wt = torch.from_numpy(x1).to(dtype), torch.ones((3, 1, 12), dtype=dtype)
    return int(np.isnan(F.conv_transpose1d(xt, wt, stride=6, groups=3).float().numpy()[0, 0]).sum())


three = {"bfloat16": nan_3d(torch.bfloat16), "float32": nan_3d(torch.float32)}
one = {"bfloat16": nan_1d(torch.bfloat16), "float32": nan_1d(torch.float32)}
print("3-D, NaN outputs:", three, "(definition: 1)")
print("1-D, 3 groups, NaN outputs in group 0:", one, "(definition: 0)")
if (np.isnan(bf16[0, 0]) and not np.isnan(f32[0, 0]) and three["bfloat16"] > three["float32"] == 1
        and one["bfloat16"] > one["float32"] == 0):
    print("REPRODUCED: bfloat16 output (0, 0) is NaN; in 3-D the same, in 1-D across groups")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
