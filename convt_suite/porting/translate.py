"""The translator: a layer in one framework's words, the same computation in
every other's, each run against the oracle before it is shown.

    translate("torch", "ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1)", (16, 16))

The source is read by its framework's signature (convt_suite/porting/sources.py):
the native case it states, or a refusal (Usage, Invalid, Unsupported) that
names the parameter and the rule. For each target the native parameters
come from the adapters' own inverse maps (the ones the sweeps prove),
skipping a form a known finding says fails on a backend it is printed for; a
target that cannot state the spec in one call gets the composed form: its
call nearest the spec (per group where it has no groups, with the kernel
dilated with zeros where it cannot take the dilation), then the crops it does
not do and the bias, in numpy. Either way the code is run, in a worker
process of its own, on random data against the float64 oracle: a
translation is *verified* only when that run passed.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from convt_suite.adapters import jax as jax_adapter
from convt_suite.adapters import keras as keras_adapter
from convt_suite.adapters import onnx as onnx_adapter
from convt_suite.adapters import oracle
from convt_suite.adapters import tensorflow as tf_adapter
from convt_suite.adapters import torch as torch_adapter
from convt_suite.adapters.base import Plan, channels_first, channels_last, kernel_last
from convt_suite.adapters.spec import TF_LAYOUTS, Spec
from convt_suite.core.cases import Case
from convt_suite.core.native import CHANNELS_LAST_NAMES, NativeCase
from convt_suite.porting.sources import CHANNELS_FIRST, kernel_words, read
from convt_suite.studies.overlap import overlap

DTYPE = "float32"   # what users run; the bound is float32's


# ------------------------------------------------------------ the targets
def known_to_fail(selectors, case: NativeCase) -> str | None:
    """The id of a known finding that says this call fails on one of the
    adapters it would be printed for (whatever the versions: a printed form
    should not depend on them), or None. The finding is asked as it is asked
    of a failed check of the call (convt_suite/findings/model.py)."""
    from convt_suite.findings.model import known

    record = {"outcome": "failed", "kind": "native", "dtype": DTYPE, "case": case.to_dict(),
              "native": case.normalized(), "plan": Plan(f"native: {case.code()}").to_dict()}
    for finding in known():
        for selector in set(selectors) & set(finding.adapters):
            for failure in finding.failures:
                asked = {**record, "adapter": selector, "failure": failure,
                         "error": finding.error_contains[0] if finding.error_contains else ""}
                try:
                    if finding.explains(asked):
                        return finding.id
                except (KeyError, TypeError, ValueError):   # a matcher that needs what a run records
                    continue
    return None


def _geometry(spec: Spec) -> dict:
    return {"in_channels": spec.in_channels, "out_channels": spec.out_channels,
            "kernel": spec.kernel_size, "stride": spec.stride, "dilation": spec.dilation,
            "bias": spec.bias}


def _torch_target(spec, size, avoid=None):
    params = torch_adapter.native_params(spec)
    if params is None:
        return None
    return {**_geometry(spec), "padding": params[0], "output_padding": params[1], "groups": spec.groups}


def _tensorflow_target(spec, size, avoid=None):
    if spec.groups != 1:
        return None
    call = tf_adapter.plan_call(spec, DTYPE, size)
    if call.done != spec.padding or call.dilate_kernel:
        return None
    padding, explicit = call.padding, None
    if not isinstance(padding, str):
        explicit, padding = (tuple(call.padding[1]), tuple(call.padding[2])), "EXPLICIT"
    target = {**_geometry(spec), "entry": f"conv{spec.rank}d_transpose", "padding": padding,
              "output_size": tuple(call.output_size)}
    return target | ({"explicit": explicit} if explicit else {})


def _keras_target(spec, size, avoid=None):
    """The layer's first (padding, output_padding) that states the spec and
    that `avoid` (a known failure) does not rule out."""
    if spec.groups != 1 or (max(spec.stride) > 1 and max(spec.dilation) > 1):
        return None

    def target(params):
        return {**_geometry(spec), "entry": "layer", "padding": params[0], "output_padding": params[1]}

    params = keras_adapter.native_params(spec, avoid=None if avoid is None else (
        lambda params: avoid(target(params))))
    return None if params is None else target(params)


def _jax_target(spec, size, avoid=None):
    if spec.groups != 1:
        return None
    padding = jax_adapter.native_padding(spec)
    return None if padding is None else {**_geometry(spec), "padding": padding, "pairs_as": "tuples"}


def _onnx_target(spec, size, avoid=None):
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
    native: Callable             # (spec, input size, avoid) -> the native call's parameters, or None
    takes_groups: bool = False   # its call has groups (else: once per group, concatenated)


TARGETS = (
    Target("PyTorch", "torch.nn", ("torch[nn]",), _torch_target, True),
    Target("TensorFlow", "tensorflow", ("tensorflow",), _tensorflow_target),
    Target("Keras", "keras", ("keras[tensorflow]", "keras[jax]", "keras[torch]"), _keras_target),
    Target("JAX", "jax", ("jax",), _jax_target),
    # what a served model runs (onnx[reference] cannot compute a group > 1: a known finding)
    Target("ONNX", "onnx", ("onnxruntime",), _onnx_target, True),
)


@dataclass(frozen=True)
class Composed:
    """A form no single call states: the target's call nearest the spec, run
    once per group where the target has no groups, on the kernel dilated with
    zeros where the target cannot take the dilation, then the crops it does
    not do (negative: zeros appended) and the bias, in numpy."""
    call: NativeCase        # one group's call, no bias
    remaining: tuple        # the crops left after it, per axis
    groups: int = 1         # the call once per group, concatenated
    dilate: tuple = (1, 1)  # zeros between the kernel's taps, per axis (1 on every axis: none)

    @property
    def dilated(self) -> bool:
        return max(self.dilate) > 1


def _axis_options(crops, stride, dilation):
    """Crops a call might do on one axis, nearest the target's first:
    (before, after) with before in [0, c0] and after from c1 - max(S, D) up."""
    c0, c1 = crops
    options = [(a, b) for a in range(0, max(c0, 0) + 1)
               for b in range(min(c1, 0) - max(stride, dilation), max(c1, 0) + 1)]
    return sorted(options, key=lambda done: abs(c0 - done[0]) + abs(c1 - done[1]))


def composed_call(target: Target, spec: Spec, size, seed: int = 0, avoid=None) -> Composed | None:
    """The shortest composed form: the target's one call (per group) nearest
    the spec (fewest crops left), with the kernel as it is where a call takes
    it, else dilated with zeros; None where no call of the target computes
    even the full output (a bug: every valid spec has a form)."""
    groups = 1 if target.takes_groups else spec.groups
    group = dataclasses.replace(spec if groups == 1 else spec.per_group(), bias=False)
    ones = (1,) * spec.rank
    kernels: list[tuple[tuple[int, ...], Spec]] = [(ones, group)]
    if max(spec.dilation) > 1:
        kernels.append((spec.dilation, dataclasses.replace(group, kernel_size=group.effective_kernel,
                                                           dilation=ones)))
    shape = (1, group.in_channels, *size)
    for dilate, called in kernels:
        per_axis = [_axis_options(c, s, d) for c, s, d in zip(spec.padding, called.stride, called.dilation)]
        pairs = sorted(itertools.product(*per_axis),
                       key=lambda done: sum(abs(t - d) for pair_t, pair_d in zip(spec.padding, done)
                                            for t, d in zip(pair_t, pair_d)))
        for done in pairs:
            try:
                params = target.native(dataclasses.replace(called, padding=done), size, avoid)
            except ValueError:   # no output with these crops
                continue
            if params is None:
                continue
            call = NativeCase(target.language, tuple(params.items()), shape, seed)
            if avoid is not None and avoid(params):
                continue
            remaining = tuple((t0 - d0, t1 - d1) for (t0, t1), (d0, d1) in zip(spec.padding, done))
            return Composed(call, remaining, groups, dilate)
    return None


def plans(source: NativeCase) -> tuple[Spec, list[dict]]:
    """The spec the source computes, and per target what will be run: a
    native case (its spec checked equal to the source's, no framework run
    yet), else the composed form (Composed). A form a known finding says
    fails on one of the target's adapters is not chosen."""
    spec = source.spec()
    size = source.input_size
    planned = []
    for target in TARGETS:
        def avoid(params, target=target):   # (one group's call where it runs per group)
            shape = (source.input_shape[0], params["in_channels"], *size)
            case = NativeCase(target.language, tuple(params.items()), shape, source.seed)
            return known_to_fail(target.selectors, case) is not None

        params = target.native(spec, size, avoid)
        native = composed = None
        if params is not None and not avoid(params):
            native = NativeCase(target.language, tuple(params.items()), source.input_shape, source.seed)
            if native.spec() != spec:   # the inverse map must state the same computation
                raise AssertionError(f"{target.framework}: {native.code()} computes {native.spec()}, "
                                     f"not {spec}")
        else:
            composed = composed_call(target, spec, size, source.seed, avoid)
            if composed is None:
                raise AssertionError(f"{target.framework}: no form for {spec} (every valid spec has one)")
        planned.append({"target": target, "native": native, "composed": composed})
    return spec, planned


def dilate_kernel(w: np.ndarray, dilate) -> np.ndarray:
    """(C_in, C_out, *kernel) with dilate - 1 zeros between the taps on each axis."""
    if max(dilate) == 1:
        return w
    out = np.zeros(w.shape[:2] + tuple((k - 1) * d + 1 for k, d in zip(w.shape[2:], dilate)), w.dtype)
    out[(slice(None), slice(None), *(slice(None, None, d) for d in dilate))] = w
    return out


def run_plan(planned: dict, adapter, spec: Spec | None = None, input_shape=None) -> dict:
    """Run one target's code on one adapter: the record of its check. A
    composed form runs as printed: the framework's call (per group, on the
    dilated kernel), then the crops and the bias in numpy, judged against the
    oracle."""
    from convt_suite.core.compare import check_native, judge

    if planned["native"] is not None:
        return check_native(adapter, planned["native"], DTYPE)
    composed = planned["composed"]
    assert spec is not None and input_shape is not None   # a composed form is run on a case
    x, w, b = Case(spec, tuple(input_shape), composed.call.seed).tensors(DTYPE)
    kernel = dilate_kernel(w, composed.dilate)
    cin = spec.in_channels // composed.groups
    try:
        parts = [np.asarray(adapter.native_forward(x[:, g * cin:(g + 1) * cin],
                                                   kernel[g * cin:(g + 1) * cin], None,
                                                   composed.call.call), dtype=np.float64)
                 for g in range(composed.groups)]
    except Exception as err:   # the framework refused it
        return {"outcome": "failed", "failure": "error", "error": f"{type(err).__name__}: {err}"}
    out = oracle.crop(np.concatenate(parts, axis=1), composed.remaining)
    if b is not None:
        out = out + np.asarray(b, dtype=np.float64).reshape((1, -1) + (1,) * spec.rank)
    return judge(out.astype(np.float32), x, w, b, spec, DTYPE)


# ------------------------------------------------------------ the forms as code
DILATE = '''def dilate(w, d):   # the kernel with d - 1 zeros between its taps: the same computation at dilation 1
    out = np.zeros(w.shape[:2] + tuple((k - 1) * s + 1 for k, s in zip(w.shape[2:], d)), w.dtype)
    out[(slice(None), slice(None), *(slice(None, None, s) for s in d))] = w
    return out'''
CHANNELS_LAST = ("tensorflow", "keras")


def call_terms(language: str, rank: int) -> tuple[str, str, str]:
    """Per language: x and w (numpy, channels first and (C_in, C_out, *kernel))
    in the call's terms, a layer's weights set, and its output as numpy in the
    call's layout."""
    x_last, w_last = CHANNELS_LAST_NAMES[rank]
    to_last, kernel = channels_last(rank), kernel_last(rank)
    return {
        "torch.nn": ("x, w = torch.from_numpy(x), torch.from_numpy(w)",
                     "with torch.no_grad():\n    layer.weight.copy_(w)", ".detach().numpy()"),
        "tensorflow": (f"{x_last}, {w_last}, N = np.transpose(x, {to_last}), np.transpose(w, {kernel}), x.shape[0]",
                       "", ".numpy()"),
        "keras": (f"{x_last}, {w_last} = np.transpose(x, {to_last}), np.transpose(w, {kernel})",
                  f"layer.build({x_last}.shape)\nlayer.set_weights([{w_last}])", ""),
        "jax": ("", "", ""),
        "onnx": ("", "", ""),
    }[language]


def composed_code(composed: Composed, spec: Spec) -> str:
    """The composed form as code: from numpy x (channels first), w (C_in,
    C_out // groups, *kernel) and b to y, in the call's layout."""
    call, language, rank = composed.call, composed.call.language, spec.rank
    terms, weights, to_numpy = call_terms(language, rank)
    parts = call.layer_parts()
    if parts:
        body = [f"layer = {parts[0]}", *filter(None, [weights]),
                f"y = keras.ops.convert_to_numpy(layer{parts[1]})" if language == "keras"
                else f"y = layer{parts[1]}{to_numpy}"]
    else:
        body = [f"y = np.asarray({call.code()}{to_numpy})"]
    body = [*filter(None, [terms]), *body]
    lines = []
    if composed.dilated:
        lines += [DILATE, f"w = dilate(w, {tuple(composed.dilate)})"]
    last = language in CHANNELS_LAST
    if composed.groups > 1:
        cin = spec.in_channels // composed.groups
        lines.append("def one_group(x, w):   # the call has no groups: once per group, concatenated")
        lines += ["    " + line for text in body for line in text.splitlines()]
        lines.append("    return y")
        lines.append(f"y = np.concatenate([one_group(x[:, g * {cin}:(g + 1) * {cin}], "
                     f"w[g * {cin}:(g + 1) * {cin}]) for g in range({composed.groups})], "
                     f"axis={rank + 1 if last else 1})")
    else:
        lines += body
    pads, slices = oracle.split_crops(composed.remaining)
    spatial = ", ".join(map(str, pads))
    if any(v for pair in pads for v in pair):
        axes = f"(0, 0), {spatial}, (0, 0)" if last else f"(0, 0), (0, 0), {spatial}"
        lines.append(f"y = np.pad(y, ({axes}))   # zeros where a crop is negative")
    if any(v for pair in slices for v in pair):
        cuts = ", ".join(f"{start}:{-stop if stop else ''}" for start, stop in slices)
        index = f"[:, {cuts}, :]" if last else f"[:, :, {cuts}]"
        lines.append(f"y = y{index}   # the crops the call does not do")
    if spec.bias:
        lines.append("y = y + b" + ("" if last else f"[:, {', '.join(['None'] * rank)}]") + "   # the bias, after")
    return "\n".join(lines)


def composed_program(composed: Composed, spec: Spec, case: Case, selector: str) -> str:
    """The composed form as a standalone program: the tensors, the code as
    printed, the float64 reference and the error."""
    import textwrap

    from convt_suite.porting import snippets

    language = composed.call.language
    imports = snippets._native_imports(language, snippets.NATIVE_SETUP[language][0], {"adapter": selector})
    header = (f"# {selector}: {composed.call.code()}, composed (groups {composed.groups}, kernel "
              f"dilated {tuple(composed.dilate)}, crops left {composed.remaining}), {DTYPE}, {case}\n"
              f"# needs: numpy and the framework\n")
    rank = spec.rank
    out = (f"out = np.transpose(y, {channels_first(rank)})\n" if language in CHANNELS_LAST
           else "out = y\n")
    compare = textwrap.dedent("""\
        expected = reference(x_np, w_np, b_np, stride, dilation, crops, groups)
        print("expected shape", expected.shape, "actual shape", tuple(out.shape))
        if tuple(out.shape) == expected.shape:
            print("max |error|", np.abs(np.asarray(out, np.float64) - expected).max())
    """)
    body = "x_np, w_np, b_np = x, w, b\n" + composed_code(composed, spec) + "\n" + out
    return "\n".join([header + snippets.base_imports(DTYPE) + imports, snippets.REFERENCE,
                      snippets._tensors(case, DTYPE) + body, compare])


def native_program(native: NativeCase, selector: str) -> str:
    """A native form as a program that prints its error against the float64
    reference (run it to check the translation yourself)."""
    from convt_suite.porting import snippets

    return snippets.native_snippet({"case": native.to_dict(), "dtype": DTYPE, "adapter": selector,
                                    "outcome": "translated"})


# ------------------------------------------------------------ translating
def translate(language: str, text: str, input_size, in_channels: int | None = None, seed: int = 0,
              adapter_for=None) -> dict:
    """Every framework's form of the source, each run against the oracle.
    `adapter_for(selector)` gives the adapter to run on (default: a worker
    process per adapter, so a framework's crash is that target's failure).
    Refused (Usage, Invalid, Unsupported) for a layer it does not answer for."""
    from convt_suite.runtime import workers

    reading = read(language, text, input_size, in_channels, seed)
    source = reading.case
    spec, planned = plans(source)
    if adapter_for is None:
        adapter_for = workers.WorkerAdapter
    targets = []
    for plan in planned:
        target, native, composed = plan["target"], plan["native"], plan["composed"]
        runs: dict[str, dict] = {}
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
        ran = [r for r in runs.values() if r["outcome"] != "not run"]
        case = Case(spec, source.input_shape, source.seed)
        targets.append({
            "framework": target.framework,
            "native": native is not None,
            "form": "native" if native else "composed",
            "composed": None if native else {"groups": composed.groups, "dilate": list(composed.dilate),
                                             "crops_left": [list(c) for c in composed.remaining]},
            "code": native.code() if native else composed_code(composed, spec),
            # the code as a standalone program: the tensors, the code, the float64 reference
            "program": (native_program(native, target.selectors[0]) if native
                        else composed_program(composed, spec, case, target.selectors[0])),
            "verified": len(ran) == len(runs) and all(r["outcome"] == "passed" for r in ran),
            "runs": runs,
        })
    return {"source": {"language": language, "call": text.strip(), "input_shape": list(source.input_shape),
                       "weight": reading.weight, "layout": reading.layout, "notes": list(reading.notes)},
            "spec": spec.to_dict(), "output_shape": list(spec.output_shape(source.input_shape)),
            "overlap": overlap(spec, source.input_size).describe(), "targets": targets}


def status(result: dict) -> int:
    """The exit status of a translation: 0 every form verified on every
    adapter it names, 1 a form ran and did not pass (a discrepancy: the
    translator's or a framework's), 3 none failed but one could not run here
    (not installed, or its worker would not start)."""
    runs = [run for target in result["targets"] for run in target["runs"].values()]
    if any(run["outcome"] not in ("passed", "not run") for run in runs):
        return 1
    return 3 if any(run["outcome"] == "not run" for run in runs) else 0


def layouts(framework: str, rank: int) -> str:
    """How each framework's native code above takes the tensors (x channels
    first, w (C_in, C_out // groups, *kernel)); a composed form starts from x,
    w and b as numpy arrays."""
    first, last = CHANNELS_FIRST[rank], TF_LAYOUTS[rank][0]
    x_last, w_last = CHANNELS_LAST_NAMES[rank]
    to_last = ", ".join(map(str, channels_last(rank)))
    kernel = ", ".join(map(str, kernel_last(rank)))
    words = kernel_words(rank)
    return {
        "PyTorch": f"x {first}; the layer's weight is w as it is, (C_in, C_out // groups, {words})",
        "TensorFlow": f"{x_last} = x.transpose({to_last}); {w_last} = w.transpose({kernel}) ({words}, C_out, "
                      f"C_in); the output is {last}",
        "Keras": f"{x_last} = x.transpose({to_last}); kernel = w.transpose({kernel}); the output is {last}",
        "JAX": f"w as it is, read as {jax_adapter.LAYOUTS[rank][1]!r} with transpose_kernel=True (JAX flips it and "
               f"swaps its channel axes)",
        "ONNX": f"x {first}; the node's W is w as it is, (C_in, C_out // group, {words}); conv_transpose "
                f"builds the one-node model and runs it in ONNX Runtime (the program defines it)",
    }[framework]


def render(result: dict) -> str:
    """The translation as text: the source as read, then per framework,
    native or composed, the code, and what its runs measured."""
    source = result["source"]
    rank = len(source["input_shape"]) - 2
    first = CHANNELS_FIRST[rank]
    lines = [f"{source['call']}  ({source['language']}, input "
             f"{'x'.join(map(str, source['input_shape'][2:]))}, batch {source['input_shape'][0]}, "
             f"{source['input_shape'][1]} channels) -> output "
             f"{'x'.join(map(str, result['output_shape'][2:]))}",
             f"spec: {Spec.from_dict(result['spec'])}",
             f"your weight as w (C_in, C_out // groups, {kernel_words(rank)}): {source.get('weight', 'w')}",
             f"your layout: {source.get('layout', first)}; every form below takes x as {first} numpy"]
    lines += [f"note: {note}" for note in source.get("notes", ())]
    lines += [f"checkerboard: {result['overlap']}", ""]
    for target in result["targets"]:
        state = "verified" if target["verified"] else "NOT VERIFIED"
        if target["native"]:
            how = "native"
        else:
            shape = target["composed"]
            steps = [step for step, present in (
                (f"once per group ({shape['groups']})", shape["groups"] > 1),
                (f"the kernel dilated with zeros {tuple(shape['dilate'])}", max(shape["dilate"]) > 1),
                ("the crops it does not do", any(any(c) for c in shape["crops_left"]))) if present]
            how = "composed: its nearest call" + (", " + ", ".join(steps) if steps else "") + ", the bias after"
        lines.append(f"== {target['framework']}: {how}; {state}")
        for selector, run in target["runs"].items():
            ratio = run.get("max_error_over_bound")
            measured = f"error/bound {ratio:.3g}" if isinstance(ratio, (int, float)) else ""
            why = run.get("failure") or run.get("reason") or ""
            lines.append(f"   {selector}: {run['outcome']} {measured} {why}".rstrip())
        if target["native"]:
            lines.append(f"   layouts: {layouts(target['framework'], rank)}")
        else:
            lines.append(f"   from numpy x ({first}), w and b")
        lines.append(target["code"])
        lines.append("")
    lines.append("Each form as a standalone program that prints its error against a float64 "
                 "reference: --json, each target's \"program\"; or --program FRAMEWORK.")
    return "\n".join(lines)


def to_json(result: dict) -> str:
    return json.dumps(result, indent=2, default=str)
