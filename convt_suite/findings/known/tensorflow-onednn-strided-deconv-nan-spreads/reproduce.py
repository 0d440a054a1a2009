# NaN in one filter tap of tf.nn.conv2d_transpose spreads to outputs that tap never reaches
# (TF CPU float32, oneDNN brgconv_strided). numpy + tensorflow only.
import sys

import numpy as np
import tensorflow as tf

tf.config.threading.set_intra_op_parallelism_threads(1)  # many threads may pick another kernel
x = np.random.rand(1, 1, 1, 1).astype("float32") + 0.5   # NHWC, finite
f = np.random.rand(1, 2, 1, 1).astype("float32") + 0.5   # (kH, kW, C_out, C_in)
f[0, 0, 0, 0] = np.nan                                    # tap (0, 0) reaches output (0, 0) only
def call(padding):   # stride (1, 2), output width 3 (Keras: output_padding 1): odd
    return tf.nn.conv2d_transpose(x, f, [1, 1, 3, 1], [1, 1, 2, 1], padding).numpy()[0, :, :, 0]
got, own = np.isnan(call("VALID")), np.isnan(call([[0, 0]] * 4))   # explicit: TF's own kernel
expected = np.array([[True, False, False]])
print("tf", tf.__version__, "NaN:", got.astype(int).tolist(), "| explicit padding:",
      own.astype(int).tolist(), "| definition:", expected.astype(int).tolist())
extra = got & ~expected
if extra.any() and not (own & ~expected).any():
    print(f"REPRODUCED: {int(extra.sum())} NaN at (h, w) {np.argwhere(extra).tolist()}, "
          "which no product with the NaN tap reaches; exact with an explicit padding list")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
