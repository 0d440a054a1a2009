"""Run a standalone script (a known finding's snippet) as `python -c SCRIPT`
would, in a child forked from a process that has already imported the frameworks
the script imports first.

Importing TensorFlow or Keras costs 8-9 s of CPU here, torch 3.5 s, and a
cold main job reproduces some fifty findings, each a script of its own: most
of their time went to importing the same frameworks again. A *zygote*, one
per (environment, frameworks imported first), imports them once (nothing else)
and forks a child per script. So each script still starts where a fresh
`python -c` would be after its first lines: the same environment, the same
frameworks imported in the same order, nothing run. Its stdout and stderr are
its file descriptors' (C-level output and crash messages included); a
signal kills only that child (returncode -signal, as subprocess reports it);
past the timeout the child's process group is killed and
`subprocess.TimeoutExpired` raised, as `subprocess.run` does. Where no
zygote can run the script (no fork, or the zygote died) it runs in a fresh
process: the same result, only slower. tests/test_preloaded.py holds it to
fresh processes' results.
"""

from __future__ import annotations

import ast
import atexit
import json
import os
import subprocess
import sys

from convt_suite.host import folders

_zygotes: dict = {}   # (environment, frameworks) -> zygote, the most recently used last
_dead: set = set()    # keys whose zygote died: their scripts run in fresh processes
LIVE = 4              # zygotes kept: each holds its frameworks in memory (docs, performance)
# set per test by pytest: never read by an import, so not a reason for a zygote of its own
# (the script still sees the environment it was given)
VOLATILE = ("PYTEST_CURRENT_TEST",)


# what is worth importing ahead (seconds each): the frameworks
FRAMEWORKS = ("tensorflow", "torch", "jax", "keras", "onnx", "onnxruntime")


def leading_imports(script: str) -> tuple[str, ...]:
    """The frameworks the script's first statements import (the top-level
    packages, in the script's order), up to its first statement that is
    not an import: after it an import may depend on what ran (an
    environment variable set, say). A script that does not parse imports
    nothing here."""
    try:
        body = ast.parse(script).body
    except SyntaxError:
        return ()
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]   # a docstring
    modules = []
    for statement in body:
        if isinstance(statement, ast.Import):
            modules += [alias.name for alias in statement.names]
        elif isinstance(statement, ast.ImportFrom) and statement.level == 0 and statement.module:
            modules.append(statement.module)
        else:
            break
    roots = (name.partition(".")[0] for name in modules)
    return tuple(dict.fromkeys(root for root in roots if root in FRAMEWORKS))


def run_script(script: str, env: dict, timeout: float, args=()) -> subprocess.CompletedProcess:
    """What `subprocess.run([sys.executable, "-c", script, *args], env=env,
    capture_output=True, text=True, timeout=timeout)` returns (and raises on
    timeout), run in a fork of a zygote that imported the script's leading
    imports under `env`."""
    command = [sys.executable, "-c", script, *args]
    env = folders.child_env(env)
    key = (tuple(sorted((k, v) for k, v in env.items() if k not in VOLATILE)),
           leading_imports(script))
    zygote = _zygote(key, env)
    if zygote is not None:
        try:
            request = {"script": script, "args": list(args), "timeout": timeout, "env": dict(env)}
            assert zygote.stdin is not None and zygote.stdout is not None   # both PIPE
            zygote.stdin.write(json.dumps(request) + "\n")
            zygote.stdin.flush()
            line = zygote.stdout.readline()
        except OSError:
            line = ""
        if line:
            answer = json.loads(line)
            if answer["timed_out"]:
                raise subprocess.TimeoutExpired(command, timeout, answer["stdout"], answer["stderr"])
            return subprocess.CompletedProcess(command, answer["returncode"], answer["stdout"],
                                               answer["stderr"])
        _retire(key)   # it died
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)


def _zygote(key, env: dict) -> subprocess.Popen | None:
    """The live zygote for key (started if need be, the least recently used
    stopped past LIVE), or None where there is none to use."""
    if not key[1] or key in _dead or not hasattr(os, "fork"):
        return None
    zygote = _zygotes.pop(key, None) or _start(env, key[1])
    _zygotes[key] = zygote
    while len(_zygotes) > LIVE:
        _stop(_zygotes.pop(next(iter(_zygotes))))
    if zygote.poll() is not None:
        _retire(key)
        return None
    return zygote


def _retire(key) -> None:
    """A zygote that died: its scripts run in fresh processes from now on."""
    _dead.add(key)
    _stop(_zygotes.pop(key))


def _start(env: dict, modules: tuple[str, ...]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "convt_suite.runtime.preloaded", *modules],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env, text=True)


def _stop(zygote: subprocess.Popen) -> None:
    try:
        if zygote.stdin is not None:
            zygote.stdin.close()   # the zygote exits at the end of its input
        zygote.wait(timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        zygote.kill()
        zygote.wait()


@atexit.register
def _stop_all() -> None:
    for zygote in _zygotes.values():
        _stop(zygote)
    _zygotes.clear()


# --- the zygote (python -m convt_suite.runtime.preloaded MODULE...) -----------------

def _child(request: dict, out_path: str, err_path: str) -> None:
    """In the forked child: the script as `python -c` runs it, and ends as
    the interpreter does (its threads waited for, then atexit's functions)."""
    import atexit
    import builtins
    import threading
    import traceback

    code = 1
    try:
        os.setpgid(0, 0)   # a timeout kills what the script started too
        for fd, path in ((1, out_path), (2, err_path)):
            os.dup2(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), fd)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)   # not the zygote's requests
        os.environ.clear()   # exactly the environment asked for (VOLATILE ones too)
        os.environ.update(request["env"])
        sys.argv = ["-c", *request["args"]]
        try:
            program = compile(request["script"], "<string>", "exec")
            exec(program, {"__name__": "__main__", "__builtins__": builtins})
            code = 0
        except SystemExit as stop:   # as the interpreter reads sys.exit's argument
            if stop.code is None or isinstance(stop.code, int):
                code = stop.code or 0
            else:
                print(stop.code, file=sys.stderr)
        except BaseException as error:   # its traceback starts at the script, as python -c's
            traceback.print_exception(type(error), error, error.__traceback__ and error.__traceback__.tb_next)
        # what the interpreter's finalization calls: the threading atexit hooks
        # first (concurrent.futures tells its idle workers to stop there), then
        # it waits for the non-daemon threads. A bare join of every thread waited
        # forever for an executor's idle worker (torch.compile's, cold)
        threading._shutdown()  # type: ignore[attr-defined]  # private: what finalization calls
        atexit._run_exitfuncs()   # what the interpreter runs at exit (errors printed, not raised)
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _wait(pid: int, timeout: float) -> tuple[int | None, bool]:
    """(returncode, timed out): a signal as -signal, like subprocess."""
    import signal
    import time

    until = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), False
        if time.monotonic() > until:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:   # not yet in a group of its own
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None, True
        time.sleep(0.005)


def _serve(modules: list[str]) -> None:
    import importlib
    import shutil
    import tempfile

    channel = os.fdopen(os.dup(1), "w")   # answers go here; fd 1 and 2 are the scripts'
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 1)
    for name in modules:
        try:
            importlib.import_module(name)
        except BaseException:   # the script meets the same failure itself, in its child
            pass
    # not a TemporaryDirectory: its finalizer, run at exit, would run in every child
    folder = tempfile.mkdtemp(prefix="convt-suite-zygote-")
    out_path, err_path = os.path.join(folder, "out"), os.path.join(folder, "err")
    try:
        for line in sys.stdin:
            request = json.loads(line)
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
            if pid == 0:
                channel.close()
                _child(request, out_path, err_path)
            returncode, timed_out = _wait(pid, request["timeout"])
            captured = {}
            for name, path in (("stdout", out_path), ("stderr", err_path)):
                with open(path, errors="replace") as text:
                    captured[name] = text.read()
            channel.write(json.dumps({"returncode": returncode, "timed_out": timed_out,
                                      **captured}) + "\n")
            channel.flush()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    _serve(sys.argv[1:])
