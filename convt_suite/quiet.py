"""Keep the suite's output readable: TensorFlow and JAX log on import.

Only logging noise is silenced (C++ INFO/WARNING lines, absl, JAX's "no GPU"
notice); Python warnings stay visible except the specific ones pytest's
config filters, each named there.
"""

from __future__ import annotations

import logging
import os


def silence_tensorflow() -> None:
    # 2: drop TF's C++ INFO and WARNING lines (oneDNN and CPU-feature notices), keep errors
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    try:
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
    except ImportError:
        pass
    logging.getLogger("tensorflow").setLevel(logging.ERROR)


def silence_jax() -> None:
    # only the CPU exists here; saying so stops JAX probing for (and warning about) GPUs
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    logging.getLogger("jax._src.xla_bridge").setLevel(logging.ERROR)


def silence_all() -> None:
    silence_tensorflow()
    silence_jax()
