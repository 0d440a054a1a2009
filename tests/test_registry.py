"""Selecting built-ins, plugging in user adapters, and surviving a missing framework."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from convt_suite.adapters import registry
from convt_suite.adapters.base import DTYPES, Adapter
from convt_suite.adapters.spec import Spec
from convt_suite.core.cases import Case
from convt_suite.core.compare import check_forward
from convt_suite.sweeps import profiles  # noqa: F401  registers the suite's "ci" profile

ROOT = Path(__file__).resolve().parents[1]


def test_builtins_load_without_importing_frameworks():
    code = ("import sys; from adapters import registry; registry.load_all(); "
            "frameworks = ('torch', 'tensorflow', 'jax', 'keras', 'onnx', 'onnxruntime'); "
            "print(sorted(m for m in frameworks if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


@pytest.mark.parametrize("selector", ["examples.zero_insertion:adapter",
                                      "examples.zero_insertion:ZeroInsertionAdapter"])
def test_plugin_instance_or_class(selector):
    assert registry.load(selector).name == "numpy-zero-insertion"


@pytest.mark.parametrize("selector, words", [
    ("nonsense", ["not a built-in", "package.module:attribute"]),
    ("examples.zero_insertion:missing", ["cannot load"]),
    ("no_such_package.mod:thing", ["cannot load"]),
    ("convt_suite.adapters.spec:full_length", ["calling it with no arguments failed"]),
    ("convt_suite.adapters.spec:Spec", ["calling it with no arguments failed"]),
    ("convt_suite.adapters.registry:DEFAULT", ["calling it with no arguments failed"]),
    ("convt_suite.core.results:environment", ["lacks", "supports"]),
])
def test_bad_selector_is_a_clear_error(selector, words):
    with pytest.raises(ValueError) as info:
        registry.load(selector)
    for word in words:
        assert word in str(info.value)


def test_duplicate_names_are_refused():
    with pytest.raises(ValueError, match="unique"):
        registry.load_all(["examples.zero_insertion:adapter", "examples.zero_insertion:adapter"])


class MissingFramework(Adapter):
    name = "missing"
    framework = "no_such_framework_installed"


def test_missing_framework_makes_one_adapter_unavailable():
    adapter = MissingFramework()
    case = Case(Spec(1, 1, (2, 2)), (1, 1, 2, 2), 0)
    reason = adapter.supports(case.spec, "float32")
    assert reason.startswith("missing unavailable: ModuleNotFoundError")
    assert reason.endswith("(installed: no no_such_framework_installed)")
    assert check_forward(adapter, case, "float32")["outcome"] == "skipped"


@pytest.mark.slow
def test_an_unavailable_adapter_is_recorded_once_with_why(tmp_path):
    done, records = run_pytest(tmp_path, "--adapter", "tests.test_registry:MissingFramework",
                               "-k", "forward_matches and float32")
    assert done.returncode == 0, done.stdout[-2000:]
    [record] = [r for r in records if r.get("type") == "unavailable"]
    assert record["adapter"] == "missing"
    assert record["reason"].startswith("missing unavailable: ModuleNotFoundError")


class TooOld(Adapter):
    """As Keras 3.15 on jax 0.4.20: the framework imports, what the adapter needs does not."""
    name = "too-old"
    framework = "numpy"

    def _load(self):
        import numpy

        return numpy.no_such_api_in_this_version


def test_an_incompatible_version_is_unavailable_naming_the_installed_version():
    import numpy

    reason = TooOld().unavailable()
    assert reason.startswith("too-old unavailable: AttributeError")
    assert reason.endswith(f"(installed: numpy {numpy.__version__})")


def run_pytest(tmp_path, *options, env=None):
    """pytest in a child process, as a user runs it; returns it and its results records."""
    results = tmp_path / "results.jsonl"
    args = [sys.executable, "-m", "pytest", "tests/test_sweep.py", "-q", "-p", "no:cacheprovider",
            "--results", str(results), *options]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env=None if env is None else {**os.environ, **env})
    records = [json.loads(line) for line in results.read_text().splitlines()]
    return done, records


def run_sweep(tmp_path, *adapters):
    # the forward sweeps: the example computes no gradients, and zero insertion
    # spreads NaN through its inserted zeros (the special-values sweep shows it)
    selected = [option for adapter in adapters for option in ("--adapter", adapter)]
    return run_pytest(tmp_path, "-k", "forward_matches", "--hypothesis-profile", "ci", *selected)


@pytest.mark.slow
def test_plugged_in_correct_adapter_passes_end_to_end(tmp_path):
    done, records = run_sweep(tmp_path, "examples.zero_insertion:adapter")
    assert done.returncode == 0, done.stdout[-3000:]
    checks = [r for r in records if r.get("type") == "check"]
    # every dtype's forward sweep ran its full ci budget, and every check passed
    assert len(checks) >= len(DTYPES) * settings.get_profile("ci").max_examples
    assert {r["adapter"] for r in checks} == {"numpy-zero-insertion"}
    # a plug-in that declares no ranks is a 2-D one: every 2-D check passed, and the
    # 1-D and 3-D cases were not handed to it (skipped, saying why)
    plane = [r for r in checks if len(r["case"]["spec"]["kernel_size"]) == 2]
    others = [r for r in checks if len(r["case"]["spec"]["kernel_size"]) != 2]
    assert {r["outcome"] for r in plane} == {"passed"}
    assert others and {r["outcome"] for r in others} == {"skipped"}
    assert all("declares ranks (2,)" in r["reason"] for r in others)
    assert "numpy-zero-insertion" in done.stdout  # the per-adapter summary


@pytest.mark.slow
def test_plugged_in_broken_adapter_fails_end_to_end(tmp_path):
    done, records = run_sweep(tmp_path, "tests.planted_bugs:CropsSwapped")
    assert done.returncode == 1, done.stdout[-3000:]
    assert any(r.get("outcome") == "failed" for r in records)
    assert "planted:crops-swapped" in done.stdout


@pytest.mark.slow
def test_run_record_names_the_profile_in_use(tmp_path):
    """The report's environment must say which hypothesis profile ran, also
    when --hypothesis-profile overrides the CI default."""
    done, records = run_pytest(tmp_path, "--collect-only", "--hypothesis-profile", "dev",
                               "--adapter", "examples.zero_insertion:adapter", env={"CI": "true"})
    assert done.returncode == 0, done.stdout[-3000:]
    assert [r["hypothesis_profile"] for r in records if r.get("type") == "run"] == ["dev"]


# ------------------------------------------------ the former top-level name `adapters`
def _python(code: str, tmp_path, **env):
    """A fresh interpreter outside the repository (whose adapters/ folder would
    be importable from its root), the venv's site-packages as installed."""
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-W", "always::DeprecationWarning", "-c", code],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": "", **env})
    assert done.returncode == 0, done.stderr
    return done


def test_a_plug_in_importing_the_former_adapters_name_gets_the_suites_own_modules(tmp_path):
    done = _python("import convt_suite, convt_suite.adapters.spec as new\n"
                   "from adapters.spec import Spec\nfrom adapters.base import Adapter\n"
                   "import adapters, convt_suite.adapters.base as base\n"
                   "assert Spec is new.Spec and Adapter is base.Adapter and adapters is convt_suite.adapters\n"
                   "assert new.__spec__.name == 'convt_suite.adapters.spec'\n", tmp_path)
    assert "'import adapters' is deprecated" in done.stderr


def test_another_projects_adapters_package_keeps_its_name(tmp_path):
    """AdapterHub's import name is `adapters`: installed beside the suite, it
    is what `import adapters` gives, before and after the suite is imported."""
    (tmp_path / "hub" / "adapters").mkdir(parents=True)
    (tmp_path / "hub" / "adapters" / "__init__.py").write_text("NAME = 'AdapterHub'\n")
    (tmp_path / "hub" / "adapters" / "spec.py").write_text("NAME = 'hub spec'\n")
    done = _python("import convt_suite\nimport adapters.spec\nfrom convt_suite.adapters.spec import Spec\n"
                   "assert adapters.NAME == 'AdapterHub' and adapters.spec.NAME == 'hub spec'\n",
                   tmp_path, PYTHONPATH=str(tmp_path / "hub"))
    assert "deprecated" not in done.stderr


def test_the_wheel_installs_no_top_level_adapters():
    import tomllib
    from pathlib import Path

    setuptools = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert all(package.startswith("convt_suite") for package in setuptools["packages"])
    assert setuptools["package-dir"] == {"convt_suite.adapters": "adapters"}
