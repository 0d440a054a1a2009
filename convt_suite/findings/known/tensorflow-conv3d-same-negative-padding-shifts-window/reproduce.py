import sys

import tensorflow as tf
from tensorflow.python.util import _pywrap_util_port  # does TF run its oneDNN kernels here?


def grad_x(rank, dtype):
    """grad_x of conv_transpose: x and w one element of 1, stride 3, 'SAME': y is x·w at
    position 0 of 3 (and 0 elsewhere), so dL/dx = dy at position 0, which is 1 here."""
    x = tf.ones((1,) + (1,) * rank + (1,), dtype)
    w = tf.ones((1,) * rank + (1, 1), dtype)
    dy = tf.reshape(tf.range(1, 3 ** rank + 1, dtype=dtype), (1,) + (3,) * rank + (1,))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.conv_transpose(x, w, (1,) + (3,) * rank + (1,), 3, "SAME")
    return float(tf.reshape(tape.gradient(y, x, dy), [-1])[0])


def conv_same(rank, dtype):
    """The convolution grad_x is: conv(dy, w, stride 3, 'SAME') on the 3-long dy, whose SAME
    padding, (1 - 1)·3 + 1 - 3 = -2, is no padding: its one output reads dy at 0."""
    dy = tf.reshape(tf.range(1, 3 ** rank + 1, dtype=dtype), (1,) + (3,) * rank + (1,))
    return float(tf.reshape(tf.nn.convolution(dy, tf.ones((1,) * rank + (1, 1), dtype), 3, "SAME"), [-1])[0])


onednn = _pywrap_util_port.IsMklEnabled()
print("TensorFlow runs oneDNN:", onednn)
got = {(rank, dtype): (grad_x(rank, dtype), conv_same(rank, dtype))
       for rank in (1, 2, 3) for dtype in ("float64", "float16", "float32")}
for (rank, dtype), (g, c) in got.items():
    print(f"{rank}-D {dtype}: grad_x {g}, conv 'SAME' stride 3 {c} (right: 1.0)")
wrong_3d = all(got[3, dtype] == (14.0, 14.0) for dtype in ("float64", "float16"))
right_below = all(got[rank, dtype] == (1.0, 1.0) for rank in (1, 2) for dtype in ("float64", "float16", "float32"))
# float32 runs oneDNN's convolution where TF uses it (right), TF's own 3-D kernel elsewhere (wrong)
float32_as_expected = got[3, "float32"] == ((1.0, 1.0) if onednn else (14.0, 14.0))
if wrong_3d and right_below and float32_as_expected:
    print("REPRODUCED: TF's own Conv3D reads dy[1, 1, 1] (14) for dy[0, 0, 0] (1) where the SAME padding is -2: "
          "conv3d_transpose's grad_x is wrong; 1-D and 2-D are right")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
