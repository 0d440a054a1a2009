import sys

import numpy as np
import tensorflow as tf


def call(dtype, padding, stride=1):
    x = tf.cast(np.ones((1, 3, 3, 1)), dtype)     # NHWC
    w = tf.cast(np.ones((2, 2, 1, 1)), dtype)     # kH, kW, C_out, C_in
    size = (3 - 1) * stride + 2 * (2 - 1) + 1     # L with dilation 2
    if padding == "SAME":
        size = 3 * stride
    if padding == "explicit":
        padding, size = [[0, 0], [1, 0], [1, 0], [0, 0]], size - 1
    try:
        tf.nn.conv2d_transpose(x, w, [1, size, size, 1], stride, padding, dilations=2)
        return "computed"
    except tf.errors.InvalidArgumentError as err:
        return "InvalidArgumentError: " + err.message.splitlines()[0][-80:]
refused = {case: call(*case) for case in
           [("float64", "VALID"), ("float16", "VALID"), ("float32", "explicit")]}
control = {case: call(*case) for case in [("float32", "VALID", 2), ("float32", "SAME")]}



def call_in_rank(rank, dtype):
    """float64 'VALID', dilation 2, in 1-D (conv1d_transpose) and 3-D (conv3d_transpose)."""
    x = tf.cast(np.ones((1,) + (3,) * rank + (1,)), dtype)
    w = tf.cast(np.ones((2,) * rank + (1, 1)), dtype)
    entry = {1: tf.nn.conv1d_transpose, 3: tf.nn.conv3d_transpose}[rank]
    try:
        entry(x, w, [1] + [4] * rank + [1], 1, "VALID", dilations=2)
        return "computed"
    except tf.errors.InvalidArgumentError as err:
        return "InvalidArgumentError: " + err.message.splitlines()[0][-80:]


refused.update({(f"{rank}-D", "float64", "VALID"): call_in_rank(rank, "float64") for rank in (1, 3)})
for case, outcome in {**refused, **control}.items():
    print(case, "->", outcome)
from tensorflow.python.util import _pywrap_util_port  # does TF run its oneDNN kernels here?

onednn = _pywrap_util_port.IsMklEnabled()
print("TensorFlow runs oneDNN:", onednn)
# with oneDNN the controls compute; without it TF refuses them too
controls_as_expected = all((v == "computed") == onednn for v in control.values())
if all(v != "computed" for v in refused.values()) and controls_as_expected:
    print("REPRODUCED: TF refuses dilation 2 for float64 (1-D, 2-D, 3-D), float16 and explicit padding" if onednn
          else "REPRODUCED: TF without oneDNN refuses dilation 2 in every dtype and padding")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
