"""The on-disk JAX compilation cache: where it goes, and who can turn it off."""

import os

from convt_suite import jax_cache


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
