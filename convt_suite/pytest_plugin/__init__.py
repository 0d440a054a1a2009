"""The pytest plugin (registered through the `pytest11` entry point, so it is
there wherever the package is installed): --adapter selection, adapters in
worker processes, the results file (lock, header, end record, report), an
adapter's checks kept in one xdist process (--group-adapters), live progress
and the per-adapter summary.

It stays out of the way of other projects: it does nothing but add options
until a session collects one of the checks (convt_suite.checks.TESTS).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from convt_suite import checks
from convt_suite.core import results
from convt_suite.core.vocabulary import SCHEMA_VERSION
from convt_suite.host import env
from convt_suite.host.folders import EXAMPLES_VARIABLE, user_cache
from convt_suite.pytest_plugin.progress import OTHER as OTHER_TESTS
from convt_suite.runtime import probe_cache
from convt_suite.sweeps import profiles  # noqa: F401  registers the profiles (dev, ci, thorough)

SEED_VARIABLE = env.EXPLORE_SEED.name     # the run's seed, inherited by xdist's processes

# Python warnings frameworks raise on import that are not ours to fix; each named
FILTERS = (
    # protobuf's C extension, imported by TensorFlow, warns about its own types on Python 3.11+
    "ignore:Type google._upb._message.* uses PyType_Spec:DeprecationWarning",
    # keras/src/backend/torch/core.py calls np.array(tensor) without numpy 2's copy keyword
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning:keras",
    # torch.onnx.export's own internals: the dynamo exporter's pytree use of a deprecated
    # LeafSpec check, and the TorchScript exporter's note that it folds no strided Slice
    "ignore:`isinstance\\(treespec, LeafSpec\\)` is deprecated:FutureWarning",
    "ignore:Constant folding - Only steps=1 can be constant folded:UserWarning",
    # the TorchScript exporter traces nn.ConvTranspose2d's own init and size checks (the layer
    # is built inside the exported function), and uses torch.jit's deprecated script_method
    "ignore:Converting a tensor to a Python",
    "ignore:`torch.jit.script_method` is deprecated:DeprecationWarning",
)


def pytest_addoption(parser):
    from convt_suite.adapters import registry
    from convt_suite.runtime.workers import DEFAULT_TIMEOUT

    group = parser.getgroup("convt-suite", "transposed-convolution equivalence")
    group.addoption(
        "--adapter", action="append", default=[], metavar="NAME|module:attr",
        help=f"adapter to check (repeatable): a built-in ({', '.join(registry.BUILTINS)}) or "
             f"package.module:attribute. Default: {', '.join(registry.DEFAULT)}.")
    group.addoption("--results", default=None, metavar="PATH",
                    help=f"results file, one JSON line per check (default: "
                         f"{results.DEFAULT_PATH} under the current folder)")
    # not --timeout: pytest-timeout owns that name, and two plugins cannot share it
    group.addoption("--adapter-timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                    help="per call of an adapter: a worker that takes longer is killed, the "
                         "check recorded as failure 'timeout' (default: %(default)g)")
    group.addoption("--in-process", action="store_true",
                    help="run adapters in this process, not in workers (for a debugger; a "
                         "crash or hang then ends the run; one Keras backend per process)")
    group.addoption("--group-adapters", action="store_true",
                    help="with -n: each adapter's checks in one xdist process (one worker "
                         "per adapter, started once); other tests spread one by one")
    group.addoption("--run-id", default=None, metavar="ID",
                    help="this run's id in the results file (default: a new one; "
                         "convt-suite run passes its own)")
    group.addoption("--explore", type=int, default=0, metavar="N",
                    help="after the profile's fixed cases, N fresh random cases per sweep "
                         "(kind, adapter, dtype), steered toward the largest disagreements "
                         "(default: 0; convt-suite run explores by default)")
    group.addoption("--explore-seconds", type=float, default=0.0, metavar="S",
                    help="a hunt: keep exploring each sweep for S seconds, in rounds")
    group.addoption("--explore-seed", type=int, default=None, metavar="SEED",
                    help="the exploration's seed (default: a new one, recorded in the run "
                         "and printed); the same seed explores the same cases")
    group.addoption("--examples-db", default=None, metavar="PATH|off",
                    help="failing examples, replayed first in every run for every adapter "
                         "until they pass (hypothesis's directory format: copy or share it); "
                         f"default ${EXAMPLES_VARIABLE} or ~/.cache/convt-suite/examples")
    group.addoption("--progress", choices=("on", "off"), default="off",
                    help="live progress per adapter: checks done of planned, failures, time "
                         "left (a display on a terminal, plain lines in a log; convt-suite "
                         "run turns it on)")


def _is_xdist_worker(config) -> bool:
    return hasattr(config, "workerinput")


def _owns_results(config) -> bool:
    """Whether this process starts the results file, renders and summarises:
    not an xdist worker (the controller does)."""
    return not _is_xdist_worker(config)


def results_path(config) -> Path:
    """Resolved once, here: relative paths are under the invocation folder."""
    given = config.getoption("results") or results.DEFAULT_PATH
    return (Path(config.invocation_params.dir) / given).resolve()


def pytest_configure(config):
    for line in FILTERS:
        config.addinivalue_line("filterwarnings", line)
    if _owns_results(config) or not os.environ.get(results.RUN_ID_VARIABLE):
        # a new run; xdist workers inherit its id
        os.environ[results.RUN_ID_VARIABLE] = config.getoption("run_id") or results.new_run_id()
        # one exploration seed for the run: xdist's processes inherit it too
        chosen = config.getoption("explore_seed")
        os.environ[SEED_VARIABLE] = str(chosen if chosen is not None else
                                        int.from_bytes(os.urandom(4), "big"))
    if config.getoption("run_id"):
        # started by convt-suite from any folder: hypothesis keeps its files (the
        # constants it mines from source) in the user's cache, not a new .hypothesis/ there
        from convt_suite.sweeps import hypothesis_compat

        hypothesis_compat.set_home(user_cache("hypothesis"))
    config.convt_writer = results.ResultsWriter(results_path(config), results.run_id())
    config.convt_started_run = False
    config.convt_started = time.time()
    config.convt_progress = None
    config.convt_tests = {}   # every check: test id as reports name it -> adapter or None
    config.convt_workers_recorded = set()
    config.convt_unavailable_recorded = set()
    _RUN.update(config=config, finished=set())
    if config.getoption("adapter") and not _is_xdist_worker(config):
        adapters(config)   # a bad --adapter is a usage error here, before anything runs
        if config.pluginmanager.hasplugin("dsession"):   # xdist's controller runs no test
            from convt_suite.runtime import workers

            workers.close_all()


def selectors(config) -> list[str]:
    from convt_suite.adapters import registry

    return config.getoption("adapter") or list(registry.DEFAULT)


def adapters(config) -> list:
    """The selected adapters, loaded once: in workers unless --in-process."""
    if not hasattr(config, "convt_adapters"):
        from convt_suite.adapters import registry
        from convt_suite.host import quiet
        from convt_suite.runtime import jax_cache, workers

        try:
            if config.getoption("in_process"):
                quiet.silence_all()
                jax_cache.enable()
                loaded = registry.load_all(selectors(config))
            else:
                timeout = config.getoption("adapter_timeout")
                loaded = [workers.WorkerAdapter(s, timeout) for s in selectors(config)]
                registry.check_unique(loaded)
        except ValueError as err:
            raise pytest.UsageError(str(err)) from None
        config.convt_adapters = loaded
    return config.convt_adapters


def pytest_generate_tests(metafunc):
    if "adapter" in metafunc.fixturenames:
        chosen = adapters(metafunc.config)
        metafunc.parametrize("adapter", chosen, ids=[a.name for a in chosen], indirect=True)


def is_check(nodeid: str) -> bool:
    return checks.test_name(nodeid) in checks.TESTS


def profile_name(config) -> str:
    """The hypothesis profile the checks run under: the one given, or the
    suite's default (loaded only in sessions that run checks: other projects
    keep their own)."""
    return config.getoption("hypothesis_profile", None) or profiles.default_profile()


def start_run(config) -> None:
    """The owner of a run takes the results file's lock, starts it afresh and
    writes the run's header; workers' environments follow as they are known."""
    if config.convt_started_run:
        return
    writer = config.convt_writer
    try:
        writer.start()
    except results.ResultsBusy as err:
        raise pytest.UsageError(str(err)) from None
    config.convt_started_run = True
    names = adapter_names(config)
    writer.write({
        "type": "run",
        "schema_version": SCHEMA_VERSION,   # the record layout (core/vocabulary.py)
        "environment": results.environment(),
        # the matrix's name for this environment (noxfile.py sets it)
        "version_set": env.VERSION_SET.get(),
        # the suite's environment variables that are set (convt_suite/host/env.py)
        "variables": env.set_now(),
        "hypothesis_profile": profile_name(config),
        "hypothesis_seed": config.getoption("hypothesis_seed", None),
        "exploration": exploration_of(config).describe(),
        "adapters": names,
        "selectors": dict(zip(names, selectors(config))),   # for reproduction commands
        "timeout": config.getoption("adapter_timeout"),
        "in_process": config.getoption("in_process"),
        "probe_cache": str(probe_cache.folder() or "off"),
        "args": list(config.invocation_params.args),
        "cwd": str(config.invocation_params.dir),
    })


def adapter_names(config) -> list[str]:
    """The selected adapters' names: built-ins are named as selected; plug-ins
    were loaded (to check them) wherever --adapter was given."""
    loaded = getattr(config, "convt_adapters", None)
    return [a.name for a in loaded] if loaded is not None else selectors(config)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getoption("group_adapters"):
        from convt_suite.pytest_plugin.scheduling import scheduler

        return scheduler(config, log, adapter_names(config))
    return None


def pytest_collection_modifyitems(session, config, items):
    chosen = [item for item in items if is_check(item.nodeid)]
    if not chosen:
        return
    if not config.getoption("hypothesis_profile", None):
        from hypothesis import settings

        settings.load_profile(profile_name(config))
    if _is_xdist_worker(config):   # a run killed with kill -9 takes its processes along
        from convt_suite.runtime.workers import die_with_parent

        die_with_parent()
    if _owns_results(config):
        start_run(config)
        config.convt_tests = {item.nodeid: _adapter_of(item) for item in chosen}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids):
    """xdist's controller collects nothing itself: it starts the run once a
    worker reports collecting a check (before any test is scheduled)."""
    config = node.config
    if _owns_results(config) and any(is_check(i) for i in ids) and not config.convt_tests:
        start_run(config)
        from convt_suite.pytest_plugin.scheduling import adapter_in

        names = adapter_names(config)
        config.convt_tests = {i: adapter_in(i, names) for i in ids if is_check(i)}
        _start_progress(config)


def _write_worker(config, adapter) -> None:
    """A worker's environment, once per process that drives it (the report
    groups adapters by environment)."""
    environment = getattr(adapter, "environment", None)
    if environment and adapter.name not in config.convt_workers_recorded:
        config.convt_workers_recorded.add(adapter.name)
        config.convt_writer.write({"type": "worker", "adapter": adapter.name,
                                   "selector": adapter.selector, "environment": environment})


@pytest.fixture
def adapter(request):
    """The selected adapter; skipped (with why) when its framework is missing."""
    from convt_suite.core.failures import WorkerFailure

    chosen = request.param
    _write_worker(request.config, chosen)
    try:
        missing = getattr(chosen, "unavailable", lambda: None)()
    except WorkerFailure:
        missing = None   # the checks record the crash or hang, case by case
    if missing:
        # once per adapter and process: the report's capability matrix and
        # the version grid show an adapter that could not run, and why
        if chosen.name not in request.config.convt_unavailable_recorded:
            request.config.convt_unavailable_recorded.add(chosen.name)
            request.config.convt_writer.write({"type": "unavailable", "adapter": chosen.name,
                                               "reason": missing})
        pytest.skip(missing)
    return chosen


def _explore_seed(config) -> int:
    """Given, else the run's (set by the process that owns it), else new."""
    chosen = config.getoption("explore_seed")
    if chosen is None:
        chosen = env.EXPLORE_SEED.get() or int.from_bytes(os.urandom(4), "big")
    return int(chosen)


def exploration_of(config):
    """What the sweeps do beyond the fixed cases (sweeps.Exploration)."""
    if not hasattr(config, "convt_exploration"):
        from convt_suite.host.folders import examples_database
        from convt_suite.sweeps.phases import Exploration

        config.convt_exploration = Exploration(
            examples=config.getoption("explore"), seed=_explore_seed(config),
            database=examples_database(config.getoption("examples_db")),
            seconds=config.getoption("explore_seconds"))
    return config.convt_exploration


@pytest.fixture
def exploration(request):
    return exploration_of(request.config)


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


# this session's config, and the test ids that finished (an interrupted run names the rest)
_RUN: dict = {}


def pytest_runtest_logreport(report):
    if report.when == "teardown" and "finished" in _RUN:
        _RUN["finished"].add(report.nodeid)
    if report.failed:
        _record_test_failure(report)
    _record_test_time(report)


def _record_test_time(report) -> None:
    """One "test" record per finished check test, with the wall seconds of
    its setup, call and teardown: where a run's time goes beyond the checks'
    own seconds (worker starts, findings' processes, hypothesis itself);
    `benchmarks/bench.py tests` reads them."""
    config = _run_owner()
    if config is None or not is_check(report.nodeid):
        return
    spent = _RUN.setdefault("seconds", {})
    spent[report.nodeid] = spent.get(report.nodeid, 0.0) + (report.duration or 0.0)
    if report.when == "teardown":
        config.convt_writer.write({"type": "test", "test": report.nodeid,
                                   "adapter": config.convt_tests.get(report.nodeid),
                                   "seconds": round(spent.pop(report.nodeid), 3)})


def _run_owner():
    """This session's config where it writes a started run's records (the
    controller under xdist, which receives its processes' reports), else None."""
    config = _RUN.get("config")
    if config is None or not _owns_results(config) or not config.convt_started_run:
        return None
    return config


FAILURE_LINES = 40   # the end of a traceback: where it was raised and what


def _record_test_failure(report) -> None:
    """Every test that fails (in setup, call, teardown or collection) leaves a
    record, so a failure that is no failed check (an error in a sweep's
    phase, a hypothesis health check, a crashed xdist process) is still named
    in the summary and the report, not only in the exit status."""
    config = _run_owner()
    if config is None:
        return
    lines = (report.longreprtext or "").rstrip().splitlines()
    crash = getattr(report.longrepr, "reprcrash", None)   # "ValueError: what", where known
    config.convt_writer.write({
        "type": "test-failure", "test": report.nodeid,
        "when": getattr(report, "when", None) or "collect",
        "adapter": config.convt_tests.get(report.nodeid),
        "message": crash.message if crash is not None else (lines[-1] if lines else "?"),
        "error": "\n".join(lines[-FAILURE_LINES:]),
    })


def planned_checks(config) -> dict:
    """About how many checks each adapter will record, and how many tests
    run no adapter (progress only)."""
    from hypothesis import settings

    from convt_suite.adapters import registry
    from convt_suite.sweeps.budget import share_of

    examples = settings.get_profile(profile_name(config)).max_examples
    explore = exploration_of(config).examples
    shares = {name: share_of(registry.load(name), examples)   # no framework imported
              for name in set(config.convt_tests.values()) if name in registry.BUILTINS}
    planned: dict = {}
    for nodeid, adapter in config.convt_tests.items():
        if adapter:
            planned[adapter] = planned.get(adapter, 0) + checks.planned(
                checks.test_name(nodeid), examples, explore, shares.get(adapter, 1),
                checks.dtype_of(nodeid))
        else:
            planned[OTHER_TESTS] = planned.get(OTHER_TESTS, 0) + 1
    return planned


def _start_progress(config) -> None:
    """--progress on: per adapter, read back from the results file as the
    processes (this one or xdist's workers) append to it."""
    if config.getoption("progress") != "on" or config.convt_progress is not None:
        return
    from convt_suite.pytest_plugin.progress import Progress

    config.convt_progress = Progress(planned_checks(config), config.convt_writer.path)
    config.convt_progress.__enter__()


def pytest_collection_finish(session):
    if not _is_xdist_worker(session.config) and session.config.convt_started_run:
        _start_progress(session.config)


def _adapter_of(item) -> str | None:
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "adapter" in callspec.params:
        return callspec.params["adapter"].name
    return None


def pytest_sessionfinish(session, exitstatus):
    from convt_suite.runtime import workers

    config = session.config
    interrupted = int(exitstatus) == int(pytest.ExitCode.INTERRUPTED)
    if interrupted:
        workers.stop_all()
    workers.close_all()
    if getattr(config, "convt_progress", None) is not None:
        config.convt_progress.__exit__(None, None, None)
    writer = getattr(config, "convt_writer", None)
    if writer is None or not config.convt_started_run:
        return
    unfinished = [i for i in config.convt_tests if i not in _RUN["finished"]]
    writer.write({"type": "end", "seconds": time.time() - config.convt_started,
                  "exitstatus": int(exitstatus), "interrupted": interrupted,
                  **({"unfinished": unfinished} if interrupted else {})})
    writer.close()
    from convt_suite.reporting import report

    config.convt_report = report.render([writer.path])


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if not getattr(config, "convt_started_run", False):
        return
    writer = config.convt_writer
    records = [r for r in results.read([writer.path]) if r.get("run") == writer.run_id]
    terminalreporter.write_sep("=", "transposed convolution checks (per adapter)")
    terminalreporter.write_line(results.format_summary(results.summarize(records)))
    terminalreporter.write_line(f"results: {writer.path}")
    page = getattr(config, "convt_report", None)
    if page is not None:
        terminalreporter.write_line(f"report:  {page}")


def pytest_collectreport(report):
    """Without pytest's terminal (the main job), a collection error still shows."""
    config = _RUN.get("config")
    if report.failed and config is not None and not config.pluginmanager.has_plugin("terminalreporter"):
        print(f"ERROR collecting {report.nodeid}:\n{report.longreprtext}", file=sys.stderr)
    if report.failed:
        _record_test_failure(report)

