"""Each framework, called with its *own* parameters, must compute what the
oracle computes for `Spec.from_<framework>(those parameters)`. This is what
proves the maps of docs/explanation/contract.md (and that the adapters, which invert them, ask
each framework for the right thing). Where a Spec constructor rejects a
combination, the framework must reject it too, and vice versa.
"""

from __future__ import annotations

import importlib.util
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convt_suite.adapters.spec import Spec, full_length
from convt_suite.core.compare import judge
from convt_suite.findings.model import by_id, classify
from convt_suite.host import cpu

# examples per test come from the hypothesis profile (dev, ci, thorough)
NATIVE = settings(deadline=None)


def need(module: str):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed")


def tensors(spec: Spec, batch: int, size, dtype, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((batch, spec.in_channels, *size)).astype(dtype)
    w = rng.standard_normal(spec.weight_shape).astype(dtype)
    b = rng.standard_normal(spec.out_channels).astype(dtype) if spec.bias else None
    return x, w, b


def assert_same(out, x, w, b, spec, dtype, native):
    verdict = judge(out, x, w, b, spec, dtype)
    assert verdict["outcome"] == "passed", (
        f"native {native} does not mean {spec.describe()}: {verdict}")


def pair(data, label, strategy):
    return tuple(data.draw(strategy, label=f"{label}_{axis}") for axis in "hw")


def spec_or_rejection(build, size=None):
    """(Spec, None), or (None, the ValueError) when the parameters are invalid
    or, given the input size, leave no output."""
    try:
        spec = build()
        if size is not None:
            spec.output_shape((1, spec.in_channels, *size))
        return spec, None
    except ValueError as err:
        return None, err


# --------------------------------------------------------------------- torch
@NATIVE
@given(data=st.data())
def test_torch_padding_and_output_padding(data):
    need("torch")
    import torch

    kernel = pair(data, "kernel", st.integers(1, 4))
    stride = pair(data, "stride", st.integers(1, 3))
    dilation = pair(data, "dilation", st.integers(1, 3))
    padding = pair(data, "padding", st.integers(0, 3))
    # one past the limit on purpose: torch and Spec must both refuse it
    output_padding = tuple(data.draw(st.integers(0, max(s, d)), label=f"output_padding_{a}")
                           for s, d, a in zip(stride, dilation, "hw"))
    groups = data.draw(st.integers(1, 2), label="groups")
    size = pair(data, "input", st.integers(1, 5))
    args = dict(stride=stride, padding=padding, output_padding=output_padding, groups=groups,
                dilation=dilation)
    spec, rejected = spec_or_rejection(lambda: Spec.from_torch(
        2 * groups, 3 * groups, kernel, bias=True, **args), size)
    probe = spec or Spec(2 * groups, 3 * groups, kernel, stride, dilation=dilation, groups=groups)
    x, w, b = tensors(probe, 2, size, "float64")
    try:
        out = torch.nn.functional.conv_transpose2d(
            torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b), **args).numpy()
    except RuntimeError as err:
        assert rejected is not None, f"torch refused {args} that Spec accepts: {err}"
        return
    assert rejected is None, f"torch computed {args} that Spec rejects ({rejected})"
    assert_same(out, x, w, b, spec, "float64", args)


# ---------------------------------------------------------------- tensorflow
def draw_tf_output(data, mode, size, kernel, stride, dilation, explicit):
    """An output size around the valid range, one beyond it on each side."""
    sizes = []
    for axis in range(2):
        i, k, s, d = size[axis], kernel[axis], stride[axis], dilation[axis]
        if mode == "SAME":
            low, high = (i - 1) * s + 1, i * s
        else:
            low = full_length(i, k, s, d) - (sum(explicit[axis]) if explicit else 0)
            high = low + s - 1
        lower = max(low - 1, 1)
        sizes.append(data.draw(st.integers(lower, max(high + 1, lower)), label=f"output_{'hw'[axis]}"))
    return tuple(sizes)


@NATIVE
@given(data=st.data())
def test_tensorflow_output_shape_and_padding(data):
    need("tensorflow")
    import tensorflow as tf

    mode = data.draw(st.sampled_from(["VALID", "SAME", "explicit"]), label="padding")
    kernel = pair(data, "kernel", st.integers(1, 4))
    stride = pair(data, "stride", st.integers(1, 3))
    # TF's CPU kernel refuses dilation with explicit padding (finding tensorflow-cpu-dilation)
    dilation = (1, 1) if mode == "explicit" else pair(data, "dilation", st.integers(1, 2))
    size = pair(data, "input", st.integers(1, 5))
    explicit = pair(data, "pads", st.tuples(st.integers(0, 2), st.integers(0, 2))) \
        if mode == "explicit" else None
    output = draw_tf_output(data, mode, size, kernel, stride, dilation, explicit)
    padding = mode if explicit is None else [[0, 0], list(explicit[0]), list(explicit[1]), [0, 0]]
    spec, rejected = spec_or_rejection(lambda: Spec.from_tensorflow(
        2, 3, kernel, size, output, stride, padding, dilation))
    probe = spec or Spec(2, 3, kernel, stride, dilation=dilation, bias=False)
    x, w, _ = tensors(probe, 2, size, "float32")
    try:
        out = tf.nn.conv2d_transpose(
            np.transpose(x, (0, 2, 3, 1)), np.transpose(w, (2, 3, 1, 0)), [2, *output, 3],
            stride, padding, dilations=dilation)
    except (tf.errors.InvalidArgumentError, tf.errors.AbortedError) as err:
        if rejected is None and not cpu.tensorflow_onednn():
            # without oneDNN TF refuses every dilation: the refusal must be that finding's
            record = {"outcome": "failed", "adapter": "tensorflow", "failure": "error",
                      "error": str(err), "case": {"spec": spec.to_dict()}}
            assert classify(record).get("finding") == "tensorflow-cpu-dilation", (
                f"TF refused {padding} output {output} that Spec accepts: {err}")
            return
        assert rejected is not None, f"TF refused {padding} output {output} that Spec accepts: {err}"
        return
    out = np.transpose(out.numpy(), (0, 3, 1, 2))
    if rejected is not None:
        record = {"outcome": "failed", "kind": "native", "adapter": "tensorflow", "failure": "accepts-invalid",
                  "native": dict(padding=mode, explicit=explicit, input_size=size,
                                 output_size=output, kernel=kernel, stride=stride,
                                 dilation=dilation)}
        assert classify(record)["outcome"] == "known", (
            f"TF computed {padding} output {output} that Spec rejects ({rejected}) and no "
            f"known finding explains it")
        # the finding says TF returns the natural extension: crops (a, L - O - a)
        before = explicit or ((0, 0), (0, 0))
        spec = Spec(2, 3, kernel, stride, tuple(
            (a, full_length(i, k, s, d) - o - a)
            for (a, _), i, k, s, d, o in zip(before, size, kernel, stride, dilation, output)),
            dilation, bias=False)
    assert_same(out, x, w, None, spec, "float32", (padding, output))


# ----------------------------------------------------------------------- jax
@NATIVE
@given(data=st.data())
def test_jax_conv_transpose_padding(data):
    need("jax")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import jax

    jax.config.update("jax_enable_x64", True)
    kernel = pair(data, "kernel", st.integers(1, 4))
    stride = pair(data, "stride", st.integers(1, 3))
    dilation = pair(data, "dilation", st.integers(1, 3))
    size = pair(data, "input", st.integers(1, 5))
    mode = data.draw(st.sampled_from(["VALID", "SAME", "pairs"]), label="padding")
    padding = mode if mode != "pairs" else tuple(
        data.draw(st.tuples(st.integers(-1, d * (k - 1) + 1), st.integers(-1, d * (k - 1) + 1)),
                  label=f"pads_{a}") for k, d, a in zip(kernel, dilation, "hw"))
    spec = Spec.from_jax(2, 3, kernel, stride, padding, dilation)
    try:
        spec.output_shape((1, 2, *size))
    except ValueError:
        return  # no output: error-path parity is checked elsewhere
    x, w, _ = tensors(spec, 2, size, "float64")
    out = jax.lax.conv_transpose(x, w, stride, padding, rhs_dilation=dilation,
                                 dimension_numbers=("NCHW", "OIHW", "NCHW"), transpose_kernel=True)
    assert_same(np.asarray(out), x, w, None, spec, "float64", padding)


# --------------------------------------------------------------------- keras
@NATIVE
@given(data=st.data())
def test_keras_padding_and_output_padding(data):
    """On the process's Keras backend (KERAS_BACKEND); run once per backend."""
    need("keras")
    from convt_suite.adapters.keras import KerasAdapter

    keras = KerasAdapter().module
    kernel = pair(data, "kernel", st.integers(1, 4))
    stride = pair(data, "stride", st.integers(1, 3))
    dilation = pair(data, "dilation", st.integers(1, 2))
    size = pair(data, "input", st.integers(1, 5))
    mode = data.draw(st.sampled_from(["valid", "same"]), label="padding")
    output_padding = data.draw(st.one_of(st.none(), st.tuples(
        st.integers(0, stride[0]), st.integers(0, stride[1]))), label="output_padding")
    spec, rejected = spec_or_rejection(lambda: Spec.from_keras(
        2, 3, kernel, stride, mode, output_padding, dilation, use_bias=True), size)
    probe = spec or Spec(2, 3, kernel, stride, dilation=dilation)
    x, w, b = tensors(probe, 2, size, "float32")
    try:
        layer = keras.layers.Conv2DTranspose(3, kernel, stride, mode, output_padding,
                                             dilation_rate=dilation, dtype="float32")
        layer.build((2, *size, 2))
        layer.set_weights([np.transpose(w, (2, 3, 1, 0)), b])
        out = keras.ops.convert_to_numpy(layer(np.transpose(x, (0, 2, 3, 1))))
    except ValueError as err:
        assert rejected is not None, f"Keras refused {mode} {output_padding} that Spec accepts: {err}"
        return
    except Exception as err:  # a backend failing where the definition has a result
        record = {"outcome": "failed", "kind": "native", "adapter": KerasAdapter().name, "failure": "error",
                  "error": f"{type(err).__name__}: {err}", "case": {"spec": probe.to_dict()}}
        assert rejected is None and classify(record)["outcome"] == "known", (
            f"Keras raised for {mode}, {output_padding} and no known finding explains it: {err}")
        return
    if rejected is not None:
        record = {"outcome": "failed", "kind": "native", "adapter": KerasAdapter().name, "failure": "accepts-invalid",
                  "native": dict(padding=mode, output_padding=output_padding, input_size=size,
                                 kernel=kernel, stride=stride, dilation=dilation)}
        assert classify(record)["outcome"] == "known", (
            f"Keras computed {mode}, {output_padding} that Spec rejects ({rejected}) and no "
            f"known finding explains it")
        assert 0 in out.shape, f"the finding says Keras returns an empty tensor: {out.shape}"
        return
    assert_same(np.transpose(out, (0, 3, 1, 2)), x, w, b, spec, "float32", (mode, output_padding))


KERAS_EMPTY = dict(padding="same", output_padding=(0, 0), input_size=(1, 1), kernel=(1, 2),
                   stride=(1, 1), dilation=(1, 1))
KERAS_EMPTY_NEAR_MISSES = {
    "valid": {"padding": "valid"},
    "output_padding None": {"output_padding": None},
    "output_padding 1": {"output_padding": (0, 1)},
    "input width 2": {"input_size": (1, 2)},
    "odd kernel": {"kernel": (1, 3)},
    "even kernel made odd by dilation": {"kernel": (1, 2), "dilation": (1, 2)},
}


def test_keras_same_empty_output_rejects_near_misses():
    finding = by_id()["keras-same-empty-output"]

    def explains(native, adapter="keras[jax]"):
        return finding.explains({"outcome": "failed", "failure": "accepts-invalid",
                                 "adapter": adapter, "native": native})

    assert explains(KERAS_EMPTY) and explains(KERAS_EMPTY, "keras[tensorflow]")
    assert not explains(KERAS_EMPTY, "torch")
    for name, change in KERAS_EMPTY_NEAR_MISSES.items():
        assert not explains(KERAS_EMPTY | change), name


# ---------------------------------------------------------------------- onnx
@NATIVE
@given(data=st.data())
@pytest.mark.parametrize("selector", ["onnxruntime", "onnxruntime[opset11]", "onnx[reference]"])
def test_onnx_conv_transpose_attributes(selector, data):
    """Every attribute the ConvTranspose spec defines (auto_pad absent,
    NOTSET, SAME_UPPER, SAME_LOWER, VALID; pads; output_padding;
    output_shape; group; dilations; strides; kernel_shape given or inferred),
    drawn past each rule: the runtime computes Spec.from_onnx's output or
    refuses where it refuses, or a known finding explains the difference."""
    need("onnx")
    need("onnxruntime")
    from convt_suite.adapters.registry import load
    from convt_suite.core.compare import check_native
    from convt_suite.core.native import draw_native

    case = draw_native(data, "onnx")
    record = classify(check_native(load(selector), case, "float32"))
    assert record["outcome"] in ("passed", "known"), (
        f"{selector} {case}: {record.get('failure')} {record.get('error') or ''} "
        f"{record.get('expected_refusal') or record.get('expected_shape')} got {record.get('actual_shape')}")
