# bfloat16 tf.nn.conv3d on CPU (oneDNN's brg_conv_fwd:avx512_core_bf16) is wrong for an input
# of depth 1 with 'SAME', a kernel depth >= 3 and a kernel width >= 2; that convolution is the
# gradient for x of conv3d_transpose with an output of depth 1.
# tensorflow only. Every value is 1, so every right answer is a small integer.
import sys

import tensorflow as tf


def conv(x_shape, kernel, dtype):
    """conv(x, w, 'SAME', stride 1) at its first element (x and w all 1)."""
    y = tf.nn.convolution(tf.ones(x_shape, dtype), tf.ones(tuple(kernel) + (1, 1), dtype), 1, "SAME")
    return float(tf.reshape(y, [-1])[0])


def grad_x(x_shape, kernel, dtype):
    """grad_x of conv_transpose(x, w, 'SAME', stride 1) at its first element, dy = 1."""
    x = tf.ones(x_shape, dtype)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.conv_transpose(x, tf.ones(tuple(kernel) + (1, 1), dtype), x_shape, 1, "SAME")
    return float(tf.reshape(tape.gradient(y, x), [-1])[0])


CASES = {   # (x shape NDHWC / NHWC, kernel), the first two the finding's
    "3-D, depth 1, kernel (3, 1, 2)": ((1, 1, 1, 1, 1), (3, 1, 2)),
    "3-D, depth 1, kernel (5, 2, 3)": ((1, 1, 2, 2, 1), (5, 2, 3)),
    "3-D, depth 1, kernel (3, 1, 1)": ((1, 1, 1, 1, 1), (3, 1, 1)),
    "3-D, depth 2, kernel (3, 1, 2)": ((1, 2, 1, 1, 1), (3, 1, 2)),
    "2-D, height 1, kernel (3, 2)": ((1, 1, 1, 1), (3, 2)),
}
got = {name: {d.name: (conv(shape, k, d), grad_x(shape, k, d)) for d in (tf.bfloat16, tf.float32)}
       for name, (shape, k) in CASES.items()}
for name, by_dtype in got.items():
    print(f"{name}: conv, grad_x: " + ", ".join(f"{d} {v}" for d, v in by_dtype.items()))
# per case, (conv, grad_x): bfloat16 equal to float32's small integers or not
same = {name: [b == f for b, f in zip(by_dtype["bfloat16"], by_dtype["float32"])] for name, by_dtype in got.items()}
finding = list(CASES)[:2]
if not any(any(same[name]) for name in finding) and all(all(same[name]) for name in CASES if name not in finding):
    print("REPRODUCED: bfloat16 Conv3D of a depth-1 input with 'SAME', kernel depth >= 3 and width >= 2 is not "
          "float32's small integer, and so is conv3d_transpose's grad_x; a kernel width of 1, depth 2 and 2-D are exact")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
