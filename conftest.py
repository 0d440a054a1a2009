"""pytest wiring: --adapter selection, the results file, the per-adapter summary.

Loaded before any framework: it quiets TensorFlow/JAX logging and points JAX
at its on-disk compilation cache first.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from convt_suite import jax_cache, quiet

quiet.silence_all()
jax_cache.enable()

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from adapters import registry  # noqa: E402
from convt_suite import profiles, results  # noqa: E402

settings.load_profile(profiles.default_profile())  # --hypothesis-profile overrides


def pytest_addoption(parser):
    group = parser.getgroup("convt-suite", "transposed-convolution equivalence")
    group.addoption(
        "--adapter", action="append", default=[], metavar="NAME|module:attr",
        help=f"adapter to check (repeatable): a built-in ({', '.join(registry.BUILTINS)}) or "
             f"package.module:attribute. Default: {', '.join(registry.DEFAULT)}.",
    )
    group.addoption("--results", default=str(results.DEFAULT_PATH), metavar="PATH",
                    help="results file, one JSON line per check (default: %(default)s)")
    group.addoption("--results-append", action="store_true",
                    help="append to the results file instead of starting it afresh")


def _is_worker(config) -> bool:
    """A pytest-xdist worker: it appends to the controller's results file."""
    return hasattr(config, "workerinput")


def _owns_results(config) -> bool:
    """Whether this process starts the results file, renders and summarises:
    not a child run (--results-append) and not an xdist worker."""
    return not config.getoption("results_append") and not _is_worker(config)


def pytest_configure(config):
    try:
        config.convt_adapters = registry.load_all(config.getoption("adapter") or None)
    except ValueError as err:
        raise pytest.UsageError(str(err)) from None
    path = Path(config.getoption("results"))
    if _owns_results(config):  # each run starts its file afresh
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("")
        # workers and child processes inherit the run id, so one run is one id
        os.environ[results.RUN_ID_VARIABLE] = results.run_id()
    config.convt_writer = results.ResultsWriter(path, results.run_id())
    config.convt_started = time.time()
    if _is_worker(config):
        return
    config.convt_writer.write({
        "type": "run",
        "environment": results.environment(),
        # the option, where given: hypothesis applies it after this hook runs
        "hypothesis_profile": config.getoption("hypothesis_profile", None) or settings._current_profile,
        "hypothesis_seed": config.getoption("hypothesis_seed", None),
        "adapters": [a.name for a in config.convt_adapters],
        "selectors": dict(zip((a.name for a in config.convt_adapters),
                              config.getoption("adapter") or registry.DEFAULT)),
        "args": list(config.invocation_params.args),
    })


def pytest_generate_tests(metafunc):
    if "adapter" in metafunc.fixturenames:
        adapters = metafunc.config.convt_adapters
        metafunc.parametrize("adapter", adapters, ids=[a.name for a in adapters], indirect=True)


@pytest.fixture
def adapter(request):
    """The selected adapter; skipped (with why) when its framework is missing."""
    chosen = request.param
    missing = getattr(chosen, "unavailable", lambda: None)()
    if missing:
        pytest.skip(missing)
    return chosen


@pytest.fixture
def results_writer(request):
    return request.config.convt_writer


@pytest.fixture
def record(request):
    """Append one check to the results file, tagged with the test id."""
    writer = request.config.convt_writer

    def write(result: dict) -> None:
        writer.write({"type": "check", "test": request.node.nodeid, **result})

    return write


def pytest_sessionfinish(session, exitstatus):
    config = session.config
    writer = getattr(config, "convt_writer", None)
    if writer is not None:
        if not _is_worker(config):
            writer.write({"type": "end", "seconds": time.time() - config.convt_started,
                          "exitstatus": int(exitstatus)})
        writer.close()
        if _owns_results(config):  # a child run or a worker leaves it to its parent
            from convt_suite import report

            config.convt_report = report.render([writer.path])


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    writer = getattr(config, "convt_writer", None)
    if writer is None or _is_worker(config):
        return
    records = [r for r in results.read([writer.path]) if r.get("run") == writer.run_id]
    if not _owns_results(config):
        # a child of a larger run: its parent summarises the whole; this one
        # speaks only for its own adapters (the others are still being written)
        own = {a.name for a in config.convt_adapters}
        records = [r for r in records if r.get("adapter") in own]
    table = results.summarize(records)
    if not table:
        return
    terminalreporter.write_sep("=", "transposed convolution checks (per adapter)")
    terminalreporter.write_line(results.format_summary(table))
    terminalreporter.write_line(f"results: {writer.path}")
    page = getattr(config, "convt_report", None)
    if page is not None:
        terminalreporter.write_line(f"report:  {page}")
