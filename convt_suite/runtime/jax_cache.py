"""Keep JAX's compiled programs on disk between runs.

JAX compiles every new shape (about 0.3 s a forward check, 0.8 s a gradient
check) and the ci profile draws the same shapes every run, so a second run
on one machine need not compile again. This only changes where the compiled
XLA programs come from, not what they compute. It works through JAX's own
environment variables, so it must run before JAX is imported; child
processes inherit it.

CONVT_SUITE_JAX_CACHE: a folder (default ~/.cache/convt-suite/jax, or under
XDG_CACHE_HOME), or "off". A JAX_COMPILATION_CACHE_DIR set by the user wins.
"""

from __future__ import annotations

import os
from pathlib import Path

from convt_suite.host import env
from convt_suite.host.folders import user_cache

VARIABLE = env.JAX_CACHE.name


def default_folder() -> Path:
    return user_cache("jax")


def enable() -> None:
    choice = env.JAX_CACHE.get("")
    if choice == "off" or env.JAX_COMPILATION_CACHE_DIR.get() is not None:
        return
    os.environ[env.JAX_COMPILATION_CACHE_DIR.name] = choice or str(default_folder())
    # JAX by default keeps only programs that took over a second to compile;
    # ours are many small ones
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "-1")
