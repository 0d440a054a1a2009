"""The ONNX adapters (adapters/onnx.py): the crops map to pads and
output_padding as ONNX defines them, the rest composed; a misread mapping is
caught by the same check the sweeps run; a dtype a runtime has no kernel for
is declined in the runtime's own words, not assumed."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest

from convt_suite.adapters import onnx as onnx_adapter
from convt_suite.adapters.spec import Spec
from convt_suite.core.cases import Case
from convt_suite.core.compare import check_forward

HAVE_ORT = all(importlib.util.find_spec(m) is not None for m in ("onnx", "onnxruntime"))
needs_ort = pytest.mark.skipif(not HAVE_ORT, reason="onnx and onnxruntime are not installed")


@pytest.mark.parametrize("crops, stride, size, pads, output_padding, done", [
    (((1, 0), (1, 0)), (2, 2), (4, 4), ((1, 0), (1, 0)), (0, 0), ((1, 0), (1, 0))),
    # an extension at the end below the stride: output_padding
    (((0, -1), (2, 1)), (2, 2), (4, 4), ((0, 0), (2, 1)), (1, 0), ((0, -1), (2, 1))),
    # a longer extension and a negative before-crop: done as far as ONNX Runtime takes them
    (((-1, -3), (0, 2)), (2, 3), (4, 5), ((0, 0), (0, 2)), (1, 0), ((0, -1), (0, 2))),
    # crops that would leave no output of their own: the full output, all composed
    (((0, 0), (-1, 4)), (3, 4), (1, 1), ((0, 0), (0, 0)), (0, 0), ((0, 0), (0, 0))),
])
def test_crops_map_to_pads_and_output_padding(crops, stride, size, pads, output_padding, done):
    spec = Spec(2, 3, (2, 4), stride, crops)
    assert onnx_adapter.onnx_crops(spec, size) == (pads, output_padding, done)


class PadsSwapped(onnx_adapter.OnnxRuntimeAdapter):
    """ONNX's pads written [begin_h, end_h, begin_w, end_w] instead of [t, l, b, r]."""

    def __init__(self):
        super().__init__()
        self.name = "planted:onnx-pads-swapped"


ATTRIBUTES = onnx_adapter.attributes


def _swapped(spec, pads, output_padding):
    attrs = ATTRIBUTES(spec, pads, output_padding)
    (top, bottom), (left, right) = pads
    return attrs | {"pads": [top, bottom, left, right]}


@needs_ort
def test_a_misread_pads_attribute_is_caught_and_the_adapter_passes(monkeypatch):
    case = Case(Spec(2, 3, (3, 3), (2, 2), ((2, 0), (1, 1))), (1, 2, 4, 5), 3)
    assert check_forward(onnx_adapter.OnnxRuntimeAdapter(), case, "float32")["outcome"] == "passed"
    monkeypatch.setattr(onnx_adapter, "attributes", _swapped)
    failed = check_forward(PadsSwapped(), case, "float32")
    assert failed["outcome"] == "failed" and failed["failure"] in ("shape", "values"), failed


@needs_ort
@pytest.mark.parametrize("dtype, runs", [("float32", True), ("float16", True), ("float64", False),
                                         ("bfloat16", False)])
def test_onnxruntime_is_asked_which_dtypes_it_computes(dtype, runs):
    adapter = onnx_adapter.OnnxRuntimeAdapter()
    reason = adapter.supports(Spec(1, 1, (2, 2)), dtype)
    assert (reason is None) == runs, reason
    if not runs:
        assert f"does not run ConvTranspose in {dtype}" in reason and "ONNXRuntimeError" in reason


@needs_ort
def test_the_opsets_are_the_newest_schema_and_11():
    import onnx

    newest = onnx.defs.get_schema("ConvTranspose", onnx.defs.onnx_opset_version()).since_version
    assert onnx_adapter.OnnxRuntimeAdapter().versions()["opset"] == str(newest)
    assert onnx_adapter.OnnxRuntimeAdapter(11).versions()["opset"] == "11"
    assert onnx_adapter.OnnxRuntimeAdapter(11).name == "onnxruntime[opset11]"


HAVE_OPENVINO = all(importlib.util.find_spec(m) is not None for m in ("onnx", "openvino"))
needs_openvino = pytest.mark.skipif(not HAVE_OPENVINO, reason="onnx and openvino are not installed")

OPENVINO_CASES = [   # one per rank, with groups, dilation, an extension and a composed crop
    Case(Spec(4, 2, (3,), (2,), ((1, -1),), (2,), groups=2), (2, 4, 5), 1),
    Case(Spec(3, 2, (3, 4), (2, 3), ((1, 0), (2, -2)), (1, 2)), (1, 3, 4, 3), 2),
    Case(Spec(2, 3, (2, 3, 2), (2, 1, 2), ((0, 1), (1, 1), (-1, 0))), (1, 2, 2, 3, 2), 3),
]


@needs_openvino
@pytest.mark.parametrize("case", OPENVINO_CASES, ids=["1-D", "2-D", "3-D"])
@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
def test_openvino_computes_the_spec_in_every_rank(case, dtype):
    from convt_suite.adapters.openvino import OpenVinoAdapter

    record = check_forward(OpenVinoAdapter(), case, dtype)
    assert record["outcome"] == "passed", record
    assert record["kernels"][0]["library"] == "OpenVINO", record["kernels"]


@needs_openvino
def test_openvino_bfloat16_goes_in_as_bits_and_a_plain_array_is_caught(monkeypatch):
    from convt_suite.adapters import openvino
    from convt_suite.adapters.openvino import OpenVinoAdapter

    assert check_forward(OpenVinoAdapter(), OPENVINO_CASES[1], "bfloat16")["outcome"] == "passed"
    # planted: bfloat16 arrays handed to OpenVINO as they are (it reads other values)
    monkeypatch.setattr(openvino, "_tensor", lambda module, array: array)
    assert check_forward(OpenVinoAdapter(), OPENVINO_CASES[1], "bfloat16")["outcome"] == "failed"


@needs_openvino
def test_openvino_declares_the_shape_its_frontend_infers():
    import numpy as np

    from convt_suite.adapters.openvino import OpenVinoAdapter

    call = {"in_channels": 1, "out_channels": 1, "kernel": [3, 3], "stride": [2, 2], "dilation": [1, 1],
            "bias": False, "groups": 1, "padding": "SAME_UPPER", "explicit": None, "output_padding": None,
            "output_size": None, "kernel_shape_given": True}
    x, w = np.ones((1, 1, 4, 5), np.float32), np.ones((1, 1, 3, 3), np.float32)
    assert OpenVinoAdapter().native_declared_shapes(x, w, None, call) == {"openvino.read_model": [1, 1, 8, 10]}


def test_an_openvino_worker_runs_without_onednn_verbose(monkeypatch):
    from convt_suite.runtime.workers import _env_for

    monkeypatch.setenv("ONEDNN_VERBOSE", "1")
    assert "ONEDNN_VERBOSE" not in _env_for("openvino")
    assert _env_for("onnxruntime")["ONEDNN_VERBOSE"] == "1"


@pytest.mark.parametrize("case", OPENVINO_CASES, ids=["1-D", "2-D", "3-D"])
@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_openvino_converts_the_torch_module_in_every_rank(case, dtype):
    """nn.ConvTranspose (or its composition) converted by ov.convert_model and
    compiled for the CPU plugin (its Deconvolution kernel noted): it passes."""
    if importlib.util.find_spec("torch") is None or not HAVE_OPENVINO:
        pytest.skip("torch and openvino are not installed")
    from convt_suite.adapters.openvino import OpenVinoTorchAdapter

    record = check_forward(OpenVinoTorchAdapter(), case, dtype)
    assert record["outcome"] == "passed", record
    assert record["kernels"][0]["library"] == "OpenVINO", record["kernels"]


def test_openvino_torch_judges_what_openvino_returned_and_a_misread_output_is_caught(monkeypatch):
    if importlib.util.find_spec("torch") is None or not HAVE_OPENVINO:
        pytest.skip("torch and openvino are not installed")
    from convt_suite.adapters import openvino

    real = openvino.infer
    # planted: the compiled model's output read flipped along its last axis
    monkeypatch.setattr(openvino, "infer", lambda *args: real(*args)[..., ::-1].copy())
    failed = check_forward(openvino.OpenVinoTorchAdapter(), OPENVINO_CASES[1], "float32")
    assert failed["outcome"] == "failed" and failed["failure"] == "values", failed


def test_openvino_torch_declares_no_shape_for_its_dynamic_dimensions():
    if importlib.util.find_spec("torch") is None or not HAVE_OPENVINO:
        pytest.skip("torch and openvino are not installed")
    from convt_suite.adapters.base import Decline
    from convt_suite.adapters.openvino import OpenVinoTorchAdapter

    call = {"language": "torch.nn", "in_channels": 1, "out_channels": 1, "kernel": 3, "stride": 2,
            "padding": 1, "output_padding": 1, "groups": 1, "bias": False, "dilation": 1}
    x, w = np.ones((1, 1, 4, 4), np.float32), np.ones((1, 1, 3, 3), np.float32)
    with pytest.raises(Decline, match=r"dynamic \(\[\?,1,"):
        OpenVinoTorchAdapter()._declarers(call)["ov.convert_model"](x, w, None)


def test_openvino_torch_runs_its_own_share_not_the_exporters():
    """The class it builds on sets the dynamo exporter's share on the instance;
    the OpenVINO adapter states its own, and that is the one it runs."""
    from convt_suite.adapters.openvino import OpenVinoTorchAdapter

    adapter = OpenVinoTorchAdapter()
    assert (adapter.case_share, adapter.case_share_reason) == (
        OpenVinoTorchAdapter.case_share, OpenVinoTorchAdapter.case_share_reason)
    assert "ov.convert_model" in adapter.case_share_reason
