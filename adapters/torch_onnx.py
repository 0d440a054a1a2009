"""PyTorch exported to ONNX and run in ONNX Runtime: what a served model runs.

"torch[onnx]" exports with `torch.onnx.export(..., dynamo=True)` (the default
exporter since PyTorch 2.9, through torch.export and onnxscript);
"torch[onnx-torchscript]" with `dynamo=False`, the TorchScript-based exporter
most converters and tutorials still use. Each check builds what `torch[nn]`
computes (the module with its weights as parameters, or its composed crops),
exports that function of x alone, so the weights become the model's
initializers as in a real export, and runs the model in ONNX Runtime on CPU.

In the native sweeps the module is `nn.ConvTranspose2d(...)` as drawn, called
as `layer(x)` or `layer(x, output_size=...)`: what the exporter makes of
padding, output_padding, dilation, groups and output_size. Its declared shape
is the exported graph's output shape.

ONNX Runtime infers only (no gradients) and computes ConvTranspose in float32
and float16 only (asked of it, as the onnxruntime adapter asks).
"""

from __future__ import annotations

import dataclasses
import io
import logging

from .base import Decline
from .onnx import OnnxRuntimeAdapter, new_session
from .torch import TorchModuleAdapter


def _module_of(torch, function):
    """An nn.Module whose forward is function(x) (made per call: torch is imported late)."""

    class Function(torch.nn.Module):
        def forward(self, x):
            return function(x)

    return Function()


class TorchOnnxAdapter(TorchModuleAdapter):
    framework = "torch"

    def __init__(self, dynamo: bool = True):
        super().__init__()
        self.dynamo = dynamo
        self.name = "torch[onnx]" if dynamo else "torch[onnx-torchscript]"
        self._runtime = OnnxRuntimeAdapter()   # asks ONNX Runtime which dtypes it computes
        if dynamo:   # every check exports a model (figures: docs, performance):
            self.case_share = 32   # a thirty-second of the cases (thorough: all)
            self.case_share_reason = ("each check exports a model with torch.onnx.export(dynamo=True): "
                                      "1 to 2 s")

    def needs(self):
        return ("torch", "onnx", "onnxruntime") + (("onnxscript",) if self.dynamo else ())

    def _load(self):
        import onnx  # noqa: F401
        import onnxruntime
        import torch

        if self.dynamo:
            import onnxscript  # noqa: F401  (the dynamo exporter's op library)
        onnxruntime.set_default_logger_severity(4)   # its errors are raised
        # the exporter's notes on torchvision ops it cannot register: nothing to do with us
        logging.getLogger("torch.onnx._internal.exporter._registration").setLevel(logging.ERROR)
        self._onnxruntime = onnxruntime
        return torch

    def versions(self):
        import onnx

        found = {"torch": self.module.__version__, "onnx": onnx.__version__,
                 "onnxruntime": self._onnxruntime.__version__,
                 "exporter": "dynamo" if self.dynamo else "torchscript"}
        if self.dynamo:
            import onnxscript

            found["onnxscript"] = onnxscript.__version__
        return found

    def _supports(self, spec, dtype):
        return self._runtime._supports(spec, dtype)

    def plan(self, spec, dtype):
        plan = super().plan(spec, dtype)
        return dataclasses.replace(plan, words=f"{plan.words}, exported by torch.onnx.export(dynamo={self.dynamo})")

    # every path (forward, native) runs its torch function exported, in ONNX Runtime
    def _evaluate(self, compute, x, weight, bias):
        wt, bt = self.to_torch(weight), self.to_torch(bias)
        return self._run(self.export(lambda xt: compute(xt, wt, bt), x), x)

    def _with_parameters(self, layer, x, weight, bias, **kwargs):
        """The module holding the tensors as its own parameters (no
        functional_call: the TorchScript exporter traces with torch.jit,
        which refuses it); they become the exported model's initializers."""
        torch = self.module
        layer.weight = torch.nn.Parameter(weight, requires_grad=False)
        if bias is not None:
            layer.bias = torch.nn.Parameter(bias, requires_grad=False)
        return layer(x, **kwargs)

    def _differentiate(self, compute, x, weight, bias, grad_out):
        raise Decline(f"{self.name} runs in ONNX Runtime, which infers only: no gradients")

    def export(self, function, x) -> bytes:
        """The ONNX model of `function(x)`, the example input x (numpy)."""
        torch = self.module
        module, example = _module_of(torch, function).eval(), (self.to_torch(x),)
        with torch.no_grad():
            if self.dynamo:
                return torch.onnx.export(module, example, dynamo=True,
                                         verbose=False).model_proto.SerializeToString()
            buffer = io.BytesIO()
            torch.onnx.export(module, example, buffer, dynamo=False)
            return buffer.getvalue()

    def _run(self, model: bytes, x):
        session = new_session(self._onnxruntime, model)
        return session.run(None, {session.get_inputs()[0].name: x})[0]

    def _declarers(self, call):
        """The exported graph's output shape (the exporter's own shape inference)."""
        import onnx

        def exported(x, weight, bias):
            wt, bt = self.to_torch(weight), self.to_torch(bias)
            model = onnx.load_from_string(self.export(lambda xt: self._native(xt, wt, bt, call), x))
            output = model.graph.output[0].type.tensor_type
            if not all(d.HasField("dim_value") for d in output.shape.dim):
                raise ValueError(f"the exported graph leaves the output's shape open: {output.shape}")
            return [d.dim_value for d in output.shape.dim]

        return {"exported graph": exported}

    # the model machinery is the export itself; saving the model is the export too
    model_machinery = None

    def round_trip_ways(self, call):
        return ()
