# bfloat16 gradient w.r.t. the filter of tf.nn.conv3d_transpose on CPU (oneDNN's jit_bf16
# backward weights): wrong where the kernel is deeper than the input ('SAME', stride 1).
# tensorflow only. Every input and weight is 1, so each tap of grad_w counts its products.
import sys

import tensorflow as tf

# one thread: oneDNN gives each thread a run of (image, depth) pairs, and how the runs fall decides
# which calls go wrong (a run of one depth is right); one thread takes whole images, on any machine
tf.config.threading.set_intra_op_parallelism_threads(1)


def grad_w(x_shape, kernel, dtype):
    """grad_w of conv_transpose(x, w, 'SAME', stride 1) with dy = 1 (x and w all 1)."""
    x = tf.ones(x_shape, dtype)
    w = tf.Variable(tf.ones(tuple(kernel) + (1, 1), dtype))            # (*kernel, C_out, C_in)
    with tf.GradientTape() as tape:
        y = tf.nn.conv_transpose(x, w, x_shape, 1, "SAME")
    return tape.gradient(y, w).numpy().astype(float).ravel().tolist()


CASES = {   # (x shape NDHWC / NHWC / NWC, kernel): the depth axis of a 3-D call, and the same length elsewhere
    "3-D, depth 2, kernel depth 3, batch 2": ((2, 2, 1, 1, 1), (3, 1, 1)),
    "3-D, depth 3, kernel depth 4, batch 1": ((1, 3, 1, 1, 1), (4, 1, 1)),
    "3-D, height 2, kernel height 3, batch 2": ((2, 1, 2, 1, 1), (1, 3, 1)),
    "2-D, height 2, kernel height 3, batch 2": ((2, 2, 1, 1), (3, 1)),
    "1-D, width 2, kernel width 3, batch 2": ((2, 2, 1), (3,)),
}
got = {name: {d.name: grad_w(shape, kernel, d) for d in (tf.bfloat16, tf.float32, tf.float64)}
       for name, (shape, kernel) in CASES.items()}
for name, by_dtype in got.items():
    print(f"{name}: " + ", ".join(f"{d} {v}" for d, v in by_dtype.items()))
# the small integers are exact in bfloat16: it must equal float64 exactly, as float32 does
right = {name: {d: v == by_dtype["float64"] for d, v in by_dtype.items()} for name, by_dtype in got.items()}
deep = [name for name in CASES if "depth" in name]
if (all(not right[name]["bfloat16"] and right[name]["float32"] for name in deep)
        and all(all(right[name].values()) for name in CASES if name not in deep)):
    print("REPRODUCED: bfloat16 grad_w of conv3d_transpose misses products where the kernel is deeper than the "
          "input depth; the same lengths on the height axis, in 2-D and in 1-D are exact, as float32 and float64 are")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
