"""Every environment variable the suite reads, defined once: its name, what
applies when it is unset, and what it does. The modules that act on one read
it through its `Variable`; the run header records those that are set
(`set_now`), and the documentation's reference page is generated from
`VARIABLES`. Variables the suite only passes on to a framework (the ones that
key the probe cache: runtime/probe_cache.py) are the framework's, not these.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import overload


@dataclass(frozen=True)
class Variable:
    name: str
    default: str    # what applies when it is unset, in words
    meaning: str

    @overload
    def get(self) -> str | None: ...
    @overload
    def get(self, fallback: str) -> str: ...

    def get(self, fallback: str | None = None) -> str | None:
        return os.environ.get(self.name, fallback)


# the suite's own
RUN_ID = Variable(
    "CONVT_SUITE_RUN_ID", "a new id for each run",
    "the run every process writes its results lines under; the runner sets it for its "
    "pytest-xdist processes, so one run's processes share one id")
EXPLORE_SEED = Variable(
    "CONVT_SUITE_EXPLORE_SEED", "--seed, else a random one",
    "the run's exploration seed, inherited by the runner's processes (recorded in the run header)")
EXAMPLES = Variable(
    "CONVT_SUITE_EXAMPLES", "~/.cache/convt-suite/examples",
    "the example database's folder (failing examples replayed by every later run); off for none; "
    "--examples-db wins over it")
PROBE_CACHE = Variable(
    "CONVT_SUITE_PROBE_CACHE", "~/.cache/convt-suite/probes",
    "the probe cache's folder (settled verdicts of findings' snippets and error-path probes); "
    "off runs them all again, as `convt-suite run --fresh` does")
JAX_CACHE = Variable(
    "CONVT_SUITE_JAX_CACHE", "~/.cache/convt-suite/jax",
    "JAX's persistent compilation cache for the workers; off for none; an explicit "
    "JAX_COMPILATION_CACHE_DIR wins over it")
VERSION_SET = Variable(
    "CONVT_SUITE_VERSION_SET", "unset",
    "the version matrix's name for this environment (noxfile.py sets it), recorded in the run header")
MATRIX_OUT = Variable(
    "CONVT_SUITE_MATRIX_OUT", "reports/matrix",
    "where each version set's results go (`convt-suite matrix --out` sets it for nox)")

# shared with the rest of the world
CI = Variable(
    "CI", "unset",
    "set (to anything): the ci hypothesis profile is the default (derandomised, no database), "
    "and the report's browser test fails rather than skips without Chromium")
XDG_CACHE_HOME = Variable(
    "XDG_CACHE_HOME", "~/.cache",
    "where the user cache lives (examples, probes, JAX's compilations), under convt-suite/")
KERAS_BACKEND = Variable(
    "KERAS_BACKEND", "tensorflow",
    "Keras's backend where a selector does not name one (keras[jax] does); recorded per environment")
ONEDNN_MAX_CPU_ISA = Variable(
    "ONEDNN_MAX_CPU_ISA", "the CPU's best",
    "caps the instruction set oneDNN uses; read to tell which oneDNN kernels a known finding meets")
DNNL_MAX_CPU_ISA = Variable(
    "DNNL_MAX_CPU_ISA", "the CPU's best", "oneDNN's older name for ONEDNN_MAX_CPU_ISA")
ONEDNN_VERBOSE = Variable(
    "ONEDNN_VERBOSE", "1 in every adapter worker",
    "oneDNN's execution lines, from which each check records the kernel that ran "
    "(convt_suite/host/kernels.py); the workers set 1 where it is unset, 0 turns the recording off")
TF_ENABLE_ONEDNN_OPTS = Variable(
    "TF_ENABLE_ONEDNN_OPTS", "TensorFlow's choice for the CPU",
    "0 turns TensorFlow's oneDNN kernels off; read to tell which kernels a known finding meets")
JAX_COMPILATION_CACHE_DIR = Variable(
    "JAX_COMPILATION_CACHE_DIR", "unset",
    "JAX's own: when set, the suite leaves JAX's compilation cache to it")

VARIABLES = (RUN_ID, EXPLORE_SEED, EXAMPLES, PROBE_CACHE, JAX_CACHE, VERSION_SET, MATRIX_OUT,
             CI, XDG_CACHE_HOME, KERAS_BACKEND, ONEDNN_MAX_CPU_ISA, DNNL_MAX_CPU_ISA, ONEDNN_VERBOSE,
             TF_ENABLE_ONEDNN_OPTS, JAX_COMPILATION_CACHE_DIR)


def set_now() -> dict[str, str]:
    """The variables of VARIABLES that are set, with their values (the run header's)."""
    return {v.name: value for v in VARIABLES if (value := v.get()) is not None}


def markdown_table() -> str:
    """The reference table (docs/reference/environment.md is generated from it)."""
    rows = ["| variable | when unset | what it does |", "| --- | --- | --- |"]
    rows += [f"| `{v.name}` | {v.default} | {v.meaning} |" for v in VARIABLES]
    return "\n".join(rows) + "\n"
