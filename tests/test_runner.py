"""The runner survives what adapters do: an abort or a hang in one adapter is
recorded (failure "crash" or "timeout", with its minimal example) and every
other adapter's checks still run; exit codes tell the truth; the main job
works from any folder; a live run's results file is never written twice;
the suite's own tests leave the last run's results alone."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

from convt_suite.adapters import Decline
from convt_suite.adapters.spec import Spec
from convt_suite.core import results
from convt_suite.core.cases import Case
from convt_suite.core.compare import check_forward, check_vjp
from convt_suite.findings.model import by_id
from convt_suite.pytest_plugin.progress import OTHER as OTHER_TESTS
from convt_suite.pytest_plugin.progress import Progress
from convt_suite.runtime import workers
from convt_suite.sweeps import profiles  # noqa: F401  registers the suite's "ci" profile
from examples.zero_insertion import ZeroInsertionAdapter
from tests.hostile_adapters import MissingKernel

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "convt_suite.cli"]
DILATED = Case(Spec(2, 2, (2, 2), dilation=(2, 1)), (1, 2, 3, 3), 7)
PLAIN = Case(Spec(2, 2, (2, 2)), (1, 2, 3, 3), 7)
HOSTILE = "tests.hostile_adapters:"


def records_of(path: Path) -> list[dict]:
    return results.read([path])


# ------------------------------------------------------------ one worker
def test_an_abort_is_a_crash_record_and_the_next_call_gets_a_fresh_worker():
    adapter = workers.WorkerAdapter(HOSTILE + "AbortsOnDilation")
    try:
        crashed = check_forward(adapter, DILATED, "float32")
        assert crashed["outcome"] == "failed" and crashed["failure"] == "crash", crashed
        assert "SIGABRT" in crashed["error"]
        after = check_forward(adapter, PLAIN, "float32")
        assert after["outcome"] == "passed", after
        assert adapter.starts == 2
    finally:
        adapter.close()


def test_a_crash_record_keeps_the_reason_above_a_long_stack_trace():
    adapter = workers.WorkerAdapter(HOSTILE + "AbortsLikeXla")
    try:
        crashed = check_forward(adapter, DILATED, "float32")
        assert crashed["failure"] == "crash", crashed
        assert "Check failed: planted" in crashed["stderr_tail"]
        assert "frame59()" in crashed["stderr_tail"]          # and the tail
    finally:
        adapter.close()


def test_a_hang_is_a_timeout_record_within_the_timeout():
    adapter = workers.WorkerAdapter(HOSTILE + "HangsOnDilation", timeout=1.0)
    try:
        hung = check_forward(adapter, DILATED, "float64")
        assert hung["outcome"] == "failed" and hung["failure"] == "timeout", hung
        assert 1.0 <= hung["seconds"] < 10
        assert check_forward(adapter, PLAIN, "float64")["outcome"] == "passed"
    finally:
        adapter.close()


@pytest.mark.parametrize("in_worker", [False, True], ids=["in-process", "worker"])
def test_a_framework_not_implemented_error_is_a_failure_not_a_skip(in_worker):
    adapter = workers.WorkerAdapter(HOSTILE + "MissingKernel") if in_worker else MissingKernel()
    try:
        result = check_forward(adapter, DILATED, "float32")
        assert result["outcome"] == "failed" and result["failure"] == "error", result
        assert result["error"].startswith("NotImplementedError: no kernel")
        # the adapter's own NotImplementedError from vjp (the older contract) still declines
        declined = check_vjp(adapter, PLAIN, "float32")
        assert declined["outcome"] == "skipped", declined
    finally:
        if in_worker:
            adapter.close()


class TorchMissingKernel(MissingKernel):
    """A missing kernel raised from PyTorch's C++ (no Python frame of its own)."""
    name = "torch-missing-kernel"

    def forward(self, x, weight, bias, spec):
        import torch

        quantized = torch.quantize_per_tensor(torch.zeros(1, 1, 2, 2), 1.0, 0, torch.quint8)
        return torch.nn.functional.conv_transpose2d(quantized, torch.zeros(1, 1, 2, 2))


@pytest.mark.filterwarnings("ignore:torch.quantize_per_tensor:UserWarning")   # deprecated, wanted here
def test_a_not_implemented_error_from_compiled_framework_code_is_a_failure():
    pytest.importorskip("torch")
    result = check_forward(TorchMissingKernel(), PLAIN, "float32")
    assert result["outcome"] == "failed" and result["failure"] == "error", result
    assert result["error"].startswith("NotImplementedError: Could not run")


class Declines(MissingKernel):
    name = "declines"

    def forward(self, x, weight, bias, spec):
        raise Decline("only undilated specs, say")


def test_decline_is_the_explicit_skip():
    result = check_forward(Declines(), PLAIN, "float32")
    assert result["outcome"] == "skipped" and result["reason"] == "only undilated specs, say"


def test_worker_transfers_tensors_intact():
    adapter = workers.WorkerAdapter("examples.zero_insertion:adapter")
    try:
        x, weight, bias = PLAIN.tensors("bfloat16")
        assert np.array_equal(adapter.call("forward", x, weight, bias, PLAIN.spec),
                              ZeroInsertionAdapter().forward(x, weight, bias, PLAIN.spec))
    finally:
        adapter.close()


def test_progress_counts_what_the_processes_append(tmp_path):
    path = tmp_path / "results.jsonl"
    writer = results.ResultsWriter(path, "r")
    progress = Progress({"a": 4, "b": 2}, path)
    for adapter, outcome in [("a", "passed"), ("a", "failed"), ("b", "passed"), ("c", "passed")]:
        writer.write({"type": "check", "adapter": adapter, "outcome": outcome})
    writer.write({"type": "worker", "adapter": "a"})   # not a check
    progress._follow()
    assert progress.done == {"a": 2, "b": 1} and progress.failed == {"a": 1, "b": 0}
    assert "a 2/4 (1 failed); b 1/2" in progress.line()
    # a failure a known finding explains is counted apart, as the summary will call it
    explained = dict(by_id()["litert-refuses-an-empty-batch"].examples[0]["record"], type="check")
    progress.planned[explained["adapter"]] = 1
    progress.done[explained["adapter"]] = progress.failed[explained["adapter"]] = 0
    progress.known[explained["adapter"]] = 0
    writer.write(explained)
    progress._follow()
    assert (progress.failed[explained["adapter"]], progress.known[explained["adapter"]]) == (0, 1)
    assert f"{explained['adapter']} 1/1 (1 known)" in progress.line()
    with open(path, "a") as handle:   # half a line: counted once it is whole
        handle.write('{"type": "check", "adapter": "b", "outcome": "pas')
    progress._follow()
    assert progress.done["b"] == 1
    with open(path, "a") as handle:
        handle.write('sed"}\n')
    progress._follow()
    assert progress.done["b"] == 2
    writer.close()


def test_progress_counts_the_tests_that_run_no_adapter_apart(tmp_path):
    path = tmp_path / "results.jsonl"
    writer = results.ResultsWriter(path, "r")
    progress = Progress({"a": 2, OTHER_TESTS: 3}, path)
    writer.write({"type": "check", "adapter": "a", "outcome": "passed"})
    writer.write({"type": "test", "test": "t_a", "adapter": "a", "seconds": 1.0})   # a's: not other
    writer.write({"type": "check", "adapter": "a", "outcome": "passed"})
    writer.write({"type": "finding", "id": "f"})
    writer.write({"type": "test-failure", "test": "t_f", "adapter": None, "message": "m"})
    writer.write({"type": "test", "test": "t_f", "adapter": None, "seconds": 9.0})
    progress._follow()
    assert progress.done == {"a": 2, OTHER_TESTS: 1}
    assert progress.failed == {"a": 0, OTHER_TESTS: 1}
    # the estimate is the checks'; the other tests are counted beside it, not timed
    assert "about 0 s left for the checks; 2 other tests left" in progress.line()
    assert f"{OTHER_TESTS} 1/3 (1 failed)" in progress.line()
    writer.close()


@pytest.mark.parametrize("nodeid, expected", [
    ("test_sweep.py::test_forward_matches_oracle[torch-float32]", "torch"),
    ("test_sweep.py::test_forward_matches_oracle[torch[nn]-float32]", "torch[nn]"),
    ("test_sweep.py::test_edge_shapes[keras[jax]-batch 0-vjp]", "keras[jax]"),
    ("test_sweep.py::test_edge_shapes[forward-batch 0-numpy-zero-insertion]", "numpy-zero-insertion"),
    ("test_precision.py::test_measured_precision_is_recorded[jax-float16]", "jax"),
    ("test_error_paths.py::test_every_framework_behaviour_is_recorded[torch]", None),
    ("test_known_findings.py::test_known_finding_still_reproduces[torch-float16-x]", None),
])
def test_the_scheduler_reads_the_adapter_from_the_test_id(nodeid, expected):
    from convt_suite.pytest_plugin.scheduling import adapter_in

    names = ["torch", "torch[nn]", "jax", "keras[jax]", "numpy-zero-insertion"]
    assert adapter_in(nodeid, names) == expected


def test_the_scheduler_groups_scripts_by_the_zygote_they_fork_from():
    """One unit of work for the findings' snippets and FCN bilinear's
    children that import the same frameworks first under the same
    environment: their zygote starts once."""
    from convt_suite.findings.model import known
    from convt_suite.pytest_plugin.scheduling import zygote_of

    test = "test_known_findings.py::test_known_finding_still_reproduces[{}]"
    scopes = {f.id: zygote_of(test.format(f.id)) for f in known()}
    bilinear = "test_bilinear.py::test_fcn_bilinear_is_compared_with_each_resize[{}]"
    torch_eager = scopes["torch-float16-intermediate-overflow"]
    assert torch_eager == scopes["torch-empty-batch-skips-output-padding-check"]
    assert "importing torch," in torch_eager
    keras_jax = [i for i, scope in scopes.items() if "'KERAS_BACKEND': 'jax'" in scope]
    assert len(keras_jax) > 1 and len({scopes[i] for i in keras_jax}) <= 2
    assert scopes["onnx-reference-float16-intermediate-overflow"] != torch_eager
    assert 1 < len(set(scopes.values())) < len(known())
    assert zygote_of(bilinear.format("torch")) == torch_eager
    assert zygote_of(bilinear.format("keras[jax]")) in {scopes[i] for i in keras_jax}
    assert zygote_of(bilinear.format("keras[torch]")) not in scopes.values()
    probes = "test_error_paths.py::test_every_framework_behaviour_is_recorded[{}]"
    assert zygote_of(probes.format("torch")) == torch_eager
    assert zygote_of(probes.format("keras")) in scopes.values()
    assert zygote_of("test_error_paths.py::test_spec_refuses_with_a_clear_value_error[stride 0]") is None


def test_a_value_is_computed_once_for_all_the_processes_of_a_run(tmp_path):
    """results.once_per_run: two processes of one run ask at once; one
    computes, the other waits and reads; the file goes when the one that
    computed it exits."""
    script = textwrap.dedent("""
        import sys, time
        from convt_suite.core import results
        def compute():
            open(sys.argv[1], "a").write("computed\\n")
            time.sleep(1)
            return {"pairs": [(1, 2)]}
        print(results.once_per_run("value", compute), flush=True)
        time.sleep(2)   # as a run's processes do, the one that computed lives on
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path),
           "CONVT_SUITE_RUN_ID": "test-run"}
    count = tmp_path / "count"
    runs = [subprocess.Popen([sys.executable, "-c", script, str(count)], env=env, text=True,
                             stdout=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=60)[0] for run in runs]
    assert outputs == ["{'pairs': [[1, 2]]}\n"] * 2 and count.read_text() == "computed\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["count"]


# ------------------------------------------------------------ whole runs
def run_cli(cwd: Path, *args, timeout=600):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([*CLI, "run", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_main_job_from_another_folder_records_crash_hang_and_everything_else(tmp_path):
    done = run_cli(tmp_path, "--adapter", HOSTILE + "AbortsOnDilation",
                   "--adapter", HOSTILE + "HangsOnDilation",
                   "--adapter", "examples.zero_insertion:adapter",
                   "--only", "forward_matches and (float32 or float64)", "--timeout", "2", "-j", "2")
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    path = tmp_path / "reports" / "results.jsonl"   # under the folder it was started in
    checks = [r for r in records_of(path) if r.get("type") == "check"]
    by_adapter = {name: [r for r in checks if r["adapter"] == name]
                  for name in ("aborts-on-dilation", "hangs-on-dilation", "numpy-zero-insertion")}
    assert {r["failure"] for r in by_adapter["aborts-on-dilation"] if r["outcome"] == "failed"} == {"crash"}
    assert {r["failure"] for r in by_adapter["hangs-on-dilation"] if r["outcome"] == "failed"} == {"timeout"}
    # one xdist process drove each adapter (one worker, started once and reused)
    drivers = [r["adapter"] for r in records_of(path) if r.get("type") == "worker"]
    assert sorted(drivers) == sorted(by_adapter), drivers
    correct = by_adapter["numpy-zero-insertion"]   # its whole 2-D budget, all passed
    plane = [r for r in correct if len(r["case"]["spec"]["kernel_size"]) == 2]
    assert len(plane) >= settings.get_profile("ci").max_examples
    assert {r["outcome"] for r in plane} == {"passed"}
    # a plug-in that declares no ranks is a 2-D one: its 1-D and 3-D cases skipped, saying why
    assert {r["outcome"] for r in correct if r not in plane} <= {"skipped"}
    page = (tmp_path / "reports" / "index.html").read_text()
    assert "crash" in page and "timeout" in page
    assert not (tmp_path / ".hypothesis").exists()   # nothing left in the user's folder
    assert not (ROOT / "reports" / "results.jsonl").exists() or \
        all(r.get("run") != checks[0]["run"] for r in records_of(ROOT / "reports" / "results.jsonl"))


def test_usage_error_exits_4_and_renders_nothing(tmp_path):
    done = run_cli(tmp_path, "--adapter", "no-such-adapter")
    assert done.returncode == 4, done.stdout + done.stderr
    assert "no-such-adapter" in done.stderr
    assert not (tmp_path / "reports").exists()


def test_nothing_selected_exits_5(tmp_path):
    done = run_cli(tmp_path, "--adapter", "examples.zero_insertion:adapter",
                   "--only", "no_check_is_called_this", "-j", "1")
    assert done.returncode == 5, done.stdout + done.stderr


def test_a_live_runs_results_file_is_refused_to_a_second_run(tmp_path):
    path = tmp_path / "results.jsonl"
    live = results.ResultsWriter(path, "live")
    live.start()
    live.write({"type": "run"})
    try:
        done = run_cli(tmp_path, "--adapter", "examples.zero_insertion:adapter",
                       "--results", str(path), "-j", "1")
        assert done.returncode == 4, done.stdout + done.stderr
        assert "a live run is writing it" in done.stderr
        assert [r["run"] for r in records_of(path)] == ["live"]   # untouched
    finally:
        live.close()


def test_the_suites_own_tests_leave_the_last_results_alone(tmp_path):
    path = tmp_path / "results.jsonl"
    path.write_text('{"run": "last", "type": "run"}\n')
    done = subprocess.run([sys.executable, "-m", "pytest", "tests/test_spec.py", "-q",
                           "-p", "no:cacheprovider", "--results", str(path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
    assert path.read_text() == '{"run": "last", "type": "run"}\n'
    assert not (tmp_path / "index.html").exists()


def start_hanging_run(tmp_path, jobs: int):
    """A main job whose hanging adapter is stuck in a dilated case once checks are recorded."""
    import time

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([*CLI, "run", "--adapter", HOSTILE + "HangsOnDilation",
                                "--adapter", "examples.zero_insertion:adapter",
                                "--only", "forward_matches and float64", "--timeout", "600",
                                "-j", str(jobs)], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    path = tmp_path / "reports" / "results.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline and not (path.exists() and '"check"' in path.read_text()):
        time.sleep(0.5)
    time.sleep(3)   # now it hangs in a dilated case
    return process, path


def processes_in(folder: Path) -> list[str]:
    """Command lines of the processes still running in `folder` (workers inherit it)."""
    import time

    time.sleep(2)
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if Path(os.readlink(proc / "cwd")) == folder:
                found.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return found


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_interrupt_exits_2_with_a_partial_report_and_no_process_left(tmp_path, signal_name, jobs):
    import signal

    process, path = start_hanging_run(tmp_path, jobs)
    process.send_signal(getattr(signal, signal_name))   # to the run's own process only
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 2, output[-3000:]
    ends = [r for r in records_of(path) if r.get("type") == "end"]
    assert ends and ends[-1]["interrupted"] and ends[-1]["unfinished"], ends
    # stopping is not a failure: no check was recorded as a crash or a timeout
    assert not [r for r in records_of(path) if r.get("failure") in ("crash", "timeout")]
    assert "Incomplete run" in (tmp_path / "reports" / "index.html").read_text()
    assert processes_in(tmp_path) == []


def test_a_run_killed_with_kill_9_leaves_no_process_and_still_renders(tmp_path):
    import signal

    process, path = start_hanging_run(tmp_path, 2)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=120)
    assert processes_in(tmp_path) == []
    done = subprocess.run([*CLI, "report", str(path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "reports" / "index.html").read_text()
    assert "Incomplete run" in page and "no end record" in page


def test_a_run_killed_mid_line_still_renders(tmp_path):
    path = tmp_path / "results.jsonl"
    writer = results.ResultsWriter(path, "killed")
    writer.start()
    writer.write({"type": "run", "adapters": ["x"]})
    record = check_forward(MissingKernel(), PLAIN, "float32")
    writer.write({"type": "check", **record})
    writer.close()
    with open(path, "a") as handle:
        handle.write(json.dumps({"run": "killed", "type": "check", **record})[:40])  # torn
    done = subprocess.run([*CLI, "report", str(path)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "incomplete" in done.stderr
    assert "Incomplete run" in (tmp_path / "index.html").read_text()


def test_the_plugin_lives_beside_pytest_timeout(tmp_path):
    """The plugin loads in every pytest session of its environment: its options
    must not take names other plugins own (pytest-timeout's --timeout)."""
    (tmp_path / "timeout_like.py").write_text(
        "def pytest_addoption(parser):\n"
        "    parser.addoption('--timeout', type=float, default=None)\n")
    (tmp_path / "test_nothing.py").write_text("def test_nothing():\n    pass\n")
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "timeout_like", "-p",
                           "convt_suite.pytest_plugin", "-q", "test_nothing.py"], cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": f"{tmp_path}:{ROOT}"},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_a_test_failing_outside_any_check_is_named_in_summary_report_and_junit(tmp_path):
    done = run_cli(tmp_path, "--adapter", HOSTILE + "ZeroShare",
                   "--only", "forward_matches and float32", "-j", "1")
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    # no failed check explains the exit status: the failing tests are named instead
    assert "test(s) failed without a failed check" in done.stdout, done.stdout
    assert "case_share must be a positive integer" in done.stdout
    reports = tmp_path / "reports"
    records = records_of(reports / "results.jsonl")
    assert not [r for r in records if r.get("type") == "check" and r["outcome"] == "failed"]
    outside = results.failures_outside_checks(records)
    assert outside and {r["adapter"] for r in outside} == {"zero-share"}
    assert all("test_forward_matches_oracle" in r["test"] for r in outside), outside
    summary = json.loads((reports / "summary.json").read_text())
    assert [f["test"] for f in summary["failures_outside_checks"]] == [r["test"] for r in outside]
    assert 'id="failures-outside-checks"' in (reports / "index.html").read_text()
    assert "tests failing outside checks" in (reports / "junit.xml").read_text()


def test_a_failed_check_is_not_named_again_as_a_failure_outside_checks():
    check = {"run": "r", "type": "check", "test": "t", "outcome": "failed"}
    failure = {"run": "r", "type": "test-failure", "test": "t", "when": "call", "error": "x"}
    assert results.failures_outside_checks([check, failure]) == []
    assert results.failures_outside_checks([{**check, "outcome": "passed"}, failure]) == [failure]
    assert results.failures_outside_checks([{**check, "run": "other"}, failure]) == [failure]
