"""Where the suite keeps things between runs: under the user's cache folder
(XDG_CACHE_HOME or ~/.cache), never inside a repository; and where the
frameworks it starts leave their temporary files: a scratch folder of this
process's own, removed when it exits."""

from __future__ import annotations

import atexit
import getpass
import os
import re
import shutil
import tempfile
from functools import cache
from pathlib import Path

from convt_suite.host import env

EXAMPLES_VARIABLE = env.EXAMPLES.name


def user_cache(name: str) -> Path:
    base = env.XDG_CACHE_HOME.get() or Path.home() / ".cache"
    return Path(base) / "convt-suite" / name


def examples_database(choice: str | None = None) -> Path | None:
    """The example database folder: --examples-db PATH, else
    $CONVT_SUITE_EXAMPLES, else the user cache; "off" for none."""
    choice = choice or env.EXAMPLES.get() or str(user_cache("examples"))
    return None if choice == "off" else Path(choice).expanduser().resolve()


@cache
def scratch() -> str:
    """This process's scratch folder (made on first use, removed at its exit):
    the TMPDIR of every framework process it starts. ONNX Runtime writes a
    /tmp/mat-debug-<pid>.log (and a .ses) from every process that imports it,
    TensorFlow's autograph a __autograph_generated_file*.py for every function
    it converts, and neither removes them: hundreds a run."""
    folder = tempfile.mkdtemp(prefix="convt-suite-scratch-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def inductor_cache() -> str:
    """Where torch.compile keeps its compiled kernels by default (torch's
    default_cache_dir, computed without importing torch): under the system's
    temporary folder, which a scratch TMPDIR would otherwise move and delete."""
    try:
        user = getpass.getuser()
    except (KeyError, ModuleNotFoundError, OSError):   # as torch falls back
        user = f"uid_{os.getuid()}" if hasattr(os, "getuid") else "unknown_user"
    user = re.sub(r'[\\/:*?"<>|]', "_", user)
    return os.path.join(tempfile.gettempdir(), "torchinductor_" + user)


# torch.compile's inductor compiles its kernels in a pool of worker processes,
# one per core, each importing torch: the suite already runs a process per
# core, so the pool only adds its start-up in every process that compiles
# (figures: docs, performance). A setting of the caller's own is kept.
COMPILE_THREADS = {"TORCHINDUCTOR_COMPILE_THREADS": "1"}


def child_env(env: dict) -> dict:
    """`env` for a framework process this one starts: its temporary files go
    to the scratch folder; inductor's kernel cache stays where it was and it
    compiles in the process itself."""
    return {"TORCHINDUCTOR_CACHE_DIR": inductor_cache(), **COMPILE_THREADS, **env,
            "TMPDIR": scratch()}
