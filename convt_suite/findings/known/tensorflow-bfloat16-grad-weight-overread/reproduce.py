# bf16 gradient w.r.t. the filter of tf.nn.conv2d_transpose (and conv1d_transpose, a 2-D call of
# height 1, and conv3d_transpose) reads past the end of the upstream gradient (oneDNN's backward
# weights, CPU).
# numpy + tensorflow only.
import sys

import numpy as np
import tensorflow as tf

x, w, g = (np.array(v).reshape(1, 1, 1, 1) for v in (1.5, 0.5, 2.0))   # NHWC, width 1
exact = float((x * g).sum())                                            # grad_w = 3.0
TYPES = {tf.bfloat16: (tf.bfloat16.as_numpy_dtype, np.uint16), tf.float32: (np.float32, np.uint32),
         tf.float64: (np.float64, np.uint64)}
keep = []
def gradient_followed_by_nan(dtype, rank=2):   # dy = 2.0 whose neighbours in memory are NaN, as heap garbage can be
    value, bits = TYPES[dtype]
    raw = np.zeros(1024, np.uint8)
    start = -raw.ctypes.data % 64                                       # TF wants 64-byte alignment
    buffer = raw[start:start + 512].view(value)
    buffer[:], buffer[0] = np.nan, 2.0
    keep.append(raw)
    alias = tf.experimental.dlpack.from_dlpack(buffer.view(bits)[:1].__dlpack__())   # no copy
    return tf.reshape(tf.bitcast(alias, dtype), [1] * (rank + 2))
def grad_w(dtype, dy=None, rank=2):
    shape = [1] * (rank + 2)
    weight = tf.Variable(tf.constant(w.reshape(shape), dtype))                 # (*kernel, C_out, C_in)
    transpose = {1: tf.nn.conv1d_transpose, 2: tf.nn.conv2d_transpose, 3: tf.nn.conv3d_transpose}[rank]
    with tf.GradientTape() as tape:
        y = transpose(tf.constant(x.reshape(shape), dtype), weight, shape, strides=[1] * (rank - 1) + [2],
                      padding="VALID")
    dy = tf.constant(g.reshape(shape), dtype) if dy is None else dy
    return float(tape.gradient(y, weight, output_gradients=dy).numpy().ravel()[0])
right = lambda v, tol: bool(np.isfinite(v)) and abs(v - exact) <= tol * exact
controls = {str(d.name): grad_w(d, gradient_followed_by_nan(d)) for d in (tf.float32, tf.float64)}
bf16 = grad_w(tf.bfloat16, gradient_followed_by_nan(tf.bfloat16))
line = grad_w(tf.bfloat16, gradient_followed_by_nan(tf.bfloat16, rank=1), rank=1)   # conv1d_transpose
volume = grad_w(tf.bfloat16, gradient_followed_by_nan(tf.bfloat16, rank=3), rank=3)   # conv3d_transpose
ordinary = [grad_w(tf.bfloat16) for _ in range(100)]
wrong = sum(not right(v, 2e-2) for v in ordinary)
print("exact grad_w:", exact, "| float32, float64 with NaN after dy:", controls)
print("bfloat16 with NaN after dy:", bf16, "(1-D:", line, "3-D:", volume, ") | ordinary calls wrong:", wrong, "of 100")
if all(right(v, 1e-6) for v in controls.values()) and not any(right(v, 2e-2) for v in (bf16, line, volume)):
    print(f"REPRODUCED: bfloat16 grad_w is {bf16} (1-D: {line}, 3-D: {volume}) when NaN follows dy in memory "
          f"({wrong}/100 ordinary calls wrong); float32 and float64 read only dy")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
