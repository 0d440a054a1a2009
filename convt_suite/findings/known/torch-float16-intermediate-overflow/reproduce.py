import sys

import numpy as np
import torch

x = np.array([300.0, 250.0], np.float16)          # one column of 2 inputs
w = np.array([250.0, -240.0], np.float16)         # a 2-tap kernel
exact = [300 * 250, 300 * -240 + 250 * 250, 250 * -240]   # 75000 overflows; -9500; -60000
middles = {}
for rank, call in ((1, torch.nn.functional.conv_transpose1d), (2, torch.nn.functional.conv_transpose2d),
                   (3, torch.nn.functional.conv_transpose3d)):
    shape = (1, 1, 2) + (1,) * (rank - 1)          # the taps along the first spatial axis
    out = call(torch.from_numpy(x).reshape(shape), torch.from_numpy(w).reshape(shape)).flatten().tolist()
    print(f"torch conv_transpose{rank}d:", out, " exact:", exact)
    middles[rank] = out[1]
if all(np.isinf(middle) for middle in middles.values()):
    print("REPRODUCED: the middle output is", middles[2], "in 1-D, 2-D and 3-D where the exact result is -9500")
else:
    print("NOT REPRODUCED: the outputs above are not the finding's (in every rank)")
    sys.exit(3)
