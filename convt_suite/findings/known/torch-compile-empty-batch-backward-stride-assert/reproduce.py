# torch.compile's backward of conv_transpose2d on an empty batch fails an assertion on its own
# strides (the compiled backward expects the empty grad_x laid out otherwise); eager autograd
# gives the empty gradients, and torch.compile's forward computes.
import sys

import torch
import torch.nn.functional as F

x = torch.randn(0, 2, 3, 4, requires_grad=True)
w = torch.randn(2, 2, 3, 2, requires_grad=True)
f = lambda x_, w_: F.conv_transpose2d(x_, w_, None, stride=(2, 3))   # noqa: E731
eager = torch.autograd.grad(f(x, w), (x, w), torch.ones(0, 2, 7, 11))
print("eager:", [tuple(g.shape) for g in eager])
compiled = torch.compile(f, fullgraph=True, dynamic=False)
y = compiled(x, w)
print("compiled forward:", tuple(y.shape))
try:
    grads = torch.autograd.grad(y, (x, w), torch.ones(0, 2, 7, 11))
    print("compiled backward:", [tuple(g.shape) for g in grads])
except AssertionError as err:
    print("compiled backward: AssertionError:", str(err).splitlines()[0][:150])
    print("REPRODUCED: torch.compile's backward fails a stride assertion on an empty batch")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
