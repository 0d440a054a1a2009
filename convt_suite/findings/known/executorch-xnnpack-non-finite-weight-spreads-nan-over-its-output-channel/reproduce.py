# ExecuTorch's XNNPACK delegate, in float32, turns NaN every output of a weight's output channel
# when that weight tap is NaN or infinite, outputs its products never reach: one input channel, two
# output channels, w = [nan, 2, 3] | [1, 1, 1] on x = [1, 1] gives [[nan nan nan nan], [1 2 2 1]],
# where the definition (and ExecuTorch's portable kernels) give [[nan nan 5 3], [1 2 2 1]]; an infinite tap
# w = [inf, 2, 3] gives NaN (0 * inf) at the outputs it does not reach. The other channel is right.
import logging
import sys
import warnings

import numpy as np
import torch
from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
from executorch.exir import to_edge, to_edge_transform_and_lower
from executorch.runtime import Runtime

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)
nan, inf = float("nan"), float("inf")


def run(rank, kernels, weight, x):
    """ConvTranspose{rank}d (stride 1, no bias; 2-D: height 1) with `weight` (in, out, K), lowered for
    `kernels` ('xnnpack' or 'portable') and run on x (1, in, L): the output as (out, L + K - 1)."""
    w = torch.tensor(weight, dtype=torch.float32)
    shape = w.shape if rank == 1 else (w.shape[0], w.shape[1], 1, w.shape[2])
    module = (torch.nn.ConvTranspose1d if rank == 1 else torch.nn.ConvTranspose2d)(
        shape[0], shape[1], tuple(shape[2:]), bias=False).eval()
    with torch.no_grad():
        module.weight.copy_(w.reshape(shape))
    xt = torch.tensor(x, dtype=torch.float32)
    xt = (xt if rank == 1 else xt[:, :, None, :]).contiguous()
    with torch.no_grad():
        exported = torch.export.export(module, (xt,))
    program = (to_edge_transform_and_lower(exported, partitioner=[XnnpackPartitioner()]) if kernels == "xnnpack"
               else to_edge(exported)).to_executorch()
    method = Runtime.get().load_program(program.buffer).load_method("forward")
    return method.execute([xt])[0].numpy().reshape(shape[1], -1)


holds = {}
for rank in (1, 2):
    x = [[[1.0, 1.0]]]
    nan_tap = [[[nan, 2, 3], [1, 1, 1]]]
    inf_tap = [[[inf, 2, 3], [1, 1, 1]]]
    got_nan, portable_nan = run(rank, "xnnpack", nan_tap, x), run(rank, "portable", nan_tap, x)
    got_inf = run(rank, "xnnpack", inf_tap, x)
    print(f"{rank}-D float32, w = [nan 2 3] | [1 1 1], x = [1 1]: XNNPACK {got_nan.tolist()}, "
          f"portable {portable_nan.tolist()} (the definition: [[nan, nan, 5, 3], [1, 2, 2, 1]])")
    print(f"{rank}-D float32, w = [inf 2 3] | [1 1 1]: XNNPACK {got_inf.tolist()} (the definition: "
          f"[[inf, inf, 5, 3], [1, 2, 2, 1]])")
    holds[rank] = (bool(np.isnan(got_nan[0]).all()) and np.array_equal(got_nan[1], [1, 2, 2, 1])
                   and np.array_equal(portable_nan[0], [nan, nan, 5, 3], equal_nan=True)
                   and bool(np.isnan(got_inf[0, 2:]).all()))
print("holds per rank:", holds)
if all(holds.values()):
    print("REPRODUCED: in float32 XNNPACK turns NaN every output of a NaN or infinite weight's output channel "
          "(the outputs its tap never reaches too); the other channel, and the portable kernels, are right; 1-D and 2-D")
else:
    print(f"NOT REPRODUCED: per rank {holds}")
    sys.exit(3)
