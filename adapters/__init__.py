"""One NCHW contract (Spec), a float64 oracle, and an adapter per framework."""

from .spec import Spec, accumulation_length

__all__ = ["Spec", "accumulation_length"]
