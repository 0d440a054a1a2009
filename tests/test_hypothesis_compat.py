"""Hypothesis's private API is used in one module (sweeps/hypothesis_compat.py),
which refuses a hypothesis that lacks any of it with a message naming what is
missing and the installed version."""

import importlib
import re
from pathlib import Path

import pytest

from convt_suite.sweeps import hypothesis_compat

ROOT = Path(__file__).resolve().parents[1]


def test_the_installed_hypothesis_is_supported():
    hypothesis_compat.check_supported()


@pytest.mark.parametrize("module, attribute", hypothesis_compat.PRIVATE,
                         ids=[f"{m}.{a}" for m, a in hypothesis_compat.PRIVATE])
def test_a_hypothesis_without_a_private_name_is_refused_by_name(monkeypatch, module, attribute):
    owner = importlib.import_module(module)
    *path, last = attribute.split(".")
    for part in path:
        owner = getattr(owner, part)
    monkeypatch.delattr(owner, last)
    with pytest.raises(hypothesis_compat.UnsupportedHypothesis,
                       match=rf"hypothesis==\S+: must provide {re.escape(module)}\.{re.escape(attribute)}"):
        hypothesis_compat.check_supported()


def test_local_constants_can_be_left_out_and_a_hypothesis_without_the_hook_is_refused(monkeypatch):
    from hypothesis.internal.conjecture import providers

    monkeypatch.setattr(providers, "_get_local_constants", providers._get_local_constants)
    hypothesis_compat.mine_no_local_constants()
    assert providers._get_local_constants() is providers._local_constants
    monkeypatch.delattr(providers, "_get_local_constants")
    with pytest.raises(hypothesis_compat.UnsupportedHypothesis,
                       match=r"hypothesis==\S+: must provide .*_get_local_constants"):
        hypothesis_compat.mine_no_local_constants()


# the one exception, with why (hypothesis_compat.choices_to_bytes): the fixed
# cases' draw function, whose source text seeds every derandomised case
KEPT = {"convt_suite/sweeps/phases.py": ["drawn.setdefault(case, choices_to_bytes(data.conjecture_data.choices))"]}


def test_no_other_module_reaches_into_hypothesis_privately():
    private = re.compile(r"_hypothesis_internal|conjecture_data|hypothesis\.internal"
                         r"|hypothesis\.database import .*choices_to_bytes|set_hypothesis_home_dir")
    users = {}
    for folder in ("convt_suite", "adapters"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "hypothesis_compat.py":
                continue
            lines = [line.strip() for line in path.read_text().splitlines() if private.search(line)]
            if lines:
                users[str(path.relative_to(ROOT))] = lines
    assert users == KEPT
