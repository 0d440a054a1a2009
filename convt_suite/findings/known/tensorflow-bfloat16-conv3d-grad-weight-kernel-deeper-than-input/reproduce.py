# bfloat16 gradient w.r.t. the filter of tf.nn.conv3d_transpose on CPU (oneDNN's jit_bf16
# backward weights): wrong where the kernel is deeper than the input ('SAME', stride 1).
# tensorflow only. Every input and weight is 1, so each tap of grad_w counts its products.
# The wrong calls can also write outside the kernel's scratchpad, which has aborted or hung a
# process: the bfloat16 calls of the deep cases run in a child process, under a timeout.
import json
import subprocess
import sys

GRAD_W = """
import tensorflow as tf

# one thread: oneDNN gives each thread a run of (image, depth) pairs, and how the runs fall decides
# which calls go wrong (a run of one depth is right); one thread takes whole images, on any machine
tf.config.threading.set_intra_op_parallelism_threads(1)


def grad_w(x_shape, kernel, dtype):
    x = tf.ones(x_shape, dtype)
    w = tf.Variable(tf.ones(tuple(kernel) + (1, 1), dtype))            # (*kernel, C_out, C_in)
    with tf.GradientTape() as tape:
        y = tf.nn.conv_transpose(x, w, x_shape, 1, "SAME")
    return tape.gradient(y, w).numpy().astype(float).ravel().tolist()
"""
here: dict = {}
exec(GRAD_W, here)   # the child's code, run here too: grad_w(x shape, kernel, dtype) with dy = 1
tf, grad_w = here["tf"], here["grad_w"]

CASES = {   # (x shape NDHWC / NHWC / NWC, kernel): the depth axis of a 3-D call, and the same length elsewhere
    "3-D, depth 2, kernel depth 3, batch 2": ((2, 2, 1, 1, 1), (3, 1, 1)),
    "3-D, depth 3, kernel depth 4, batch 1": ((1, 3, 1, 1, 1), (4, 1, 1)),
    "3-D, height 2, kernel height 3, batch 2": ((2, 1, 2, 1, 1), (1, 3, 1)),
    "2-D, height 2, kernel height 3, batch 2": ((2, 2, 1, 1), (3, 1)),
    "1-D, width 2, kernel width 3, batch 2": ((2, 2, 1), (3,)),
}
deep = [name for name in CASES if "depth" in name]


def deep_bfloat16():
    """The deep cases' bfloat16 grad_w, computed in a child: {name: values}, or what ended it."""
    code = GRAD_W + f"print(json.dumps({{n: grad_w(*c, tf.bfloat16) for n, c in {[(n, CASES[n]) for n in deep]!r}}}))"
    try:
        done = subprocess.run([sys.executable, "-c", "import json\n" + code], capture_output=True, text=True,
                              timeout=120)
    except subprocess.TimeoutExpired:
        return "the child hung (120 s)"
    if done.returncode < 0:   # killed by a signal: the heap it corrupted (SIGABRT, SIGSEGV)
        return f"the child was killed by signal {-done.returncode}: {done.stderr.strip()[-200:]}"
    if done.returncode != 0:   # anything else is not the finding's
        print(f"NOT REPRODUCED: the child could not run ({done.returncode}): {done.stderr.strip()[-300:]}")
        sys.exit(3)
    return json.loads(done.stdout.strip().splitlines()[-1])


got = {name: {d.name: grad_w(shape, kernel, d) for d in (tf.float32, tf.float64)
              + (() if name in deep else (tf.bfloat16,))} for name, (shape, kernel) in CASES.items()}
child = deep_bfloat16()
for name in deep:
    got[name]["bfloat16"] = child[name] if isinstance(child, dict) else child
for name, by_dtype in got.items():
    print(f"{name}: " + ", ".join(f"{d} {v}" for d, v in by_dtype.items()))
# the small integers are exact in bfloat16: it must equal float64 exactly, as float32 does
right = {name: {d: v == by_dtype["float64"] for d, v in by_dtype.items()} for name, by_dtype in got.items()}
if (all(not right[name]["bfloat16"] and right[name]["float32"] for name in deep)
        and all(all(right[name].values()) for name in CASES if name not in deep)):
    print("REPRODUCED: bfloat16 grad_w of conv3d_transpose misses products where the kernel is deeper than the "
          "input depth" + ("" if isinstance(child, dict) else f" ({child})") + "; the same lengths on the height "
          "axis, in 2-D and in 1-D are exact, as float32 and float64 are")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
