# ExecuTorch's XNNPACK delegate kills the process (SIGFPE) running a ConvTranspose2d whose output
# has a spatial axis of length 0: nn.ConvTranspose2d(2, 2, 1, padding=1, groups=2) on x (3, 2, 2, 7)
# (H: 2 - 1 - 1 = 0). Eager torch returns an empty (3, 2, 0, 5) tensor; torch.export and the XNNPACK
# lowering accept it; Method.execute dies. The portable kernels refuse it with an error instead; in
# 1-D torch.export itself refuses it. Each run is a child process, so that this snippet survives it.
import signal
import subprocess
import sys
import textwrap

import torch

CHILD = textwrap.dedent("""
    import logging, sys, warnings
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    import torch
    from executorch.exir import to_edge, to_edge_transform_and_lower
    from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
    from executorch.runtime import Runtime

    kernels, dtype = sys.argv[1], getattr(torch, sys.argv[2])
    module = torch.nn.ConvTranspose2d(2, 2, 1, stride=1, padding=1, groups=2, bias=False).eval().to(dtype)
    x = torch.ones(3, 2, 2, 7, dtype=dtype)
    with torch.no_grad():
        exported = torch.export.export(module, (x,))
    if kernels == "xnnpack":
        program = to_edge_transform_and_lower(exported, partitioner=[XnnpackPartitioner()]).to_executorch()
    else:
        program = to_edge(exported).to_executorch()
    delegates = [d.id for d in program.executorch_program.execution_plan[0].delegates]
    method = Runtime.get().load_program(program.buffer).load_method("forward")
    print(f"lowered (delegates {delegates}), loaded; executing", flush=True)
    try:
        print("returned", tuple(method.execute([x])[0].shape))
    except RuntimeError as error:
        print("raised", str(error)[:70])
""")


def child(kernels, dtype):
    done = subprocess.run([sys.executable, "-c", CHILD, kernels, dtype], capture_output=True, text=True,
                          timeout=600)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return done.returncode, lines[-1] if lines else ""


eager = tuple(torch.nn.ConvTranspose2d(2, 2, 1, padding=1, groups=2, bias=False)(torch.ones(3, 2, 2, 7)).shape)
print("eager torch, float32:", eager)
runs = {(kernels, dtype): child(kernels, dtype)
        for kernels, dtype in (("xnnpack", "float32"), ("xnnpack", "float16"), ("portable", "float32"))}
for (kernels, dtype), (code, last) in runs.items():
    how = f"killed by {signal.Signals(-code).name} (exit {code})" if code < 0 else f"exit {code}"
    print(f"{kernels} {dtype}: {how}; its last line: {last}")

# 1-D, the same layer as ConvTranspose1d on x (3, 2, 2): torch.export refuses it before any lowering
try:
    torch.export.export(torch.nn.ConvTranspose1d(2, 2, 1, padding=1, groups=2, bias=False).eval(),
                        (torch.ones(3, 2, 2),))
    one_d = "exported"
except RuntimeError as error:
    one_d = f"refused: {str(error).splitlines()[0][:110]}"
print("1-D, torch.export:", one_d)

crashed = all(runs["xnnpack", dtype][0] == -signal.SIGFPE for dtype in ("float32", "float16"))
portable_refuses = runs["portable", "float32"][0] == 0 and runs["portable", "float32"][1].startswith("raised")
if crashed and portable_refuses and eager == (3, 2, 0, 5) and one_d.startswith("refused"):
    print("REPRODUCED: XNNPACK's run of a 2-D transposed convolution with an output axis of length 0 dies by "
          "SIGFPE (float32 and float16); the portable kernels refuse it, and 1-D is refused by torch.export")
else:
    print("NOT REPRODUCED: the runs above are not the finding's (no SIGFPE from XNNPACK, or 1-D no longer refused)")
    sys.exit(3)
