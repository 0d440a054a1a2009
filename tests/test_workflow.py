"""The GitHub workflow's matrix is the noxfile's: it holds no version list of
its own, and the sessions it lists are the noxfile's matrix sets."""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "tests.yml"
FRAMEWORK_VERSION = re.compile(r"(torch|tensorflow(-cpu)?|jax|jaxlib|keras|numpy)\W{0,3}v?\d+\.\d+", re.I)


def test_the_workflow_holds_no_framework_version():
    text = WORKFLOW.read_text()
    assert not FRAMEWORK_VERSION.search(text), FRAMEWORK_VERSION.search(text).group(0)
    # the only matrix is the list the first job reads from nox
    assert text.count("strategy:") == 1
    strategy = text[text.index("strategy:"):]
    strategy = strategy[:strategy.index("steps:")]
    assert "fromJSON(needs.sets.outputs.sessions)" in strategy
    assert "nox -l --json -t matrix" in text


def test_the_detector_sees_a_version_list():
    """The check above would catch a hand-written matrix."""
    assert FRAMEWORK_VERSION.search("        keras: [3.0.5, 3.15.1]")
    assert FRAMEWORK_VERSION.search('      - run: pip install "tensorflow-cpu==2.16.2"')
    assert not FRAMEWORK_VERSION.search('          python-version: "3.11"')


@pytest.mark.skipif(importlib.util.find_spec("nox") is None, reason="nox is not installed")
def test_the_sessions_the_workflow_lists_are_the_noxfile_sets():
    """Runs the workflow's own listing step (its shell line, as the job does)."""
    text = WORKFLOW.read_text()
    line = next(l.strip() for l in text.splitlines() if "nox -l --json -t matrix" in l)
    command = line[line.index("$(") + 2:line.rindex(")")]          # inside echo "sessions=$(...)"
    command = command.replace("nox ", f"{sys.executable} -m nox ", 1).replace(
        "| python ", f"| {sys.executable} ", 1)
    done = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    sessions = json.loads(done.stdout)
    spec = importlib.util.spec_from_file_location("noxfile", ROOT / "noxfile.py")
    noxfile = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(noxfile)
    assert sessions == [f"matrix({name})" for name in noxfile.SETS]
    # the minimum: 4+ TensorFlow, 4+ JAX, 5+ Keras, 2+ other torch, oldest, newest
    by_framework = {prefix: [n for n in noxfile.SETS if n.startswith(prefix + "-")]
                    for prefix in ("tensorflow", "jax", "keras", "torch")}
    assert [len(by_framework[p]) >= n for p, n in
            (("tensorflow", 4), ("jax", 4), ("keras", 5), ("torch", 2))] == [True] * 4
    assert {"pinned", "oldest", "newest"} <= set(noxfile.SETS)
