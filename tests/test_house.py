"""The house rules the code is held to, each shown to fail on a planted
breach: lint (ruff), types (mypy, the adapter contract included) and the
import contracts between packages ([tool.importlinter]), all configured in
pyproject.toml. Types and imports are checked on the package as the wheel
lays it out: the repository keeps the adapters in its top-level adapters/
folder, and the wheel installs them as convt_suite.adapters."""

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


def tool(name: str) -> str:
    found = BIN / name
    if not found.exists():
        pytest.fail(f"{name} is missing: install the test extra (pip install -e '.[test]')")
    return str(found)


def lint_imports(folder: Path) -> subprocess.CompletedProcess:
    # PYTHONPATH first: the laid-out copy, not the editable install, is the package
    return subprocess.run([tool("lint-imports"), "--config", str(PYPROJECT), "--no-cache"], cwd=folder,
                          env={"PYTHONPATH": str(folder), "PATH": str(BIN)},
                          capture_output=True, text=True, timeout=300)


def test_the_import_contracts_hold(tmp_path):
    done = lint_imports(wheel_layout(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout, done.stdout


# The contracts can fail: each import planted in a copy of the package is
# reported by name. (module, the import planted, what lint-imports must say, why it is a break)
PLANTED_IMPORTS = {
    "a judge that imports the worker runtime": (
        "core/compare.py", "from convt_suite.runtime import workers",
        "convt_suite.core is not allowed to import convt_suite.runtime",
        "the leak core.failures exists to prevent"),
    "a library layer that imports pytest": (
        "reporting/report.py", "import pytest", "convt_suite.reporting is not allowed to import pytest",
        "pytest is imported only by the plugin, the checks and the CLI"),
    "a matcher that asks an adapter": (
        "findings/matchers.py", "from convt_suite.adapters.tensorflow import plan_call",
        "convt_suite.findings is not allowed to import convt_suite.adapters.tensorflow",
        "classification reads the plan a record carries, never re-derives an adapter's choices"),
    "pydantic outside the schema": (
        "reporting/report.py", "import pydantic", "convt_suite.reporting is not allowed to import pydantic",
        "pydantic is a test and docs dependency: the runner would fail without those extras"),
}


@pytest.mark.parametrize("planted", list(PLANTED_IMPORTS))
def test_a_planted_import_breaks_the_contracts(tmp_path, planted):
    path, line, message, _why = PLANTED_IMPORTS[planted]
    folder = wheel_layout(tmp_path)
    module = folder / "convt_suite" / path
    module.write_text(module.read_text() + f"\n{line}  # planted\n")
    done = lint_imports(folder)
    assert done.returncode != 0, done.stdout
    assert message in done.stdout, done.stdout


def test_ruff_finds_nothing():
    done = subprocess.run([tool("ruff"), "check", "--no-cache", "--output-format", "concise", "."],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_reports_an_unused_import(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text("import os\n")
    done = subprocess.run([tool("ruff"), "check", "--no-cache", "--config", str(PYPROJECT), str(planted)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "F401" in done.stdout, done.stdout + done.stderr


@pytest.fixture(scope="module")
def mypy_cache(tmp_path_factory) -> Path:
    """One cache for both runs: the planted one rechecks only what changed."""
    return tmp_path_factory.mktemp("mypy-cache")


def mypy(folder: Path, cache: Path) -> subprocess.CompletedProcess:
    return subprocess.run([tool("mypy"), "--config-file", str(PYPROJECT), "--cache-dir", str(cache),
                           "-p", "convt_suite"], cwd=folder, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_mypy_finds_nothing(tmp_path, mypy_cache):
    done = mypy(wheel_layout(tmp_path), mypy_cache)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_a_bare_mypy_at_the_root_finds_nothing(mypy_cache):
    """What a maintainer (and CI) types: `mypy`, its targets from [tool.mypy] files."""
    done = subprocess.run([tool("mypy"), "--cache-dir", str(mypy_cache / "root")], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.slow
def test_an_adapter_base_that_breaks_the_contract_fails_mypy(tmp_path, mypy_cache):
    """The contract is checked: a forward that drops the bias no longer meets
    AdapterContract, and mypy says so where the built-ins are held to it."""
    folder = wheel_layout(tmp_path)
    base = folder / "convt_suite" / "adapters" / "base.py"
    source = base.read_text()
    signature = "    def forward(self, x, weight, bias, spec: Spec) -> np.ndarray:"
    assert signature in source, "the planted breach no longer applies: update the test"
    base.write_text(source.replace(signature, "    def forward(self, x, weight, spec: Spec) -> np.ndarray:"))
    done = mypy(folder, mypy_cache)
    assert done.returncode == 1, done.stdout
    assert "AdapterContract" in done.stdout, done.stdout


def environment_reads(source: str) -> list[str]:
    """The variable names a module reads from os.environ by a literal:
    os.environ.get("X"), os.getenv("X"), os.environ["X"] (read), "X" in os.environ."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                and ast.unparse(node.func) in ("os.environ.get", "os.getenv", "environ.get")):
            found.append(node.args[0].value)
        elif (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)
              and ast.unparse(node.value) == "os.environ" and isinstance(node.slice, ast.Constant)):
            found.append(node.slice.value)
        elif (isinstance(node, ast.Compare) and isinstance(node.left, ast.Constant)
              and any(ast.unparse(c) == "os.environ" for c in node.comparators)):
            found.append(node.left.value)
    return found


def test_every_environment_variable_the_package_reads_is_defined_in_env():
    """host/env.py defines each variable once (name, default, meaning); a module
    that reads one by name instead escapes the reference page and the run header."""
    from convt_suite.host import env

    modules = [p for folder in ("convt_suite", "adapters") for p in (ROOT / folder).rglob("*.py")
               if "known" not in p.parts and p.name != "env.py"]
    assert len(modules) > 50
    stray = {str(p.relative_to(ROOT)): names for p in modules if (names := environment_reads(p.read_text()))}
    assert stray == {}, f"read these through convt_suite.host.env: {stray}"
    assert environment_reads('import os\nos.environ.get("CI")\nx = "A" in os.environ\n') == ["CI", "A"]
    assert len({v.name for v in env.VARIABLES}) == len(env.VARIABLES)


def test_every_package_folder_is_in_the_wheel():
    """pyproject.toml lists the packages (the adapters install from another
    folder, so they cannot be found automatically): a package folder left out
    would work in an editable install and be missing from the wheel."""
    import tomllib

    listed = set(tomllib.loads(PYPROJECT.read_text())["tool"]["setuptools"]["packages"])
    folders = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "convt_suite").rglob("__init__.py")}
    assert folders - listed == set(), "add them to [tool.setuptools] packages"
    assert "convt_suite.adapters" in listed


def test_every_module_the_quick_tier_leaves_out_exists():
    """conftest.py leaves modules out of the quick tier by name: a renamed one
    would silently join the quick tier with all its slow tests."""
    from conftest import SLOW_MODULES

    assert SLOW_MODULES
    assert sorted(name for name in SLOW_MODULES if not (ROOT / "tests" / name).exists()) == []
