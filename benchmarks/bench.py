"""Speed figures for the README (a benchmark that prints, not a timed test).

    python benchmarks/bench.py            # both parts
    python benchmarks/bench.py oracle     # the oracle against torch float64 only

1. The main job (`convt-suite run`, default ci profile, every installed
   adapter): wall time of the first release's scope alone (forward, float32
   and float64) and of everything, cold (fresh processes, an empty JAX
   compilation cache, no .pyc of the suite), then everything warm (the JAX
   cache the cold run left).
2. The float64 oracle against torch.nn.functional.conv_transpose2d in
   float64 on N=4, 32->32 channels, 16x16, kernel 4, stride 2: median of
   repeated calls, and the ratio.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
import tempfile
import timeit
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from convt_suite import jax_cache  # noqa: E402


ISSUE_2_SCOPE = "forward_matches and (float32 or float64)"  # the first release's sweep


def main_job() -> None:
    for pycache in ROOT.rglob("__pycache__"):
        shutil.rmtree(pycache, ignore_errors=True)
    figures = []
    with tempfile.TemporaryDirectory() as scratch:
        env = {k: v for k, v in os.environ.items() if k != "JAX_COMPILATION_CACHE_DIR"}
        # cold: an empty JAX compilation cache; warm: the cache the cold run left
        runs = (("first release's scope (forward, float32/64), cold", ISSUE_2_SCOPE, "a"),
                ("everything, cold", None, "b"), ("everything, warm", None, "b"))
        for label, only, cache in runs:
            env[jax_cache.VARIABLE] = str(Path(scratch) / cache)
            started = time.perf_counter()
            command = [sys.executable, "-m", "convt_suite", "run", "--results",
                       str(ROOT / "reports" / f"bench-{len(figures)}.jsonl")]
            subprocess.run(command + (["--only", only] if only else []), cwd=ROOT, env=env,
                           check=False, stdout=subprocess.DEVNULL)
            figures.append((label, time.perf_counter() - started))
    for label, seconds in figures:
        print(f"main job, {label}: {seconds:.0f} s")


def oracle_vs_torch(repeat: int = 30) -> None:
    import torch

    from adapters import oracle
    from adapters.spec import Spec

    spec = Spec.from_torch(32, 32, 4, stride=2, bias=True)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 32, 16, 16))
    w = rng.standard_normal(spec.weight_shape)
    b = rng.standard_normal(32)
    xt, wt, bt = (torch.from_numpy(a) for a in (x, w, b))
    torch.set_num_threads(torch.get_num_threads())

    def ours():
        oracle.conv_transpose2d(x, w, b, spec)

    def theirs():
        torch.nn.functional.conv_transpose2d(xt, wt, bt, stride=2)

    for fn in (ours, theirs):
        fn()  # warm up
    times = {}
    for name, fn in (("oracle (numpy float64)", ours), ("torch float64", theirs)):
        times[name] = statistics.median(timeit.repeat(fn, number=5, repeat=repeat)) / 5
        print(f"{name:>24}: median {times[name] * 1e3:.2f} ms per call")
    ratio = times["oracle (numpy float64)"] / times["torch float64"]
    print(f"oracle / torch: {ratio:.2f}x  (target: within 5x); "
          f"threads: torch {torch.get_num_threads()}")


if __name__ == "__main__":
    parts = sys.argv[1:] or ["oracle", "main"]
    if "oracle" in parts:
        oracle_vs_torch()
    if "main" in parts:
        main_job()
