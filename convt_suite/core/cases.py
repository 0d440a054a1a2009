"""One drawn example: a Spec, an input shape and a seed for the tensor values.

Values come from a seeded NumPy generator rather than from hypothesis arrays:
drawing thousands of floats through hypothesis is slow and shrinks them
towards zero, which hides bugs (a flipped kernel of zeros is still zeros).
The seed is part of the example, so a shrunk failure reproduces exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convt_suite.adapters.base import numpy_dtype
from convt_suite.adapters.spec import Spec


@dataclass(frozen=True)
class Case:
    spec: Spec
    input_shape: tuple[int, ...]   # (N, C_in, *spatial): one axis per rank
    seed: int
    scale: float = 1.0      # x and weight multiplied by this (overflow cases)
    specials: tuple = ()    # ((tensor "x" | "weight", flat index, value), ...): NaN, ±inf

    def tensors(self, dtype: str):
        """(x, weight, bias or None) in `dtype`: standard normal from the seed,
        scaled, with the special values placed, then rounded once to `dtype`."""
        rng = np.random.default_rng(self.seed)
        target = numpy_dtype(dtype)
        values = {"x": rng.standard_normal(self.input_shape) * self.scale,
                  "weight": rng.standard_normal(self.spec.weight_shape) * self.scale}
        bias = rng.standard_normal(self.spec.out_channels).astype(target) if self.spec.bias else None
        for tensor, index, value in self.specials:
            values[tensor].flat[index] = value
        return values["x"].astype(target), values["weight"].astype(target), bias

    def upstream_gradient(self, dtype: str):
        """A random grad_out of the output's shape, in `dtype`, from the seed."""
        rng = np.random.default_rng([self.seed, 1])
        return rng.standard_normal(self.spec.output_shape(self.input_shape)).astype(numpy_dtype(dtype))

    def to_dict(self) -> dict:
        data = {"spec": self.spec.to_dict(), "input_shape": list(self.input_shape), "seed": self.seed}
        if self.scale != 1.0:
            data["scale"] = self.scale
        if self.specials:
            data["specials"] = [[t, i, repr(float(v))] for t, i, v in self.specials]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Case:
        specials = tuple((t, i, float(v)) for t, i, v in data.get("specials", ()))
        return cls(Spec.from_dict(data["spec"]), tuple(data["input_shape"]), data["seed"],
                   data.get("scale", 1.0), specials)

    def __str__(self):
        text = f"{self.spec.describe()} x={self.input_shape} seed={self.seed}"
        if self.scale != 1.0:
            text += f" scale={self.scale:g}"
        if self.specials:
            text += " specials=" + ",".join(f"{t}[{i}]={float(v)}" for t, i, v in self.specials)
        return text
