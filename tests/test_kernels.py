# ruff: noqa: E501  (oneDNN and XLA lines quoted as the libraries print them)
"""Which native kernel ran: oneDNN's verbose lines and XLA's compiled programs
read back, native output captured, and the records and report that carry it."""

import ctypes
import importlib.util
import os

import pytest

from convt_suite.adapters.spec import Spec
from convt_suite.core.cases import Case
from convt_suite.core.compare import CHECKS
from convt_suite.host import kernels
from convt_suite.reporting.report import kernel_coverage
from convt_suite.runtime import workers

# lines as oneDNN 3.12 (inside torch 2.13) printed them on this machine
ONEDNN = """onednn_verbose,v1,info,oneDNN v3.12.0 (commit 80afa71049cd69a3df32adcccb623b12cd7baa22)
onednn_verbose,v1,primitive,exec,cpu,reorder,jit:uni,undef,src:f32::blocked:abcd::f0 dst:f32::blocked:acdb::f0,attr-scratchpad:user,,1x64x16x16,5.96
onednn_verbose,v1,primitive,exec,cpu,deconvolution,brg_deconv:avx512_core+brgconv_strided:avx512_core,forward_training,src:f32:a:blocked:acdb::f0 wei:f32:a:blocked:Acdb32a::f0 bia:undef::undef::: dst:f32:a:blocked:acdb::f0,attr-scratchpad:user,alg:deconvolution_direct,mb1_ic64oc32_ih16oh32kh4sh2ph1_iw16ow32kw4sw2pw1,0.3
onednn_verbose,v1,primitive,exec,cpu,deconvolution,conv:any+jit_bf16:avx512_core_bf16,backward_data,src:bf16:a:blocked:aBcd16b::f0 wei:bf16:a:blocked:BAcd8a16b2a::f0 bia:undef::undef::: dst:bf16:a:blocked:aBcd16b::f0,attr-scratchpad:user,alg:deconvolution_direct,mb1,0.1
onednn_verbose,v1,primitive,exec,cpu,deconvolution,conv:any+jit_bf16:avx512_core_bf16,backward_data,src:bf16:a:blocked:aBcd16b::f0 wei:bf16:a:blocked:BAcd8a16b2a::f0 bia:undef::undef::: dst:bf16:a:blocked:aBcd16b::f0,attr-scratchpad:user,alg:deconvolution_direct,mb1,0.1
"""

HLO = """%transpose_copy_fusion.2 = f32[1,8,8,16]{3,2,1,0} fusion(%x.1), kind=kLoop, calls=%fused_computation.2
%convolution-base-dilated = f32[1,16,16,8]{3,2,1,0} convolution(%a, %b), window={size=3x3 pad=2_1x2_1 lhs_dilate=2x2}, dim_labels=b01f_01io->b01f
ROOT %convolution.1 = f32[1,16,16,64]{3,2,1,0} convolution(%param_0, %param_1), window={size=4x4 stride=2x2 pad=1_1x1_1}, dim_labels=b01f_01io->b01f
%dot.3 = bf16[64,32]{1,0} dot(%p, %q), lhs_contracting_dims={1}, rhs_contracting_dims={0}
"""


def test_onednn_lines_give_the_computing_primitives_once_each():
    found = kernels.onednn_kernels(ONEDNN)
    assert found == [
        {"library": "oneDNN", "primitive": "deconvolution", "direction": "forward",
         "implementation": "brg_deconv:avx512_core+brgconv_strided:avx512_core", "dtype": "f32"},
        {"library": "oneDNN", "primitive": "deconvolution", "direction": "backward_data",
         "implementation": "conv:any+jit_bf16:avx512_core_bf16", "dtype": "bf16"},
    ]
    assert kernels.onednn_kernels("some other output\nonednn_verbose,v1,info,cpu,isa:AVX-512") == []


def test_xla_programs_give_their_convolutions():
    found = kernels.xla_kernels(HLO, "forward")
    assert [k["implementation"] for k in found] == [
        "convolution in f32 (lhs_dilate)", "convolution in f32", "dot in bf16"]
    assert {k["library"] for k in found} == {"XLA"} and found[0]["direction"] == "forward"


def test_capture_reads_what_native_code_prints_and_restores_the_output():
    libc = ctypes.CDLL(None)
    with kernels.Capture() as captured:
        libc.printf(b"onednn_verbose,native line\n")   # C stdio, buffered, as oneDNN prints
    assert captured.text == "onednn_verbose,native line\n"
    with kernels.Capture() as again:
        pass
    assert again.text == ""
    assert os.fstat(1)   # descriptor 1 is back and open


def test_the_coverage_table_counts_checks_failures_and_the_smallest_case():
    spec = Spec(2, 2, (3, 3), (2, 2)).to_dict()
    jit = {"library": "oneDNN", "primitive": "deconvolution", "direction": "forward",
           "implementation": "jit:avx512_core", "dtype": "f32"}
    ref = {**jit, "implementation": "ref:any"}

    def check(outcome, shape, kernel, **tags):
        return {"adapter": "torch", "dtype": "float32", "kind": "forward", "outcome": outcome,
                "describe": f"x={shape}", "case": {"spec": spec, "input_shape": shape, "seed": 0},
                "kernels": [kernel], **tags}

    checks = [check("passed", [1, 2, 8, 8], jit), check("failed", [1, 2, 2, 2], jit),
              check("passed", [4, 2, 8, 8], ref, scale="model scale"),
              {"adapter": "jax", "dtype": "float32", "kind": "forward", "outcome": "passed"}]
    table = kernel_coverage(checks)
    rows = {row["implementation"]: row for row in table["rows"]}
    assert rows["oneDNN deconvolution jit:avx512_core"] | {} == {
        **rows["oneDNN deconvolution jit:avx512_core"], "checks": 2, "failed": 1, "small": 2, "model": 0,
        "smallest": "x=[1, 2, 2, 2]"}
    assert rows["oneDNN deconvolution ref:any"]["model"] == 1 and table["only_model_scale"] == 1
    assert table["silent"] == ["jax"]


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="torch is not installed")
def test_a_torch_worker_records_the_kernels_that_ran():
    """End to end: a worker sets ONEDNN_VERBOSE, so a float32 layer past
    oneDNN's threshold records PyTorch's choice and oneDNN's primitives, and
    float16, which PyTorch computes itself here, its own kernel."""
    adapter = workers.WorkerAdapter("torch")
    try:
        case = Case(Spec(64, 32, (4, 4), (2, 2), ((1, 1), (1, 1)), bias=False), (1, 64, 8, 8), 3)
        forward = CHECKS["forward"](adapter, case, "float32")
        vjp = CHECKS["vjp"](adapter, case, "float32")
        half = CHECKS["forward"](adapter, case, "float16")
    finally:
        adapter.close()
    assert forward["outcome"] == vjp["outcome"] == half["outcome"] == "passed"
    libraries = {(k["library"], k["direction"]) for k in forward["kernels"]}
    assert ("PyTorch", "forward") in libraries and ("oneDNN", "forward") in libraries
    assert {k["direction"] for k in vjp["kernels"] if k["library"] == "oneDNN"} == {
        "forward", "backward_data", "backward_weights"}
    assert [k["implementation"] for k in half["kernels"]] in (["SlowTranspose2d"], ["MkldnnTranspose"])
