# tf.nn.conv2d_transpose's gradient for the weight (oneDNN Conv2DBackpropFilter) corrupts the heap on
# CPUs with avx512_fp16 when output_shape is the longest TF accepts ((I - 1) * S + K + S - 1) on an
# axis with stride S >= 2 and a kernel of 1. Each call runs in a child process, which it kills.
import os
import subprocess
import sys

CALL = """
import sys
import numpy as np
import tensorflow as tf
rows = int(sys.argv[1])
x = tf.constant(np.random.default_rng(0).standard_normal((1, 8, 5, 1)), tf.float32)   # NHWC
w = tf.constant(np.random.default_rng(1).standard_normal((1, 1, 1, 1)), tf.float32)
for _ in range(3):
    with tf.GradientTape() as tape:
        tape.watch(w)
        y = tf.nn.conv2d_transpose(x, w, [1, rows, 5, 1], strides=[2, 1], padding="VALID")
    grad_w = tape.gradient(y, w)
print("computed", float(grad_w[0, 0, 0, 0]))
"""


def run(rows, **env):
    done = subprocess.run([sys.executable, "-c", CALL, str(rows)], capture_output=True, text=True,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **env}, timeout=300)
    if done.returncode == 0 and "computed" in done.stdout:
        return "computed"
    # ONEDNN_VERBOSE=2 (the upstream report sets it): the primitive it died in was created
    # and never finished; its lines are all the child left
    sys.stdout.write("".join(line + "\n" for line in done.stdout.splitlines() if line.startswith("onednn_verbose")))
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return f"died (exit {done.returncode}): {lines[-1] if lines else ''}"


import tensorflow as tf  # noqa: E402  (only its version; the calls run in children)

longest = [run(16) for _ in range(3)]     # (8 - 1) * 2 + 1 + 2 - 1 = 16, three fresh processes
controls = {"output_shape 15": run(15), "TF_ENABLE_ONEDNN_OPTS=0": run(16, TF_ENABLE_ONEDNN_OPTS="0")}
print("output_shape 16:", longest)
for name, outcome in controls.items():
    print(f"{name}: {outcome}")
if any(o != "computed" for o in longest) and all(o == "computed" for o in controls.values()):
    print(f"REPRODUCED: TF {tf.__version__} conv2d_transpose grad_w with the longest output_shape "
          f"(16 for 8 rows, stride 2, kernel 1) kills the process; the controls compute")
else:
    print("NOT REPRODUCED: every call with the longest output_shape computed"
          if all(o == "computed" for o in longest) else "NOT REPRODUCED: a control died too")
    sys.exit(3)
