# jax.lax.conv_general_dilated on CPU gives wrong values (leftover memory, changing between calls)
# in float32/float16/bfloat16 when every spatial axis is padded (lo, hi) with lo <= 0 and
# lo + hi <= 0, some axis has hi > 0 (shifted, e.g. (-1, 1)), the kernel is not dilated and each
# output sums >= 8 products (C_in * kH * kW). float64 is exact. Users reach it through
# lax.conv_transpose at stride 1 and through jax.vjp's gradient for x (a convolution padded by
# the transposed convolution's crops).
import sys

import jax
import numpy as np

jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp

DN = ("NCHW", "OIHW", "NCHW")
rng = np.random.default_rng(0)


def error(x_shape, w_shape, pad, dtype, strides=(1, 1), rhs_dilation=(1, 1)):
    """Worst relative error of three low-precision calls against float64."""
    x, w = rng.standard_normal(x_shape), rng.standard_normal(w_shape)
    def conv(d):
        return np.asarray(jax.lax.conv_general_dilated(
            jnp.asarray(x, d), jnp.asarray(w, d), strides, pad, rhs_dilation=rhs_dilation,
            dimension_numbers=DN), np.float64)
    ref = conv("float64")
    return max(float(np.max(np.abs(conv(dtype) - ref))) / (1 + float(np.max(np.abs(ref))))
               for _ in range(3))


# (x shape, w shape, padding, strides, rhs dilation): inside the conditions
INSIDE = {
    "kernel 2x4, pad ((-1, 1), (0, 0))": ((1, 1, 9, 20), (1, 1, 2, 4), ((-1, 1), (0, 0)), (1, 1), (1, 1)),
    "kernel 1x8, pad ((-1, 1), (0, 0))": ((1, 1, 9, 20), (1, 1, 1, 8), ((-1, 1), (0, 0)), (1, 1), (1, 1)),
    "2 channels, kernel 2x2, pad ((0, 0), (-1, 1))": ((1, 2, 9, 20), (1, 2, 2, 2), ((0, 0), (-1, 1)), (1, 1), (1, 1)),
    "kernel 3x3, pad ((-2, 2), (-1, -1)), strides 2": ((1, 1, 9, 20), (1, 1, 3, 3), ((-2, 2), (-1, -1)), (2, 2), (1, 1)),
}
# one condition broken each: exact
OUTSIDE = {
    "7 products (kernel 1x7)": ((1, 1, 9, 20), (1, 1, 1, 7), ((-1, 1), (0, 0)), (1, 1), (1, 1)),
    "padding sum 1 (-1, 2)": ((1, 1, 9, 20), (1, 1, 2, 4), ((-1, 2), (0, 0)), (1, 1), (1, 1)),
    "lo > 0 on the other axis (1, -1)": ((1, 1, 9, 20), (1, 1, 2, 4), ((-1, 1), (1, -1)), (1, 1), (1, 1)),
    "rhs dilation 2": ((1, 1, 9, 20), (1, 1, 2, 4), ((-1, 1), (0, 0)), (1, 1), (2, 1)),
}

inside = {name: error(*c[:3], "float32", *c[3:]) for name, c in INSIDE.items()}
outside = {name: error(*c[:3], "float32", *c[3:]) for name, c in OUTSIDE.items()}
exact64 = max(error(*c[:3], "float64", *c[3:]) for c in INSIDE.values())
for name, e in {**inside, **outside}.items():
    print(f"float32 {name}: relative error {e:.3g}")
print(f"float64, inside the conditions: {exact64:.3g}")

# the user's calls: the gradient for x of conv_transpose with crops ((-2, -2), (-1, 1)) on a
# 2x4 kernel is conv_general_dilated padded ((-2, -2), (-1, 1)) (what the suite's exploration met)
x, w, g = rng.standard_normal((1, 1, 3, 1)), rng.standard_normal((1, 1, 2, 4)), rng.standard_normal((1, 1, 8, 4))
def grad_x(dtype):
    f = lambda x_: jax.lax.conv_transpose(x_, jnp.asarray(w, dtype), (1, 1), ((3, 3), (4, 2)),
                                          dimension_numbers=DN, transpose_kernel=True)
    _, pullback = jax.vjp(f, jnp.asarray(x, dtype))
    return np.asarray(pullback(jnp.asarray(g, dtype))[0], np.float64)
ref = grad_x("float64")
vjp_error = max(float(np.max(np.abs(grad_x("float32") - ref))) for _ in range(3))
print(f"jax.vjp grad_x, crops ((-2, -2), (-1, 1)), float32 |error| {vjp_error:.3g} (|grad_x| <= {np.max(np.abs(ref)):.3g})")

wrong = [name for name, e in inside.items() if e > 1e-3]
controls_exact = all(e < 1e-5 for e in outside.values()) and exact64 < 1e-12
if wrong and controls_exact:
    print(f"REPRODUCED: jax {jax.__version__} CPU conv_general_dilated with shifted padding is wrong in "
          f"float32 for {len(wrong)} of {len(inside)} cases ({'; '.join(wrong)}); the controls and float64 are exact")
else:
    print("NOT REPRODUCED: " + ("no case inside the conditions is wrong" if not wrong
                                 else "a control outside the conditions is wrong too"))
    sys.exit(3)
