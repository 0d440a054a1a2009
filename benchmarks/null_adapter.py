"""An adapter that computes nothing (a preallocated output of the right shape):
what is left of a check's time through a worker is the transfer."""

import numpy as np


class NullAdapter:
    name = "null"

    def __init__(self):
        self._out = {}

    def supports(self, spec, dtype):
        return None

    def forward(self, x, weight, bias, spec):
        shape = spec.output_shape(x.shape)
        return self._out.setdefault((shape, x.dtype.str), np.zeros(shape, x.dtype))

    def vjp(self, *args):
        raise NotImplementedError
