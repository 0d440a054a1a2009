"""Verdicts of standalone framework probes, kept between runs.

A known finding's snippet and the error-path probes run a framework alone
(numpy and that framework, in a child process of their own): what they print
depends only on their code, the environment they run in, the installed
packages and the machine. A second run with all of those unchanged need not
spend some 40 s of CPU importing frameworks into fresh processes to learn the
same thing again, so it reads the verdict the first run recorded, and its
record says so (`cached`: which run, when). Only settled verdicts are kept (a
finding that reproduced, probes that all raised or returned): a finding that
stopped reproducing, a crash or a hang is run again every time. Any change of
version, code, environment or machine is a new key, so an upgrade is always
checked afresh.

Probes that go through the suite's adapters (precision, the sweeps) are never
cached: their result depends on the suite's own code too.

CONVT_SUITE_PROBE_CACHE: a folder (default ~/.cache/convt-suite/probes) or
"off"; `convt-suite run --fresh` turns it off for one run.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from convt_suite.core.results import installed_versions
from convt_suite.host import env
from convt_suite.host.cpu import cpuinfo
from convt_suite.host.folders import user_cache

VARIABLE = env.PROBE_CACHE.name
# the packages whose version can change what a probe prints
PACKAGES = ("numpy", "ml_dtypes", "torch", "tensorflow", "tensorflow-cpu", "jax", "jaxlib", "keras")
# environment variables that change how a framework computes (oneDNN, XLA, threads, backends)
ENV_PREFIXES = ("TF_", "XLA_", "JAX_", "KERAS_", "OMP_", "MKL", "DNNL", "ONEDNN", "TORCH", "PYTORCH",
                "CUDA", "LD_PRELOAD")


def folder() -> Path | None:
    choice = env.PROBE_CACHE.get("")
    if choice == "off":
        return None
    return Path(choice).expanduser() if choice else user_cache("probes")


@lru_cache(maxsize=1)
def machine() -> dict:
    """What the compiled kernels can depend on: the architecture and the CPU's
    model and instruction set (oneDNN picks its kernels by ISA)."""
    cpu = dict(cpuinfo()) or {"processor": platform.processor()}
    return {"machine": platform.machine(), "system": platform.system(), "cpu": cpu,
            "python": sys.version}


@lru_cache(maxsize=1)
def versions() -> dict:
    return installed_versions(PACKAGES)


def key(kind: str, code: str, env: dict) -> str:
    relevant_env = {name: value for name, value in {**os.environ, **env}.items()
                    if name.startswith(ENV_PREFIXES) and not any(
                        word in name for word in ("CACHE", "LOG"))}   # where, not what
    text = json.dumps({"kind": kind, "code": code, "env": sorted(relevant_env.items()),
                       "versions": versions(), "machine": machine()}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def verdict(kind: str, code: str, env: dict, compute: Callable[[], dict],
            settled: Callable[[dict], bool], run: str = "") -> dict:
    """compute()'s result (a JSON-able dict), or the one a run with the same
    key recorded, with `cached` saying which run and when."""
    where = folder()
    path = None if where is None else where / f"{key(kind, code, env)}.json"
    if path is not None:
        try:
            entry = json.loads(path.read_text())
            return {**entry["result"], "cached": {"run": entry["run"], "at": entry["at"]}}
        except (OSError, ValueError, KeyError):
            pass
    result = compute()
    if path is not None and settled(result):
        path.parent.mkdir(parents=True, exist_ok=True)
        entry = {"kind": kind, "run": run, "at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                 "result": result}
        # written whole, then renamed: a reader never sees half an entry
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as out:
            json.dump(entry, out)
        os.replace(out.name, path)
    return result
