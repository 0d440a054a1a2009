# ExecuTorch's to_executorch() refuses a ConvTranspose program whose example input is an empty
# batch (N = 0) with zero strides, as torch.from_numpy gives it (numpy 2 gives an empty array
# strides of 0; torch calls such a tensor contiguous): 'RuntimeError: 0 in strides is not
# supported for ExecuTorch.' (exir/tensor.py, dim_order_from_stride). torch.export and to_edge
# accept it, eager torch returns the empty output, and the same batch with contiguous strides
# lowers and runs: for the portable kernels and the XNNPACK delegate, 1-D and 2-D, every dtype.
import logging
import sys

import numpy as np
import torch

logging.getLogger("torchao").setLevel(logging.ERROR)   # the XNNPACK backend's import chatter
from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner  # noqa: E402
from executorch.exir import to_edge, to_edge_transform_and_lower  # noqa: E402
from executorch.runtime import Runtime  # noqa: E402

LOWER = {"portable": lambda ep: to_edge(ep),
         "XNNPACK": lambda ep: to_edge_transform_and_lower(ep, partitioner=[XnnpackPartitioner()])}


def executorch_shape(layer, x, lowering):
    """The output shape ExecuTorch gives for x, or the error it raises."""
    try:
        with torch.no_grad():
            program = LOWER[lowering](torch.export.export(layer, (x,))).to_executorch()
        out = Runtime.get().load_program(program.buffer).load_method("forward").execute([x])[0]
        return tuple(out.shape)
    except RuntimeError as err:
        return f"RuntimeError: {err}"


holds = []
for rank in (1, 2):
    shape = (0, 2) + (3,) * rank
    for dtype in (torch.float32, torch.float16, torch.bfloat16, torch.float64):
        layer = (torch.nn.ConvTranspose1d, torch.nn.ConvTranspose2d)[rank - 1](2, 3, 3, stride=2).to(dtype).eval()
        x = torch.from_numpy(np.zeros(shape, np.float32)).to(dtype)   # strides (0, 0, ...)
        dense = x.clone(memory_format=torch.contiguous_format)       # the same batch, strides (6, 3, 1)...
        with torch.no_grad():
            eager = tuple(layer(x).shape)
        for lowering in LOWER:
            got, control = executorch_shape(layer, x, lowering), executorch_shape(layer, dense, lowering)
            print(f"{rank}-D {str(dtype)[6:]:8} {lowering:8} strides {x.stride()}: torch {eager}, "
                  f"ExecuTorch {got} | strides {dense.stride()}: ExecuTorch {control}")
            holds.append(eager[0] == 0 and "0 in strides" in str(got) and control == eager)
if all(holds):
    print("REPRODUCED: to_executorch() refuses an empty batch with zero strides ('0 in strides is not "
          "supported for ExecuTorch.') that torch computes, 1-D and 2-D, every dtype, both lowerings; "
          "with contiguous strides it runs")
else:
    print(f"NOT REPRODUCED: {holds.count(False)} of {len(holds)} calls are not the finding's (above)")
    sys.exit(3)
