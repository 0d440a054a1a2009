"""The on-disk JAX compilation cache: where it goes, and who can turn it off."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from convt_suite.runtime import jax_cache

ROOT = Path(__file__).resolve().parents[1]


def _clean(monkeypatch):
    for name in ("JAX_COMPILATION_CACHE_DIR", "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS",
                 "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", jax_cache.VARIABLE):
        monkeypatch.delenv(name, raising=False)


def test_default_folder_keeps_every_program(monkeypatch, tmp_path):
    _clean(monkeypatch)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    jax_cache.enable()
    assert os.environ["JAX_COMPILATION_CACHE_DIR"] == str(tmp_path / "convt-suite" / "jax")
    assert os.environ["JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"] == "0"


def test_off_and_a_users_own_folder_are_respected(monkeypatch, tmp_path):
    _clean(monkeypatch)
    monkeypatch.setenv(jax_cache.VARIABLE, "off")
    jax_cache.enable()
    assert "JAX_COMPILATION_CACHE_DIR" not in os.environ
    _clean(monkeypatch)
    monkeypatch.setenv("JAX_COMPILATION_CACHE_DIR", str(tmp_path))
    jax_cache.enable()
    assert os.environ["JAX_COMPILATION_CACHE_DIR"] == str(tmp_path)
    assert "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS" not in os.environ


def test_jax_really_writes_its_programs_there(tmp_path):
    """End to end: if JAX stopped reading these variables, the cache would
    silently do nothing; a fresh process must leave compiled programs behind."""
    pytest.importorskip("jax")
    code = ("from convt_suite.runtime import jax_cache; jax_cache.enable(); import jax.numpy as jnp; "
            "jnp.arange(7.0).sum().block_until_ready()")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JAX_COMPILATION")}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**env, jax_cache.VARIABLE: str(tmp_path), "JAX_PLATFORMS": "cpu"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert any(tmp_path.iterdir()), "JAX wrote nothing to the cache folder"
