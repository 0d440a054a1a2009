"""Which native kernel computed a call, where the library can say.

- oneDNN (inside PyTorch and TensorFlow) prints a line for every primitive it
  executes when ONEDNN_VERBOSE is set before it first runs (each copy of the
  library reads it once): the primitive, its implementation (`brg_deconv:
  avx512_core+brgconv_strided:avx512_core`, `jit:avx512_core`, `gemm:jit`,
  `ref:any`, ...), the direction and the data types. The lines go to the
  process's standard output (file descriptor 1, through C's stdio), so a
  call is run with that descriptor pointed at a file, then the lines are read
  back (`Capture`). Adapters run in worker processes whose standard output
  is a file of their own, so nothing else is written there meanwhile.
- PyTorch says which backend it picks for a convolution
  (`torch._C._select_conv_backend`): oneDNN ("mkldnn") or its own
  `slow_conv_transpose2d`.
- XLA (jax[jit], tensorflow[xla]) names no runtime kernel, but its compiled
  program says how each convolution is computed: the op, its compute type
  and its dilations (`xla_kernels`), read from the optimized HLO of the
  program that ran (a cache hit: well under a millisecond).

A kernel is a small dict (`Kernel`): the library, the primitive, the
direction ("forward", "backward_data", "backward_weights"; "forward and
gradients" where the library names one choice for all), the implementation
and the source dtype. Reorders (oneDNN's layout conversions) are not kept.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import sys
import tempfile

from typing_extensions import TypedDict  # pydantic reads it for the results schema

from convt_suite.host import env

VERBOSE = env.ONEDNN_VERBOSE.name
# oneDNN's primitives that compute a convolution (reorders and the rest only move data)
COMPUTING = ("convolution", "deconvolution", "matmul", "inner_product", "gemm")
# oneDNN's names of the directions, as the records keep them
DIRECTIONS = {"forward_training": "forward", "forward_inference": "forward", "forward": "forward",
              "backward_data": "backward_data", "backward_weights": "backward_weights"}


class Kernel(TypedDict):
    """A native kernel that computed a check (the records' `kernels`)."""

    library: str
    """"oneDNN" (its verbose lines), "PyTorch" (its convolution backend choice), "XLA" (the
    compiled program's ops), "ONNX Runtime" (its execution provider), "TensorFlow" (its own
    kernel, where no oneDNN primitive ran)"""
    primitive: str
    """oneDNN's primitive kind ("deconvolution", "convolution"); PyTorch: 'convolution backend';
    XLA: the op"""
    direction: str
    """"forward", "backward_data", "backward_weights"; "forward and gradients" where one
    choice serves both"""
    implementation: str
    """oneDNN's implementation ("brg_deconv:avx512_core+brgconv_strided:avx512_core",
    "jit:avx512_core", "gemm:jit", "ref:any"); PyTorch's backend ("MkldnnTranspose",
    "SlowTranspose2d"); XLA's op as compiled ("convolution in f32 (lhs_dilate)"); ONNX
    Runtime's provider ("CPUExecutionProvider")"""
    dtype: str
    """the source data type as the library names it ("f32", "bf16", "float16"; "" unknown)"""


def enabled() -> bool:
    """oneDNN prints its execution lines in this process (adapter workers set
    ONEDNN_VERBOSE=1 before any framework loads: runtime/workers.py)."""
    return (env.ONEDNN_VERBOSE.get() or "0") not in ("", "0")


class Capture:
    """File descriptor 1 pointed at a temporary file for the duration of a
    `with` block; `.text` is what native code printed there."""

    def __init__(self):
        self.text = ""

    def __enter__(self):
        sys.stdout.flush()
        self._saved = os.dup(1)
        self._file = tempfile.TemporaryFile()
        os.dup2(self._file.fileno(), 1)
        return self

    def __exit__(self, *exc):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).fflush(None)   # C stdio's buffer, where oneDNN prints
        sys.stdout.flush()
        os.dup2(self._saved, 1)
        os.close(self._saved)
        self._file.seek(0)
        self.text = self._file.read().decode(errors="replace")
        self._file.close()
        return False


def onednn_kernels(text: str) -> list[Kernel]:
    """The computing primitives in oneDNN verbose output, in order, each once.

    A line reads (oneDNN 3.x): onednn_verbose,v1,primitive,exec,cpu,<primitive>,
    <implementation>,<direction>,<memory descriptors>,<attributes>,... and
    older copies write `onednn_verbose,exec,cpu,...` without the version."""
    found: list[Kernel] = []
    for line in text.splitlines():
        if not line.startswith(("onednn_verbose,", "dnnl_verbose,")):
            continue
        fields = line.split(",")
        try:
            at = fields.index("exec")
        except ValueError:
            continue
        if len(fields) < at + 6 or fields[at + 2] not in COMPUTING:
            continue
        primitive, implementation, direction, memory = fields[at + 2: at + 6]
        source = next((part for part in memory.split() if part.startswith("src:")), "")
        kernel = Kernel(library="oneDNN", primitive=primitive,
                        direction=DIRECTIONS.get(direction, direction),
                        implementation=implementation, dtype=source.split(":")[1] if ":" in source else "")
        if kernel not in found:
            found.append(kernel)
    return found


# an HLO instruction: "%name = f32[1,16,16,8]{3,2,1,0} convolution(%a, %b), window={...}, dim_labels=..."
_HLO_OP = re.compile(r"=\s*(?P<dtype>[a-z]+\d*)\[[^\]]*\][^ ]*\s+(?P<op>convolution|dot)\((?P<rest>.*)$")


def xla_kernels(hlo: str, direction: str) -> list[Kernel]:
    """The convolutions (and the dots XLA may rewrite one into) of a compiled
    XLA program's HLO text (optimized: what runs), each once: XLA does not
    name the runtime kernel that computes an op, so the implementation is
    what the program says of it, the op, the type it computes in (XLA:CPU
    computes 16-bit convolutions in f32) and whether it dilates its input
    (lhs_dilate: the transposed convolution's zero insertion) or kernel."""
    found: list[Kernel] = []
    for line in hlo.splitlines():
        match = _HLO_OP.search(line)
        if match is None:
            continue
        op, dtype, rest = match["op"], match["dtype"], match["rest"]
        dilated = [name for name in ("lhs_dilate", "rhs_dilate") if f"{name}=" in rest]
        implementation = f"{op} in {dtype}" + (f" ({', '.join(dilated)})" if dilated else "")
        kernel = Kernel(library="XLA", primitive=op, direction=direction, implementation=implementation,
                        dtype=dtype)
        if kernel not in found:
            found.append(kernel)
    return found


# PyTorch 2.13 leaves one member of its ConvBackend enum unnamed (value 9)
TORCH_UNNAMED_BACKENDS = {9: "MkldnnTranspose"}


def torch_backend(torch, x, weight, bias, stride, padding, dilation, output_padding, groups,
                  direction: str) -> Kernel:
    """The convolution backend PyTorch picks for a transposed convolution of
    these tensors and parameters (what F.conv_transpose2d would run)."""
    choice = torch._C._select_conv_backend(x, weight, bias, list(stride), list(padding), list(dilation),
                                           True, list(output_padding), groups)
    value = int(choice)
    name = TORCH_UNNAMED_BACKENDS.get(value) or getattr(choice, "name", "") or f"backend {value}"
    if name.startswith("?"):
        name = f"backend {value}"
    return Kernel(library="PyTorch", primitive="convolution backend", direction=direction,
                  implementation=name, dtype=str(x.dtype).removeprefix("torch."))


def describe(kernel: dict) -> str:
    """One line: "oneDNN deconvolution backward_data jit:avx512_core (f32)"."""
    dtype = f" ({kernel['dtype']})" if kernel.get("dtype") else ""
    return f"{kernel['library']} {kernel['primitive']} {kernel['direction']} {kernel['implementation']}{dtype}"
