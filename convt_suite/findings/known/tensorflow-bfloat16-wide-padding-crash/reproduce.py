# tf.nn.conv2d in bfloat16 on CPU (oneDNN) dies with SIGSEGV for an explicit padding much wider
# than its input; this is the Conv2D that the gradient of conv2d_transpose w.r.t. x runs.
# Each call runs in a child process, since the crash takes the process with it.
import os
import signal
import subprocess
import sys

CALL = """if True:
    import sys, numpy as np, tensorflow as tf
    dtype, left = sys.argv[1], int(sys.argv[2])
    dy = tf.cast(np.ones((1, 1, 1, 1)), dtype)      # NHWC: the upstream gradient, width 1
    w = tf.cast(np.ones((1, 1, 1, 1)), dtype)       # 1x1 kernel
    y = tf.nn.conv2d(dy, w, strides=[1, 1, 4, 1], padding=[[0, 0], [0, 0], [left, 1], [0, 0]])
    print(tuple(y.shape))
"""

def run(dtype, left, **env):
    done = subprocess.run([sys.executable, "-c", CALL, dtype, str(left)], capture_output=True,
                          text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **env})
    if done.returncode < 0:
        # ONEDNN_VERBOSE=2 (the upstream report sets it): the primitive it died in was created
        # and never finished; its lines are all the child left
        sys.stdout.write("".join(line + "\n" for line in done.stdout.splitlines() if line.startswith("onednn_verbose")))
        return f"killed by {signal.Signals(-done.returncode).name}"
    said = [line for line in done.stdout.splitlines() if not line.startswith("onednn_verbose")]
    return "\n".join(said).strip() or done.stderr.strip()[-200:]

outcomes = {
    "bfloat16, padding (27, 1)": run("bfloat16", 27),
    "float32, padding (27, 1)": run("float32", 27),
    "bfloat16, padding (11, 1)": run("bfloat16", 11),
    "bfloat16, padding (27, 1), TF_ENABLE_ONEDNN_OPTS=0": run("bfloat16", 27, TF_ENABLE_ONEDNN_OPTS="0"),
}
for case, outcome in outcomes.items():
    print(case, "->", outcome)
crashed = [case for case, outcome in outcomes.items() if outcome.startswith("killed")]
if crashed == ["bfloat16, padding (27, 1)"]:
    print("REPRODUCED: bfloat16 Conv2D with padding (27, 1) on a width-1 input was",
          outcomes["bfloat16, padding (27, 1)"] + "; float32, padding (11, 1) and TF's own kernels compute")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
