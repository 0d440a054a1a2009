# tf.nn.conv2d_transpose gradient w.r.t. its input is wrong on CPU (oneDNN) in float32
# when the input has width 1, stride_w > 1, stride_h = 1, one output channel, N >= 2, H >= 2.
# Root cause: the oneDNN Conv2D (forward) kernel that the gradient calls, for an output of width 1
# with stride_w > 1 and one input channel: rows h >= 1 come back as garbage (uninitialised memory).
import sys

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
x = rng.standard_normal((2, 2, 1, 1))      # NHWC: N=2, H=2, W=1, C_in=1
w = rng.standard_normal((1, 2, 1, 1))      # kH=1, kW=2, C_out=1, C_in=1
g = rng.standard_normal((2, 2, 3, 1))      # upstream gradient, output (2, 2, 3, 1): W = L + 1 (VALID, stride 2)

# float64 reference: grad_x[n, h, 0, 0] = sum_b g[n, h, b] * w[0, b]  (input column 0 lands at taps 0, 1)
ref = np.einsum("nhb,b->nh", g[:, :, :2, 0], w[0, :, 0, 0]).reshape(x.shape)

def grad_x(dtype):
    xt = tf.constant(x, dtype)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = tf.nn.conv2d_transpose(xt, tf.constant(w, dtype), [2, 2, 3, 1], strides=[1, 2], padding="VALID")
    return tape.gradient(y, xt, output_gradients=tf.constant(g, dtype)).numpy().astype(np.float64)

def direct_conv(dtype):  # the op the gradient runs: Conv2D of g with w, stride (1, 2), VALID
    return tf.nn.conv2d(tf.constant(g, dtype), tf.constant(w, dtype), [1, 1, 2, 1], "VALID").numpy().astype(np.float64)

errors = {}
for label, fn, dtype in [("grad_x float32", grad_x, tf.float32), ("grad_x float64", grad_x, tf.float64),
                         ("conv2d float32", direct_conv, tf.float32), ("conv2d float64", direct_conv, tf.float64)]:
    runs = [fn(dtype) for _ in range(3)]
    err = max(float(np.max(np.abs(r - ref))) for r in runs)
    errors[label] = err
    print(f"{label}: max |error| over 3 calls = {err:.3g}; call 1 = {runs[0].ravel()}")
print("reference:", ref.ravel())

if errors["grad_x float64"] < 1e-12 and errors["grad_x float32"] > 1e-3:
    print(f"REPRODUCED: TF {tf.__version__} CPU float32 gradient of conv2d_transpose w.r.t. x "
          f"(Conv2D, width-1 output, stride_w 2, 1 channel, N=2, H=2) is wrong: max error "
          f"{errors['grad_x float32']:.3g} (float64 exact); direct Conv2D error {errors['conv2d float32']:.3g}")
else:
    print("NOT REPRODUCED: float32 grad_x matches the float64 reference")
    sys.exit(3)
