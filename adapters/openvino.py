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

import functools

import numpy as np

from .onnx import OnnxAdapter, native_attributes


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
        request = compiled.create_infer_request()
        request.infer([self._tensor(t) for t in tensors])
        out = request.get_output_tensor(0)
        data = np.array(out.data)
        if out.element_type == self.module.Type.bf16:
            import ml_dtypes

            data = data.view(ml_dtypes.bfloat16)
        for kernel in kernels:
            self._note_kernel(dict(kernel))
        return data

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

    def _tensor(self, array: np.ndarray):
        """A bfloat16 array as an OpenVINO tensor of its bits (given the ml_dtypes
        array itself, OpenVINO 2026.4 read other values: 1.5 x 2 gave 0.25)."""
        if array.dtype.name != "bfloat16":
            return array
        tensor = self.module.Tensor(self.module.Type.bf16, list(array.shape))
        tensor.data.view(np.uint16)[...] = array.view(np.uint16)
        return tensor


@functools.lru_cache(maxsize=64)
def _compiled(openvino, model: bytes):
    """A compiled model per ONNX model (the sweeps ask for one attribute set many
    times), and the kernels its Deconvolution nodes run, read once from it."""
    core = _core(openvino)
    compiled = core.compile_model(core.read_model(model, b""), "CPU")
    kernels = tuple({"library": "OpenVINO", "primitive": "Deconvolution", "direction": "forward",
                     "implementation": info["primitiveType"].astype(str),
                     "dtype": info["runtimePrecision"].astype(str)}
                    for info in (op.get_rt_info() for op in compiled.get_runtime_model().get_ops())
                    if info["layerType"].astype(str) == "Deconvolution")
    return compiled, kernels


@functools.lru_cache(maxsize=1)
def _core(openvino):
    return openvino.Core()
