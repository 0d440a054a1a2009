"""OpenVINO: the one-node ONNX `ConvTranspose` model the ONNX adapters build
(adapters/onnx.py: the same pads, output_padding and composition), read by
OpenVINO's ONNX frontend (`Core.read_model`) and compiled for its CPU plugin
with its default configuration, as a user deploying an ONNX file does.

The model's inputs get the tensors' static shapes: the CPU plugin compiles a
ConvTranspose only for a static filter shape ("CPU plug-in doesn't support
Parameter operation with dynamic rank"). The plugin's own choice of precision
is kept (its default INFERENCE_PRECISION_HINT is bfloat16 on CPUs with
avx512_bf16), and each check records what ran: the Deconvolution node's
runtime precision and oneDNN primitive, read from the compiled model.

OpenVINO's Python API takes and gives bfloat16 as 16-bit patterns (numpy has
no bfloat16): the adapter passes ml_dtypes' bfloat16 inputs as tensors of
their bits, and reads the float16-typed result's bits as bfloat16.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from .base import Decline, numpy_dtype
from .onnx import OnnxAdapter, native_attributes
from .torch import TorchModuleAdapter
from .torch_onnx import TorchOnnxAdapter, _module_of


class OpenVinoAdapter(OnnxAdapter):
    name = "openvino"
    framework = "openvino"
    static_shapes = True

    def needs(self):
        return ("onnx", "openvino")

    def _load(self):
        import onnx  # noqa: F401  (the model builder)
        import openvino

        return openvino

    def versions(self):
        return {**super().versions(), "openvino": self.module.get_version()}

    def _run(self, model, tensors):
        compiled, kernels = _compiled(self.module, model)
        for kernel in kernels:
            self._note_kernel(dict(kernel))
        return infer(self.module, compiled, tensors)

    def _declarers(self, call):
        return {"openvino.read_model": functools.partial(self._read_shape, call)}

    def _read_shape(self, call, x, weight, bias):
        """The output shape OpenVINO's ONNX frontend infers as it reads the
        model (static input shapes): what the CPU plugin allocates."""
        tensors = (x, weight) if bias is None else (x, weight, bias)
        model = _core(self.module).read_model(self._model(native_attributes(call), tensors), b"")
        shape = model.output(0).get_partial_shape()
        if not shape.is_static:
            raise ValueError(f"OpenVINO left the output's shape open: {shape}")
        return list(shape.to_shape())


def infer(openvino, compiled, tensors) -> np.ndarray:
    """The compiled model run on numpy arrays, its first output as numpy."""
    request = compiled.create_infer_request()
    request.infer([_tensor(openvino, t) for t in tensors])
    out = request.get_output_tensor(0)
    data = np.array(out.data)
    if out.element_type == openvino.Type.bf16:
        import ml_dtypes

        data = data.view(ml_dtypes.bfloat16)
    return data


def _tensor(openvino, array: np.ndarray):
    """A bfloat16 array as an OpenVINO tensor of its bits (given the ml_dtypes
    array itself, OpenVINO 2026.4 read other values: 1.5 x 2 gave 0.25)."""
    if array.dtype.name != "bfloat16":
        return array
    tensor = openvino.Tensor(openvino.Type.bf16, list(array.shape))
    tensor.data.view(np.uint16)[...] = array.view(np.uint16)
    return tensor


def compile_for_cpu(openvino, model):
    """An ov.Model compiled for the CPU plugin with its defaults, and the
    kernels its Deconvolution nodes run, read from the compiled model."""
    compiled = _core(openvino).compile_model(model, "CPU")
    kernels = tuple({"library": "OpenVINO", "primitive": "Deconvolution", "direction": "forward",
                     "implementation": info["primitiveType"].astype(str),
                     "dtype": info["runtimePrecision"].astype(str)}
                    for info in (op.get_rt_info() for op in compiled.get_runtime_model().get_ops())
                    if info["layerType"].astype(str) == "Deconvolution")
    return compiled, kernels


@functools.lru_cache(maxsize=64)
def _compiled(openvino, model: bytes):
    """A compiled model per ONNX model (the sweeps ask for one attribute set many
    times), read once with its kernels."""
    return compile_for_cpu(openvino, _core(openvino).read_model(model, b""))


@functools.lru_cache(maxsize=1)
def _core(openvino):
    return openvino.Core()


class OpenVinoTorchAdapter(TorchOnnxAdapter):
    """`nn.ConvTranspose{1,2,3}d` converted by `ov.convert_model(module,
    example_input=...)`, as OpenVINO's guide converts a PyTorch model (its
    TorchScript-traced frontend, the input's dimensions left dynamic), and
    compiled for the CPU plugin with its defaults ("openvino[torch]"). What
    it converts is what torch[nn] computes (the module with its weights as
    parameters, or its composed crops); the native sweeps convert the drawn
    module as called. Its declared shape is the converted model's output shape."""

    framework = "openvino"
    # each check converts and compiles a model: 0.3 to 1 s
    case_share = 8
    case_share_reason = "each check converts a module with ov.convert_model and compiles it: 0.3 to 1 s"

    def __init__(self):
        # dynamo=False: the dynamo exporter's share (a thirty-second) is set on
        # the instance and would hide this class's own; nothing here exports ONNX
        super().__init__(dynamo=False)
        self.name = "openvino[torch]"
        self._declined: dict[str, str | None] = {}

    def needs(self):
        return ("torch", "openvino")

    def _load(self):
        import openvino
        import torch

        self._openvino = openvino
        return torch

    def versions(self):
        return {"torch": self.module.__version__, "openvino": self._openvino.get_version()}

    def _supports(self, spec, dtype):
        if dtype not in self._declined:   # ask OpenVINO once per dtype, with a 1x1 module
            x = np.ones((1, 1, 1, 1), dtype=numpy_dtype(dtype))
            try:
                layer = self.module.nn.ConvTranspose2d(1, 1, 1, bias=False, dtype=self.to_torch(x).dtype)
                self._run(self.export(layer, x), x)
                self._declined[dtype] = None
            except Exception as err:   # its own words
                self._declined[dtype] = (f"{self.name} does not convert or run ConvTranspose in {dtype}: "
                                         f"{type(err).__name__}: {str(err).strip()[:200]}")
        return self._declined[dtype]

    def plan(self, spec, dtype):
        plan = TorchModuleAdapter.plan(self, spec, dtype)
        return dataclasses.replace(plan, words=f"{plan.words}, converted by ov.convert_model")

    def _differentiate(self, compute, x, weight, bias, grad_out):
        raise Decline(f"{self.name} runs in OpenVINO, which infers only: no gradients")

    def export(self, function, x):
        """The ov.Model of `function(x)` (a module, or a function of x), x the example input."""
        torch = self.module
        module = function if isinstance(function, torch.nn.Module) else _module_of(torch, function)
        with torch.no_grad():
            return self._openvino.convert_model(module.eval(), example_input=(self.to_torch(x),))

    def _run(self, model, x):
        compiled, kernels = compile_for_cpu(self._openvino, model)
        for kernel in kernels:
            self._note_kernel(dict(kernel))
        return infer(self._openvino, compiled, (x,))

    def _declarers(self, call):
        """The converted model's output shape, where OpenVINO states it (its
        dimensions are dynamic unless the example fixed them)."""

        def converted(x, weight, bias):
            wt, bt = self.to_torch(weight), self.to_torch(bias)
            shape = self.export(lambda xt: self._native(xt, wt, bt, call), x).output(0).get_partial_shape()
            if not shape.is_static:
                raise Decline(f"{self.name} leaves the output's shape dynamic ({shape}): it declares none")
            return list(shape.to_shape())

        return {"ov.convert_model": converted}
