"""Each Keras backend is its own implementation of Keras's definition, and a
process holds one backend. The sweeps run every backend in its own worker
(keras[tensorflow], keras[jax], keras[torch]); the native-semantics proofs
import Keras in the test process, so they run under every other installed
backend in a child process here, and so do the 1-D and 3-D adapter checks."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}


@pytest.mark.parametrize("backend", sorted(FRAMEWORK))
@pytest.mark.parametrize("tests, selection", [("tests/test_native_semantics.py", "keras"),
                                              ("tests/test_ranks.py", "every_rank and keras")],
                         ids=["native semantics", "every rank"])
def test_keras_on_backend(backend, tests, selection, tmp_path):
    if importlib.util.find_spec("keras") is None or importlib.util.find_spec(FRAMEWORK[backend]) is None:
        pytest.skip(f"keras or {backend} is not installed")
    if backend == os.environ.get("KERAS_BACKEND", "tensorflow"):
        pytest.skip(f"Keras on {backend} is this process's: {tests}")
    command = [sys.executable, "-m", "pytest", tests, "-k", selection, "-q", "-p", "no:cacheprovider"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "KERAS_BACKEND": backend})
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert " passed" in done.stdout, done.stdout[-2000:]
