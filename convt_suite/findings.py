"""Known findings: real framework differences, recorded with their evidence.

A failed check that a finding explains is recorded with outcome "known" and
the finding's id, so the run stays green while the report still shows it.
Each finding carries a standalone snippet (that framework and numpy only);
tests/test_known_findings.py runs every snippet in a child process and fails
when one stops reproducing, so a framework upgrade that fixes (or changes) the
behaviour is noticed, not silently absorbed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    id: str
    title: str
    adapters: tuple[str, ...]        # the adapters whose checks it explains
    failure: str                     # the check failure it explains: error, shape, values
    error_contains: str              # ...whose error message (or "") contains this
    observed_on: str                 # the versions it was recorded with
    detail: str
    snippet: str                     # prints "REPRODUCED: ..." while the finding holds
    env: dict = field(default_factory=dict)

    def explains(self, record: dict) -> bool:
        return (
            record.get("outcome") == "failed"
            and record.get("adapter") in self.adapters
            and record.get("failure") == self.failure
            and self.error_contains in (record.get("error") or "")
        )

    def reproduce(self, timeout: float = 300) -> tuple[bool, str]:
        """Run the snippet in a child process: (still reproduces?, its output)."""
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "JAX_PLATFORMS": "cpu", **self.env}
        done = subprocess.run(
            [sys.executable, "-c", self.snippet], capture_output=True, text=True,
            timeout=timeout, env=env,
        )
        output = (done.stdout + done.stderr).strip()
        return done.returncode == 0 and "REPRODUCED:" in done.stdout, output


KNOWN = [
    Finding(
        id="tensorflow-cpu-dilation",
        title="tf.nn.conv2d_transpose on CPU refuses dilations > 1 in float64 and float16, "
              "and with explicit padding in any dtype",
        adapters=("tensorflow",),
        failure="error",
        error_contains="do not yet support dilation rates larger than 1",
        observed_on="tensorflow-cpu 2.21.0",
        detail=(
            "The API takes `dilations`, but on CPU only the oneDNN kernel (float32, "
            "bfloat16) runs them, and only with 'VALID' or 'SAME' padding. float64, float16 "
            "and explicit padding raise InvalidArgumentError ('Current CPU implementations do "
            "not yet support dilation rates larger than 1'). PyTorch and JAX compute all of "
            "them. The tensorflow adapter composes those cases (zero-dilated kernel), so its "
            "sweep still checks TF's arithmetic."
        ),
        snippet=textwrap.dedent("""\
            import numpy as np, tensorflow as tf
            def call(dtype, padding, stride=1):
                x = tf.cast(np.ones((1, 3, 3, 1)), dtype)     # NHWC
                w = tf.cast(np.ones((2, 2, 1, 1)), dtype)     # kH, kW, C_out, C_in
                size = (3 - 1) * stride + 2 * (2 - 1) + 1     # L with dilation 2
                if padding == "SAME":
                    size = 3 * stride
                if padding == "explicit":
                    padding, size = [[0, 0], [1, 0], [1, 0], [0, 0]], size - 1
                try:
                    tf.nn.conv2d_transpose(x, w, [1, size, size, 1], stride, padding, dilations=2)
                    return "computed"
                except tf.errors.InvalidArgumentError as err:
                    return "InvalidArgumentError: " + err.message.splitlines()[0][-80:]
            refused = {case: call(*case) for case in
                       [("float64", "VALID"), ("float16", "VALID"), ("float32", "explicit")]}
            control = {case: call(*case) for case in [("float32", "VALID", 2), ("float32", "SAME")]}
            for case, outcome in {**refused, **control}.items():
                print(case, "->", outcome)
            if all(v == "computed" for v in control.values()) and \\
                    all(v != "computed" for v in refused.values()):
                print("REPRODUCED: TF refuses dilation 2 for float64, float16 and explicit padding")
        """),
    ),
    Finding(
        id="keras-tensorflow-cpu-dilation",
        title="keras[tensorflow] Conv2DTranspose raises for dilation_rate > 1 in float64 "
              "(and float16) on CPU; keras[jax] and keras[torch] compute it",
        adapters=("keras[tensorflow]",),
        failure="error",
        error_contains="do not yet support dilation rates larger than 1",
        observed_on="keras 3.15.1, tensorflow-cpu 2.21.0",
        detail=(
            "Keras accepts dilation_rate > 1 with strides 1 and passes it to "
            "tf.nn.conv_transpose, whose CPU kernels refuse it (finding "
            "tensorflow-cpu-dilation). The same layer on the JAX and torch backends "
            "computes the result: a model that builds on one backend fails on another."
        ),
        env={"KERAS_BACKEND": "tensorflow"},
        snippet=textwrap.dedent("""\
            import numpy as np, keras
            layer = keras.layers.Conv2DTranspose(1, 2, dilation_rate=2, dtype="float64")
            try:
                out = layer(np.ones((1, 3, 3, 1)))
                print("computed", out.shape)
            except Exception as err:
                print("REPRODUCED:", type(err).__name__, str(err).splitlines()[-1][:160])
        """),
    ),
]

BY_ID = {finding.id: finding for finding in KNOWN}


def classify(record: dict, known=KNOWN) -> dict:
    """Mark a failed check that a known finding explains as outcome 'known'."""
    for finding in known:
        if finding.explains(record):
            return {**record, "outcome": "known", "finding": finding.id}
    return record
