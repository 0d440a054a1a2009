"""The probe cache keeps only settled verdicts, says when a verdict is cached,
and never serves one across a change of code, environment, versions or
machine."""

import json

import pytest

from convt_suite.runtime import probe_cache
from convt_suite.studies import error_paths


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(probe_cache.VARIABLE, str(tmp_path))
    return tmp_path


def counting(result):
    calls = []

    def compute():
        calls.append(1)
        return dict(result)

    return compute, calls


def settled(verdict):
    return verdict["reproduced"]


def test_a_settled_verdict_is_read_back_and_says_so(cache):
    compute, calls = counting({"reproduced": True, "output": "REPRODUCED: x"})
    first = probe_cache.verdict("finding", "print(1)", {}, compute, settled, run="run-1")
    second = probe_cache.verdict("finding", "print(1)", {}, compute, settled, run="run-2")
    assert len(calls) == 1
    assert "cached" not in first
    assert second["cached"]["run"] == "run-1" and second["output"] == "REPRODUCED: x"
    assert len(list(cache.glob("*.json"))) == 1


def test_an_unsettled_verdict_runs_again_every_time(cache):
    compute, calls = counting({"reproduced": False, "output": "not reproduced"})
    for _ in range(2):
        assert "cached" not in probe_cache.verdict("finding", "print(1)", {}, compute, settled)
    assert len(calls) == 2 and not list(cache.glob("*.json"))


@pytest.mark.parametrize("change", ["code", "env", "process env", "versions", "machine"])
def test_any_change_of_what_decides_the_verdict_is_a_new_key(cache, monkeypatch, change):
    compute, calls = counting({"reproduced": True, "output": ""})
    probe_cache.verdict("finding", "print(1)", {}, compute, settled)
    code, env = "print(1)", {}
    if change == "code":
        code = "print(2)"
    elif change == "env":
        env = {"TF_ENABLE_ONEDNN_OPTS": "0"}
    elif change == "process env":
        monkeypatch.setenv("XLA_FLAGS", "--xla_cpu_enable_fast_math=true")
    elif change == "versions":
        monkeypatch.setattr(probe_cache, "versions", lambda: {"tensorflow": "2.12.0"})
    else:
        monkeypatch.setattr(probe_cache, "machine", lambda: {"machine": "aarch64"})
    assert "cached" not in probe_cache.verdict("finding", code, env, compute, settled)
    assert len(calls) == 2


def test_where_caches_live_does_not_change_the_key(cache, monkeypatch):
    compute, calls = counting({"reproduced": True, "output": ""})
    probe_cache.verdict("finding", "print(1)", {}, compute, settled)
    monkeypatch.setenv("JAX_COMPILATION_CACHE_DIR", "/somewhere/else")
    assert "cached" in probe_cache.verdict("finding", "print(1)", {}, compute, settled)


def test_off_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(probe_cache.VARIABLE, "off")
    compute, calls = counting({"reproduced": True, "output": ""})
    for _ in range(2):
        probe_cache.verdict("finding", "print(1)", {}, compute, settled)
    assert len(calls) == 2


def test_a_damaged_entry_is_run_again(cache):
    compute, calls = counting({"reproduced": True, "output": ""})
    probe_cache.verdict("finding", "print(1)", {}, compute, settled)
    (entry,) = cache.glob("*.json")
    entry.write_text('{"result": ')          # half an entry (another writer killed)
    assert "cached" not in probe_cache.verdict("finding", "print(1)", {}, compute, settled)
    assert len(calls) == 2 and json.loads(entry.read_text())["result"]["reproduced"]


def test_error_path_probes_are_cached_only_when_every_probe_settled(cache, monkeypatch):
    runs = []

    def fake_run_probes(setup, probes, env=None, timeout=300):
        runs.append(setup)
        outcome = "crashed" if "abort" in setup else "raised"
        return {scenario: {"scenario": scenario, "outcome": outcome} for scenario, _ in probes}

    monkeypatch.setattr(error_paths, "run_probes", fake_run_probes)
    monkeypatch.setitem(error_paths.SETUP, "torch", "import torch  # settled")
    first = error_paths.probe_all(["torch"], run="run-1")
    again = error_paths.probe_all(["torch"], run="run-2")
    assert len(runs) == 1
    assert not any("cached" in r for r in first)
    assert all(r["cached"]["run"] == "run-1" for r in again if r["outcome"] != "n/a")
    monkeypatch.setitem(error_paths.SETUP, "torch", "import torch  # abort")
    for _ in range(2):
        error_paths.probe_all(["torch"])
    assert len(runs) == 3   # a crash is probed again every run
