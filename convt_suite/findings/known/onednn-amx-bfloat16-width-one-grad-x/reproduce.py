# oneDNN's AMX bfloat16 Conv2D (brg_conv_fwd) is wrong for an output of width 1 with stride_w > 1 and
# kernel width > 1: the gradient of conv_transpose2d for x is such a Conv2D of the upstream gradient.
# Errors in units of a bfloat16 bound: 2^-7 * max sum |grad_out| |w|.
import os
import sys

import torch
import torch.nn.functional as F

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def grad_x_error(rows, kernel_w, stride_w, dtype):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(1, 6, rows, 1, generator=g).bfloat16()                # NCHW, width 1
    w = torch.randn(6, 6, 1, kernel_w, generator=g).bfloat16()            # (C_in, C_out, kH, kW)
    grad_out = torch.randn(1, 6, rows, kernel_w, generator=g).bfloat16()  # output width = kernel_w

    def grad_x(t):
        x_ = x.to(t).clone().requires_grad_()
        F.conv_transpose2d(x_, w.to(t), stride=(1, stride_w)).backward(grad_out.to(t))
        return x_.grad.double()

    exact = grad_x(torch.float64)
    bound = F.conv2d(grad_out.double().abs(), w.double().abs(), stride=(1, stride_w)).max() * 2 ** -7
    return float((grad_x(dtype) - exact).abs().max() / bound)


case = grad_x_error(6, 2, 3, torch.bfloat16)
controls = {"float32": grad_x_error(6, 2, 3, torch.float32),
            "4 rows": grad_x_error(4, 2, 3, torch.bfloat16),
            "stride_w 2": grad_x_error(6, 2, 2, torch.bfloat16)}
print(f"torch bfloat16, x (1, 6, 6, 1), weight (6, 6, 1, 2), stride (1, 3): grad_x error/bound {case:.3g}")
for name, error in controls.items():
    print(f"control {name}: error/bound {error:.3g}")

try:   # TensorFlow's gradient is the same Conv2D (NHWC)
    import numpy as np
    import tensorflow as tf
    rng = np.random.default_rng(0)
    x = tf.Variable(tf.cast(rng.standard_normal((1, 6, 1, 6)), tf.bfloat16))
    w = tf.cast(rng.standard_normal((1, 2, 6, 6)), tf.bfloat16)
    g = tf.cast(rng.standard_normal((1, 6, 2, 6)), tf.bfloat16)
    with tf.GradientTape() as tape:
        y = tf.nn.conv2d_transpose(x, w, [1, 6, 2, 6], strides=[1, 1, 3, 1], padding="VALID")
    got = tf.cast(tape.gradient(y, x, output_gradients=g), tf.float64).numpy()
    f64 = lambda a: tf.cast(a, tf.float64)
    exact = tf.nn.conv2d(f64(g), f64(w), strides=[1, 1, 3, 1], padding="VALID").numpy()
    bound = tf.nn.conv2d(tf.abs(f64(g)), tf.abs(f64(w)), strides=[1, 1, 3, 1], padding="VALID").numpy().max()
    print(f"tensorflow {tf.__version__} the same in bfloat16: error/bound {np.abs(got - exact).max() / (bound * 2 ** -7):.3g}")
except ImportError:
    print("tensorflow is not installed: the torch part alone decides")

if not case <= 1 and all(error <= 1 for error in controls.values()):
    print(f"REPRODUCED: torch {torch.__version__} bfloat16 grad_x of conv_transpose2d with x width 1, "
          f"stride_w 3 is {case:.3g} times the bfloat16 bound; float32, 4 rows and stride_w 2 are right "
          f"(ONEDNN_MAX_CPU_ISA={os.environ.get('ONEDNN_MAX_CPU_ISA', 'unset')})")
else:
    print("NOT REPRODUCED: " + ("the case is right" if case <= 1 else "a control is wrong too"))
    sys.exit(3)
