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
from typing import Callable


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
    applies: Callable[[dict], bool] = lambda record: True  # ...and only to these cases

    def explains(self, record: dict) -> bool:
        return (
            record.get("outcome") == "failed"
            and record.get("adapter") in self.adapters
            and record.get("failure") == self.failure
            and self.error_contains in (record.get("error") or "")
            and self.applies(record)
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
        applies=lambda record: max(record["case"]["spec"]["dilation"]) > 1,
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
        applies=lambda record: max(record["case"]["spec"]["dilation"]) > 1,
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

def _keras_same_zero_output_padding_even_kernel(record: dict) -> bool:
    """Some axis has an even dilated kernel span and the crops of Keras's
    'same' with output_padding 0 there: (span / 2, span / 2)."""
    spec = record["case"]["spec"]
    for k, d, crops in zip(spec["kernel_size"], spec["dilation"], spec["padding"]):
        span = d * (k - 1) + 1
        if span % 2 == 0 and list(crops) == [span // 2, span // 2]:
            return True
    return False


KNOWN.append(Finding(
    id="keras-tensorflow-same-output-padding-0",
    title="keras[tensorflow] Conv2DTranspose(padding='same', output_padding=0) with an even "
          "kernel aborts; keras[jax] and keras[torch] compute it",
    adapters=("keras[tensorflow]",),
    failure="error",
    error_contains="could not create a primitive descriptor",
    observed_on="keras 3.15.1, tensorflow-cpu 2.21.0",
    applies=_keras_same_zero_output_padding_even_kernel,
    detail=(
        "Keras defines 'same' with output_padding p as the output length "
        "(I - 1)·S + span % 2 + p. For an even kernel span and p = 0 that is (I - 1)·S, "
        "which the TensorFlow backend passes to tf.nn.conv_transpose with padding 'SAME', "
        "whose valid outputs are (I - 1)·S + 1 to I·S. oneDNN then raises AbortedError "
        "('could not create a primitive descriptor'), an error that names neither the "
        "layer's parameters nor the rule. The JAX and torch backends compute the defined "
        "result (crops (span / 2, span / 2))."
    ),
    env={"KERAS_BACKEND": "tensorflow"},
    snippet=textwrap.dedent("""\
        import numpy as np, keras
        layer = keras.layers.Conv2DTranspose(1, 2, padding="same", output_padding=0)
        try:
            out = layer(np.ones((1, 3, 3, 1), "float32"))
            print("computed", tuple(out.shape))
        except Exception as err:
            print("REPRODUCED:", type(err).__name__, str(err).split("message:")[-1][:90])
    """),
))

def _tensorflow_short_output_for_single_input(record: dict) -> bool:
    """Every axis in TF's documented range, or (input size 1) up to S - 1 below it."""
    native = record.get("native") or {}
    if native.get("padding") == "SAME" or "output_size" not in native:
        return False
    pads = native.get("explicit") or ((0, 0), (0, 0))
    short = False
    for axis in range(2):
        i, o, s = native["input_size"][axis], native["output_size"][axis], native["stride"][axis]
        span = native["dilation"][axis] * (native["kernel"][axis] - 1) + 1
        low = (i - 1) * s + span - sum(pads[axis])
        if low <= o <= low + s - 1:
            continue
        if i == 1 and low - s < o < low:
            short = True
            continue
        return False
    return short


KNOWN.append(Finding(
    id="tensorflow-short-output-for-single-input",
    title="tf.nn.conv2d_transpose accepts an output_shape up to stride - 1 below its "
          "documented minimum when the input has size 1 (VALID or explicit padding)",
    adapters=("tensorflow",),
    failure="accepts-invalid",
    error_contains="",
    observed_on="tensorflow-cpu 2.21.0",
    applies=_tensorflow_short_output_for_single_input,
    detail=(
        "TF checks output_shape O by recomputing the forward convolution's input size, "
        "(O + pads - span) / S + 1, with integer division that truncates toward zero. For "
        "an input of size 1 and O in [span - S + 1, span - 1] that gives 1 and the check "
        "passes, though the forward convolution of an O-long signal has no output; for "
        "inputs of size 2 and more the same shortfall is rejected. TF returns the first O "
        "elements of the full output (crops (a, L - O - a)); PyTorch, JAX and Keras have "
        "no way to ask for it. Found by tests/test_native_semantics.py."
    ),
    snippet=textwrap.dedent("""\
        import numpy as np, tensorflow as tf
        def call(size, output):
            x = np.ones((1, 1, size, 1), "float32")                 # NHWC, width `size`
            w = np.ones((1, 3, 1, 1), "float32")                    # 1x3 kernel
            try:
                tf.nn.conv2d_transpose(x, w, [1, 1, output, 1], [1, 2], "VALID")
                return "computed"
            except (tf.errors.InvalidArgumentError, tf.errors.AbortedError) as err:
                return type(err).__name__
        single = call(1, 2)    # L = 3: documented VALID range [3, 4]
        double = call(2, 4)    # L = 5: documented VALID range [5, 6]
        print("input 1, output 2 ->", single, "| input 2, output 4 ->", double)
        if single == "computed" and double != "computed":
            print("REPRODUCED: an output one below L is accepted for a single-element input only")
    """),
))

BY_ID = {finding.id: finding for finding in KNOWN}


def classify(record: dict, known=KNOWN) -> dict:
    """Mark a failed check that a known finding explains as outcome 'known'."""
    for finding in known:
        if finding.explains(record):
            return {**record, "outcome": "known", "finding": finding.id}
    return record
