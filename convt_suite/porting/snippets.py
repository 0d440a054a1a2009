"""Each spec in every framework's native parameters, and a standalone
reproduction snippet for a check: only numpy and that one framework needed.

The snippet regenerates the exact tensors (numpy's default_rng(seed), as
cases.Case does), calls the framework the way the adapter did, natively or
composed (full output, cropped and zero-padded in numpy, bias added), and
compares with a 20-line float64 numpy reference embedded in the snippet.
Nothing here imports a framework: the report renders without them.
"""

from __future__ import annotations

import inspect
import textwrap

from convt_suite.adapters import jax as jax_adapter
from convt_suite.adapters import keras as keras_adapter
from convt_suite.adapters import onnx as onnx_adapter
from convt_suite.adapters import oracle
from convt_suite.adapters import tensorflow as tf_adapter
from convt_suite.adapters import torch as torch_adapter
from convt_suite.adapters.base import channels_first, channels_last, kernel_last
from convt_suite.adapters.registry import keras_backend
from convt_suite.adapters.spec import Spec
from convt_suite.core.cases import Case
from convt_suite.core.native import NativeCase

REFERENCE = textwrap.dedent('''\
    def reference(x, w, b, stride, dilation, crops, groups):
        """float64 transposed convolution in any rank: x[i] times tap a lands at
        i*S + a*D on each spatial axis, then the crops."""
        x, w = x.astype(np.float64), w.astype(np.float64)
        n, c_in, *size = x.shape
        cin, cout, kernel = c_in // groups, w.shape[1], w.shape[2:]
        full = np.zeros((n, groups * cout) + tuple(
            (i - 1) * s + d * (k - 1) + 1 for i, s, d, k in zip(size, stride, dilation, kernel)))
        for g in range(groups):
            for tap in itertools.product(*map(range, kernel)):
                lands = tuple(slice(a * d, a * d + (i - 1) * s + 1, s)
                              for a, d, i, s in zip(tap, dilation, size, stride))
                group_in, group_out = slice(g * cin, (g + 1) * cin), slice(g * cout, (g + 1) * cout)
                full[(slice(None), group_out) + lands] += np.einsum(
                    "ni...,io->no...", x[:, group_in], w[(group_in, slice(None)) + tap])
        return crop(full, crops) + (0 if b is None else per_channel(b.astype(np.float64), x.ndim))


    def per_channel(b, ndim):
        """A bias of C values shaped to add to an (N, C, *spatial) output."""
        return b.reshape((-1,) + (1,) * (ndim - 2))
''') + "\n\n" + inspect.getsource(oracle.split_crops) + "\n\n" + inspect.getsource(oracle.crop)

def base_imports(dtype: str) -> str:
    """What every snippet imports before its framework (the reference needs itertools)."""
    return "import itertools\n\nimport numpy as np\n" + ("import ml_dtypes\n" if dtype == "bfloat16" else "")


# each rank's layout letters, and the permutations to and from channels-last
LAYOUT = {1: ("NCW", "(C_in, C_out // groups, kW)"), 2: ("NCHW", "(C_in, C_out // groups, kH, kW)"),
          3: ("NCDHW", "(C_in, C_out // groups, kD, kH, kW)")}


def native_forms(spec: Spec, input_shape) -> dict[str, str]:
    """How each framework's own API states this spec (or that it cannot), in its rank."""
    size = tuple(input_shape[2:])
    r = spec.rank
    group = spec.per_group()
    k, s, d = spec.kernel_size, spec.stride, spec.dilation
    forms = {}
    torch_params = torch_adapter.native_params(spec)
    forms["PyTorch"] = (
        f"nn.ConvTranspose{r}d({spec.in_channels}, {spec.out_channels}, kernel_size={k}, stride={s}, "
        f"padding={torch_params[0]}, output_padding={torch_params[1]}, groups={spec.groups}, "
        f"dilation={d}, bias={spec.bias})" if torch_params else
        f"not expressible (crops {spec.padding}: PyTorch crops (p, p - output_padding) with "
        f"p >= 0, output_padding < max(stride, dilation))")
    call = tf_adapter.plan_call(group, "float32", size)
    out_size = "x".join(map(str, spec.output_shape(tuple(input_shape))[2:]))
    exact = call.done == spec.padding and spec.groups == 1
    layout = LAYOUT[r][0]
    forms["TensorFlow"] = (
        f"tf.nn.conv{r}d_transpose(x_{layout.replace('C', '').lower()}c, filters, output_shape=[N, "
        f"{', '.join(map(str, call.output_size))}, {group.out_channels}], strides={s}, "
        f"padding={call.padding!r}, dilations={d})" + ("" if exact else
                            f"  (not exact: groups={spec.groups}, crops left {spec.padding} vs "
                            f"done {call.done}; final output {out_size})"))
    keras_params = keras_adapter.native_params(group)
    forms["Keras"] = (
        f"keras.layers.Conv{r}DTranspose({group.out_channels}, {k}, strides={s}, "
        f"padding={keras_params[0]!r}, output_padding={keras_params[1]}, dilation_rate={d}, "
        f"use_bias={spec.bias})" + ("" if spec.groups == 1 else f"  (one per group, {spec.groups})")
        if keras_params else f"not expressible (crops {spec.padding})")
    if max(s) > 1 and max(d) > 1:
        forms["Keras"] += "; Keras rejects strides > 1 with dilation_rate > 1"
    forms["JAX"] = (
        f"jax.lax.conv_transpose(x, w, strides={s}, padding={jax_adapter.native_padding(group)!r}, "
        f"rhs_dilation={d}, dimension_numbers={jax_adapter.LAYOUTS[r]!r}, transpose_kernel=True)"
        + ("" if spec.groups == 1 else f"  (one per group, {spec.groups})"))
    return forms


def _tensors(case: Case, dtype: str) -> str:
    spec = case.spec
    layout, weight = LAYOUT[spec.rank]
    cast = ".astype(ml_dtypes.bfloat16)" if dtype == "bfloat16" else f".astype(np.{dtype})"
    bias = f"rng.standard_normal({spec.out_channels}){cast}" if spec.bias else "None"
    return textwrap.dedent(f"""\
        rng = np.random.default_rng({case.seed})
        x = rng.standard_normal({tuple(case.input_shape)}){cast}          # {layout}
        w = rng.standard_normal({spec.weight_shape}){cast}   # {weight}
        b = {bias}
        stride, dilation, crops, groups = {spec.stride}, {spec.dilation}, {spec.padding}, {spec.groups}
    """)


def _torch_call(spec: Spec, module: bool, run: str = "eager") -> tuple[str, str]:
    """PyTorch's call for the spec: eager, `run="compile"` (torch.compile, as
    torch[compile]) or `run="onnx"`/`"onnx-torchscript"` (the module exported
    by torch.onnx.export and run in ONNX Runtime, as torch[onnx...])."""
    params = torch_adapter.native_params(spec)
    r = spec.rank
    padding, output_padding = params or (((0,) * r,) * 2)
    bias = "bt" if params and spec.bias else "None"
    if module:
        call = textwrap.dedent(f"""\
            layer = torch.nn.ConvTranspose{r}d({spec.in_channels}, {spec.out_channels}, {spec.kernel_size},
                stride=stride, padding={padding}, output_padding={output_padding}, groups=groups,
                bias={bias != "None"}, dilation=dilation, dtype=xt.dtype)
            with torch.no_grad():
                layer.weight.copy_(wt)
                {"layer.bias.copy_(bt)" if bias != "None" else "pass"}
                out = layer(xt)
        """)
    else:
        call = textwrap.dedent(f"""\
            conv = lambda xt, wt, bt: torch.nn.functional.conv_transpose{r}d(xt, wt, bt, stride=stride,
                padding={padding}, output_padding={output_padding}, groups=groups, dilation=dilation)
            out = conv(xt, wt, {bias})
        """)
    setup = "import torch\n"
    if run == "compile":
        call = call.replace("out = conv(", "out = torch.compile(conv, fullgraph=True, dynamic=False)(")
    elif run.startswith("onnx"):
        setup += "import io\nimport onnxruntime\n"
        call += textwrap.dedent(f"""\
            # exported as torch[{run}] exports it, then run in ONNX Runtime
            buffer = io.BytesIO()
            with torch.no_grad():
                {"buffer.write(torch.onnx.export(layer.eval(), (xt,), dynamo=True).model_proto.SerializeToString())"
                 if run == "onnx" else "torch.onnx.export(layer.eval(), (xt,), buffer, dynamo=False)"}
            session = onnxruntime.InferenceSession(buffer.getvalue(), providers=["CPUExecutionProvider"])
            out = torch.from_numpy(session.run(None, {{session.get_inputs()[0].name: x}})[0])
        """)
    to_torch = ("to_torch = lambda a: None if a is None else torch.from_numpy(a.astype(np.float32))"
                ".to(torch.bfloat16) if a.dtype.name == 'bfloat16' else torch.from_numpy(a)\n"
                "xt, wt, bt = to_torch(x), to_torch(w), to_torch(b)\n")
    finish = "out = out.detach().float().numpy() if out.dtype == torch.bfloat16 else out.detach().numpy()\n"
    if params is None:
        finish += "# composed, as the adapter does: full output, then crops in numpy, then the bias\n"
        finish += f"out = crop(out, crops) + {ADD_BIAS}\n"
    return setup, to_torch + call + finish


# the bias added in numpy, where the adapter composes it (reference() defines per_channel)
ADD_BIAS = "(0 if b is None else per_channel(b, out.ndim))"


def _tensorflow_call(spec: Spec, dtype: str, input_shape, xla: bool = False) -> tuple[str, str]:
    """TF's call for the spec; `xla`: in tf.function(jit_compile=True), as tensorflow[xla]."""
    r = spec.rank
    call = tf_adapter.plan_call(spec.per_group(), dtype, tuple(input_shape[2:]))
    cout = spec.out_channels // spec.groups
    filters = f"np.transpose(w[g * cin:(g + 1) * cin], {kernel_last(r)})"
    dilation = "dilation"
    if call.dilate_kernel:
        filters = f"dilate({filters}, dilation)"
        dilation = "1"
    transpose = f"tf.nn.conv{r}d_transpose"
    body = textwrap.dedent(f"""\
        def dilate(f, d):  # zeros between kernel taps: TF's CPU kernel refuses this dilation
            out = np.zeros(tuple((k - 1) * s + 1 for k, s in zip(f.shape, d)) + f.shape[len(d):], f.dtype)
            out[tuple(slice(None, None, s) for s in d)] = f
            return out
        cin = x.shape[1] // groups
        parts = []
        conv = {f"tf.function({transpose}, jit_compile=True)" if xla else transpose}
        for g in range(groups):   # {transpose} has no groups
            y = conv(np.transpose(x[:, g * cin:(g + 1) * cin], {channels_last(r)}),
                {filters}, output_shape=[x.shape[0], {", ".join(map(str, call.output_size))}, {cout}],
                strides=stride, padding={call.padding!r}, dilations={dilation})
            parts.append(np.transpose(y.numpy(), {channels_first(r)}))
        out = np.concatenate(parts, axis=1)
        # TF cropped {call.done}; what it cannot take (negative before-crops, more than
        # stride - 1 appended) is finished in numpy, as the adapter does with tf.pad
        out = crop(out, [(t - d0, bo - d1) for (t, bo), (d0, d1) in zip(crops, {call.done})])
        out = out + {ADD_BIAS}
    """)
    return "import tensorflow as tf\n", body


JITTED = ("jax.jit(jax.lax.conv_transpose, static_argnums=(2, 3), "
          "static_argnames=('rhs_dilation', 'dimension_numbers', 'transpose_kernel'))")


def _jax_call(spec: Spec, jit: bool = False) -> tuple[str, str]:
    """JAX's call for the spec; `jit`: under jax.jit, as jax[jit]."""
    padding = jax_adapter.native_padding(spec.per_group())
    body = textwrap.dedent(f"""\
        cin = x.shape[1] // groups
        conv = {JITTED if jit else "jax.lax.conv_transpose"}
        out = np.concatenate([np.asarray(conv(
            x[:, g * cin:(g + 1) * cin], w[g * cin:(g + 1) * cin], stride, {padding!r},
            rhs_dilation=dilation, dimension_numbers={jax_adapter.LAYOUTS[spec.rank]!r}, transpose_kernel=True))
            for g in range(groups)], axis=1)   # lax.conv_transpose has no groups
        out = out + {ADD_BIAS}
    """)
    setup = 'import jax\njax.config.update("jax_enable_x64", True)\n'
    return setup, body


def _keras_call(spec: Spec, dtype: str, backend: str) -> tuple[str, str]:
    r = spec.rank
    params = keras_adapter.native_params(spec.per_group())
    padding, output_padding = params or ("valid", (0,) * r)
    native_bias = params is not None and spec.bias
    body = textwrap.dedent(f"""\
        cin, cout = x.shape[1] // groups, w.shape[1]
        parts = []
        for g in range(groups):   # Conv{r}DTranspose has no groups
            layer = keras.layers.Conv{r}DTranspose(cout, {spec.kernel_size}, strides=stride,
                padding={padding!r}, output_padding={output_padding}, dilation_rate=dilation,
                use_bias={native_bias}, dtype="{dtype}")
            layer.build((x.shape[0], *x.shape[2:], cin))
            layer.set_weights([np.transpose(w[g * cin:(g + 1) * cin], {kernel_last(r)})]
                              {"+ [b[g * cout:(g + 1) * cout]]" if native_bias else ""})
            y = keras.ops.convert_to_numpy(layer(np.transpose(x[:, g * cin:(g + 1) * cin], {channels_last(r)})))
            parts.append(np.transpose(y, {channels_first(r)}))
        out = np.concatenate(parts, axis=1)
    """)
    if params is None:
        body += "# composed, as the adapter does: full output, crops in numpy, then the bias\n"
        body += f"out = crop(out, crops) + {ADD_BIAS}\n"
    setup = (f'import os\nos.environ["KERAS_BACKEND"] = "{backend}"\n'
             + ('import jax\njax.config.update("jax_enable_x64", True)\n' if backend == "jax" else "")
             + "import keras\n")
    return setup, body


def _onnx_runner(adapter: str, opset) -> str:
    """`conv_transpose(x, w, b, attributes)`: the one-node model at the opset
    the adapter recorded, built by the adapter's own model builder (its
    source), run by its runtime."""
    run = ("onnxruntime.InferenceSession(model, providers=['CPUExecutionProvider'])"
           ".run(None, dict(zip(names, tensors)))[0]" if adapter.startswith("onnxruntime") else
           "ReferenceEvaluator(model).run(None, dict(zip(names, tensors)))[0]")
    imports = ("import onnxruntime\n" if adapter.startswith("onnxruntime")
               else "from onnx.reference import ReferenceEvaluator\n")
    return (imports + f"\nONNX_TYPES = {onnx_adapter.ONNX_TYPES!r}\n\n\n"
            + inspect.getsource(onnx_adapter.model_bytes) + textwrap.dedent(f"""\n
        def conv_transpose(x, w, b, attributes):
            names, tensors = ["x", "w", "b"][:2 + (b is not None)], [x, w, b][:2 + (b is not None)]
            model = model_bytes(attributes, x.dtype.name, b is not None, {opset})
            return {run}
    """))


def _onnx_opset(record: dict) -> int:
    return (record.get("versions") or {}).get("opset") or (11 if "opset11" in record["adapter"] else 22)


def _onnx_call(spec: Spec, dtype: str, input_shape, adapter: str, opset) -> tuple[str, str]:
    """The adapter's attributes for the spec, run as the adapter runs them."""
    pads, output_padding, done = onnx_adapter.onnx_crops(spec, tuple(input_shape[2:]))
    attrs = onnx_adapter.attributes(spec, pads, output_padding)
    native = done == spec.padding
    body = f"out = conv_transpose(x, w, b if {native} else None, {attrs!r})\n"
    if not native:
        body += (f"# composed, as the adapter does: the model cropped {done}; the rest in numpy, "
                 f"then the bias\nout = crop(out, [(t - d0, bo - d1) for (t, bo), (d0, d1) in "
                 f"zip(crops, {done})]) + {ADD_BIAS}\n")
    return _onnx_runner(adapter, opset), body


def _plugin_call(selector: str) -> tuple[str, str]:
    module, _, attribute = selector.partition(":")
    setup = (f"# needs this suite (for Spec) and your adapter on the path\n"
             f"from convt_suite.adapters.spec import Spec\nfrom {module} import {attribute} as _adapter\n")
    body = textwrap.dedent("""\
        adapter = _adapter() if isinstance(_adapter, type) else _adapter
        spec = Spec(x.shape[1], w.shape[1] * groups, w.shape[2:], stride, crops, dilation, groups,
                    b is not None)
        out = adapter.forward(x, w, b, spec)
    """)
    return setup, body


# per language: imports, the tensors in the framework's terms, and the output back to NCHW numpy
NATIVE_SETUP = {
    "torch": ("import torch\nimport torch.nn.functional as F\n",
              "to_torch = lambda a: None if a is None else torch.from_numpy(a.astype(np.float32)).to("
              "torch.bfloat16) if a.dtype.name == 'bfloat16' else torch.from_numpy(a)\n"
              "x, w, b = to_torch(x), to_torch(w), to_torch(b)\n",
              "out = out.detach().float().numpy() if out.dtype == torch.bfloat16 else out.detach().numpy()\n"),
    "tensorflow": ("import tensorflow as tf\n",
                   "x_nhwc, w_hwoi, N = np.transpose(x, (0, 2, 3, 1)), np.transpose(w, (2, 3, 1, 0)), x.shape[0]\n",
                   "out = np.transpose(np.asarray(out), (0, 3, 1, 2))\n"),
    "keras": ("import keras\n",
              "x_nhwc, w_hwoi = np.transpose(x, (0, 2, 3, 1)), np.transpose(w, (2, 3, 1, 0))\n"
              "b = None if b is None else keras.ops.convert_to_tensor(b)\n",
              "if keras.backend.standardize_dtype(out.dtype) == 'bfloat16':\n"
              "    out = keras.ops.cast(out, 'float32')   # exact; not every backend converts bfloat16\n"
              "out = np.transpose(keras.ops.convert_to_numpy(out), (0, 3, 1, 2))\n"),
    "jax": ('import jax\njax.config.update("jax_enable_x64", True)\n', "",
            "out = np.asarray(out)\n"),
    "onnx": ("", "", "out = np.asarray(out)\n"),   # the imports: _onnx_runner, per runtime
}
NATIVE_SETUP["torch.nn"] = (NATIVE_SETUP["torch"][0] + "from torch import nn\n", *NATIVE_SETUP["torch"][1:])
SET_WEIGHTS = {   # a layer entry: the test's tensors as its weights
    "torch.nn": "layer = layer.to(x.dtype)\nwith torch.no_grad():\n    layer.weight.copy_(w)\n"
                "    if b is not None: layer.bias.copy_(b)\n",
    "keras": "layer.build(x_nhwc.shape)\nlayer.set_weights([w_hwoi] + ([b] if b is not None else []))\n",
}


def _native_imports(language: str, imports: str, record: dict) -> str:
    """A native snippet's imports for the adapter that ran it: ONNX's runtime
    at its opset, Keras on its backend."""
    if language == "onnx":
        imports = _onnx_runner(record["adapter"], _onnx_opset(record))
    backend = keras_backend(record["adapter"])
    if backend:
        imports = f'import os\nos.environ["KERAS_BACKEND"] = "{backend}"\n' + imports
    return imports


def native_snippet(record: dict) -> str:
    """A native check standalone: the framework called with the drawn
    parameters, against the reference for the spec they mean, or (where the
    spec says there is no valid call) showing that it does not refuse."""
    case = NativeCase.from_dict(record["case"])
    dtype, language = record["dtype"], case.language
    spec, refusal = case.expectation()
    probe = spec or case.probe()
    imports, to_framework, to_numpy = NATIVE_SETUP[language]
    imports = _native_imports(language, imports, record)
    parts = case.layer_parts()
    if parts and language == "keras":   # the layer computes in its own dtype (float32 by default)
        parts = (parts[0][:-1] + f", dtype={dtype!r})", parts[1])
    call = (f"layer = {parts[0]}\n{SET_WEIGHTS[language]}out = layer{parts[1]}\n" if parts
            else f"out = {case.code()}\n")
    header = (f"# Reproduces: {record['adapter']}, {dtype}, {case}\n"
              f"# recorded outcome: {record.get('outcome')} {record.get('failure') or ''}".rstrip()
              + f"\n# needs: numpy{', ml_dtypes' if dtype == 'bfloat16' else ''} and the framework\n")
    imports = base_imports(dtype) + imports
    tensors = _tensors(Case(probe, case.input_shape, case.seed), dtype)
    if refusal is not None:
        body = (f"# every framework must refuse this: {refusal}\n" + to_framework
                + "try:\n" + textwrap.indent(call + to_numpy, "    ")
                + '    print("NOT REFUSED: computed shape", out.shape)\n'
                + "except Exception as err:\n    print(\"refused:\", type(err).__name__, err)\n")
        return "\n".join([header + imports, tensors + body])
    compare = textwrap.dedent("""\
        expected = reference(x_np, w_np, b_np, stride, dilation, crops, groups)
        print("expected shape", expected.shape, "actual shape", tuple(out.shape))
        if tuple(out.shape) == expected.shape:
            error = np.abs(np.asarray(out, np.float64) - expected)
            print("max |error|", error.max() if error.size else 0.0)
    """)
    body = "x_np, w_np, b_np = x, w, b\n" + to_framework + call + to_numpy
    return "\n".join([header + imports, REFERENCE, tensors + body, compare])


def snippet(record: dict, selector: str | None = None) -> str:
    """Python source that reproduces one check standalone."""
    if "language" in record["case"]:
        return native_snippet(record)
    case = Case.from_dict(record["case"])
    dtype, adapter = record["dtype"], record["adapter"]
    spec = case.spec
    if adapter in ("torch", "torch[nn]", "torch[compile]", "torch[onnx]", "torch[onnx-torchscript]"):
        run = adapter[len("torch["):-1] if adapter not in ("torch", "torch[nn]") else "eager"
        setup, call = _torch_call(spec, module=adapter not in ("torch", "torch[compile]"), run=run)
    elif adapter in ("tensorflow", "tensorflow[xla]"):
        setup, call = _tensorflow_call(spec, dtype, case.input_shape, xla=adapter == "tensorflow[xla]")
    elif adapter in ("jax", "jax[jit]"):
        setup, call = _jax_call(spec, jit=adapter == "jax[jit]")
    elif adapter.startswith("keras["):
        setup, call = _keras_call(spec, dtype, adapter[len("keras["):-1])
    elif adapter in ("onnxruntime", "onnxruntime[opset11]", "onnx[reference]"):
        setup, call = _onnx_call(spec, dtype, case.input_shape, adapter, _onnx_opset(record))
    else:
        setup, call = _plugin_call(selector or f"your_module:{adapter}")
    header = (f"# Reproduces: {adapter}, {dtype}, {case}\n"
              f"# recorded outcome: {record.get('outcome')} {record.get('failure') or ''}".rstrip()
              + f"\n# needs: numpy{', ml_dtypes' if dtype == 'bfloat16' else ''} and the framework\n")
    imports = base_imports(dtype) + setup
    compare = textwrap.dedent("""\
        expected = reference(x, w, b, stride, dilation, crops, groups)
        print("expected shape", expected.shape, "actual shape", tuple(out.shape))
        if tuple(out.shape) == expected.shape:
            error = np.abs(np.asarray(out, np.float64) - expected)
            print("max |error|", error.max(), "at (n, c, h, w)",
                  tuple(int(i) for i in np.unravel_index(error.argmax(), error.shape)))
    """)
    return "\n".join([header + imports, REFERENCE, _tensors(case, dtype) + call, compare])
