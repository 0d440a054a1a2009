"""convt_suite/runtime/preloaded.py: a script run in a fork of a zygote gives what a
fresh `python -c` gives (output, exit status, signals, timeouts, the
environment it imports under), and one script leaves nothing behind for
the next."""

import os
import subprocess
import sys
import textwrap

import pytest

from convt_suite.findings.model import by_id
from convt_suite.runtime import preloaded

# `json` stands in for a framework: cheap to import, and the zygote is used
CHEAP = ("json",)


@pytest.fixture
def zygotes(monkeypatch):
    monkeypatch.setattr(preloaded, "FRAMEWORKS", preloaded.FRAMEWORKS + CHEAP)
    monkeypatch.setattr(preloaded, "_zygotes", {})
    monkeypatch.setattr(preloaded, "_dead", set())
    yield preloaded._zygotes
    preloaded._stop_all()


def fresh(script, env=None, timeout=60, args=()):
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True,
                          timeout=timeout, env=env or dict(os.environ))


SCRIPTS = {
    "prints": "import json, os, sys\nprint('out', __name__, sys.argv)\nos.write(2, b'c-level err\\n')",
    "exits 3": "import json, sys\nprint('before')\nsys.exit(3)",
    "exits with a message": "import json, sys\nsys.exit('why it stopped')",
    "raises": "import json\nraise ValueError('boom')",
    "segfaults": "import json, os, signal, sys\nprint('x', flush=True)\nos.kill(os.getpid(), signal.SIGSEGV)",
    "reads its environment": "import json, os\nprint(os.environ.get('CONVT_PRELOADED_PROBE'))",
    "reads its arguments": "import json, sys\nprint(sys.argv, file=sys.stderr)",
    "ends its threads, then atexit": ("import json, atexit, threading, time\n"
                                      "atexit.register(print, 'at exit')\n"
                                      "threading.Thread(target=lambda: (time.sleep(0.3), print('thread'))).start()\n"
                                      "print('main')"),
    # an executor a module keeps open (torch.compile's does): its idle worker stops at exit
    "leaves an executor open": ("import json\nfrom concurrent.futures import ThreadPoolExecutor\n"
                                "json.pool = ThreadPoolExecutor(1)\n"
                                "print(json.pool.submit(lambda: 'done').result())"),
}


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_a_forked_run_gives_what_a_fresh_process_gives(zygotes, name):
    env = {**os.environ, "CONVT_PRELOADED_PROBE": "set before the imports"}
    forked = preloaded.run_script(SCRIPTS[name], env, 60, args=("one", "two words"))
    assert zygotes, "the script did not run in a zygote"
    expected = fresh(SCRIPTS[name], env, args=("one", "two words"))
    assert forked.returncode == expected.returncode
    assert forked.stdout == expected.stdout
    # a traceback names the file: both say <string>
    assert forked.stderr == expected.stderr


def test_the_script_runs_in_a_child_of_the_zygote(zygotes):
    done = preloaded.run_script("import json, os\nprint(os.getppid())", dict(os.environ), 60)
    (zygote,) = zygotes.values()
    assert int(done.stdout) == zygote.pid


def test_one_script_leaves_nothing_for_the_next(zygotes):
    """Each child starts from the zygote, not from the last script: a
    planted runner that runs scripts one after another in one process (what
    a zygote without fork would be) fails this."""
    first = "import json\njson.left_behind = 1\nimport os\nos.environ['LEFT'] = '1'"
    second = "import json, os\nprint(hasattr(json, 'left_behind'), 'LEFT' in os.environ)"

    def one_process(scripts):   # the planted runner
        program = "\n".join(f"exec(compile({s!r}, '<string>', 'exec'), {{'__name__': '__main__'}})"
                            for s in scripts)
        return fresh(program).stdout.strip()

    assert one_process([first, second]) == "True True"
    env = dict(os.environ)
    preloaded.run_script(first, env, 60)
    assert preloaded.run_script(second, env, 60).stdout.strip() == "False False"


def running(pid: int) -> bool:
    """Alive, not a zombie waiting for init to reap it."""
    import time

    for _ in range(100):   # SIGKILL is delivered asynchronously
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rpartition(")")[2].split()[0] in "ZX":
                    return False
        except FileNotFoundError:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.slow
def test_a_hang_is_killed_with_what_it_started(zygotes, tmp_path):
    marker = tmp_path / "grandchild.pid"
    script = ("import json, subprocess, sys, time\n"
              "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])\n"
              f"open({str(marker)!r}, 'w').write(str(child.pid))\n"
              "print('started', flush=True)\ntime.sleep(120)")
    with pytest.raises(subprocess.TimeoutExpired) as stopped:
        preloaded.run_script(script, dict(os.environ), 3)
    assert "started" in stopped.value.output
    assert not running(int(marker.read_text()))
    # the zygote lives on
    assert preloaded.run_script("import json\nprint(2)", dict(os.environ), 60).stdout == "2\n"


def test_environments_and_imports_get_zygotes_of_their_own(zygotes):
    env = dict(os.environ)
    preloaded.run_script("import json\nprint(1)", env, 60)
    preloaded.run_script("import json\nimport os\nprint(1)", env, 60)   # the same framework
    preloaded.run_script("import json\nprint(1)", {**env, "CONVT_PRELOADED_PROBE": "x"}, 60)
    assert len(zygotes) == 2


def test_a_dead_zygote_falls_back_to_a_fresh_process(zygotes):
    env = dict(os.environ)
    preloaded.run_script("import json\nprint(1)", env, 60)
    (zygote,) = zygotes.values()
    zygote.kill()
    zygote.wait()
    assert preloaded.run_script("import json, os\nprint(os.getppid())", env, 60).stdout \
        == f"{os.getpid()}\n"
    assert not zygotes   # and it is not started again


def test_a_variable_pytest_sets_per_test_does_not_start_another_zygote(zygotes, monkeypatch):
    """...and the script still sees the environment it is given."""
    script = "import json, os\nprint(os.environ.get('PYTEST_CURRENT_TEST'), os.getppid())"
    seen = [preloaded.run_script(script, {**os.environ, "PYTEST_CURRENT_TEST": name}, 60).stdout.split()
            for name in ("first", "second")]
    assert [name for name, _ in seen] == ["first", "second"]
    assert len(zygotes) == 1 and seen[0][1] == seen[1][1]


def test_at_most_live_zygotes_are_kept(zygotes, monkeypatch):
    monkeypatch.setattr(preloaded, "LIVE", 2)
    started = []
    for value in "abc":
        preloaded.run_script("import json\nprint(1)", {**os.environ, "CONVT_PRELOADED_PROBE": value}, 60)
        started.append(list(zygotes.values())[-1])
    assert len(zygotes) == 2 and started[0].poll() is not None   # the least recently used stopped


@pytest.mark.parametrize("script, expected", [
    ("import numpy as np, tensorflow as tf\nimport torch.nn.functional as F\nx = 1\nimport jax",
     ("tensorflow", "torch")),
    ('"""doc"""\nfrom onnx import helper\nimport onnxruntime', ("onnx", "onnxruntime")),
    ("import os\nos.environ['KERAS_BACKEND'] = 'jax'\nimport keras", ()),
    ("import keras(", ()),
])
def test_only_the_leading_imports_are_preloaded(script, expected):
    assert preloaded.leading_imports(script) == expected


def test_a_finding_reproduces_as_in_a_fresh_process():
    finding = by_id()["onnx-reference-empty-batch-raises"]
    pytest.importorskip("onnx")
    env = dict(os.environ)
    forked = preloaded.run_script(finding.snippet, env, 300)
    expected = fresh(finding.snippet, env, 300)
    assert (forked.returncode, forked.stdout) == (expected.returncode, expected.stdout)
    assert "REPRODUCED:" in forked.stdout


# ------------------------------------------------------- temporary files
def _run_python(script: str, tmp_path, timeout=180):
    """script in a fresh process whose system temporary folder is tmp_path
    (and no TORCHINDUCTOR_CACHE_DIR: torch sets it in a process that compiled)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {k: v for k, v in os.environ.items() if k != "TORCHINDUCTOR_CACHE_DIR"}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], capture_output=True,
                          text=True, timeout=timeout, cwd=root,
                          env={**env, "TMPDIR": str(tmp_path), "PYTHONPATH": root})


def test_the_processes_the_suite_starts_keep_their_temporary_files_in_a_scratch_folder(tmp_path):
    """Snippets, probes and adapter workers get a TMPDIR of the starting
    process's own, removed when it exits; inductor's kernel cache stays
    where torch keeps it by default, or where the user put it; inductor
    compiles in the process (no pool of compile workers), unless the user
    set its number of threads."""
    done = _run_python("""
        import os
        from convt_suite.host import folders
        from convt_suite.runtime import preloaded
        from convt_suite.runtime import workers
        made = preloaded.run_script("import tempfile\\nprint(tempfile.mkstemp(prefix='probe-')[1])",
                                    dict(os.environ), 60)
        print(made.stdout.strip())
        print(folders.scratch())
        env = workers._env_for("keras[jax]")
        print(env["TMPDIR"] == folders.scratch(), env["KERAS_BACKEND"],
              env["TORCHINDUCTOR_CACHE_DIR"] == folders.inductor_cache(),
              folders.child_env({"TORCHINDUCTOR_CACHE_DIR": "/mine"})["TORCHINDUCTOR_CACHE_DIR"],
              env["TORCHINDUCTOR_COMPILE_THREADS"],
              folders.child_env({"TORCHINDUCTOR_COMPILE_THREADS": "4"})["TORCHINDUCTOR_COMPILE_THREADS"])
    """, tmp_path)
    made, scratch, worker = done.stdout.splitlines()
    assert os.path.dirname(made) == scratch and os.path.dirname(scratch) == str(tmp_path), done
    assert worker == "True jax True /mine 1 4"   # inductor compiles in process, unless told
    assert not os.path.exists(scratch) and list(tmp_path.iterdir()) == []   # removed at exit


def test_an_adapter_worker_leaves_nothing_in_the_system_temporary_folder(tmp_path):
    """A worker's temporary files (ONNX Runtime writes a mat-debug-<pid>.log
    from every process that imports it, TF's autograph a file per converted
    function) land in the scratch folder, removed with it."""
    done = _run_python("""
        import os
        from convt_suite.host import folders
        from convt_suite.runtime.workers import WorkerAdapter
        adapter = WorkerAdapter("tests.hostile_adapters:LeavesTemporaryFiles")
        print(adapter.versions()["left"])
        adapter.close()
        print(folders.scratch())
    """, tmp_path)
    left, scratch = done.stdout.splitlines()[-2:]
    assert os.path.dirname(left) == scratch, done
    assert list(tmp_path.iterdir()) == []
