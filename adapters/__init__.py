"""One NCHW contract (Spec), a float64 oracle, and an adapter per framework."""

from .base import Decline
from .spec import Spec, accumulation_length

__all__ = ["Decline", "Spec", "accumulation_length"]
