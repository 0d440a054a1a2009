"""Each Keras backend is its own implementation of Keras's definition, and a
process holds one backend: run the Keras sweeps and native-semantics tests
under every other installed backend in a child process."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from convt_suite.results import RUN_ID_VARIABLE

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORK = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}


@pytest.mark.parametrize("backend", sorted(FRAMEWORK))
def test_keras_on_backend(backend, tmp_path, request):
    if importlib.util.find_spec("keras") is None or importlib.util.find_spec(FRAMEWORK[backend]) is None:
        pytest.skip(f"keras or {backend} is not installed")
    if backend == os.environ.get("KERAS_BACKEND", "tensorflow"):
        pytest.skip(f"keras[{backend}] runs in this process (tests/test_sweep.py)")
    results = Path(request.config.getoption("results"))
    command = [
        sys.executable, "-m", "pytest", "tests/test_sweep.py", "tests/test_native_semantics.py",
        "-k", "keras", "-q", "-p", "no:cacheprovider", "--adapter", f"keras[{backend}]",
        "--results", str(results), "--results-append",
    ]
    profile = request.config.getoption("hypothesis_profile", None)
    if profile:
        command += ["--hypothesis-profile", profile]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "KERAS_BACKEND": backend,
                               RUN_ID_VARIABLE: request.config.convt_writer.run_id})
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
