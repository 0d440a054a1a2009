"""The house rules the code is held to: the import contracts between packages
([tool.importlinter] in pyproject.toml). They are checked on the package as
the wheel lays it out: the repository keeps the adapters in its top-level
adapters/ folder, and the wheel installs them as convt_suite.adapters."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
BIN = Path(sys.executable).parent


def wheel_layout(folder: Path) -> Path:
    """convt_suite/ with adapters/ inside it, as `pip install` lays them out."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "convt_suite", folder / "convt_suite", ignore=ignore)
    shutil.copytree(ROOT / "adapters", folder / "convt_suite" / "adapters", ignore=ignore)
    return folder


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    tool = BIN / "lint-imports"
    if not tool.exists():
        pytest.fail("lint-imports is missing: install the test extra (pip install -e '.[test]')")
    # PYTHONPATH first: the laid-out copy, not the editable install, is the package
    return subprocess.run([str(tool), "--config", str(PYPROJECT), "--no-cache"], cwd=folder,
                          env={"PYTHONPATH": str(folder), "PATH": str(BIN)},
                          capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold(tmp_path):
    done = lint_imports(wheel_layout(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout, done.stdout


def test_a_judge_that_imports_the_worker_runtime_breaks_the_layers(tmp_path):
    """The contracts can fail: the judge (core) importing the worker runtime, the
    leak that core.failures exists to prevent, is reported by name."""
    folder = wheel_layout(tmp_path)
    judge = folder / "convt_suite" / "core" / "compare.py"
    judge.write_text(judge.read_text() + "\nfrom convt_suite.runtime import workers  # planted\n")
    done = lint_imports(folder)
    assert done.returncode != 0, done.stdout
    assert "convt_suite.core is not allowed to import convt_suite.runtime" in done.stdout, done.stdout


def test_a_library_layer_that_imports_pytest_breaks_the_contracts(tmp_path):
    folder = wheel_layout(tmp_path)
    module = folder / "convt_suite" / "reporting" / "report.py"
    module.write_text(module.read_text() + "\nimport pytest  # planted\n")
    done = lint_imports(folder)
    assert done.returncode != 0, done.stdout
    assert "convt_suite.reporting is not allowed to import pytest" in done.stdout, done.stdout
