import sys

import ml_dtypes
import numpy as np
import tensorflow as tf

# DCGAN's 512 -> 256 channel layer (k4, stride 2, crop 1), 4x4 -> 8x8
rng = np.random.default_rng(0)
x, w, g = (rng.standard_normal(shape) for shape in ((1, 4, 4, 512), (4, 4, 256, 512), (1, 8, 8, 256)))
SAME, EXPLICIT = "SAME", [[0, 0], [1, 1], [1, 1], [0, 0]]   # the same crops; only the kernel differs


def output_and_grad_weight(values, dtype, padding):
    """conv2d_transpose(x, w) and d<g, it>/dw for the (x, w, g) given, computed in `dtype`."""
    xv, wv, gv = (tf.constant(v.astype(dtype)) for v in values)
    with tf.GradientTape() as tape:
        tape.watch(wv)
        y = tf.nn.conv2d_transpose(xv, wv, [1, 8, 8, 256], 2, padding)
    return [t.numpy().astype(np.float64) for t in (y, tape.gradient(y, wv, output_gradients=gv))]


def off(dtype, padding, roundoff):
    """Elements of the output and of grad_weight further from the exact ones
    than two roundings of `dtype`: computed in `dtype`, and in float32 from
    the same values, rounded once."""
    values = [v.astype(dtype) for v in (x, w, g)]
    exact = output_and_grad_weight(values, np.float64, padding)
    got = output_and_grad_weight(values, dtype, padding)
    wide = [r.astype(dtype).astype(np.float64) for r in output_and_grad_weight(values, np.float32, padding)]
    return [(int(np.sum(np.abs(a - e) > 2 * roundoff * np.abs(e))), int(np.sum(np.abs(b - e) > 2 * roundoff * np.abs(e))))
            for a, b, e in zip(got, wide, exact)]


half = off(np.float16, SAME, 2.0 ** -11)
own = off(ml_dtypes.bfloat16, EXPLICIT, 2.0 ** -8)
onednn = off(ml_dtypes.bfloat16, SAME, 2.0 ** -8)
print(f"elements off by more than 2 roundings (output of {8 * 8 * 256}, grad_weight of {w.size}),"
      " as (computed in the dtype, float32 rounded once):")
print(f"  float16, 'SAME':             {half}")
print(f"  bfloat16, explicit padding:  {own}   (TF's own kernel)")
print(f"  bfloat16, 'SAME':            {onednn}   (oneDNN: the control)")
worse = [got > 100 * max(wide, 1) for (got, wide) in half + own]
if all(worse) and all(got <= 10 * max(wide, 1) for got, wide in onednn):
    print("REPRODUCED: TF's own kernel sums the output and the weight gradient in the 16-bit dtype")
else:
    print("NOT REPRODUCED: TF's 16-bit results are as accurate as float32 sums rounded once")
    sys.exit(3)
