"""Adapters in worker processes: a crash, an abort or a hang takes down one
worker, never the run.

`WorkerAdapter(selector)` meets the adapter contract itself: each call
(`supports`, `plan`, `versions`, `forward`, `vjp` and the native ones) is sent to a process of
its own that built the adapter from its selector (a built-in name or
`package.module:attribute`), so plug-ins need nothing new. The process is
started once and reused. When it dies, the call raises `WorkerCrash` (the
signal or exit code and the last lines of its stderr); when it takes longer
than the timeout, the process is killed and the call raises `WorkerTimeout`.
Either way the next call starts a fresh worker. The checks record both as
failures ("crash", "timeout").

Tensors travel as pickles over a socket pair (protocol 5: numpy arrays are one
buffer copy each); benchmarks/bench.py measures the cost per check.

    python -m convt_suite.runtime.workers SELECTOR FD   (the worker, FD its end of a socket pair)
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import threading
import traceback
from multiprocessing.connection import Connection
from typing import IO, TYPE_CHECKING

from convt_suite.core.failures import WorkerCrash, WorkerFailure, WorkerTimeout  # noqa: F401  (re-exported)
from convt_suite.host import folders, kernels

DEFAULT_TIMEOUT = 300.0   # seconds per call: far above any compile or import, so only a hang meets it
STARTUP_TIMEOUT = 300.0   # building the adapter in a fresh process (imports only)
STDERR_TAIL = 20          # lines of a dead worker's stderr kept in its record
# how native code announces that it is about to abort: glog/absl fatal lines
# (XLA, TF), C++ terminate, Python's fatal error handler
FATAL_PREFIXES = ("F0", "F1", "Check failed", "terminate called", "Fatal Python error")


class Interrupted(KeyboardInterrupt):
    """The run is stopping (Ctrl-C, SIGTERM): its workers were stopped on purpose."""


STOPPING = threading.Event()   # set by stop_all(): a dying worker is not a crash then
_LIVE: set = set()             # every WorkerAdapter with a process, for stop_all()


class RemoteError(Exception):
    """An exception raised in a worker; its class is named like the original
    (`type(err).__name__` reads "InvalidArgumentError"), so records and known
    findings read the same as in process."""

    remote_traceback = ""


_REMOTE_TYPES: dict = {}


def _rebuild(type_name: str, message: str, text: str) -> RemoteError:
    """Always a RemoteError, never the original class: the worker has already
    judged it (a decline comes back as Decline), so the parent must not."""
    cls = _REMOTE_TYPES.setdefault(type_name, type(type_name, (RemoteError,), {}))
    error = cls(message)
    error.remote_traceback = text
    return error


def _env_for(selector: str) -> dict:
    """A Keras adapter's worker imports Keras on its own backend."""
    from convt_suite.adapters.registry import WITHOUT_ONEDNN_VERBOSE, keras_backend

    env = folders.child_env(dict(os.environ))
    # oneDNN's execution lines, which say which kernel ran (host/kernels.py);
    # read once, as the library loads: set before the worker imports a framework
    if selector in WITHOUT_ONEDNN_VERBOSE:
        env.pop(kernels.VERBOSE, None)
    else:
        env.setdefault(kernels.VERBOSE, "1")
    backend = keras_backend(selector)
    if backend:
        env["KERAS_BACKEND"] = backend
    return env


class WorkerAdapter:
    """The adapter named by `selector`, running in a worker process."""

    def __init__(self, selector: str, timeout: float = DEFAULT_TIMEOUT):
        self.selector = selector
        self.timeout = timeout
        self._lock = threading.Lock()     # one call at a time per worker
        self._process: subprocess.Popen | None = None
        self._conn: Connection | None = None
        self._stderr: IO[bytes] | None = None
        self.starts = 0
        self.environment: dict = {}
        hello = self._start()             # a bad selector fails here, as ValueError
        self.name = hello["name"]
        self._optional = set(hello["optional"])
        # the parameter language of native_forward / native_vjp (None: no native sweeps)
        self.native_language = hello.get("native_language")
        self.model_machinery = hello.get("model_machinery")
        # an adapter whose every check is costly runs a share of the cases (checks/test_sweep.py)
        self.case_share = hello.get("case_share", 1)
        self.case_share_reason = hello.get("case_share_reason", "")
        self.model_scale_share = hello.get("model_scale_share", 1)
        self.model_scale_share_reason = hello.get("model_scale_share_reason", "")
        self.ranks = tuple(hello.get("ranks", (2,)))   # the spatial ranks it computes

    # ------------------------------------------------------------ process
    def _start(self) -> dict:
        self._conn, child = multiprocessing.Pipe()   # a socket pair
        self._stderr = tempfile.TemporaryFile()
        command = [sys.executable, "-m", "convt_suite.runtime.workers", self.selector, str(child.fileno())]
        self._process = subprocess.Popen(
            command, env=_env_for(self.selector), stdin=subprocess.DEVNULL,
            stdout=self._stderr, stderr=self._stderr, pass_fds=(child.fileno(),),
            start_new_session=True)   # Ctrl-C reaches the parent only; it stops workers
        child.close()
        self.starts += 1
        _LIVE.add(self)
        status, *payload = self._receive("start", STARTUP_TIMEOUT)
        if status != "ok":
            self._stop()
            raise ValueError(payload[1] if status == "raised" else str(payload))
        self.environment = payload[0]["environment"]
        return payload[0]

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGKILL)   # its children too
                except ProcessLookupError:
                    pass
            process.wait()
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        _LIVE.discard(self)

    def _tail(self) -> str:
        if self._stderr is None:
            return ""
        self._stderr.seek(0)
        lines = self._stderr.read().decode("utf-8", "replace").splitlines()
        tail = lines[-STDERR_TAIL:]
        # a native crash prints its reason, then a long stack trace: keep the reason
        reason = [line for line in lines[:-STDERR_TAIL] if line.startswith(FATAL_PREFIXES)]
        return "\n".join(reason[:3] + (["..."] if reason else []) + tail)

    def _receive(self, method: str, timeout: float):
        assert self._conn is not None   # started
        try:
            ready = self._conn.poll(timeout)
            if ready:
                return self._conn.recv()
        except (EOFError, OSError):
            ready = True
        except KeyboardInterrupt:   # Ctrl-C while it works: it must not outlive the run
            self._stop()
            raise
        if STOPPING.is_set():
            self._stop()
            raise Interrupted(f"{self.selector}: stopped")
        if not ready:
            tail = self._tail()
            self._stop()
            raise WorkerTimeout(f"{self.selector}: {method} gave no answer in {timeout:g} s "
                                f"(worker killed)", tail)
        process = self._process
        assert process is not None   # started
        try:
            code = process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            code = None
        tail = self._tail()
        self._stop()
        raise WorkerCrash(f"{self.selector}: worker died during {method}: {describe_exit(code)}",
                          tail)

    def call(self, method: str, *args, **kwargs):
        if STOPPING.is_set():
            raise Interrupted(f"{self.selector}: the run is stopping")
        with self._lock:
            if self._process is None:
                self._start()
            assert self._conn is not None   # started
            self._conn.send((method, args, kwargs))
            status, *payload = self._receive(method, self.timeout)
        if status == "ok":
            return payload[0]
        if status == "declined":
            from convt_suite.adapters.base import Decline

            raise Decline(payload[0])
        raise _rebuild(*payload)

    def close(self) -> None:
        with self._lock:
            if self._process is not None:
                try:
                    assert self._conn is not None   # started with the process
                    self._conn.send(("exit", (), {}))
                    self._process.wait(timeout=5)
                except Exception:
                    pass
                self._stop()

    # ------------------------------------------------------------ contract
    def supports(self, spec, dtype):
        return self.call("supports", spec, dtype)

    def forward(self, x, weight, bias, spec):
        return self.call("forward", x, weight, bias, spec)

    def vjp(self, x, weight, bias, spec, grad_out):
        return self.call("vjp", x, weight, bias, spec, grad_out)

    def plan(self, spec, dtype, input_shape=None):
        return self.call("plan", spec, dtype, input_shape)

    def native_forward(self, x, weight, bias, call):
        return self.call("native_forward", x, weight, bias, call)

    def native_vjp(self, x, weight, bias, call, grad_out):
        return self.call("native_vjp", x, weight, bias, call, grad_out)

    def native_declared_shapes(self, x, weight, bias, call):
        return self.call("native_declared_shapes", x, weight, bias, call)

    def native_in_model(self, x, weight, bias, call):
        return self.call("native_in_model", x, weight, bias, call)

    def native_round_trips(self, x, weight, bias, call):
        return self.call("native_round_trips", x, weight, bias, call)

    def round_trip_ways(self, call):
        return self.call("round_trip_ways", call)

    def kernels(self):
        """The native kernels the worker's last compute call ran (an adapter
        without kernels(): none)."""
        return self.call("kernels") if "kernels" in self._optional else []

    def versions(self):
        return self.call("versions") if "versions" in self._optional else {}

    def unavailable(self):
        return self.call("unavailable") if "unavailable" in self._optional else None

    def __repr__(self):
        return f"<adapter {self.name} in a worker>"


def describe_exit(code) -> str:
    if code is None:
        return "it stopped answering and did not exit"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name} (exit {code})"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"


def stop_all() -> None:
    """Stop every worker now (Ctrl-C, SIGTERM): calls in flight raise Interrupted."""
    STOPPING.set()
    for worker in list(_LIVE):
        process = worker._process
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def close_all() -> None:
    for worker in list(_LIVE):
        worker.close()


# ---------------------------------------------------------------- the worker
def _answer(adapter, method: str, args, kwargs):
    from convt_suite.adapters.base import adapter_plan, declined

    try:
        if method == "plan":
            spec, dtype, input_shape = args
            return ("ok", adapter_plan(adapter, spec, dtype, input_shape))
        return ("ok", getattr(adapter, method)(*args, **kwargs))
    except Exception as error:
        reason = declined(error, adapter)
        if reason is not None:
            return ("declined", reason)
        return ("raised", type(error).__name__, str(error), traceback.format_exc(limit=-3))


def die_with_parent() -> None:
    """Linux: the kernel kills this process when the one that started it dies,
    however it dies (kill -9 included), so a hung worker never lingers."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):   # not Linux: the parent's stop_all() is all there is
        pass


def serve(selector: str, fd: int) -> None:
    from convt_suite.host import quiet
    from convt_suite.runtime import jax_cache

    die_with_parent()

    quiet.silence_all()
    jax_cache.enable()
    conn = Connection(fd)
    try:
        from convt_suite.adapters import registry
        from convt_suite.core.results import environment

        adapter = registry.load(selector)
    except Exception as error:
        conn.send(("raised", type(error).__name__, str(error), traceback.format_exc()))
        return
    optional = [name for name in ("plan", "versions", "unavailable", "kernels") if hasattr(adapter, name)]
    conn.send(("ok", {"name": adapter.name, "optional": optional, "pid": os.getpid(),
                      "native_language": getattr(adapter, "native_language", None),
                      "model_machinery": getattr(adapter, "model_machinery", None),
                      "case_share": getattr(adapter, "case_share", 1),
                      "case_share_reason": getattr(adapter, "case_share_reason", ""),
                      "model_scale_share": getattr(adapter, "model_scale_share", 1),
                      "model_scale_share_reason": getattr(adapter, "model_scale_share_reason", ""),
                      "ranks": list(getattr(adapter, "ranks", (2,))),
                      "environment": environment()}))
    while True:
        try:
            method, args, kwargs = conn.recv()
        except EOFError:      # the parent went away
            return
        if method == "exit":
            return
        conn.send(_answer(adapter, method, args, kwargs))


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))


if TYPE_CHECKING:
    from convt_suite.adapters.base import AdapterContract

    def _meets_the_contract(adapter: WorkerAdapter) -> AdapterContract:
        return adapter   # mypy: the proxy stands where the adapter would
