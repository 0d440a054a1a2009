"""The pytest plugin (registered through the `pytest11` entry point, so it is
there wherever the package is installed): --adapter selection, adapters in
worker processes, the results file (lock, header, end record, report), an
adapter's checks kept in one xdist process (--group-adapters), live progress
and the per-adapter summary.

This module declares the options (sweeps/options.py) and, in pytest_configure,
registers one `Plugin` object per session: its methods are the hooks and
fixtures, and the session's state is one `RunState` in `config.stash[RUN]`.
It stays out of the way of other projects: it does nothing but add options
until a session collects one of the checks (tests with the convt_check
marker, convt_suite/checks/__init__.py).
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from convt_suite import checks
from convt_suite.core import results
from convt_suite.core.vocabulary import SCHEMA_VERSION
from convt_suite.host import env
from convt_suite.host.folders import user_cache
from convt_suite.pytest_plugin.progress import OTHER as OTHER_TESTS
from convt_suite.pytest_plugin.progress import Progress
from convt_suite.runtime import probe_cache
from convt_suite.sweeps import profiles  # noqa: F401  registers the profiles (dev, ci, thorough)

if TYPE_CHECKING:   # imported where a session runs checks: the phases bring the judge along
    from convt_suite.sweeps.phases import Exploration

SEED_VARIABLE = env.EXPLORE_SEED.name     # the run's seed, inherited by xdist's processes

# Python warnings frameworks raise on import that are not ours to fix; each named
FILTERS = (
    # protobuf's C extension, imported by TensorFlow, warns about its own types on Python 3.11+
    "ignore:Type google._upb._message.* uses PyType_Spec:DeprecationWarning",
    # keras/src/backend/torch/core.py calls np.array(tensor) without numpy 2's copy keyword
    "ignore:__array__ implementation doesn't accept a copy keyword:DeprecationWarning:keras",
    # torch.onnx.export's own internals (and ExecuTorch's lowering, which copies the
    # exported program): the pytree use of a deprecated LeafSpec check, and the
    # TorchScript exporter's note that it folds no strided Slice
    "ignore:`isinstance\\(treespec, LeafSpec\\)` is deprecated:FutureWarning",
    "ignore:Constant folding - Only steps=1 can be constant folded:UserWarning",
    # the TorchScript exporter traces nn.ConvTranspose2d's own init and size checks (the layer
    # is built inside the exported function), and uses torch.jit's deprecated script_method
    "ignore:Converting a tensor to a Python",
    "ignore:`torch.jit.script_method` is deprecated:DeprecationWarning",
    # ov.convert_model converts a PyTorch module by tracing it with torch.jit.trace
    # (the openvino[torch] adapter), which torch 2.13 deprecates
    "ignore:`torch.jit.trace` is deprecated:DeprecationWarning",
    "ignore:`torch.jit.trace_method` is deprecated:DeprecationWarning",
)


def pytest_addoption(parser):
    from convt_suite.sweeps import options  # declared once, for the command too

    options.add_to_pytest(parser)


@dataclass
class RunState:
    """What one session's hooks share (config.stash[RUN])."""

    writer: results.ResultsWriter
    started: float                          # time.time() at configure: the run's wall time
    started_run: bool = False               # this process started the results file
    tests: dict = field(default_factory=dict)     # every check: test id -> adapter name or None
    finished: set = field(default_factory=set)    # test ids that finished (an interrupted run names the rest)
    seconds: dict = field(default_factory=dict)   # test id -> its phases' seconds so far
    workers_recorded: set = field(default_factory=set)       # adapters whose worker record is written
    unavailable_recorded: set = field(default_factory=set)   # adapters whose unavailable record is
    adapters: list | None = None            # the selected adapters, once loaded
    exploration: Exploration | None = None  # what the sweeps do beyond the fixed cases, once asked for
    progress: Progress | None = None        # the live progress display, where on
    report: Path | None = None              # the rendered report


RUN = pytest.StashKey[RunState]()


def _is_xdist_worker(config) -> bool:
    return hasattr(config, "workerinput")


def _owns_results(config) -> bool:
    """Whether this process starts the results file, renders and summarises:
    not an xdist worker (the controller does)."""
    return not _is_xdist_worker(config)


def results_path(config) -> Path:
    """Resolved once, here: relative paths are under the invocation folder."""
    return (Path(config.invocation_params.dir) / config.getoption("results")).resolve()


def pytest_configure(config):
    for line in FILTERS:
        config.addinivalue_line("filterwarnings", line)
    config.addinivalue_line("markers", f"{checks.MARKER}: a check, which records results lines "
                                       f"(convt_suite/checks/__init__.py check())")
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
    config.stash[RUN] = RunState(results.ResultsWriter(results_path(config), results.run_id()), time.time())
    config.pluginmanager.register(Plugin(config), "convt_suite.run")
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
    state = config.stash[RUN]
    if state.adapters is None:
        from convt_suite.adapters import registry
        from convt_suite.host import kernels, quiet
        from convt_suite.runtime import jax_cache, workers

        try:
            if config.getoption("in_process"):
                quiet.silence_all()
                jax_cache.enable()
                # oneDNN's lines, which say which kernel ran (as in workers); a copy of oneDNN
                # reads this once, at its first primitive: one that ran before keeps its setting
                os.environ.setdefault(kernels.VERBOSE, "1")
                loaded = registry.load_all(selectors(config))
            else:
                timeout = config.getoption("adapter_timeout")
                loaded = [workers.WorkerAdapter(s, timeout) for s in selectors(config)]
                registry.check_unique(loaded)
        except ValueError as err:
            raise pytest.UsageError(str(err)) from None
        state.adapters = loaded
    return state.adapters


def profile_name(config) -> str:
    """The hypothesis profile the checks run under: the one given, or the
    suite's default (loaded only in sessions that run checks: other projects
    keep their own)."""
    return config.getoption("hypothesis_profile", None) or profiles.default_profile()


def start_run(config) -> None:
    """The owner of a run takes the results file's lock, starts it afresh and
    writes the run's header; workers' environments follow as they are known."""
    state = config.stash[RUN]
    if state.started_run:
        return
    try:
        state.writer.start()
    except results.ResultsBusy as err:
        raise pytest.UsageError(str(err)) from None
    state.started_run = True
    names = adapter_names(config)
    state.writer.write({
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
        "ranks": list(ranks_of(config)),
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
    loaded = config.stash[RUN].adapters
    return [a.name for a in loaded] if loaded is not None else selectors(config)


def _explore_seed(config) -> int:
    """Given, else the run's (set by the process that owns it), else new."""
    chosen = config.getoption("explore_seed")
    if chosen is None:
        chosen = env.EXPLORE_SEED.get() or int.from_bytes(os.urandom(4), "big")
    return int(chosen)


def exploration_of(config):
    """What the sweeps do beyond the fixed cases (sweeps.Exploration)."""
    state = config.stash[RUN]
    if state.exploration is None:
        from convt_suite.host.folders import examples_database
        from convt_suite.sweeps.phases import Exploration

        state.exploration = Exploration(
            examples=config.getoption("explore"), seed=_explore_seed(config),
            database=examples_database(config.getoption("examples_db")),
            seconds=config.getoption("explore_seconds"))
    return state.exploration


def ranks_of(config) -> tuple[int, ...]:
    """The spatial ranks the sweeps draw (--ranks)."""
    from convt_suite.sweeps.options import parse_ranks

    return parse_ranks(config.getoption("ranks"))


def planned_checks(config) -> dict:
    """About how many checks each adapter will record, and how many tests
    run no adapter (progress only)."""
    from hypothesis import settings

    from convt_suite.adapters import registry
    from convt_suite.sweeps.budget import share_of

    tests = config.stash[RUN].tests
    examples = settings.get_profile(profile_name(config)).max_examples
    explore = exploration_of(config).examples
    shares = {name: share_of(registry.load(name), examples)   # no framework imported
              for name in set(tests.values()) if name in registry.BUILTINS}
    planned: dict = {}
    for nodeid, adapter in tests.items():
        if adapter:
            planned[adapter] = planned.get(adapter, 0) + checks.planned(
                checks.test_name(nodeid), examples, explore, shares.get(adapter, 1),
                checks.dtype_of(nodeid), ranks_of(config))
        else:
            planned[OTHER_TESTS] = planned.get(OTHER_TESTS, 0) + 1
    return planned


def _adapter_of(item) -> str | None:
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "adapter" in callspec.params:
        return callspec.params["adapter"].name
    return None


FAILURE_LINES = 40   # the end of a traceback: where it was raised and what


class Plugin:
    """One session's hooks and fixtures (registered by pytest_configure); the
    state they share is `config.stash[RUN]`."""

    def __init__(self, config):
        self.config = config

    @property
    def state(self) -> RunState:
        return self.config.stash[RUN]

    def _owner(self) -> RunState | None:
        """The state where this process writes a started run's records (the
        controller under xdist, which receives its processes' reports), else None."""
        return self.state if _owns_results(self.config) and self.state.started_run else None

    # ---------------------------------------------------------------- collection
    def pytest_generate_tests(self, metafunc):
        if "adapter" in metafunc.fixturenames:
            chosen = adapters(metafunc.config)
            metafunc.parametrize("adapter", chosen, ids=[a.name for a in chosen], indirect=True)

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_make_scheduler(self, config, log):
        if config.getoption("group_adapters"):
            from convt_suite.pytest_plugin.scheduling import scheduler

            return scheduler(config, log, adapter_names(config))
        return None

    def pytest_collection_modifyitems(self, session, config, items):
        chosen = [item for item in items if item.get_closest_marker(checks.MARKER)]
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
            self.state.tests = {item.nodeid: _adapter_of(item) for item in chosen}

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids):
        """xdist's controller collects nothing itself: it starts the run once a
        worker reports collecting a check (before any test is scheduled)."""
        config = node.config
        if _owns_results(config) and any(checks.is_check(i) for i in ids) and not self.state.tests:
            start_run(config)
            from convt_suite.pytest_plugin.scheduling import adapter_in

            names = adapter_names(config)
            self.state.tests = {i: adapter_in(i, names) for i in ids if checks.is_check(i)}
            self._start_progress()

    def pytest_collection_finish(self, session):
        if not _is_xdist_worker(self.config) and self.state.started_run:
            self._start_progress()

    def _start_progress(self) -> None:
        """--progress on: per adapter, read back from the results file as the
        processes (this one or xdist's workers) append to it."""
        if self.config.getoption("progress") != "on" or self.state.progress is not None:
            return
        self.state.progress = Progress(planned_checks(self.config), self.state.writer.path)
        self.state.progress.__enter__()

    # ------------------------------------------------------------------ fixtures
    @pytest.fixture
    def adapter(self, request):
        """The selected adapter; skipped (with why) when its framework is missing."""
        from convt_suite.core.failures import WorkerFailure

        chosen = request.param
        self._write_worker(chosen)
        try:
            missing = getattr(chosen, "unavailable", lambda: None)()
        except WorkerFailure:
            missing = None   # the checks record the crash or hang, case by case
        if missing:
            # once per adapter and process: the report's capability matrix and
            # the version grid show an adapter that could not run, and why
            if chosen.name not in self.state.unavailable_recorded:
                self.state.unavailable_recorded.add(chosen.name)
                self.state.writer.write({"type": "unavailable", "adapter": chosen.name, "reason": missing})
            pytest.skip(missing)
        return chosen

    def _write_worker(self, adapter) -> None:
        """A worker's environment, once per process that drives it (the report
        groups adapters by environment)."""
        environment = getattr(adapter, "environment", None)
        if environment and adapter.name not in self.state.workers_recorded:
            self.state.workers_recorded.add(adapter.name)
            self.state.writer.write({"type": "worker", "adapter": adapter.name,
                                     "selector": adapter.selector, "environment": environment})

    @pytest.fixture
    def exploration(self, request):
        return exploration_of(request.config)

    @pytest.fixture
    def ranks(self, request):
        """The spatial ranks the sweeps draw (--ranks)."""
        return ranks_of(request.config)

    @pytest.fixture
    def results_writer(self, request):
        return self.state.writer

    @pytest.fixture
    def record(self, request):
        """Append one check to the results file, tagged with the test id."""
        writer = self.state.writer

        def write(result: dict) -> None:
            writer.write({"type": "check", "test": request.node.nodeid, **result})

        return write

    # ------------------------------------------------------------------- reports
    def pytest_runtest_logreport(self, report):
        if report.when == "teardown":
            self.state.finished.add(report.nodeid)
        if report.failed:
            self._record_test_failure(report)
        self._record_test_time(report)

    def _record_test_time(self, report) -> None:
        """One "test" record per finished check test, with the wall seconds of
        its setup, call and teardown: where a run's time goes beyond the checks'
        own seconds (worker starts, findings' processes, hypothesis itself);
        `benchmarks/bench.py tests` reads them."""
        state = self._owner()
        if state is None or not checks.is_check(report.nodeid):
            return
        state.seconds[report.nodeid] = state.seconds.get(report.nodeid, 0.0) + (report.duration or 0.0)
        if report.when == "teardown":
            state.writer.write({"type": "test", "test": report.nodeid,
                                "adapter": state.tests.get(report.nodeid),
                                "seconds": round(state.seconds.pop(report.nodeid), 3)})

    def _record_test_failure(self, report) -> None:
        """Every test that fails (in setup, call, teardown or collection) leaves a
        record, so a failure that is no failed check (an error in a sweep's
        phase, a hypothesis health check, a crashed xdist process) is still named
        in the summary and the report, not only in the exit status."""
        state = self._owner()
        if state is None:
            return
        lines = (report.longreprtext or "").rstrip().splitlines()
        crash = getattr(report.longrepr, "reprcrash", None)   # "ValueError: what", where known
        state.writer.write({
            "type": "test-failure", "test": report.nodeid,
            "when": getattr(report, "when", None) or "collect",
            "adapter": state.tests.get(report.nodeid),
            "message": crash.message if crash is not None else (lines[-1] if lines else "?"),
            "error": "\n".join(lines[-FAILURE_LINES:]),
        })

    def pytest_collectreport(self, report):
        """Without pytest's terminal (the main job), a collection error still shows."""
        if report.failed and not self.config.pluginmanager.has_plugin("terminalreporter"):
            print(f"ERROR collecting {report.nodeid}:\n{report.longreprtext}", file=sys.stderr)
        if report.failed:
            self._record_test_failure(report)

    # ------------------------------------------------------------------- the end
    def pytest_sessionfinish(self, session, exitstatus):
        from convt_suite.runtime import workers

        state = self.state
        interrupted = int(exitstatus) == int(pytest.ExitCode.INTERRUPTED)
        if interrupted:
            workers.stop_all()
        workers.close_all()
        if state.progress is not None:
            state.progress.__exit__(None, None, None)
        if not state.started_run:
            return
        unfinished = [i for i in state.tests if i not in state.finished]
        state.writer.write({"type": "end", "seconds": time.time() - state.started,
                            "exitstatus": int(exitstatus), "interrupted": interrupted,
                            **({"unfinished": unfinished} if interrupted else {})})
        state.writer.close()
        from convt_suite.reporting import report

        state.report = report.render([state.writer.path])

    def pytest_terminal_summary(self, terminalreporter, exitstatus, config):
        state = self.state
        if not state.started_run:
            return
        records = [r for r in results.read([state.writer.path]) if r.get("run") == state.writer.run_id]
        terminalreporter.write_sep("=", "transposed convolution checks (per adapter)")
        terminalreporter.write_line(results.format_summary(results.summarize(records)))
        terminalreporter.write_line(f"results: {state.writer.path}")
        if state.report is not None:
            terminalreporter.write_line(f"report:  {state.report}")
