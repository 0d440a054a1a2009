# jax.lax.conv_transpose on CPU: XLA's algebraic simplifier fails a CHECK and aborts the
# process for a 1 -> 1 axis (W: input 1, kernel 2, padding (1, 0)) beside H: kernel 2,
# stride 2, padding (0, 0), input 3. Each call runs in a child process (the abort kills it).
import os, signal, subprocess, sys

CALL = """if True:
    import sys, numpy as np, jax
    height = int(sys.argv[1])
    x = np.ones((1, 1, height, 1), np.float32)             # NCHW: W = 1
    w = np.ones((1, 1, 2, 2), np.float32)
    y = jax.lax.conv_transpose(x, w, (2, 1), ((0, 0), (1, 0)),
                               dimension_numbers=("NCHW", "OIHW", "NCHW"), transpose_kernel=True)
    print(np.asarray(y).shape)
"""

def run(height):
    done = subprocess.run([sys.executable, "-c", CALL, str(height)], capture_output=True,
                          text=True, env={**os.environ, "JAX_PLATFORMS": "cpu"})
    if done.returncode < 0:
        check = [line for line in done.stderr.splitlines() if "Check failed" in line]
        return f"killed by {signal.Signals(-done.returncode).name}: {(check or [''])[0][:160]}"
    return done.stdout.strip() or done.stderr.strip()[-200:]

three, two = run(3), run(2)
print("input height 3 ->", three)
print("input height 2 ->", two)
if three.startswith("killed by SIGABRT") and "Check failed" in three and not two.startswith("killed"):
    print("REPRODUCED: XLA aborts compiling the height-3 call; height 2 computes", two)
