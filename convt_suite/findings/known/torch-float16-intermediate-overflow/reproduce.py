import sys

import numpy as np
import torch

x = np.array([300.0, 250.0], np.float16)          # one column of 2 inputs
w = np.array([250.0, -240.0], np.float16)         # a 2x1 kernel
out = torch.nn.functional.conv_transpose2d(torch.from_numpy(x).reshape(1, 1, 2, 1), torch.from_numpy(w).reshape(1, 1, 2, 1)).flatten().tolist()
exact = [300 * 250, 300 * -240 + 250 * 250, 250 * -240]   # 75000 overflows; -9500; -60000
print("torch:", out, " exact:", exact)
if np.isinf(out[1]):
    print("REPRODUCED: the middle output is", out[1], "where the exact result is -9500")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
