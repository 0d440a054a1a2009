"""Adapters that misbehave the way native kernels do, for the runner's own tests:
one aborts the process (a failed CHECK) on dilated specs, one never returns
(a deadlock) on dilated specs, one raises NotImplementedError from inside a
"framework" (a missing kernel). Otherwise each is the correct zero-insertion
example."""

from __future__ import annotations

import os
import sys
import time

from examples.zero_insertion import ZeroInsertionAdapter
from tests import fake_kernels


def _dilated(spec) -> bool:
    return max(spec.dilation) > 1


class AbortsOnDilation(ZeroInsertionAdapter):
    name = "aborts-on-dilation"

    def forward(self, x, weight, bias, spec):
        if _dilated(spec):
            os.abort()
        return super().forward(x, weight, bias, spec)


class AbortsLikeXla(AbortsOnDilation):
    """Aborts as a native CHECK does: the reason, then a long stack trace."""
    name = "aborts-like-xla"

    def forward(self, x, weight, bias, spec):
        if _dilated(spec):
            sys.stderr.write("F1125 12:00:00.000000 1 simplifier.cc:586] Check failed: planted\n"
                             + "".join(f"    @ 0x{i:012x} frame{i}()\n" for i in range(60)))
            sys.stderr.flush()
        return super().forward(x, weight, bias, spec)   # aborts when dilated


class HangsOnDilation(ZeroInsertionAdapter):
    name = "hangs-on-dilation"

    def forward(self, x, weight, bias, spec):
        if _dilated(spec):
            while True:
                time.sleep(1)
        return super().forward(x, weight, bias, spec)


class MissingKernel(ZeroInsertionAdapter):
    name = "missing-kernel"

    def forward(self, x, weight, bias, spec):
        if _dilated(spec):
            fake_kernels.conv_transpose_dilated(x, weight)   # raises inside "the framework"
        return super().forward(x, weight, bias, spec)


class ZeroShare(ZeroInsertionAdapter):
    """A plug-in's mistake the harness refuses outside any check: the sweep
    fails with a clear error and records no failed check."""
    name = "zero-share"
    case_share = 0
    case_share_reason = "planted: a share of none of the cases"


class LeavesTemporaryFiles(ZeroInsertionAdapter):
    """Leaves a file in the temporary folder, as ONNX Runtime's telemetry log
    and TF's autograph do from every process (never removed)."""
    name = "leaves-temporary-files"

    def versions(self):
        import tempfile

        handle, path = tempfile.mkstemp(prefix="left-by-worker-")
        os.close(handle)
        return {"left": path}
