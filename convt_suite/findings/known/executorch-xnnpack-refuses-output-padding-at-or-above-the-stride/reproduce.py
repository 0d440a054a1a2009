# PyTorch takes an output_padding below max(stride, dilation) on each axis, so with a dilation
# output_padding may reach the stride: nn.ConvTranspose2d(1, 1, 3, stride=1, dilation=2,
# output_padding=1) computes. ExecuTorch lowers it for the XNNPACK delegate, and the program then
# fails to run ("method->execute() failed with error 0x1"): XNNPACK's deconvolution takes an
# adjustment (output_padding) below the stride only. The portable kernels compute it. 1-D is
# lowered to the 2-D delegate alike.
import logging
import sys
import warnings

import torch
from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
from executorch.exir import to_edge, to_edge_transform_and_lower
from executorch.runtime import Runtime

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)


def run(module, x, kernels):
    with torch.no_grad():
        exported = torch.export.export(module.eval(), (x,))
    program = (to_edge_transform_and_lower(exported, partitioner=[XnnpackPartitioner()]) if kernels == "xnnpack"
               else to_edge(exported)).to_executorch()
    try:
        method = Runtime.get().load_program(program.buffer).load_method("forward")
        return method.execute([x])[0]
    except Exception as err:   # its own words
        return f"{type(err).__name__}: {err}"


holds = {}
torch.manual_seed(0)
for rank, shape in ((1, (1, 1, 4)), (2, (1, 1, 3, 4))):
    layer = (torch.nn.ConvTranspose1d if rank == 1 else torch.nn.ConvTranspose2d)(
        1, 1, 3, stride=1, dilation=2, output_padding=1, bias=False)
    x = torch.rand(shape)
    with torch.no_grad():
        eager = layer(x)
    xnnpack, portable = run(layer, x, "xnnpack"), run(layer, x, "portable")
    print(f"{rank}-D stride 1, dilation 2, output_padding 1: torch {tuple(eager.shape)}; XNNPACK "
          f"{xnnpack if isinstance(xnnpack, str) else tuple(xnnpack.shape)}; portable "
          f"{portable if isinstance(portable, str) else tuple(portable.shape)}")
    holds[rank] = (isinstance(xnnpack, str) and "0x1" in xnnpack and not isinstance(portable, str)
                   and torch.allclose(portable, eager, atol=1e-5))
    plain = (torch.nn.ConvTranspose1d if rank == 1 else torch.nn.ConvTranspose2d)(
        1, 1, 3, stride=2, dilation=2, output_padding=1, bias=False)
    below = run(plain, x, "xnnpack")
    print(f"{rank}-D stride 2 (output_padding below it): XNNPACK "
          f"{below if isinstance(below, str) else tuple(below.shape)}")
    holds[rank] = holds[rank] and not isinstance(below, str)
print("holds per rank:", holds)
if all(holds.values()):
    print("REPRODUCED: an output_padding at the stride (below the dilation, as PyTorch allows) lowers for "
          "XNNPACK and fails to run (error 0x1); the portable kernels compute it; below the stride XNNPACK runs")
else:
    print(f"NOT REPRODUCED: per rank {holds}")
    sys.exit(3)
