"""ONNX: a one-node `ConvTranspose` model built with onnx's helpers, run by
ONNX Runtime on CPU ("onnxruntime", at the newest ConvTranspose opset, and
"onnxruntime[opset11]", the oldest still common) or by onnx's own
`ReferenceEvaluator`, the specification's executable reading ("onnx[reference]").

The weight layout is the canonical one, (C_in, C_out // group, kH, kW), and
`group` is native. The crops map to explicit `pads` and `output_padding`:
crops (before, after) are pads (before, after) when after >= 0, else pads
(before, 0) and output_padding -after, which ONNX Runtime takes only below
the stride. What else a spec needs (a negative before-crop, a longer
extension) is composed: the model with those crops left undone and no bias,
then the rest cropped and zero-padded in numpy, then the bias. Both runtimes
infer only: no gradients.

Which dtypes a runtime computes is asked of it, not assumed: the first use of
a dtype runs a 1x1 model, and a runtime without a ConvTranspose kernel for it
declines with its own words (ONNX Runtime's CPU kernels are float32 and
float16).
"""

from __future__ import annotations

import functools

import numpy as np

from .base import Adapter, CropPlan, Decline, Plan, numpy_dtype
from .spec import Spec

ONNX_TYPES = {"float16": "FLOAT16", "bfloat16": "BFLOAT16", "float32": "FLOAT", "float64": "DOUBLE"}


def onnx_crops(spec: Spec, input_size=None) -> tuple[tuple, tuple, tuple]:
    """(pads per axis (begin, end), output_padding per axis, the crops they
    do): what a ConvTranspose attribute set can state of the spec's crops;
    the rest is composed. Where those crops would leave no output of their
    own (a longer extension after them), none are done: the full output."""
    pads, extra, done = [], [], []
    full = None if input_size is None else spec.full_size(input_size)
    for axis, ((before, after), stride) in enumerate(zip(spec.padding, spec.stride)):
        begin = max(before, 0)
        if after >= 0:
            end, out_pad = after, 0
        else:   # an extension at the end: output_padding, which ONNX Runtime takes below the stride
            end, out_pad = 0, min(-after, stride - 1)
        if full is not None and full[axis] - begin - (end - out_pad) <= 0:
            begin, end, out_pad = 0, 0, 0
        pads.append((begin, end))
        extra.append(out_pad)
        done.append((begin, end - out_pad))
    return tuple(pads), tuple(extra), tuple(done)


def attributes(spec: Spec, pads, output_padding) -> dict:
    """The node's attributes, one entry per spatial axis (pads: every begin,
    then every end, as ONNX orders them)."""
    return {"kernel_shape": list(spec.kernel_size), "strides": list(spec.stride),
            "dilations": list(spec.dilation), "group": spec.groups,
            "pads": [begin for begin, _ in pads] + [end for _, end in pads],
            "output_padding": list(output_padding)}


def native_attributes(call: dict) -> dict:
    """A native case's parameters (convt_suite/core/native.py's "onnx" language)
    as the node's attributes: those the call leaves None, or lacks (a record
    written by hand), are left out."""
    attrs = {"strides": list(call["stride"]), "dilations": list(call["dilation"]),
             "group": call["groups"]}
    if call.get("kernel_shape_given"):
        attrs["kernel_shape"] = list(call["kernel"])
    if call.get("padding") is not None:
        attrs["auto_pad"] = call["padding"]
    if call.get("explicit") is not None:   # (begin, end) per axis: ONNX lists every begin, then every end
        attrs["pads"] = [begin for begin, _ in call["explicit"]] + [end for _, end in call["explicit"]]
    for name, attribute in (("output_padding", "output_padding"), ("output_size", "output_shape")):
        if call.get(name) is not None:
            attrs[attribute] = list(call[name])
    return attrs


def model_bytes(attrs: dict, dtype: str, bias: bool, opset: int, shapes=None) -> bytes:
    """The one-node model: inputs x, w (and b), output y; the inputs'
    shapes are left free unless given (for shape inference)."""
    from onnx import TensorProto, helper

    element = getattr(TensorProto, ONNX_TYPES[dtype])
    names = ["x", "w"] + (["b"] if bias else [])
    shapes = shapes or [None] * len(names)
    node = helper.make_node("ConvTranspose", names, ["y"], **attrs)
    graph = helper.make_graph([node], "conv_transpose",
                              [helper.make_tensor_value_info(n, element, shape)
                               for n, shape in zip(names, shapes)],
                              [helper.make_tensor_value_info("y", element, None)])
    opsets = [helper.make_opsetid("", opset)]
    return helper.make_model(graph, opset_imports=opsets,
                             ir_version=helper.find_min_ir_version_for(opsets)).SerializeToString()


def newest_opset() -> int:
    """The newest ConvTranspose schema the installed onnx defines."""
    import onnx

    return onnx.defs.get_schema("ConvTranspose", onnx.defs.onnx_opset_version()).since_version


class OnnxAdapter(Adapter):
    framework = "onnx"
    ranks = (1, 2, 3)   # ConvTranspose takes 1-D and 3-D inputs, attributes one entry per axis

    def __init__(self, opset: int | None = None):
        super().__init__()
        self._opset = opset
        self._declined: dict[str, str | None] = {}

    @property
    def opset(self) -> int:
        if self._opset is None:
            self._opset = newest_opset()
        return self._opset

    def versions(self):
        import onnx

        return {"onnx": onnx.__version__, "opset": str(self.opset)}

    def _supports(self, spec, dtype):
        if dtype not in self._declined:   # ask the runtime once per dtype
            probe = Spec(1, 1, (1, 1))
            x = np.ones((1, 1, 1, 1), dtype=numpy_dtype(dtype))
            try:
                self._run(self._model(attributes(probe, ((0, 0), (0, 0)), (0, 0)), (x, x)), (x, x))
                self._declined[dtype] = None
            except Exception as err:   # no kernel or no type for it: the runtime's own words
                self._declined[dtype] = (f"{self.name} (opset {self.opset}) does not run ConvTranspose "
                                         f"in {dtype}: {type(err).__name__}: {str(err).strip()[:200]}")
        return self._declined[dtype]

    def plan(self, spec, dtype, input_shape=None):
        pads, output_padding, done = onnx_crops(spec, None if input_shape is None else tuple(input_shape[2:]))
        return Plan.from_reasons(
            "" if done == spec.padding else
            (f"ConvTranspose does crops {done} (pads >= 0, output_padding < stride); the rest of "
             f"{spec.padding} cropped and zero-padded in numpy, then the bias"),
            call={"pads": [list(p) for p in pads], "output_padding": list(output_padding)}, call_crops=done)

    def _evaluate(self, compute, x, weight, bias):
        return compute(x, weight, bias)

    def _differentiate(self, compute, x, weight, bias, grad_out):
        raise Decline(f"{self.name} runs inference only: no gradients")

    def _compute(self, x, weight, bias, spec):
        pads, output_padding, done = onnx_crops(spec, tuple(x.shape[2:]))
        native = done == spec.padding
        with_bias = bias is not None and native
        tensors = (x, weight, bias) if with_bias else (x, weight)
        out = self._run(self._model(attributes(spec, pads, output_padding), tensors), tensors)
        if native:
            return out
        out = CropPlan.between(done, spec.padding).apply(
            out, lambda y, widths: np.pad(y, widths), channels_last=False)
        return out if bias is None else out + bias.reshape(-1, *(1,) * spec.rank)

    # the model's inputs (x, w, b) have no shapes (ONNX Runtime and the evaluator take any);
    # a runtime that compiles for static shapes gets the tensors' own
    static_shapes = False

    def _model(self, attrs: dict, tensors) -> bytes:
        shapes = [list(t.shape) for t in tensors] if self.static_shapes else None
        return model_bytes(attrs, tensors[0].dtype.name, len(tensors) == 3, self.opset, shapes)

    def _run(self, model: bytes, tensors) -> np.ndarray:
        raise NotImplementedError

    native_language = "onnx"

    def _native(self, x, weight, bias, call):
        tensors = (x, weight) if bias is None else (x, weight, bias)
        return self._run(self._model(native_attributes(call), tensors), tensors)

    def _declarers(self, call):
        return {"onnx.shape_inference": functools.partial(self._inferred_shape, call)}

    def _inferred_shape(self, call, x, weight, bias):
        """ONNX's own shape inference (strict) on the node with the tensors'
        shapes: what converters and runtimes plan buffers by."""
        import onnx

        tensors = (x, weight) if bias is None else (x, weight, bias)
        model = onnx.load_from_string(model_bytes(
            native_attributes(call), x.dtype.name, bias is not None, self.opset,
            [list(t.shape) for t in tensors]))
        inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
        output = inferred.graph.output[0].type.tensor_type
        if not output.HasField("shape") or not all(d.HasField("dim_value") for d in output.shape.dim):
            raise ValueError(f"shape inference left the output's shape open: {output.shape}")
        return [d.dim_value for d in output.shape.dim]


class OnnxRuntimeAdapter(OnnxAdapter):
    framework = "onnxruntime"

    def __init__(self, opset: int | None = None):
        super().__init__(opset)
        self.name = "onnxruntime" if opset is None else f"onnxruntime[opset{opset}]"

    def needs(self):
        return ("onnx", "onnxruntime")

    def _load(self):
        import onnx  # noqa: F401  (the model builder)
        import onnxruntime

        onnxruntime.set_default_logger_severity(4)   # its errors are raised: no ANSI log lines too
        return onnxruntime

    def versions(self):
        return {**super().versions(), "onnxruntime": self.module.__version__}

    def _run(self, model, tensors):
        session = _session(self.module, model)
        names = [i.name for i in session.get_inputs()]
        out = session.run(None, dict(zip(names, tensors)))[0]
        # what ONNX Runtime exposes of its choice: the execution provider that ran the node
        self._note_kernel({"library": "ONNX Runtime", "primitive": "ConvTranspose", "direction": "forward",
                           "implementation": session.get_providers()[0], "dtype": str(tensors[0].dtype)})
        return out


def new_session(onnxruntime, model: bytes):
    """An ONNX Runtime session on the CPU for the model, its logging off (its errors are raised)."""
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4
    return onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])


# a session per one-node model: the sweeps ask for one attribute set many times (an exported
# or converted model holds its weights, so is new each check: those use new_session)
_session = functools.lru_cache(maxsize=64)(new_session)


class OnnxReferenceAdapter(OnnxAdapter):
    name = "onnx[reference]"
    framework = "onnx"
    # its ConvTranspose is NumPy loops, no blocked native kernel for the family to reach
    model_scale_share = 32
    model_scale_share_reason = ("onnx's reference evaluator computes ConvTranspose in NumPy loops: "
                                "a model-scale layer takes it seconds, and it has no native kernel")

    def _load(self):
        import onnx
        import onnx.reference  # noqa: F401
        return onnx

    def _run(self, model, tensors):
        from onnx.reference import ReferenceEvaluator

        evaluator = ReferenceEvaluator(model)
        names = ["x", "w", "b"][:len(tensors)]
        return np.asarray(evaluator.run(None, dict(zip(names, tensors)))[0])
