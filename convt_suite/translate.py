"""The translator: a layer in one framework's words, the same computation in
every other's, each run against the oracle before it is shown.

    translate("torch", "ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)", (16, 16))

The source is parsed (literal arguments only, by the framework's own
signature) into a native case; `Spec.from_<framework>` says what it computes,
or refuses it with the parameter and the rule. For each target the native
parameters come from the adapters' own inverse maps (the ones the sweeps
prove); a target that cannot state the spec in one call gets the composed
form its adapter runs (the call plus a slice, pad or per-group loop), as a
standalone snippet. Either way the code is run, in a worker process of its
own, on random data against the float64 oracle: a translation is *verified*
only when that run passed.
"""

from __future__ import annotations

import ast
import json
import dataclasses
from dataclasses import dataclass

import numpy as np

from adapters import jax as jax_adapter
from adapters import keras as keras_adapter
from adapters import onnx as onnx_adapter
from adapters import tensorflow as tf_adapter
from adapters import torch as torch_adapter
from adapters import oracle
from adapters.spec import Spec, _pair

from .cases import Case
from .native import NativeCase
from .overlap import overlap

DTYPE = "float32"   # what users run; the bound is float32's


@dataclass(frozen=True)
class Source:
    """How one framework's call is written: the name, its positional
    parameters in order, their defaults, and the native case's names."""
    language: str
    names: tuple[str, ...]
    positional: tuple[str, ...]
    defaults: dict
    rename: dict


SOURCES = {
    "torch": (
        Source("torch.nn", ("ConvTranspose2d",),
               ("in_channels", "out_channels", "kernel_size", "stride", "padding",
                "output_padding", "groups", "bias", "dilation"),
               dict(stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1),
               dict(kernel_size="kernel")),
        # the weight as its shape, (C_in, C_out // groups, kH, kW); the bias a name or None
        Source("torch", ("conv_transpose2d",),
               ("input", "weight", "bias", "stride", "padding", "output_padding", "groups",
                "dilation"),
               dict(bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1), {}),
    ),
    "keras": (Source("keras", ("Conv2DTranspose",),
                     ("filters", "kernel_size", "strides", "padding", "output_padding"),
                     dict(strides=1, padding="valid", output_padding=None, dilation_rate=1,
                          use_bias=True),
                     dict(filters="out_channels", kernel_size="kernel", strides="stride",
                          dilation_rate="dilation", use_bias="bias")),),
    # the filter and the output as their shapes: (kH, kW, C_out, C_in) and NHWC
    "tensorflow": (Source("tensorflow", ("conv2d_transpose", "conv_transpose"),
                          ("filters", "output_shape", "strides", "padding"),
                          dict(padding="SAME", dilations=1),
                          dict(strides="stride", dilations="dilation")),),
    # rhs as its shape, (C_in, C_out, kH, kW): 'OIHW' with transpose_kernel=True
    "jax": (Source("jax", ("conv_transpose",), ("rhs", "strides", "padding"),
                   dict(rhs_dilation=(1, 1)), dict(strides="stride", rhs_dilation="dilation")),),
    # a ConvTranspose node: its inputs W as its shape (C_in, C_out // group, kH, kW) and B
    # (given or not), its attributes as keywords, as onnx.helper.make_node takes them
    "onnx": (Source("onnx", ("ConvTranspose",), ("W",),
                    dict(B=None, auto_pad=None, dilations=(1, 1), group=1, kernel_shape=None,
                         output_padding=None, output_shape=None, pads=None, strides=(1, 1)),
                    dict(B="bias", auto_pad="padding", dilations="dilation", group="groups",
                         output_shape="output_size", strides="stride")),),
}
# what each framework's layer or call has beside its parameters: ignored by the translation
IGNORED = {"data_format", "activation", "name", "dtype", "device", "padding_mode",
           "dimension_numbers", "transpose_kernel", "input", "lhs", "x"}
# how a source's own words name what Spec.from_<framework> calls otherwise, for its refusals
OWN_WORDS = {"tensorflow": (("output_size=", "output_shape's (H, W)="),)}


def _value(key, node, name):
    if key == "bias" and isinstance(node, ast.Name):   # F.conv_transpose2d(x, w, b): a bias is given
        return True
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise ValueError(f"{name}: {key}={ast.unparse(node)} must be a literal value") from None


def _arguments(tree, positional, name) -> dict:
    if len(tree.args) > len(positional):
        raise ValueError(f"{name}: at most {len(positional)} positional arguments "
                         f"({', '.join(positional)})")
    given = {}
    for key, node in [*zip(positional, tree.args), *((kw.arg, kw.value) for kw in tree.keywords)]:
        if key is None:
            raise ValueError(f"{name}: **kwargs cannot be translated; write the arguments out")
        if key in given:
            raise ValueError(f"{name}: {key} given twice")
        given[key] = None if key in IGNORED else _value(key, node, name)
    return given


def parse(language: str, text: str, input_size, in_channels: int | None = None,
          seed: int = 0) -> NativeCase:
    """The native case a source call states; ValueError naming what is wrong."""
    if language not in SOURCES:
        raise ValueError(f"--from {language!r}: must be one of {', '.join(SOURCES)}")
    sources = SOURCES[language]
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as err:
        raise ValueError(f"layer {text!r}: not a Python call ({err.msg})") from None
    if not isinstance(tree, ast.Call):
        raise ValueError(f"layer {text!r}: must be a call, e.g. {sources[0].names[0]}(...)")
    forward = None
    if isinstance(tree.func, ast.Call):   # a layer called: ConvTranspose2d(...)(x, output_size=...)
        tree, forward = tree.func, tree
    name = ast.unparse(tree.func).rsplit(".", 1)[-1]
    source = next((s for s in sources if name in s.names), None)
    if source is None:
        names = [n for s in sources for n in s.names]
        raise ValueError(f"layer {text!r}: {language} calls here are {', '.join(names)}, not {name}")
    given = _arguments(tree, source.positional, name)
    args = {**source.defaults, **{k: v for k, v in given.items() if k not in IGNORED}}
    known = set(source.positional) | set(source.defaults)
    unknown = sorted(set(args) - known)
    if unknown:
        raise ValueError(f"{name}: unknown argument(s) {unknown} (known: {', '.join(sorted(known))})")
    missing = [key for key in source.positional if key not in args and key not in IGNORED]
    if missing:
        raise ValueError(f"{name}: missing {', '.join(missing)}")
    call = {source.rename.get(key, key): value for key, value in args.items()}
    call = _BUILD[source.language](call, in_channels, name)
    if forward is not None:
        call = _forward_call(call, forward, source, name)
    size = tuple(_pair("input size", tuple(input_size)))
    return NativeCase(source.language, tuple(call.items()), (1, call["in_channels"], *size), seed)


def _forward_call(call, forward, source, name):
    """ConvTranspose2d(...)(x) or (x, output_size=...): the module's forward."""
    if source.language != "torch.nn":
        raise ValueError(f"{name}(...)(...): only a torch module is called like this")
    given = _arguments(forward, ("input", "output_size"), f"{name}.forward")
    if "input" not in given:
        raise ValueError(f"{name}.forward: missing its input")
    size = given.get("output_size")
    if size is not None:
        if not (isinstance(size, (list, tuple)) and len(size) in (2, 4)):
            raise ValueError(f"{name}.forward: output_size must be [H, W] or [N, C, H, W], not {size!r}")
        call["output_size"] = tuple(size)
    return call


def _torch_call(call, in_channels, name):
    if in_channels is not None and in_channels != call["in_channels"]:
        raise ValueError(f"--channels {in_channels}: {name} says in_channels={call['in_channels']}")
    return call


def _torch_functional_call(call, in_channels, name):
    weight = call.pop("weight")
    if not (isinstance(weight, (list, tuple)) and len(weight) == 4):
        raise ValueError(f"{name}: weight must be given as its shape (C_in, C_out // groups, kH, kW), "
                         f"not {weight!r}")
    call["bias"] = call["bias"] not in (None, False)
    built = {"in_channels": weight[0], "out_channels": weight[1] * call["groups"],
             "kernel": tuple(weight[2:]), **call}
    return _torch_call(built, in_channels, name)


def _keras_call(call, in_channels, name):
    if in_channels is None:
        raise ValueError(f"{name}: the layer does not state its input channels: give --channels")
    return {"in_channels": in_channels, **call, "entry": "layer"}


def _tensorflow_call(call, in_channels, name):
    filters, output = call.pop("filters"), call.pop("output_shape")
    if not (isinstance(filters, (list, tuple)) and len(filters) == 4):
        raise ValueError(f"{name}: filters must be given as its shape (kH, kW, C_out, C_in), not {filters!r}")
    if not (isinstance(output, (list, tuple)) and len(output) in (2, 4)):
        raise ValueError(f"{name}: output_shape must be [N, H, W, C] or [H, W], not {output!r}")
    padding = call["padding"]
    if not isinstance(padding, str):   # explicit NHWC pairs
        pads = [tuple(p) for p in padding]
        if len(pads) != 4 or pads[0] != (0, 0) or pads[3] != (0, 0):
            raise ValueError(f"{name}: explicit padding must be [[0, 0], [t, b], [l, r], [0, 0]]")
        call["explicit"], padding = (pads[1], pads[2]), "EXPLICIT"
    return {"in_channels": filters[3], "out_channels": filters[2], "kernel": tuple(filters[:2]),
            **call, "padding": padding, "output_size": tuple(output[1:3] if len(output) == 4 else output),
            "bias": False, "entry": name}


def _jax_call(call, in_channels, name):
    rhs = call.pop("rhs")
    if not (isinstance(rhs, (list, tuple)) and len(rhs) == 4):
        raise ValueError(f"{name}: rhs must be given as its shape (C_in, C_out, kH, kW), not {rhs!r}")
    padding = call["padding"]
    if not isinstance(padding, str):
        padding = tuple(tuple(p) for p in padding)
    return {"in_channels": rhs[0], "out_channels": rhs[1], "kernel": tuple(rhs[2:]),
            **call, "padding": padding, "pairs_as": "tuples", "bias": False}


def _onnx_call(call, in_channels, name):
    weight, pads, kernel = call.pop("W"), call.pop("pads"), call.pop("kernel_shape")
    if not (isinstance(weight, (list, tuple)) and len(weight) == 4):
        raise ValueError(f"{name}: W must be given as its shape (C_in, C_out // group, kH, kW), "
                         f"not {weight!r}")
    if kernel is not None and tuple(kernel) != tuple(weight[2:]):
        raise ValueError(f"{name}: kernel_shape={list(kernel)} is not W's (kH, kW) = {list(weight[2:])}")
    if pads is not None and not (isinstance(pads, (list, tuple)) and len(pads) == 4):
        raise ValueError(f"{name}: pads must be [top, left, bottom, right], not {pads!r}")
    built = {"in_channels": weight[0], "out_channels": weight[1] * call["groups"],
             "kernel": tuple(weight[2:]), **call,
             "stride": tuple(_pair("strides", call["stride"])),
             "dilation": tuple(_pair("dilations", call["dilation"])),
             "explicit": None if pads is None else ((pads[0], pads[2]), (pads[1], pads[3])),
             "output_padding": None if call["output_padding"] is None else tuple(call["output_padding"]),
             "output_size": None if call["output_size"] is None else tuple(call["output_size"]),
             "kernel_shape_given": kernel is not None, "bias": call["bias"] not in (None, False)}
    return _torch_call(built, in_channels, name)


_BUILD = {"torch.nn": _torch_call, "torch": _torch_functional_call, "keras": _keras_call,
          "tensorflow": _tensorflow_call, "jax": _jax_call, "onnx": _onnx_call}


# ------------------------------------------------------------ the targets
def _geometry(spec: Spec) -> dict:
    return {"in_channels": spec.in_channels, "out_channels": spec.out_channels,
            "kernel": spec.kernel_size, "stride": spec.stride, "dilation": spec.dilation,
            "bias": spec.bias}


def _torch_target(spec, size):
    params = torch_adapter.native_params(spec)
    if params is None:
        return None
    return {**_geometry(spec), "padding": params[0], "output_padding": params[1], "groups": spec.groups}


def _tensorflow_target(spec, size):
    if spec.groups != 1:
        return None
    call = tf_adapter.plan_call(spec, DTYPE, size)
    if call.done != spec.padding or call.dilate_kernel:
        return None
    padding, explicit = call.padding, None
    if not isinstance(padding, str):
        explicit, padding = (tuple(call.padding[1]), tuple(call.padding[2])), "EXPLICIT"
    target = {**_geometry(spec), "entry": "conv2d_transpose", "padding": padding,
              "output_size": tuple(call.output_size)}
    return target | ({"explicit": explicit} if explicit else {})


def _keras_target(spec, size):
    if spec.groups != 1 or (max(spec.stride) > 1 and max(spec.dilation) > 1):
        return None
    params = keras_adapter.native_params(spec)
    if params is None:
        return None
    return {**_geometry(spec), "entry": "layer", "padding": params[0], "output_padding": params[1]}


def _jax_target(spec, size):
    if spec.groups != 1:
        return None
    padding = jax_adapter.native_padding(spec)
    return None if padding is None else {**_geometry(spec), "padding": padding, "pairs_as": "tuples"}


def _onnx_target(spec, size):
    pads, output_padding, done = onnx_adapter.onnx_crops(spec, size)
    if done != spec.padding:
        return None
    return {**_geometry(spec), "groups": spec.groups, "padding": None, "explicit": pads,
            "output_padding": output_padding if any(output_padding) else None, "output_size": None,
            "kernel_shape_given": True}


@dataclass(frozen=True)
class Target:
    framework: str
    language: str
    selectors: tuple[str, ...]   # the adapters that run it (Keras: on each backend)
    native: object               # spec, input size -> the native call's parameters, or None


TARGETS = (
    Target("PyTorch", "torch.nn", ("torch[nn]",), _torch_target),
    Target("TensorFlow", "tensorflow", ("tensorflow",), _tensorflow_target),
    Target("Keras", "keras", ("keras[tensorflow]", "keras[jax]", "keras[torch]"), _keras_target),
    Target("JAX", "jax", ("jax",), _jax_target),
    # what a served model runs (onnx[reference] cannot compute a group > 1: a known finding)
    Target("ONNX", "onnx", ("onnxruntime",), _onnx_target),
)


def _axis_options(crops, stride, dilation):
    """Crops a call might do on one axis, nearest the target's first:
    (before, after) with before in [0, c0] and after from c1 - max(S, D) up."""
    c0, c1 = crops
    options = [(a, b) for a in range(0, max(c0, 0) + 1)
               for b in range(min(c1, 0) - max(stride, dilation), max(c1, 0) + 1)]
    return sorted(options, key=lambda done: abs(c0 - done[0]) + abs(c1 - done[1]))


def composed_call(target: Target, spec: Spec, size, seed: int = 0):
    """The target's one native call nearest the spec (no bias) and the crops
    still to do after it, ((before, after), ...) with negative appending
    zeros: the shortest composed form. None where no single call of the
    target computes this kernel, stride and dilation (groups, Keras's
    strides with dilation, TF's dilation where it runs without oneDNN)."""
    if spec.groups != 1:
        return None
    per_axis = [_axis_options(c, s, d) for c, s, d in zip(spec.padding, spec.stride, spec.dilation)]
    pairs = sorted(((h, w) for h in per_axis[0] for w in per_axis[1]),
                   key=lambda done: sum(abs(t - d) for pair_t, pair_d in zip(spec.padding, done)
                                        for t, d in zip(pair_t, pair_d)))
    unbiased = dataclasses.replace(spec, bias=False)
    for done in pairs:
        try:
            params = target.native(dataclasses.replace(unbiased, padding=done), size)
        except ValueError:   # no output with these crops
            continue
        if params is not None:
            call = NativeCase(target.language, tuple(params.items()), (1, spec.in_channels, *size), seed)
            remaining = tuple((t0 - d0, t1 - d1) for (t0, t1), (d0, d1) in zip(spec.padding, done))
            return call, remaining
    return None


def plans(source: NativeCase) -> tuple[Spec, list[dict]]:
    """The spec the source computes, and per target what will be run: a
    native case (its spec checked equal to the source's, no framework run
    yet), else the target's nearest native call and the crops left to do,
    else the composed case its adapters run (per group, or a dilated kernel)."""
    spec = source.spec()
    size = source.input_size
    planned = []
    for target in TARGETS:
        params = target.native(spec, size)
        native, nearest = None, None
        if params is not None:
            native = NativeCase(target.language, tuple(params.items()), source.input_shape, source.seed)
            if native.spec() != spec:   # the inverse map must state the same computation
                raise AssertionError(f"{target.framework}: {native.code()} computes {native.spec()}, "
                                     f"not {spec}")
        else:
            nearest = composed_call(target, spec, size, source.seed)
        planned.append({"target": target, "native": native, "nearest": nearest,
                        "composed": None if native or nearest else Case(spec, source.input_shape,
                                                                       source.seed)})
    return spec, planned


def run_plan(planned: dict, adapter, spec: Spec | None = None, input_shape=None) -> dict:
    """Run one target's code on one adapter: the record of its check. The
    nearest call plus crops runs as printed: the framework's call, then the
    crops and the bias in numpy, judged against the oracle."""
    from .compare import check_forward, check_native, judge
    from .pitfalls import Naive, run_naive

    if planned["native"] is not None:
        return check_native(adapter, planned["native"], DTYPE)
    if planned["nearest"] is None:
        return check_forward(adapter, planned["composed"], DTYPE)
    call, remaining = planned["nearest"]
    tensors = Case(spec, tuple(input_shape), call.seed).tensors(DTYPE)
    _, out, refusal = run_naive(Naive(call.language, call.call, crop_output=remaining), tensors,
                                tuple(input_shape), call.seed,
                                forward=lambda x, w, b, case: adapter.native_forward(x, w, b, case.call))
    if out is None:
        return {"outcome": "failed", "failure": "error", "error": refusal}
    return judge(out.astype(np.float32), *tensors, spec, DTYPE)


def translate(language: str, text: str, input_size, in_channels: int | None = None, seed: int = 0,
              adapter_for=None) -> dict:
    """Every framework's form of the source, each run against the oracle.
    `adapter_for(selector)` gives the adapter to run on (default: a worker
    process per adapter, so a framework's crash is that target's failure)."""
    from . import snippets, workers

    source = parse(language, text, input_size, in_channels, seed)
    try:
        spec, planned = plans(source)
    except ValueError as err:   # the source's refusal, in its own words
        message = str(err)
        for theirs, ours in OWN_WORDS.get(language, ()):
            message = message.replace(theirs, ours)
        raise ValueError(message) from None
    if adapter_for is None:
        adapter_for = workers.WorkerAdapter
    targets = []
    for plan in planned:
        target, native, nearest = plan["target"], plan["native"], plan["nearest"]
        runs = {}
        for selector in target.selectors:
            try:
                adapter = adapter_for(selector)
            except Exception as err:   # not installed, or its worker would not start
                runs[selector] = {"outcome": "not run", "reason": f"{type(err).__name__}: {err}"}
                continue
            try:
                record = run_plan(plan, adapter, spec, source.input_shape)
            finally:
                getattr(adapter, "close", lambda: None)()
            runs[selector] = {key: record.get(key) for key in (
                "outcome", "failure", "max_error_over_bound", "error", "reason", "plan")}
            runs[selector]["snippet"] = (None if native or nearest or "case" not in record
                                         else snippets.snippet(record | {"adapter": selector}))
        ran = [r for r in runs.values() if r["outcome"] != "not run"]
        composed = next((r["snippet"] for r in ran if r.get("snippet")), None)
        targets.append({
            "framework": target.framework,
            "native": native is not None,
            "form": "native" if native else "call + crops" if nearest else "composed snippet",
            "code": (native.code() if native else snippets.composed_code(*nearest, spec.bias) if nearest
                     else composed),
            # the code as a standalone program: the tensors, the code, the float64 reference
            "program": program(source, spec, native, nearest, target.selectors[0]) or composed,
            "verified": bool(ran) and all(r["outcome"] == "passed" for r in ran),
            "runs": {s: {k: v for k, v in r.items() if k != "snippet"} for s, r in runs.items()},
        })
    return {"source": {"language": language, "call": text.strip(), "input_shape": list(source.input_shape)},
            "spec": spec.to_dict(), "output_shape": list(spec.output_shape(source.input_shape)),
            "overlap": overlap(spec, source.input_size).describe(), "targets": targets}


def program(source: NativeCase, spec: Spec, native, nearest, selector: str) -> str | None:
    """A native or nearest-call form as a program that prints its error
    against the float64 reference (run it to check the translation yourself)."""
    from . import snippets

    if native is not None:
        return snippets.native_snippet({"case": native.to_dict(), "dtype": DTYPE, "adapter": selector,
                                        "outcome": "translated"})
    if nearest is not None:
        return snippets.composed_snippet(*nearest, spec, Case(spec, source.input_shape, source.seed),
                                         DTYPE, selector)
    return None


# how each framework's code above takes the tensors (x NCHW, w (C_in, C_out // groups, kH, kW))
LAYOUTS = {
    "PyTorch": "x NCHW; the layer's weight is w as it is, (C_in, C_out // groups, kH, kW)",
    "TensorFlow": "x_nhwc = x.transpose(0, 2, 3, 1); w_hwoi = w.transpose(2, 3, 1, 0) (kH, kW, C_out, "
                  "C_in); the output is NHWC",
    "Keras": "x_nhwc = x.transpose(0, 2, 3, 1); kernel = w.transpose(2, 3, 1, 0); the output is NHWC",
    "JAX": "w as it is, read as 'OIHW' with transpose_kernel=True (JAX flips it and swaps its "
           "channel axes)",
    "ONNX": "x NCHW; the node's W is w as it is, (C_in, C_out // group, kH, kW); conv_transpose "
            "builds the one-node model and runs it in ONNX Runtime (the program defines it)",
}


def render(result: dict) -> str:
    """The translation as text: per framework, native or composed, the code,
    and what its run measured."""
    lines = [f"{result['source']['call']}  ({result['source']['language']}, input "
             f"{'x'.join(map(str, result['source']['input_shape'][2:]))}, "
             f"{result['source']['input_shape'][1]} channels) -> output "
             f"{'x'.join(map(str, result['output_shape'][2:]))}",
             f"spec: {Spec.from_dict(result['spec'])}",
             f"checkerboard: {result['overlap']}", ""]
    for target in result["targets"]:
        state = "verified" if target["verified"] else "NOT VERIFIED"
        how = {"native": "native",
               "call + crops": "composed: its nearest call, then the crops it does not do",
               "composed snippet": "composed (no single call states it): the adapter's whole form"}[
                   target.get("form", "native" if target["native"] else "composed snippet")]
        lines.append(f"== {target['framework']}: {how}; {state}")
        for selector, run in target["runs"].items():
            ratio = run.get("max_error_over_bound")
            measured = f"error/bound {ratio:.3g}" if isinstance(ratio, (int, float)) else ""
            why = run.get("failure") or run.get("reason") or ""
            lines.append(f"   {selector}: {run['outcome']} {measured} {why}".rstrip())
        lines.append(f"   layouts: {LAYOUTS[target['framework']]}")
        lines.append(target["code"] or "(no code: nothing ran)")
        lines.append("")
    lines.append("Each form as a standalone program that prints its error against a float64 "
                 "reference: --json, each target's \"program\"; or --program FRAMEWORK.")
    return "\n".join(lines)


def to_json(result: dict) -> str:
    return json.dumps(result, indent=2, default=str)

