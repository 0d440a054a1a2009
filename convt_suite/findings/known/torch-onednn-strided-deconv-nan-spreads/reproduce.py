# NaN in one weight tap of conv_transpose2d spreads to outputs that tap never reaches
# (torch CPU float32, oneDNN brgconv_strided). numpy + torch only.
import sys
import warnings

import numpy as np
import torch

warnings.filterwarnings("ignore")     # mkldnn.flags warns about TF32, unrelated
torch.set_num_threads(1)              # many threads and a small batch may pick another kernel
S, OP = (1, 2), (0, 1)                # stride (1, 2), output_padding (0, 1): width 3, odd
x = torch.rand(2, 1, 1, 1) + 0.5      # N = 2 (a batch of 1 takes torch's own kernel), finite
w = torch.rand(1, 1, 1, 2) + 0.5      # (C_in, C_out, kH, kW)
w[0, 0, 0, 0] = float("nan")          # tap (0, 0) reaches output (0, 0) only
y = torch.nn.functional.conv_transpose2d(x, w, stride=S, output_padding=OP)
with torch.backends.mkldnn.flags(enabled=False):   # slow_conv_transpose2d, for contrast
    y_own = torch.nn.functional.conv_transpose2d(x, w, stride=S, output_padding=OP)
expected = np.array([[True, False, False]])        # the definition's NaN, per sample
got, own = torch.isnan(y[:, 0]).numpy(), torch.isnan(y_own[:, 0]).numpy()
print("torch", torch.__version__, "NaN per sample:", got.astype(int).tolist(),
      "| mkldnn off:", own.astype(int).tolist(), "| definition:", expected.astype(int).tolist())
extra = got & ~expected
if extra.any() and not (own & ~expected).any():
    print(f"REPRODUCED: {int(extra.sum())} NaN at (n, h, w) {np.argwhere(extra).tolist()}, "
          "the output padding no product reaches; exact with mkldnn off")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
