"""The implementations models really run on (adapters/torch_onnx.py and the
compiled adapters): each really runs the exported model or the compiled
program, not the eager call; a misreading inside the exported model is
caught by the same check the sweeps run; a compiled mode never falls back to
eager silently; and a costly adapter's budget is the share it states."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from hypothesis import settings

from convt_suite.adapters.base import DTYPES
from convt_suite.adapters.spec import Spec
from convt_suite.core.cases import Case
from convt_suite.core.compare import check_forward, check_native
from convt_suite.core.native import NativeCase
from examples.zero_insertion import ZeroInsertionAdapter


def need(*modules):
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed")


SHIFTED = Case(Spec(2, 4, (3, 3), (2, 2), ((1, 0), (2, 1)), groups=2), (1, 2, 4, 5), 3)


# -------------------------------------------------------------- exporters
@pytest.mark.parametrize("dynamo", [True, False], ids=["dynamo", "torchscript"])
def test_the_exported_model_runs_in_onnx_runtime_and_a_misexport_is_caught(dynamo):
    """The check judges what ONNX Runtime computes from the exported model: a
    model whose ConvTranspose pads are rewritten after export (the exporter
    misreading PyTorch's padding) fails, while the real export passes."""
    need("torch", "onnx", "onnxruntime", *(["onnxscript"] if dynamo else []))
    import onnx

    from convt_suite.adapters.torch_onnx import TorchOnnxAdapter

    class MisExported(TorchOnnxAdapter):
        def export(self, function, x):
            model = onnx.load_from_string(super().export(function, x))
            for node in model.graph.node:
                for attribute in node.attribute:
                    if node.op_type == "ConvTranspose" and attribute.name == "pads":
                        top, left, bottom, right = attribute.ints
                        attribute.ints[:] = [left, top, right, bottom]   # the axes swapped
            return model.SerializeToString()

    assert check_forward(TorchOnnxAdapter(dynamo), SHIFTED, "float32")["outcome"] == "passed"
    failed = check_forward(MisExported(dynamo), SHIFTED, "float32")
    assert failed["outcome"] == "failed" and failed["failure"] in ("shape", "values"), failed


@pytest.mark.parametrize("dynamo", [True, False], ids=["dynamo", "torchscript"])
def test_the_exporter_maps_forward_output_size(dynamo):
    """`ConvTranspose2d.forward(x, output_size=...)`, exported, computes the
    size asked (output_padding derived by PyTorch, written by the exporter)."""
    need("torch", "onnx", "onnxruntime", *(["onnxscript"] if dynamo else []))
    from convt_suite.adapters.torch_onnx import TorchOnnxAdapter

    call = dict(in_channels=2, out_channels=4, kernel=3, stride=2, dilation=1, bias=True, groups=2,
                padding=1, output_padding=0)
    for size in ((9, 10), (10, 9)):
        case = NativeCase("torch.nn", tuple((call | {"output_size": size}).items()), (1, 2, 5, 5), 4)
        record = check_native(TorchOnnxAdapter(dynamo), case, "float32")
        assert record["outcome"] == "passed" and record["actual_shape"][2:] == list(size), record


# ---------------------------------------------------------- compiled modes
def test_jax_jit_traces_the_whole_computation():
    need("jax")
    import jax

    from convt_suite.adapters.jax import JaxJitAdapter

    seen = []

    def compute(x, weight, bias):
        seen.append(isinstance(x, jax.core.Tracer))
        return x

    JaxJitAdapter()._evaluate(compute, np.ones((1, 1, 2, 2)), np.ones((1, 1, 1, 1)), None)
    assert seen == [True]


def test_tensorflow_xla_compiles_and_refuses_what_xla_cannot():
    """Under jit_compile=True an op XLA has no kernel for is an error, not a
    silent run on TF's own kernels."""
    need("tensorflow")
    from convt_suite.adapters.tensorflow import TensorFlowXlaAdapter

    adapter = TensorFlowXlaAdapter()
    tf = adapter.module
    ones = np.ones((1, 1, 2, 2), np.float32)
    assert adapter._evaluate(lambda x, w, b: x * 2, ones, ones, None).tolist() == (ones * 2).tolist()
    with pytest.raises(Exception, match="(?i)xla|compil|unsupported|no registered"):
        adapter._evaluate(lambda x, w, b: tf.strings.to_number(tf.strings.as_string(x)), ones, ones, None)


def test_torch_compile_never_falls_back_to_eager():
    """A graph break is an error (fullgraph=True), and hitting the recompile
    limit is one too (the flag is set): never a silent eager run."""
    need("torch")
    from convt_suite.adapters.torch import TorchCompileAdapter

    adapter = TorchCompileAdapter()
    torch = adapter.module
    assert torch._dynamo.config.fail_on_recompile_limit_hit is True

    def breaks(x, weight, bias):
        torch._dynamo.graph_break()
        return x

    ones = np.ones((1, 1, 2, 2), np.float32)
    with pytest.raises(Exception, match="(?i)graph.break|fullgraph"):
        adapter._evaluate(breaks, ones, ones, None)


@pytest.mark.parametrize("selector", ["torch[compile]", "jax[jit]", "tensorflow[xla]"])
def test_a_compiled_mode_computes_the_spec_and_a_planted_shift_is_caught(selector):
    """The compiled program is judged as the eager call: it passes, and the
    same computation compiled with the crops swapped fails."""
    from convt_suite.adapters.registry import load

    need(selector.partition("[")[0])
    adapter = load(selector)
    assert check_forward(adapter, SHIFTED, "float32")["outcome"] == "passed"
    compute = adapter._compute

    def swapped(x, weight, bias, spec):
        return compute(x, weight, bias, Spec(spec.in_channels, spec.out_channels, spec.kernel_size,
                                             spec.stride, tuple((b, a) for a, b in spec.padding),
                                             spec.dilation, spec.groups, spec.bias))

    adapter._compute = swapped
    failed = check_forward(adapter, SHIFTED, "float32")
    assert failed["outcome"] == "failed" and failed["failure"] == "values", failed


# --------------------------------------------------------------- LiteRT
LITERT_CASES = [   # one per rank; groups, a dilation and crops the converter's modes do not state
    Case(Spec(4, 2, (3,), (2,), ((1, -1),), (2,), groups=2), (2, 4, 5), 1),
    SHIFTED,
    Case(Spec(3, 2, (3, 4), (2, 3), ((1, 0), (2, -2)), (1, 2)), (1, 3, 4, 3), 2),
    Case(Spec(2, 3, (2, 3, 2), (2, 1, 2), ((0, 1), (1, 1), (-1, 0))), (1, 2, 2, 3, 2), 3),
]


@pytest.mark.parametrize("selector", ["litert", "litert[reference]"])
@pytest.mark.parametrize("case", LITERT_CASES, ids=["1-D", "2-D grouped", "2-D dilated", "3-D"])
@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_litert_runs_the_converted_model_in_every_rank(selector, case, dtype):
    """The interpreter ran the converted op (its kernel noted: TRANSPOSE_CONV
    or CONV_3D_TRANSPOSE, by XNNPACK or the reference kernels; float16: the
    converter's float16 weights) and the result is judged as the eager
    call's: it passes."""
    from convt_suite.adapters.registry import load

    need("tensorflow", "ai_edge_litert")
    record = check_forward(load(selector), case, dtype)
    assert record["outcome"] == "passed", record
    ops = {kernel["primitive"] for kernel in record["kernels"]}
    assert ops == ({"CONV_3D_TRANSPOSE"} if case.spec.rank == 3 else {"TRANSPOSE_CONV"}), record["kernels"]
    assert all(kernel["library"] == "LiteRT" for kernel in record["kernels"])
    assert {kernel["dtype"] for kernel in record["kernels"]} == {
        "float32" if dtype == "float32" else "float16 weights, computed in float32"}


def test_litert_judges_what_the_interpreter_returned_and_a_misread_output_is_caught():
    """Planted: the interpreter's output read flipped along its last axis."""
    from convt_suite.adapters.litert import LiteRtAdapter

    need("tensorflow", "ai_edge_litert")

    class Flipped(LiteRtAdapter):
        name = "planted:litert-flipped"

        def _interpret(self, model, x, *dtype):
            return super()._interpret(model, x, *dtype)[..., ::-1].copy()

    failed = check_forward(Flipped(), SHIFTED, "float32")
    assert failed["outcome"] == "failed" and failed["failure"] == "values", failed


def test_litert_composes_what_its_converter_refuses():
    """Dilation and crops no 'VALID'/'SAME' states are composed, and the plan says why."""
    from convt_suite.adapters.litert import LiteRtAdapter

    need("tensorflow", "ai_edge_litert")
    words = LiteRtAdapter().plan(LITERT_CASES[2].spec, "float32", LITERT_CASES[2].input_shape).words
    assert "refuses dilation > 1" in words and "refuses an explicit padding list" in words, words
    assert LiteRtAdapter().supports(LITERT_CASES[2].spec, "bfloat16") == (
        "litert: the TFLite converter makes float32 models, with float16 weights at most (asked bfloat16)")


LITERT_KERAS_CASES = [   # each a layer Keras states: 'same' with an output_padding, 'valid', an even kernel
    # (a dilated layer does not convert: finding litert-converter-refuses-dilation-and-explicit-padding)
    Case(Spec.from_keras(4, 2, 3, 2, "same", 1, rank=1), (2, 4, 5), 1),
    Case(Spec.from_keras(2, 3, (3, 4), (2, 3), "valid", (1, 0)), (1, 2, 4, 5), 3),
    Case(Spec.from_keras(3, 2, (2, 3), 1, "same"), (1, 3, 4, 6), 2),
    Case(Spec.from_keras(2, 3, (2, 3, 2), (2, 1, 2), "same", rank=3), (1, 2, 2, 3, 2), 3),
]


@pytest.mark.parametrize("case", LITERT_KERAS_CASES, ids=["1-D", "2-D", "2-D even kernel", "3-D"])
@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_litert_keras_runs_the_converted_keras_model_in_every_rank(case, dtype):
    """A Functional model holding the layer, converted by from_keras_model and
    interpreted (its op noted), is judged as the layer's: it passes."""
    from convt_suite.adapters.registry import load

    need("keras", "tensorflow", "ai_edge_litert")
    record = check_forward(load("litert[keras]"), case, dtype)
    assert record["outcome"] == "passed", record
    ops = {kernel["primitive"] for kernel in record["kernels"]}
    assert ops == ({"CONV_3D_TRANSPOSE"} if case.spec.rank == 3 else {"TRANSPOSE_CONV"}), record["kernels"]


def test_litert_keras_judges_what_the_interpreter_returned_and_declines_what_a_layer_cannot_state():
    """Planted: the output read flipped; and groups, or crops no ('valid' |
    'same', output_padding) gives, are declined with the reason (a Keras
    model holds the layer as written), as are the dtypes the converter lacks."""
    from convt_suite.adapters.litert import LiteRtKerasAdapter

    need("keras", "tensorflow", "ai_edge_litert")

    class Flipped(LiteRtKerasAdapter):
        name = "planted:litert-keras-flipped"

        def _interpret(self, model, x, *dtype):
            return super()._interpret(model, x, *dtype)[..., ::-1].copy()

    failed = check_forward(Flipped(), LITERT_KERAS_CASES[1], "float32")
    assert failed["outcome"] == "failed" and failed["failure"] == "values", failed
    adapter = LiteRtKerasAdapter()
    assert "cannot state this spec (groups)" in adapter.supports(SHIFTED.spec, "float32")
    assert "crops no (padding, output_padding) gives" in adapter.supports(Spec(2, 3, (3, 3), (2, 2), ((2, 0), (0, 0))),
                                                                          "float32")
    assert "makes float32 models" in adapter.supports(LITERT_KERAS_CASES[1].spec, "bfloat16")


# --------------------------------------------------------------- tf2onnx
TF2ONNX_CASES = [   # one per rank; groups, a dilation, and 2-D explicit pads as tf2onnx splits them
    LITERT_CASES[0],
    Case(Spec(2, 4, (3, 3), (2, 2), ((1, 1), (1, 2)), groups=2), (1, 2, 4, 5), 3),
    Case(Spec(3, 2, (3, 4), (2, 3), ((1, 1), (2, 3)), (1, 2)), (1, 3, 4, 3), 2),
    LITERT_CASES[3],
]


@pytest.mark.parametrize("case", TF2ONNX_CASES, ids=["1-D", "2-D grouped", "2-D dilated", "3-D"])
def test_tf2onnx_runs_the_converted_graph_in_every_rank(case):
    """The tensorflow adapter's computation, converted by tf2onnx and run by
    ONNX Runtime (its kernel noted), is judged as the eager call's: it passes."""
    from convt_suite.adapters.registry import load

    need("tensorflow", "tf2onnx", "onnxruntime")
    record = check_forward(load("tensorflow[onnx]"), case, "float32")
    assert record["outcome"] == "passed", record
    assert {k["library"] for k in record["kernels"]} == {"ONNX Runtime"}, record["kernels"]


def test_tf2onnx_judges_what_onnx_runtime_returned_and_a_misread_output_is_caught():
    """Planted: the converted model's output read flipped along its last axis."""
    from convt_suite.adapters.tf2onnx import TfToOnnxAdapter

    need("tensorflow", "tf2onnx", "onnxruntime")

    class Flipped(TfToOnnxAdapter):
        name = "planted:tf2onnx-flipped"

        def _run(self, model, x):
            return super()._run(model, x)[..., ::-1].copy()

    failed = check_forward(Flipped(), SHIFTED, "float32")
    assert failed["outcome"] == "failed" and failed["failure"] == "values", failed


def test_tf2onnx_declares_the_converted_graphs_shape_and_declines_what_onnx_runtime_lacks():
    from convt_suite.adapters.tf2onnx import TfToOnnxAdapter

    need("tensorflow", "tf2onnx", "onnxruntime")
    call = {"language": "tensorflow", "entry": "conv2d_transpose", "in_channels": 1, "out_channels": 2,
            "kernel": [3, 3], "stride": [2, 2], "dilation": [1, 1], "padding": "SAME", "output_size": [8, 7],
            "bias": False}
    x, w = np.ones((1, 1, 4, 4), np.float32), np.ones((1, 2, 3, 3), np.float32)
    assert TfToOnnxAdapter().native_declared_shapes(x, w, None, call) == {"converted graph": [1, 2, 8, 7]}
    assert "does not run ConvTranspose in float64" in TfToOnnxAdapter().supports(LITERT_CASES[0].spec, "float64")


# ------------------------------------------------------------- ExecuTorch
EXECUTORCH_CASES = [   # 1-D and 2-D (its kernels' ranks): groups, a dilation, asymmetric crops
    LITERT_CASES[0],
    SHIFTED,
    Case(Spec(3, 2, (3, 4), (2, 3), ((1, 1), (2, 3)), (1, 2)), (1, 3, 4, 3), 2),
]


@pytest.mark.parametrize("selector, implementation", [("executorch", "XNNPACK delegate"),
                                                      ("executorch[portable]", "portable kernels")])
@pytest.mark.parametrize("case", EXECUTORCH_CASES, ids=["1-D", "2-D grouped", "2-D dilated"])
def test_executorch_runs_the_lowered_program_in_its_ranks(selector, implementation, case):
    """torch[nn]'s computation, exported, lowered and run by ExecuTorch's
    runtime (the delegate or kernels that ran noted): it passes."""
    from convt_suite.adapters.registry import load

    need("torch", "executorch")
    record = check_forward(load(selector), case, "float32")
    assert record["outcome"] == "passed", record
    assert {k["implementation"] for k in record["kernels"]} == {implementation}, record["kernels"]


def test_executorch_judges_what_its_runtime_returned_and_a_misread_output_is_caught():
    """Planted: the program's output read flipped along its last axis."""
    from convt_suite.adapters.executorch import ExecuTorchAdapter

    need("torch", "executorch")

    class Flipped(ExecuTorchAdapter):
        name = "planted:executorch-flipped"

        def _run(self, program, xt, dtype):
            return super()._run(program, xt, dtype).flip(-1)

    failed = check_forward(Flipped(), SHIFTED, "float32")
    assert failed["outcome"] == "failed" and failed["failure"] == "values", failed


def test_executorch_declines_what_its_runtime_or_delegate_does_not_run():
    """3-D (its convolution kernels take 3-D and 4-D tensors), and for the
    XNNPACK adapter the dtypes XNNPACK's partitioner leaves to the portable
    kernels, which executorch[portable] checks; neither has gradients."""
    from convt_suite.adapters.base import Decline
    from convt_suite.adapters.executorch import ExecuTorchAdapter

    need("torch", "executorch")
    xnnpack, portable = ExecuTorchAdapter(), ExecuTorchAdapter(delegate=False)
    three_d = LITERT_CASES[3].spec
    for adapter in (xnnpack, portable):
        assert "Expect input tensor to be 3-D or 4-D, but got, 5." in adapter.supports(three_d, "float32")
    assert "leaves bfloat16 to the portable kernels" in xnnpack.supports(SHIFTED.spec, "bfloat16")
    assert portable.supports(SHIFTED.spec, "bfloat16") is None
    weight, bias = np.ones((2, 2, 3, 3), np.float32), np.ones(4, np.float32)
    with pytest.raises(Decline, match="no gradients"):
        xnnpack.vjp(np.ones((1, 2, 4, 5), np.float32), weight, bias, SHIFTED.spec,
                          np.ones((1, 4, 8, 8), np.float32))


# ------------------------------------------------------------- onnx2keras
def test_onnx2keras_converts_and_runs_what_it_maps_and_a_misread_output_is_caught():
    """A 2-D node with symmetric pads onnx2keras maps (Conv2DTranspose, then
    Cropping2D) passes, its layers noted; planted: the model's output read
    flipped along its last axis, caught."""
    from convt_suite.adapters.onnx2keras import OnnxToKerasAdapter

    need("onnx2keras", "keras", "tensorflow")
    case = Case(Spec(2, 3, (3, 3), (2, 2), ((1, 1), (1, 1))), (1, 2, 4, 5), 3)
    record = check_forward(OnnxToKerasAdapter(), case, "float32")
    assert record["outcome"] == "passed", record
    assert [k["primitive"] for k in record["kernels"]] == ["Conv2DTranspose", "Cropping2D"], record["kernels"]

    class Flipped(OnnxToKerasAdapter):
        name = "planted:onnx2keras-flipped"

        def _run(self, model, tensors):
            return super()._run(model, tensors)[..., ::-1].copy()

    failed = check_forward(Flipped(), case, "float32")
    assert failed["outcome"] == "failed" and failed["failure"] == "values", failed


# ------------------------------------------------------------------ budget
class Costly(ZeroInsertionAdapter):
    name = "costly"
    case_share = 4
    case_share_reason = "a test's stand-in for an exporter"


class Costlier(Costly):
    name = "costlier"
    case_share = 16


def test_a_costly_adapter_runs_its_stated_share_and_says_so():
    """1/share of the (kind, dtype, case) grid: a share of 4 or more runs each
    kind in one dtype (the others skip, naming the budget and how to run them
    all), with what is left of the share taken from its cases; the records
    say so and the live progress plans as many."""
    from convt_suite import checks
    from convt_suite.checks.test_sweep import _run
    from convt_suite.sweeps.phases import Exploration

    examples = settings().max_examples
    for adapter, share, fixed_wanted, explored_wanted in (
            (ZeroInsertionAdapter(), 1, examples, 8),
            (Costly(), 4, examples, 8),                           # a quarter: one dtype in four
            (Costlier(), 16, max(examples // 4, 2), 2)):           # and a quarter of its cases
        chosen = checks.sweep_dtypes("forward", share)
        assert sorted(chosen) == (sorted(DTYPES) if share == 1 else ["float32"]), chosen
        for dtype in DTYPES:
            records = []
            planned = checks.planned("test_forward_matches_oracle", examples, 8, share, dtype)
            if dtype not in chosen:
                with pytest.raises(pytest.skip.Exception, match="outside the main job's budget"
                                   ".*checks forward in float32.*thorough"):
                    _run("forward", adapter, dtype, records.append, Exploration(examples=8, seed=1))
                assert records == [] and planned == 0
                continue
            _run("forward", adapter, dtype, records.append, Exploration(examples=8, seed=1))
            fixed = [r for r in records if r["phase"] == "fixed"]
            explored = [r for r in records if r["phase"] == "explore"]
            assert (len(fixed), len(explored)) == (fixed_wanted, explored_wanted), adapter.name
            assert planned == len(fixed) + len(explored)
            budgets = {r.get("budget") for r in records}
            how = {1: None, 4: "1/4 of the cases (one dtype a kind)",
                   16: "1/16 of the cases (one dtype a kind, 1/4 of its cases)"}[share]
            assert budgets == ({None} if share == 1 else {f"{how}: a test's stand-in for an exporter"})


def test_a_costly_adapter_meets_every_dtype_across_its_kinds():
    from convt_suite import checks

    # the live progress reads the dtype from the test id
    assert checks.dtype_of("t.py::test_vjp_matches_oracle[torch[compile]-bfloat16]") == "bfloat16"
    assert checks.dtype_of("t.py::test_edge_shapes[keras[jax]-1x1 input-vjp]") is None

    for share, each in ((1, 4), (2, 2), (3, 2), (4, 1), (16, 1), (64, 1)):
        chosen = [checks.sweep_dtypes(kind, share) for kind in checks.SWEEP_KINDS]
        assert {len(dtypes) for dtypes in chosen} == {each}
        assert {d for dtypes in chosen for d in dtypes} == set(DTYPES)
        if share & (share - 1) == 0:   # what is left of the share per sweep: 1/share of the grid
            for kind in checks.SWEEP_KINDS:
                assert checks.case_share(kind, share) * len(DTYPES) // each == share, (kind, share)


class CostlyInTwoDtypes(Costly):
    """As ONNX Runtime: no float64 or bfloat16 kernel."""
    name = "costly-in-two-dtypes"
    case_share = 32

    def supports(self, spec, dtype):
        return None if dtype in ("float32", "float16") else f"no {dtype} kernel"


def test_a_costly_adapter_rotates_over_the_dtypes_it_computes():
    """Its kinds take turns over the dtypes it computes (asked of it), not
    over dtypes it would decline: each kind still runs."""
    from convt_suite import checks
    from convt_suite.checks.test_sweep import EDGE_CASES, _run, computed_dtypes, edge_dtypes
    from convt_suite.sweeps.phases import Exploration

    adapter = CostlyInTwoDtypes()
    computed = computed_dtypes(adapter)
    assert computed == ("float16", "float32")
    chosen = {kind: checks.sweep_dtypes(kind, 32, computed) for kind in checks.SWEEP_KINDS}
    assert chosen["forward"] == ("float32",) and chosen["vjp"] == ("float16",)
    assert {d for dtypes in chosen.values() for d in dtypes} == {"float16", "float32"}
    assert {d for edge in EDGE_CASES for kind in ("forward", "vjp")
            for d in edge_dtypes(edge, kind, 32, computed)} == {"float16", "float32"}
    # 1/32 of the grid: one of its two dtypes a kind, 1/16 of the cases
    assert checks.case_share("forward", 32, computed) == 16
    records = []
    _run("forward", adapter, "float32", records.append, Exploration(examples=8, seed=1))
    assert [r["phase"] for r in records].count("fixed") == max(settings().max_examples // 16, 2)
    assert {r["outcome"] for r in records} == {"passed"}


def test_the_thorough_profile_runs_a_costly_adapter_whole():
    from convt_suite.checks import share_of

    thorough = settings.get_profile("thorough").max_examples
    assert share_of(Costly(), thorough) == 1 and share_of(Costly(), 25) == 4
    assert share_of(ZeroInsertionAdapter(), 25) == 1


def test_a_costly_adapter_runs_its_share_of_the_edge_shapes_in_every_dtype_together():
    """Each edge shape and kind: all four dtypes, or a share of them for a
    costly adapter, rotated so that the edges together meet every dtype; the
    records say so."""
    from convt_suite.checks.test_sweep import EDGE_CASES, edge_dtypes, test_edge_shapes

    for share, each in ((1, 4), (2, 2), (4, 1), (16, 1)):
        chosen = [edge_dtypes(edge, kind, share) for edge in EDGE_CASES for kind in ("forward", "vjp")]
        assert {len(dtypes) for dtypes in chosen} == {each}
        assert {d for dtypes in chosen for d in dtypes} == set(DTYPES)
    records = []
    test_edge_shapes(Costly(), "1x1 input", "vjp", records.append, (1, 2, 3))
    assert [r["dtype"] for r in records] == list(edge_dtypes("1x1 input", "vjp", 4))
    assert {r["budget"] for r in records} == {"1/4 of the cases (one dtype a kind): a test's stand-in for an exporter"}
