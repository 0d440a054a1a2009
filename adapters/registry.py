"""Built-in adapters by name, and plug-ins by `package.module:attribute`.

`--adapter NAME` picks a built-in; `--adapter package.module:attribute` loads
any object meeting the adapter contract (an instance, or a class or factory
taking no arguments). Loading a built-in never imports its framework: that
happens on first use, so a missing framework makes one adapter unavailable
and the rest still run.
"""

from __future__ import annotations

import importlib
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import AdapterContract

BUILTINS = {
    "torch": ("convt_suite.adapters.torch", "TorchAdapter", ()),
    "torch[nn]": ("convt_suite.adapters.torch", "TorchModuleAdapter", ()),
    "tensorflow": ("convt_suite.adapters.tensorflow", "TensorFlowAdapter", ()),
    "jax": ("convt_suite.adapters.jax", "JaxAdapter", ()),
    "keras": ("convt_suite.adapters.keras", "KerasAdapter", ()),  # the process's Keras backend
    "keras[tensorflow]": ("convt_suite.adapters.keras", "KerasAdapter", ("tensorflow",)),
    "keras[jax]": ("convt_suite.adapters.keras", "KerasAdapter", ("jax",)),
    "keras[torch]": ("convt_suite.adapters.keras", "KerasAdapter", ("torch",)),
    # a one-node ONNX model: ONNX Runtime at the newest ConvTranspose opset and at 11,
    # and onnx's reference evaluator (the specification's own reading)
    "onnxruntime": ("convt_suite.adapters.onnx", "OnnxRuntimeAdapter", ()),
    "onnxruntime[opset11]": ("convt_suite.adapters.onnx", "OnnxRuntimeAdapter", (11,)),
    "onnx[reference]": ("convt_suite.adapters.onnx", "OnnxReferenceAdapter", ()),
    # deployment runtimes: the same one-node ONNX model compiled by OpenVINO for its CPU plugin
    "openvino": ("convt_suite.adapters.openvino", "OpenVinoAdapter", ()),
    # ... and nn.ConvTranspose converted from PyTorch by ov.convert_model
    "openvino[torch]": ("convt_suite.adapters.openvino", "OpenVinoTorchAdapter", ()),
    # LiteRT: the tensorflow adapter's computation converted by TFLiteConverter, interpreted
    # with XNNPACK (the default delegate) and with the reference kernels
    "litert": ("convt_suite.adapters.litert", "LiteRtAdapter", ()),
    "litert[reference]": ("convt_suite.adapters.litert", "LiteRtReferenceAdapter", ()),
    # ... and a Keras Functional model holding the layer, converted by TFLiteConverter.from_keras_model
    "litert[keras]": ("convt_suite.adapters.litert", "LiteRtKerasAdapter", ()),
    # converters: the tensorflow adapter's computation converted to ONNX by tf2onnx, run in ONNX Runtime
    "tensorflow[onnx]": ("convt_suite.adapters.tf2onnx", "TfToOnnxAdapter", ()),
    # ... and the ONNX adapters' model converted to a Keras model by onnx2keras, run by predict
    "onnx[keras]": ("convt_suite.adapters.onnx2keras", "OnnxToKerasAdapter", ()),
    # ExecuTorch: what torch[nn] computes, exported and lowered for the XNNPACK delegate and
    # for the portable kernels, run by ExecuTorch's runtime
    "executorch": ("convt_suite.adapters.executorch", "ExecuTorchAdapter", ()),
    "executorch[portable]": ("convt_suite.adapters.executorch", "ExecuTorchAdapter", (False,)),
    # nn.ConvTranspose2d exported by torch.onnx.export (the dynamo exporter, and the
    # TorchScript one), run in ONNX Runtime
    "torch[onnx]": ("convt_suite.adapters.torch_onnx", "TorchOnnxAdapter", ()),
    "torch[onnx-torchscript]": ("convt_suite.adapters.torch_onnx", "TorchOnnxAdapter", (False,)),
    # compiled modes: the adapter's whole computation compiled, forward and gradients
    "torch[compile]": ("convt_suite.adapters.torch", "TorchCompileAdapter", ()),
    "jax[jit]": ("convt_suite.adapters.jax", "JaxJitAdapter", ()),
    "tensorflow[xla]": ("convt_suite.adapters.tensorflow", "TensorFlowXlaAdapter", ()),
    # the frameworks' own test references: Keras's np_conv2d_transpose, PyTorch's OpInfo conv_transpose_ref
    "keras-test-reference": ("convt_suite.adapters.framework_references", "KerasTestReferenceAdapter", ()),
    "torch-opinfo-reference": ("convt_suite.adapters.framework_references", "TorchOpInfoReferenceAdapter", ()),
}
# every built-in a run checks by default: Keras on each of its backends (each
# adapter runs in a worker process of its own, so one run holds them all)
DEFAULT = ("torch", "torch[nn]", "tensorflow", "jax",
           "keras[tensorflow]", "keras[jax]", "keras[torch]",
           "onnxruntime", "onnxruntime[opset11]", "onnx[reference]", "openvino", "openvino[torch]",
           "litert", "litert[reference]", "litert[keras]", "tensorflow[onnx]",
           "executorch", "executorch[portable]",
           "torch[onnx]", "torch[onnx-torchscript]", "torch[compile]", "jax[jit]", "tensorflow[xla]",
           "keras-test-reference", "torch-opinfo-reference")
# workers run without ONEDNN_VERBOSE: OpenVINO's CPU plugin (its own oneDNN) failed to
# execute most Deconvolution primitives of a sweep with it set ("could not execute a
# primitive"; each alone ran), and the adapter reads its kernels from the compiled model
WITHOUT_ONEDNN_VERBOSE = ("openvino", "openvino[torch]")
REQUIRED = ("name", "supports", "forward", "vjp")
_KERAS_BACKEND = re.compile(r"^keras\[(\w+)\]$")


def keras_backend(selector: str) -> str | None:
    """The Keras backend a selector names ("keras[jax]" -> "jax"), or None."""
    match = _KERAS_BACKEND.match(selector)
    return match.group(1) if match else None


def load(selector: str) -> AdapterContract:
    """An adapter from a built-in name or `package.module:attribute`."""
    if selector in BUILTINS:
        module, attribute, args = BUILTINS[selector]
        return getattr(importlib.import_module(module), attribute)(*args)
    if ":" not in selector:
        raise ValueError(
            f"--adapter {selector!r}: not a built-in ({', '.join(BUILTINS)}) and not of the "
            f"form package.module:attribute"
        )
    module_name, _, attribute = selector.partition(":")
    try:
        target = getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as err:
        raise ValueError(f"--adapter {selector!r}: cannot load it ({err})") from err
    adapter = target
    if isinstance(target, type) or not hasattr(target, "forward"):
        try:
            adapter = target()  # a class or a factory taking no arguments
        except Exception as err:
            raise ValueError(
                f"--adapter {selector!r}: not an adapter instance, and calling it with no "
                f"arguments failed ({type(err).__name__}: {err})"
            ) from err
    missing = [name for name in REQUIRED if not hasattr(adapter, name)]
    if missing:
        raise ValueError(
            f"--adapter {selector!r}: the object lacks {', '.join(missing)}; an adapter needs "
            f"name, supports(spec, dtype), forward(x, weight, bias, spec) and vjp(...)"
        )
    return adapter


def load_all(selectors=None) -> list[AdapterContract]:
    """The selected adapters (default: every built-in), with unique names."""
    return check_unique([load(s) for s in (selectors or DEFAULT)])


def check_unique(adapters: list) -> list:
    names = [a.name for a in adapters]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(f"--adapter: names must be unique, got {', '.join(duplicated)} twice")
    return adapters
