"""Keep the suite's output readable: TensorFlow and JAX log on import.

Only logging noise is silenced (C++ INFO/WARNING lines, absl, JAX's "no GPU"
notice); Python warnings stay visible except the specific ones pytest's
config filters, each named there.
"""

from __future__ import annotations

import logging
import os

# What a process must have set before it imports a framework (this one, and the
# child processes of the error-path probes and the known findings' snippets).
ENV = {
    # 2: drop TF's C++ INFO and WARNING lines (oneDNN and CPU-feature notices), keep errors
    "tensorflow": {"TF_CPP_MIN_LOG_LEVEL": "2"},
    # only the CPU exists here; saying so stops JAX probing for (and warning about) GPUs
    "jax": {"JAX_PLATFORMS": "cpu"},
}


def env_for(*frameworks: str) -> dict:
    """The variables of ENV for these frameworks, merged."""
    return {k: v for name in frameworks for k, v in ENV.get(name, {}).items()}


def script_env(extra=()) -> dict:
    """The variables a framework script (a known finding's snippet, FCN
    bilinear's child) runs with beyond this process's environment: every
    framework's quiet ones, then its own. One rule for both, so scripts that
    import the same frameworks fork from one zygote (preloaded.py)."""
    return {**env_for("tensorflow", "jax"), **dict(extra)}


def _set_defaults(framework: str) -> None:
    for key, value in ENV[framework].items():
        os.environ.setdefault(key, value)


def silence_tensorflow() -> None:
    _set_defaults("tensorflow")
    try:
        import absl.logging

        absl.logging.set_verbosity(absl.logging.ERROR)
    except ImportError:
        pass
    logging.getLogger("tensorflow").setLevel(logging.ERROR)


def silence_jax() -> None:
    _set_defaults("jax")
    logging.getLogger("jax._src.xla_bridge").setLevel(logging.ERROR)


def silence_all() -> None:
    silence_tensorflow()
    silence_jax()
