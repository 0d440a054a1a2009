import sys

import numpy as np
import torch

x = np.ones((1, 1, 2, 2), np.float32)
x[0, 0, 0, 1] = np.nan                                 # reaches output (0, 1) only
def run(dtype):
    xt, wt = torch.from_numpy(x).to(dtype), torch.full((1, 1, 1, 1), 2.0, dtype=dtype)
    return torch.nn.functional.conv_transpose2d(xt, wt, stride=(2, 1)).float().numpy()[0, 0]
bf16, f32 = run(torch.bfloat16), run(torch.float32)
print("bfloat16 row 0:", bf16[0], " float32 row 0:", f32[0], " definition: [2, nan]")
if np.isnan(bf16[0, 0]) and not np.isnan(f32[0, 0]):
    print("REPRODUCED: bfloat16 output (0, 0) is NaN")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
