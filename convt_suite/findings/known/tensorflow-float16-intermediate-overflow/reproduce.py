import sys

import numpy as np
import tensorflow as tf

x = np.array([300.0, 250.0], np.float16)          # one column of 2 inputs
w = np.array([250.0, -240.0], np.float16)         # a 2x1 kernel (2 in 1-D, 2x1x1 in 3-D)
exact = [300 * 250, 300 * -240 + 250 * 250, 250 * -240]   # 75000 overflows; -9500; -60000
TRANSPOSE = {1: tf.nn.conv1d_transpose, 2: tf.nn.conv2d_transpose, 3: tf.nn.conv3d_transpose}
middle = {}
for rank in (1, 2, 3):
    ones = [1] * (rank - 1)   # the other spatial axes, of size 1
    out = TRANSPOSE[rank](x.reshape(1, 2, *ones, 1), w.reshape(2, *ones, 1, 1), [1, 3, *ones, 1], 1, 'VALID')
    out = out.numpy().ravel().tolist()
    print(f"tensorflow {rank}-D:", out, " exact:", exact)
    middle[rank] = out[1]
if all(np.isinf(v) for v in middle.values()):
    print("REPRODUCED: the middle output is", middle, "(per rank) where the exact result is -9500")
else:
    print("NOT REPRODUCED: the output above is not the finding's in ranks",
          [r for r, v in middle.items() if not np.isinf(v)])
    sys.exit(3)
