"""One drawn example: a Spec, an input shape and a seed for the tensor values.

Values come from a seeded NumPy generator rather than from hypothesis arrays:
drawing thousands of floats through hypothesis is slow and shrinks them
towards zero, which hides bugs (a flipped kernel of zeros is still zeros).
The seed is part of the example, so a shrunk failure reproduces exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from adapters.base import numpy_dtype
from adapters.spec import Spec


@dataclass(frozen=True)
class Case:
    spec: Spec
    input_shape: tuple[int, int, int, int]
    seed: int

    def tensors(self, dtype: str):
        """(x, weight, bias or None) in `dtype`, standard normal, from the seed."""
        rng = np.random.default_rng(self.seed)
        target = numpy_dtype(dtype)
        x = rng.standard_normal(self.input_shape).astype(target)
        weight = rng.standard_normal(self.spec.weight_shape).astype(target)
        bias = rng.standard_normal(self.spec.out_channels).astype(target) if self.spec.bias else None
        return x, weight, bias

    def upstream_gradient(self, dtype: str):
        """A random grad_out of the output's shape, in `dtype`, from the seed."""
        rng = np.random.default_rng([self.seed, 1])
        return rng.standard_normal(self.spec.output_shape(self.input_shape)).astype(numpy_dtype(dtype))

    def to_dict(self) -> dict:
        return {"spec": self.spec.to_dict(), "input_shape": list(self.input_shape), "seed": self.seed}

    @classmethod
    def from_dict(cls, data: dict) -> "Case":
        return cls(Spec.from_dict(data["spec"]), tuple(data["input_shape"]), data["seed"])

    def __str__(self):
        return f"{self.spec.describe()} x={self.input_shape} seed={self.seed}"
