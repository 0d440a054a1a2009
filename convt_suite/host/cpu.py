"""The oneDNN instruction set this machine runs with, and whether TensorFlow uses oneDNN.

oneDNN (inside PyTorch and TensorFlow on CPU) picks its kernels by the CPU's
instruction set, and some findings live in one family of kernels only: the
bfloat16 NaN spreads in the avx512_core_bf16/fp16 kernels, the float16
intermediate overflow below avx512_core_fp16 (measured by capping oneDNN with
ONEDNN_MAX_CPU_ISA; see the findings' files). A finding file's `onednn_isa`
lists where it holds; elsewhere not reproducing is not a failure.

TensorFlow runs its oneDNN kernels only on some CPUs (its own rule, below), so
a finding about them also says `tensorflow_onednn = true`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from convt_suite.host import env

# oneDNN's x86 levels, lowest first (its cpu_isa_t; ONEDNN_MAX_CPU_ISA names them)
LEVELS = ("sse41", "avx", "avx2", "avx2_vnni", "avx512_core", "avx512_core_vnni",
          "avx512_core_bf16", "avx512_core_fp16", "avx512_core_amx", "avx512_core_amx_fp16")
# the /proc/cpuinfo flags each level needs beyond the one below it
NEEDS = {
    "sse41": {"sse4_1"}, "avx": {"avx"}, "avx2": {"avx2", "fma"}, "avx2_vnni": {"avx_vnni"},
    "avx512_core": {"avx512f", "avx512bw", "avx512vl", "avx512dq"},
    "avx512_core_vnni": {"avx512_vnni"}, "avx512_core_bf16": {"avx512_bf16"},
    "avx512_core_fp16": {"avx512_fp16"}, "avx512_core_amx": {"amx_tile", "amx_bf16", "amx_int8"},
    "avx512_core_amx_fp16": {"amx_fp16"},
}


def level_of(flags: set[str], cap: str | None = None) -> str | None:
    """The highest level whose flags (and every lower level's, except
    avx2_vnni, which avx512 CPUs may lack) are all present, at most `cap`."""
    best = None
    for level in LEVELS:
        if not NEEDS[level] <= flags:
            if level == "avx2_vnni":
                continue
            break
        best = level
    if cap and cap.lower() in LEVELS and best is not None:
        best = LEVELS[min(LEVELS.index(best), LEVELS.index(cap.lower()))]
    return best


@lru_cache(maxsize=1)
def cpuinfo() -> dict[str, str]:
    """The first 'model name', 'flags' and 'Features' (ARM) lines of
    /proc/cpuinfo; empty where there is none."""
    found: dict[str, str] = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            name, _, value = line.partition(":")
            name = name.strip()
            if name in ("model name", "flags", "Features") and name not in found:
                found[name] = value.strip()
    except OSError:
        pass
    return found


@lru_cache(maxsize=1)
def flags() -> frozenset:
    """The CPU's feature flags (parsed once: the checks ask on every call)."""
    return frozenset(cpuinfo().get("flags", "").split())


def onednn_isa() -> str | None:
    """This machine's level, capped as oneDNN caps it (ONEDNN_MAX_CPU_ISA, or
    the older DNNL_MAX_CPU_ISA); None off x86 or where the flags are unknown."""
    cap = env.ONEDNN_MAX_CPU_ISA.get() or env.DNNL_MAX_CPU_ISA.get()
    return level_of(set(flags()), cap)


# TensorFlow turns its oneDNN kernels on by default on Linux only for CPUs with
# one of these (its DefaultOneDnnPolicy in tensorflow/core/util/util.cc); elsewhere
# it runs its own (Eigen) kernels, whose behaviour differs (see the findings)
TENSORFLOW_ONEDNN_FLAGS = {"avx512_vnni", "avx512_bf16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16"}


def tensorflow_onednn_for(flags: set[str], setting: str | None) -> bool:
    """TF's choice: TF_ENABLE_ONEDNN_OPTS where it is set to a value TF reads
    ('1'/'true', '0'/'false'), else its default for these CPU flags."""
    if setting is not None and setting.strip().lower() in ("1", "true"):
        return True
    if setting is not None and setting.strip().lower() in ("0", "false"):
        return False
    return bool(TENSORFLOW_ONEDNN_FLAGS & flags)


def tensorflow_onednn() -> bool:
    """Does TensorFlow run its oneDNN kernels on this machine (no TF imported)?"""
    return tensorflow_onednn_for(set(flags()), env.TF_ENABLE_ONEDNN_OPTS.get())
