# float32 gradient w.r.t. the filter of tf.nn.conv3d_transpose on CPU (oneDNN's jit:avx512_core
# backward weights): wrong in some 'SAME' depth-strided shapes whose kernel is deeper than the input.
# tensorflow only. Every input and weight is 1, so each tap of grad_w counts its products.
import sys

import tensorflow as tf

# one thread: oneDNN gives each thread a run of (image, depth) pairs, and how the runs fall decides
# which calls go wrong (a run of one depth is right); one thread takes whole images, on any machine
tf.config.threading.set_intra_op_parallelism_threads(1)


def grad_w(x_shape, kernel, strides, dtype):
    """grad_w of conv_transpose(x, w, 'SAME', strides) with dy = 1 (x and w all 1)."""
    x = tf.ones(x_shape, dtype)
    w = tf.Variable(tf.ones(tuple(kernel) + (1, 1), dtype))            # (*kernel, C_out, C_in)
    out = (x_shape[0],) + tuple(n * s for n, s in zip(x_shape[1:-1], strides)) + (1,)
    with tf.GradientTape() as tape:
        y = tf.nn.conv_transpose(x, w, out, strides, "SAME")
    return tape.gradient(y, w).numpy().astype(float).ravel().tolist()


CASES = {   # (x shape NDHWC / NHWC / NWC, kernel, strides): the depth axis of a 3-D call, the same lengths in 2-D and 1-D
    "3-D, depth 4, stride 2, kernel depth 8, batch 2": ((2, 4, 1, 1, 1), (8, 1, 1), (2, 1, 1)),
    "2-D, height 4, stride 2, kernel height 8, batch 2": ((2, 4, 1, 1), (8, 1), (2, 1)),
    "1-D, width 4, stride 2, kernel width 8, batch 2": ((2, 4, 1), (8,), (2,)),
}
got = {name: {d.name: grad_w(shape, kernel, strides, d) for d in (tf.float32, tf.float64)}
       for name, (shape, kernel, strides) in CASES.items()}
for name, by_dtype in got.items():
    print(f"{name}: " + ", ".join(f"{d} {v}" for d, v in by_dtype.items()))
# small integers: float32 must equal float64 exactly
exact = {name: by_dtype["float32"] == by_dtype["float64"] for name, by_dtype in got.items()}
deep = [name for name in CASES if name.startswith("3-D")]
if not any(exact[name] for name in deep) and all(exact[name] for name in CASES if name not in deep):
    print("REPRODUCED: float32 grad_w of conv3d_transpose (depth 4, stride 2, kernel depth 8, batch 2) "
          "differs from float64; the same lengths in 2-D and 1-D are exact")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
