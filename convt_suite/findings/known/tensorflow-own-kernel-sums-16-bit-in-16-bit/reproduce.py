import sys

import ml_dtypes
import numpy as np
import tensorflow as tf

# DCGAN's 512 -> 256 channel layer (k4, stride 2, crop 1), 4x4 -> 8x8, and its 1-D twin
# (16 -> 32) and 3-D twin (128 -> 64 channels, 4x4x4 -> 8x8x8, to keep it quick)
LAYERS = {1: (16, 512, 256), 2: (4, 512, 256), 3: (4, 128, 64)}   # rank: (side, in, out channels)
TRANSPOSE = {1: tf.nn.conv1d_transpose, 2: tf.nn.conv2d_transpose, 3: tf.nn.conv3d_transpose}
EXPLICIT = [[0, 0], [1, 1], [1, 1], [0, 0]]   # 2-D only: conv1d/3d_transpose take 'SAME' or 'VALID'


def output_and_grads(rank, values, dtype, padding):
    """conv{rank}d_transpose(x, w), d<g, it>/dw and d<g, it>/dx for the (x, w, g) given, computed in `dtype`."""
    xv, wv, gv = (tf.constant(v.astype(dtype)) for v in values)
    with tf.GradientTape() as tape:
        tape.watch([xv, wv])
        y = TRANSPOSE[rank](xv, wv, gv.shape, 2, padding)
    grad_w, grad_x = tape.gradient(y, [wv, xv], output_gradients=gv)
    return [t.numpy().astype(np.float64) for t in (y, grad_w, grad_x)]


def off(rank, dtype, padding, roundoff):
    """Elements of the output, grad_weight and grad_x further from the exact ones
    than two roundings of `dtype`: computed in `dtype`, and in float32 from
    the same values, rounded once."""
    side, cin, cout = LAYERS[rank]
    rng = np.random.default_rng(0)   # the same (x, w, g) for every dtype; in 2-D the original's
    shapes = ((1, *[side] * rank, cin), (*[4] * rank, cout, cin), (1, *[2 * side] * rank, cout))
    values = [rng.standard_normal(s).astype(dtype) for s in shapes]
    exact = output_and_grads(rank, values, np.float64, padding)
    got = output_and_grads(rank, values, dtype, padding)
    wide = [r.astype(dtype).astype(np.float64) for r in output_and_grads(rank, values, np.float32, padding)]
    return [(int(np.sum(np.abs(a - e) > 2 * roundoff * np.abs(e))), int(np.sum(np.abs(b - e) > 2 * roundoff * np.abs(e))))
            for a, b, e in zip(got, wide, exact)]


print("elements off by more than 2 roundings ([output, grad_weight, grad_x]; grad_x is a convolution,"
      " 16-bit sums in TF's own 3-D kernel only),"
      " as (computed in the dtype, float32 rounded once):")
holds = {}
for rank in (1, 2, 3):
    half = off(rank, np.float16, "SAME", 2.0 ** -11)
    onednn = off(rank, ml_dtypes.bfloat16, "SAME", 2.0 ** -8)
    own = off(rank, ml_dtypes.bfloat16, EXPLICIT, 2.0 ** -8) if rank == 2 else []
    print(f"  {rank}-D float16, 'SAME':             {half}")
    if own:
        print(f"  {rank}-D bfloat16, explicit padding:  {own}   (TF's own kernel)")
    print(f"  {rank}-D bfloat16, 'SAME':            {onednn}   (oneDNN: the control)")
    judged = 3 if rank == 3 else 2   # grad_x: 16-bit sums in TF's own 3-D convolution only
    holds[rank] = (all(got > 100 * max(wide, 1) for got, wide in half[:judged] + own[:2])
                   and all(got <= 10 * max(wide, 1) for got, wide in onednn))
print(f"holds per rank: {holds}")
if all(holds.values()):
    print("REPRODUCED: TF's own kernel sums the output and the weight gradient in the 16-bit dtype "
          "(1-D, 2-D, 3-D), and grad_x in 3-D")
else:
    print(f"NOT REPRODUCED: TF's 16-bit results are as accurate as float32 sums rounded once in ranks"
          f" {[r for r, h in holds.items() if not h]}")
    sys.exit(3)
