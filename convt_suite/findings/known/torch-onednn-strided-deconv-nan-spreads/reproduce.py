# NaN in one weight tap of conv_transpose{1,2,3}d spreads to outputs that tap never reaches
# (torch CPU float32, oneDNN brgconv_strided). numpy + torch only.
import sys
import warnings

import numpy as np
import torch

warnings.filterwarnings("ignore")     # mkldnn.flags warns about TF32, unrelated
torch.set_num_threads(1)              # many threads and a small batch may pick another kernel
expected = np.array([True, False, False])          # along W, per sample: the definition's NaN
extra, own_extra = {}, {}
for rank in (1, 2, 3):
    call = getattr(torch.nn.functional, f"conv_transpose{rank}d")
    S, OP = (1,) * (rank - 1) + (2,), (0,) * (rank - 1) + (1,)   # stride 2 along W, output_padding 1: width 3, odd
    x = torch.rand(2, 1, *(1,) * rank) + 0.5       # N = 2 (a batch of 1 takes torch's own kernel), finite
    w = torch.rand(1, 1, *(1,) * (rank - 1), 2) + 0.5   # (C_in, C_out, ..., kW)
    w.view(-1)[0] = float("nan")                   # tap 0 reaches output 0 only
    y = call(x, w, stride=S, output_padding=OP)
    with torch.backends.mkldnn.flags(enabled=False):   # torch's own kernel, for contrast
        y_own = call(x, w, stride=S, output_padding=OP)
    got, own = (torch.isnan(t[:, 0]).reshape(2, 3).numpy() for t in (y, y_own))
    print(f"torch {torch.__version__} {rank}-D NaN along W per sample:", got.astype(int).tolist(),
          "| mkldnn off:", own.astype(int).tolist(), "| definition:", expected.astype(int).tolist())
    extra[rank], own_extra[rank] = got & ~expected, own & ~expected
# bfloat16: grouped calls and a batch of 1 spread it too (float32's grouped kernels are exact)
grouped = {}
for rank in (1, 2, 3):
    call = getattr(torch.nn.functional, f"conv_transpose{rank}d")
    x = torch.ones(1, 2, *(1,) * rank, dtype=torch.bfloat16)
    w = torch.ones(2, 1, *(1,) * (rank - 1), 2, dtype=torch.bfloat16)
    w.view(-1)[0] = float("nan")
    y = call(x, w, stride=(1,) * (rank - 1) + (2,), output_padding=(0,) * (rank - 1) + (1,), groups=2)
    grouped[rank] = torch.isnan(y[0, 0]).reshape(-1).numpy() & ~expected
    print(f"bfloat16 {rank}-D groups 2, batch 1, NaN along W:", torch.isnan(y[0, 0]).reshape(-1).int().tolist())
if (all(e.any() for e in extra.values()) and not any(e.any() for e in own_extra.values())
        and all(e.any() for e in grouped.values())):
    print(f"REPRODUCED: NaN at (n, w) {np.argwhere(extra[2]).tolist()} in 1-D, 2-D and 3-D, "
          "the output padding no product reaches (bfloat16: grouped too); exact with mkldnn off")
else:
    print("NOT REPRODUCED: the output above is not the finding's (in every rank)")
    sys.exit(3)
