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


def call_in_rank(rank):
    """Control, not the finding: the same empty-batch backward in 1-D (the W axis: 4, kernel 2, stride 3)
    and 3-D (3x4x4, kernel 3x2x2, stride (2, 3, 3)); torch 2.13 computes both."""
    entry, size, kernel, stride = {1: (F.conv_transpose1d, (4,), (2,), 3),
                                   3: (F.conv_transpose3d, (3, 4, 4), (3, 2, 2), (2, 3, 3))}[rank]
    x_ = torch.randn((0, 2) + size, requires_grad=True)
    w_ = torch.randn((2, 2) + kernel, requires_grad=True)
    y_ = torch.compile(lambda a, b: entry(a, b, None, stride=stride), fullgraph=True, dynamic=False)(x_, w_)
    try:
        return [tuple(g.shape) for g in torch.autograd.grad(y_, (x_, w_), torch.ones(y_.shape))]
    except AssertionError as err:
        return "AssertionError: " + str(err).splitlines()[0][:80]


for rank in (1, 3):
    print(f"control {rank}-D compiled backward:", call_in_rank(rank))
try:
    grads = torch.autograd.grad(y, (x, w), torch.ones(0, 2, 7, 11))
    print("compiled backward:", [tuple(g.shape) for g in grads])
except AssertionError as err:
    print("compiled backward: AssertionError:", str(err).splitlines()[0][:150])
    print("REPRODUCED: torch.compile's backward fails a stride assertion on an empty batch")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
