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
from dataclasses import dataclass

from adapters import jax as jax_adapter
from adapters import keras as keras_adapter
from adapters import tensorflow as tf_adapter
from adapters import torch as torch_adapter
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
    "torch": Source("torch.nn", ("ConvTranspose2d",),
                    ("in_channels", "out_channels", "kernel_size", "stride", "padding",
                     "output_padding", "groups", "bias", "dilation"),
                    dict(stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1),
                    dict(kernel_size="kernel")),
    "keras": Source("keras", ("Conv2DTranspose",),
                    ("filters", "kernel_size", "strides", "padding", "output_padding"),
                    dict(strides=1, padding="valid", output_padding=None, dilation_rate=1,
                         use_bias=True),
                    dict(filters="out_channels", kernel_size="kernel", strides="stride",
                         dilation_rate="dilation", use_bias="bias")),
    # the filter and the output as their shapes: (kH, kW, C_out, C_in) and NHWC
    "tensorflow": Source("tensorflow", ("conv2d_transpose", "conv_transpose"),
                         ("filters", "output_shape", "strides", "padding"),
                         dict(padding="SAME", dilations=1), dict(strides="stride", dilations="dilation")),
    # rhs as its shape, (C_in, C_out, kH, kW): 'OIHW' with transpose_kernel=True
    "jax": Source("jax", ("conv_transpose",), ("rhs", "strides", "padding"),
                  dict(rhs_dilation=(1, 1)), dict(strides="stride", rhs_dilation="dilation")),
}
# what each framework's layer or call has beside its parameters: ignored by the translation
IGNORED = {"data_format", "activation", "name", "dtype", "device", "padding_mode",
           "dimension_numbers", "transpose_kernel", "input", "lhs", "x"}


def parse(language: str, text: str, input_size, in_channels: int | None = None,
          seed: int = 0) -> NativeCase:
    """The native case a source call states; ValueError naming what is wrong."""
    if language not in SOURCES:
        raise ValueError(f"--from {language!r}: must be one of {', '.join(SOURCES)}")
    source = SOURCES[language]
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as err:
        raise ValueError(f"layer {text!r}: not a Python call ({err.msg})") from None
    if not isinstance(tree, ast.Call):
        raise ValueError(f"layer {text!r}: must be a call, e.g. {source.names[0]}(...)")
    name = ast.unparse(tree.func).rsplit(".", 1)[-1]
    if name not in source.names:
        raise ValueError(f"layer {text!r}: {language} calls here are {', '.join(source.names)}, not {name}")
    if len(tree.args) > len(source.positional):
        raise ValueError(f"{name}: at most {len(source.positional)} positional arguments "
                         f"({', '.join(source.positional)})")
    given = {}
    for key, node in [*zip(source.positional, tree.args), *((kw.arg, kw.value) for kw in tree.keywords)]:
        if key is None:
            raise ValueError(f"{name}: **kwargs cannot be translated; write the arguments out")
        if key in given:
            raise ValueError(f"{name}: {key} given twice")
        try:
            given[key] = ast.literal_eval(node)
        except ValueError:
            raise ValueError(f"{name}: {key}={ast.unparse(node)} must be a literal value") from None
    args = {**source.defaults, **{k: v for k, v in given.items() if k not in IGNORED}}
    known = set(source.positional) | set(source.defaults)
    unknown = sorted(set(args) - known)
    if unknown:
        raise ValueError(f"{name}: unknown argument(s) {unknown} (known: {', '.join(sorted(known))})")
    missing = [key for key in source.positional if key not in args]
    if missing:
        raise ValueError(f"{name}: missing {', '.join(missing)}")
    call = {source.rename.get(key, key): value for key, value in args.items()}
    call = _BUILD[language](call, in_channels, name)
    size = tuple(_pair("input size", tuple(input_size)))
    return NativeCase(source.language, tuple(call.items()), (1, call["in_channels"], *size), seed)


def _torch_call(call, in_channels, name):
    if in_channels is not None and in_channels != call["in_channels"]:
        raise ValueError(f"--channels {in_channels}: {name} says in_channels={call['in_channels']}")
    return call


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


_BUILD = {"torch": _torch_call, "keras": _keras_call, "tensorflow": _tensorflow_call, "jax": _jax_call}


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
)


def plans(source: NativeCase) -> tuple[Spec, list[dict]]:
    """The spec the source computes, and per target what will be run: a
    native case (its spec checked equal to the source's, no framework run
    yet) or the composed case its adapters run."""
    spec = source.spec()
    size = source.input_size
    planned = []
    for target in TARGETS:
        params = target.native(spec, size)
        native = None
        if params is not None:
            native = NativeCase(target.language, tuple(params.items()), source.input_shape, source.seed)
            if native.spec() != spec:   # the inverse map must state the same computation
                raise AssertionError(f"{target.framework}: {native.code()} computes {native.spec()}, "
                                     f"not {spec}")
        planned.append({"target": target, "native": native,
                        "composed": None if native else Case(spec, source.input_shape, source.seed)})
    return spec, planned


def run_plan(planned: dict, adapter) -> dict:
    """Run one target's code on one adapter: the record of its check."""
    from .compare import check_forward, check_native

    if planned["native"] is not None:
        return check_native(adapter, planned["native"], DTYPE)
    return check_forward(adapter, planned["composed"], DTYPE)


def translate(language: str, text: str, input_size, in_channels: int | None = None, seed: int = 0,
              adapter_for=None) -> dict:
    """Every framework's form of the source, each run against the oracle.
    `adapter_for(selector)` gives the adapter to run on (default: a worker
    process per adapter, so a framework's crash is that target's failure)."""
    from . import snippets, workers

    source = parse(language, text, input_size, in_channels, seed)
    spec, planned = plans(source)
    if adapter_for is None:
        adapter_for = workers.WorkerAdapter
    targets = []
    for plan in planned:
        target, native = plan["target"], plan["native"]
        runs = {}
        for selector in target.selectors:
            try:
                adapter = adapter_for(selector)
            except Exception as err:   # not installed, or its worker would not start
                runs[selector] = {"outcome": "not run", "reason": f"{type(err).__name__}: {err}"}
                continue
            try:
                record = run_plan(plan, adapter)
            finally:
                getattr(adapter, "close", lambda: None)()
            runs[selector] = {key: record.get(key) for key in (
                "outcome", "failure", "max_error_over_bound", "error", "reason", "plan")}
            runs[selector]["snippet"] = None if native else snippets.snippet(record | {"adapter": selector})
        ran = [r for r in runs.values() if r["outcome"] != "not run"]
        targets.append({
            "framework": target.framework,
            "native": native is not None,
            "code": native.code() if native else next(
                (r["snippet"] for r in ran if r.get("snippet")), None),
            "verified": bool(ran) and all(r["outcome"] == "passed" for r in ran),
            "runs": {s: {k: v for k, v in r.items() if k != "snippet"} for s, r in runs.items()},
        })
    return {"source": {"language": language, "call": text.strip(), "input_shape": list(source.input_shape)},
            "spec": spec.to_dict(), "output_shape": list(spec.output_shape(source.input_shape)),
            "overlap": overlap(spec, source.input_size).describe(), "targets": targets}


# how each framework's code above takes the tensors (x NCHW, w (C_in, C_out // groups, kH, kW))
LAYOUTS = {
    "PyTorch": "x NCHW; the layer's weight is w as it is, (C_in, C_out // groups, kH, kW)",
    "TensorFlow": "x_nhwc = x.transpose(0, 2, 3, 1); w_hwoi = w.transpose(2, 3, 1, 0) (kH, kW, C_out, "
                  "C_in); the output is NHWC",
    "Keras": "x_nhwc = x.transpose(0, 2, 3, 1); kernel = w.transpose(2, 3, 1, 0); the output is NHWC",
    "JAX": "w as it is, read as 'OIHW' with transpose_kernel=True (JAX flips it and swaps its "
           "channel axes)",
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
        how = "native" if target["native"] else "composed (no single call states it)"
        lines.append(f"== {target['framework']}: {how}; {state}")
        for selector, run in target["runs"].items():
            ratio = run.get("max_error_over_bound")
            measured = f"error/bound {ratio:.3g}" if isinstance(ratio, (int, float)) else ""
            why = run.get("failure") or run.get("reason") or ""
            lines.append(f"   {selector}: {run['outcome']} {measured} {why}".rstrip())
        lines.append(f"   layouts: {LAYOUTS[target['framework']]}")
        lines.append(target["code"] or "(no code: nothing ran)")
        lines.append("")
    return "\n".join(lines)


def to_json(result: dict) -> str:
    return json.dumps(result, indent=2, default=str)

