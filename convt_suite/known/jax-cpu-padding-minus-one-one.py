# jax.lax.conv_general_dilated on CPU gives wrong values (garbage, changing between calls) in
# float32/float16/bfloat16 when one spatial axis has padding (-1, 1) with a kernel of size 2 there,
# the other kernel dimension is >= 4, and the output has >= 3 positions in all (N * H_out * W_out).
# float64 is exact. lax.conv_transpose reaches it: stride 1, kernel (2, 4), crops ((2, 0), (4, 4)).
import numpy as np
import jax
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp

rng = np.random.default_rng(0)
x = rng.standard_normal((1, 1, 2, 6))     # NCHW
w = rng.standard_normal((1, 1, 2, 4))     # OIHW
pad = ((-1, 1), (0, 0))                   # H: drop the first row, append one zero row

# float64 reference: padded rows are [x[:, :, 1], 0]; output (1, 1, 1, 3)
rows = np.stack([x[0, 0, 1], np.zeros(6)])
ref = np.array([[[[np.sum(rows[:, j:j + 4] * w[0, 0]) for j in range(3)]]]])

def conv(dtype):
    return np.asarray(jax.lax.conv_general_dilated(
        jnp.asarray(x, dtype), jnp.asarray(w, dtype), (1, 1), pad,
        dimension_numbers=("NCHW", "OIHW", "NCHW")), np.float64)

def user_call(dtype):  # the adapter's call: x (3,1,2,6), weight (1,1,2,4), conv_transpose pads ((-1,1),(-1,-1))
    xs = np.random.default_rng(1).standard_normal((3, 1, 2, 6))
    y = jax.lax.conv_transpose(jnp.asarray(xs, dtype), jnp.asarray(w, dtype), (1, 1), ((-1, 1), (-1, -1)),
                               dimension_numbers=("NCHW", "OIHW", "NCHW"), transpose_kernel=True)
    y64 = jax.lax.conv_transpose(jnp.asarray(xs), jnp.asarray(w), (1, 1), ((-1, 1), (-1, -1)),
                                 dimension_numbers=("NCHW", "OIHW", "NCHW"), transpose_kernel=True)
    return float(np.max(np.abs(np.asarray(y, np.float64) - np.asarray(y64))))

errors = {}
for name in ["float32", "float16", "bfloat16", "float64"]:
    runs = [conv(name) for _ in range(3)]
    errors[name] = max(float(np.nanmax(np.abs(r - ref))) if np.all(np.isfinite(r)) else np.inf for r in runs)
    print(f"{name}: max |error| over 3 calls = {errors[name]:.3g}; calls = {[r.ravel().tolist() for r in runs]}")
print("reference:", ref.ravel().tolist())
print("conv_transpose (3,1,2,6) pads ((-1,1),(-1,-1)) float32 error vs float64:", f"{user_call('float32'):.3g}")

tol = {"float32": 1e-4, "float16": 0.05, "bfloat16": 0.2}
wrong = [n for n, t in tol.items() if errors[n] > t]
if errors["float64"] < 1e-12 and "float32" in wrong:
    print(f"REPRODUCED: jax {jax.__version__} CPU lax.conv_general_dilated with padding (-1, 1) on a size-2 "
          f"kernel axis (kernel 2x4, output 1x3) is wrong in {', '.join(wrong)} "
          f"(float32 error {errors['float32']:.3g}); float64 exact")
else:
    print("not reproduced: low-precision results match the float64 reference")
