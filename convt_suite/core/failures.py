"""How a check can fail to get an answer at all: the adapter's process died or
hung. The judge records these (compare.py); the worker runtime raises them
(runtime/workers.py), so they live below both."""

from __future__ import annotations


class WorkerFailure(RuntimeError):
    """The worker could not answer: `failure` names how ("crash", "timeout")."""

    failure = "?"

    def __init__(self, message: str, stderr_tail: str = ""):
        super().__init__(message)
        self.stderr_tail = stderr_tail


class WorkerCrash(WorkerFailure):
    failure = "crash"


class WorkerTimeout(WorkerFailure):
    failure = "timeout"
