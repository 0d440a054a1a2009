"""The repository's test tiers (the product's pytest wiring is the plugin,
convt_suite/pytest_plugin/). Markers are declared here and read at collection:

- `slow`: a test that runs frameworks' kernels, workers or child processes, or
  takes over a second here. Whole modules are slow by the table below, each
  with why; a single test says so with `@pytest.mark.slow`.
- `quick`: given to every other test. `pytest -m quick -n auto` is the edit
  loop's tier (the README's quick command); CI runs every test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SLOW_MODULES = {
    "test_sweep.py": "the product's sweeps: every adapter, every dtype, in its worker",
    "test_known_findings.py": "every known finding's snippet, in a child process",
    "test_error_paths.py": "each framework refusing bad layers, in child processes",
    "test_precision.py": "long accumulations in every adapter",
    "test_bilinear.py": "FCN's bilinear layer in every framework",
    "test_pitfalls.py": "the pitfalls measured on their grids, and replayed in frameworks",
    "test_selftest.py": "the sweeps against planted bugs, run to their failure",
    "test_snippets.py": "every report snippet run standalone against its framework",
    "test_runner.py": "whole main jobs in child processes",
    "test_found_by_exploration.py": "each explored finding reproduced in its framework's worker",
    "test_native_semantics.py": "every framework called in its own words, in process",
    "test_compiled.py": "torch.compile, jax.jit and XLA compiling their cases",
    "test_keras_backends.py": "Keras on each backend, in child processes",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs frameworks, workers or child processes, or takes "
                                       "over a second: not in the quick tier")
    config.addinivalue_line("markers", "quick: every test not marked slow (given at collection)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if Path(str(item.fspath)).name in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
        if item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.quick)
