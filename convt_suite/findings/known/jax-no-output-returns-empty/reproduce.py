import sys

import jax
import jax.numpy as jnp
import torch

x, w = jnp.ones((1, 1, 1, 1)), jnp.ones((1, 1, 3, 3))
# pads (0, 0) on a 1-element input and a 3-tap kernel: full length L = 3,
# crops (K - 1, K - 1) = (2, 2), output length -1: there is no output
y = jax.lax.conv_transpose(x, w, (1, 1), ((0, 0), (0, 0)),
                           dimension_numbers=("NCHW", "OIHW", "NCHW"), transpose_kernel=True)
try:   # the same crops in PyTorch: padding 2
    torch.nn.functional.conv_transpose2d(torch.ones(1, 1, 1, 1), torch.ones(1, 1, 3, 3), padding=2)
    torch_says = "computed"
except RuntimeError:
    torch_says = "RuntimeError"
# the same in 1-D and 3-D: one shape rule for every rank
others = {rank: jax.lax.conv_transpose(
    jnp.ones((1, 1) + (1,) * rank), jnp.ones((1, 1) + (3,) * rank), (1,) * rank, ((0, 0),) * rank,
    dimension_numbers={1: ("NCW", "OIW", "NCW"), 3: ("NCDHW", "OIDHW", "NCDHW")}[rank],
    transpose_kernel=True).shape for rank in (1, 3)}
print("jax ->", y.shape, "| torch (padding 2, length -1) ->", torch_says, "| jax 1-D, 3-D ->", others)
if y.shape == (1, 1, 0, 0) and others == {1: (1, 1, 0), 3: (1, 1, 0, 0, 0)}:
    print("REPRODUCED: no output (length -1) returns an empty array, no error")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
