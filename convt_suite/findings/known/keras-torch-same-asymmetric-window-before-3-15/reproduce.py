# Keras's Conv2DTranspose on the torch backend, padding='same': compared with the definition
# (a numpy scatter of every product, cropped to Keras's own 'same' window).
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")
import keras
import numpy as np


def definition(x, w, stride, output_padding):
    """NHWC x, (k, k, out, in) w, Keras's 'same' crops (its lax conversion, dilation 1)."""
    n, h, wd, _ = x.shape
    k = w.shape[0]
    full = np.zeros((n, (h - 1) * stride + k, (wd - 1) * stride + k, w.shape[2]))
    for i in range(h):
        for j in range(wd):
            full[:, i * stride:i * stride + k, j * stride:j * stride + k] += np.einsum("nc,hwoc->nhwo", x[:, i, j], w)
    pad_len = stride + k - 2 if output_padding is None else k + k % 2 - 2 + output_padding
    lo = min(pad_len // 2 + pad_len % 2, k - 1)
    top, bottom = k - 1 - lo, k - 1 - (pad_len - lo)   # crops of the full output (negative: zeros)
    full = np.pad(full, ((0, 0), (0, max(0, -bottom)), (0, max(0, -bottom)), (0, 0)))
    end = full.shape[1] - max(0, bottom)
    return full[:, top:end, top:end]


def worst(kernel, stride, output_padding=None):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1, 4, 4, 2)).astype("float32")
    w = rng.standard_normal((kernel, kernel, 3, 2)).astype("float32")
    layer = keras.layers.Conv2DTranspose(3, kernel, strides=stride, padding="same",
                                         output_padding=output_padding, use_bias=False)
    layer.build(x.shape)
    layer.set_weights([w])
    y = keras.ops.convert_to_numpy(layer(x))
    ref = definition(x.astype("float64"), w.astype("float64"), stride, output_padding)
    return float(np.abs(y - ref).max()) if y.shape == ref.shape else f"shape {y.shape} != {ref.shape}"


odd = worst(3, 2)                              # odd kernel, stride 2
padded = worst(2, 2, output_padding=1)         # even kernel with an output_padding
controls = [worst(2, 2), worst(3, 1), worst(4, 2)]   # even kernel, stride 1, no output_padding
print(f"keras {keras.__version__} ({keras.backend.backend()}) worst |error|: kernel 3 stride 2: {odd}"
      f" | kernel 2 stride 2 output_padding 1: {padded} | controls (k2 s2, k3 s1, k4 s2): {controls}")
if all(isinstance(c, float) and c < 1e-4 for c in controls) and all(
        isinstance(e, float) and e > 0.1 for e in (odd, padded)):
    print("REPRODUCED: padding='same' on the torch backend is off the definition where its window is asymmetric")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
