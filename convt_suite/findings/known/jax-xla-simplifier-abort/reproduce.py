# jax.lax.conv_transpose on CPU: XLA's algebraic simplifier fails a CHECK and aborts the
# process when one axis has an input shorter than its kernel (with an output, other than
# exactly the kernel's span from an input of 1) beside an axis with kernel 2, stride 2,
# padding (0, 0) and input 3 or more. Each call runs in a child process (the abort kills it).
import os
import signal
import subprocess
import sys

CALL = """if True:
    import sys, json, numpy as np, jax
    x_shape, kernel, strides, padding = json.loads(sys.argv[1])
    x = np.ones(x_shape, np.float32)                        # NCHW (NCH, NCDHW in 1-D, 3-D)
    w = np.ones((1, 1, *kernel), np.float32)
    dn = {1: ("NCH", "OIH", "NCH"), 2: ("NCHW", "OIHW", "NCHW"), 3: ("NCDHW", "OIDHW", "NCDHW")}[len(kernel)]
    y = jax.lax.conv_transpose(x, w, strides, padding, dimension_numbers=dn, transpose_kernel=True)
    print(np.asarray(y).shape)
"""

def run(x_shape, kernel, strides, padding):
    import json
    done = subprocess.run([sys.executable, "-c", CALL, json.dumps([x_shape, kernel, strides, padding])],
                          capture_output=True, text=True, env={**os.environ, "JAX_PLATFORMS": "cpu"})
    if done.returncode < 0:
        check = [line for line in done.stderr.splitlines() if "Check failed" in line]
        return f"killed by {signal.Signals(-done.returncode).name}: {(check or [''])[0][:160]}"
    said = [line for line in done.stdout.splitlines() if not line.startswith("onednn_verbose")]
    return "\n".join(said).strip() or done.stderr.strip()[-200:]

CASES = {   # name -> (x, kernel, strides, padding), and whether XLA aborts
    "W: input 1, kernel 2, output 1; H: kernel 2, stride 2, input 3": (
        ((1, 1, 3, 1), (2, 2), (2, 1), ((0, 0), (1, 0))), True),
    "the same with H input 2": (((1, 1, 2, 1), (2, 2), (2, 1), ((0, 0), (1, 0))), False),
    "H: input 3, kernel 5, full output 7; W: kernel 2, stride 2, input 4": (
        ((1, 1, 3, 4), (5, 2), (1, 2), ((4, 4), (0, 0))), True),
    "the same with H input 5 (the kernel's length)": (
        ((1, 1, 5, 4), (5, 2), (1, 2), ((4, 4), (0, 0))), False),
    # 3-D (NCDHW): the first call with a depth axis of input 1, kernel 1, stride 1 before it
    "3-D: the first call with D input 1, kernel 1": (
        ((1, 1, 1, 3, 1), (1, 2, 2), (1, 2, 1), ((0, 0), (0, 0), (1, 0))), True),
    # 1-D (NCH) has no axis beside: its short axis alone (input 3, kernel 5, output 5) computes
    "1-D: input 3, kernel 5, output 5": (((1, 1, 3), (5,), (1,), ((3, 3),)), False),
}
seen = {name: run(*call) for name, (call, _) in CASES.items()}
for name, outcome in seen.items():
    print(f"{name} -> {outcome}")
if all(seen[name].startswith("killed by SIGABRT") and "Check failed" in seen[name]
       if aborts else not seen[name].startswith("killed") for name, (_, aborts) in CASES.items()):
    print("REPRODUCED: XLA aborts compiling both calls and the 3-D one; their near misses and the 1-D call compute")
else:
    print("NOT REPRODUCED: the output above is not the finding's")
    sys.exit(3)
