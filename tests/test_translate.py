"""The translator (convt_suite/porting/translate.py): sources parsed by each
framework's signature, refusals that name the rule, every target's form
stating the source's spec, and nothing called verified that did not run and
pass: planted misreadings make a form NOT VERIFIED."""

import ast
import dataclasses
import importlib.util
import json
import re
import subprocess
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from convt_suite import cli
from convt_suite.adapters.base import channels_first, channels_last
from convt_suite.adapters.spec import Spec
from convt_suite.core.native import LANGUAGES, draw_native
from convt_suite.porting import sources
from convt_suite.porting import translate as translator
from tests.test_native_sweeps import OutputPaddingBefore, PairsAreCrops, ReadsTheDocs, SameRoundsUp

LANGUAGE_OF = {"torch[nn]": "torch.nn", "tensorflow": "tensorflow", "keras[tensorflow]": "keras",
               "keras[jax]": "keras", "keras[torch]": "keras", "jax": "jax", "onnxruntime": "onnx"}


def by_the_docs(planted=None, planted_language=None):
    """Every target run by the documented reading; `planted_language`'s by `planted`."""
    def adapter_for(selector):
        language = LANGUAGE_OF[selector]
        return (planted if language == planted_language else ReadsTheDocs)(language)
    return adapter_for


TORCH = "ConvTranspose2d(2, 8, 3, stride=2, padding=1, output_padding=1)"


class ValidCropsOneMore(ReadsTheDocs):
    """Keras's 'valid' read as cropping one more row and column at the start."""

    name = "planted:valid-crops-one-more"

    def spec(self, call, x):
        spec = super().spec(call, x)
        if call["padding"] != "valid":
            return spec
        return dataclasses.replace(spec, padding=tuple((a + 1, b) for a, b in spec.padding))


class PadsPerAxis(ReadsTheDocs):
    """ONNX's pads [top, left, bottom, right] read as [top, bottom, left, right]."""

    name = "planted:pads-per-axis"

    def read(self, call):
        if call["explicit"] is None:
            return call
        (top, bottom), (left, right) = call["explicit"]
        return {**call, "explicit": ((top, left), (bottom, right))}


@pytest.mark.parametrize("language, text, channels, expected", [
    ("torch", TORCH, None, Spec.from_torch(2, 8, 3, stride=2, padding=1, output_padding=1)),
    ("torch", "nn.ConvTranspose2d(4, 6, (3, 2), 2, 1, 1, 2, False, 1)", None,
     Spec.from_torch(4, 6, (3, 2), 2, 1, 1, 2, False, 1)),
    ("torch", "F.conv_transpose2d(x, (4, 3, 3, 2), b, stride=2, padding=1, output_padding=1, groups=2)",
     None, Spec.from_torch(4, 6, (3, 2), 2, 1, 1, 2, True, 1)),
    ("torch", "torch.nn.functional.conv_transpose2d(x, (2, 5, 3, 3), None, 2, 0, 1, 1, 2)", None,
     Spec.from_torch(2, 5, 3, 2, 0, 1, 1, False, 2)),
    ("torch", "nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1)(x, output_size=(10, 10))", None,
     Spec.from_torch(4, 2, 3, 2, 1, 0, 1, True, 1, output_size=(10, 10), input_size=(5, 5))),
    ("torch", "ConvTranspose2d(4, 2, 3, stride=2, padding=1)(x)", None, Spec.from_torch(4, 2, 3, 2, 1)),
    ("keras", "keras.layers.Conv2DTranspose(8, 3, strides=2, padding='same', activation=None, "
              "kernel_initializer='he_normal', name='up')", 4,
     Spec.from_keras(4, 8, 3, 2, "same", None, 1, True)),
    ("tensorflow", "tf.nn.conv2d_transpose(filters=(3, 3, 8, 4), output_shape=[1, 10, 10, 8], "
                   "strides=2, padding='SAME')", None,
     Spec.from_tensorflow(4, 8, 3, (5, 5), (10, 10), 2, "SAME", 1, False)),
    ("tensorflow", "conv2d_transpose(filters=(2, 2, 1, 1), output_shape=[3, 6, 6, 1], strides=1, "
                   "padding=[[0, 0], [0, 0], [0, 0], [0, 0]])", None,
     Spec.from_tensorflow(1, 1, 2, (5, 5), (6, 6), 1, [[0, 0], [0, 0], [0, 0], [0, 0]], 1, False)),
    # NCHW: output_shape [N, C, H, W], explicit pairs and 4-long strides in its axes
    ("tensorflow", "tf.nn.conv2d_transpose(x, (3, 3, 8, 4), [2, 8, 10, 9], [1, 1, 2, 2], "
                   "[[0, 0], [0, 0], [1, 0], [1, 1]], data_format='NCHW')", None,
     Spec.from_tensorflow(4, 8, 3, (5, 5), (10, 9), 2, [[0, 0], [1, 0], [1, 1], [0, 0]], 1, False)),
    ("jax", "jax.lax.conv_transpose(x, rhs=(4, 8, 3, 3), strides=(2, 2), padding=((1, 2), (1, 2)), "
            "dimension_numbers=('NCHW', 'OIHW', 'NCHW'), transpose_kernel=True)",
     None, Spec.from_jax(4, 8, 3, (2, 2), ((1, 2), (1, 2)), (1, 1), False)),
    # JAX's defaults: ('NHWC', 'HWIO', 'NHWC'), transpose_kernel=False: rhs's I axis is C_in
    ("jax", "lax.conv_transpose(x, (3, 2, 4, 8), (2, 1), 'SAME')", None,
     Spec.from_jax(4, 8, (3, 2), (2, 1), "SAME", (1, 1), False)),
    ("jax", "lax.conv_transpose(x, (4, 8, 3, 3), (1, 1), ((1, 1), (2, 0)), use_consistent_padding=True, "
            "dimension_numbers=('NCHW', 'OIHW', 'NCHW'), transpose_kernel=True)", None,
     Spec.from_jax(4, 8, 3, (1, 1), ((1, 1), (2, 0)), (1, 1), False, use_consistent_padding=True)),
    # a ConvTranspose node: W as its shape, B given or not, the attributes as make_node takes them
    ("onnx", "ConvTranspose(W=(4, 3, 3, 2), B=True, strides=[2, 2], pads=[1, 0, 1, 1], "
             "output_padding=[1, 0], group=2)", None,
     Spec.from_onnx(4, 6, (3, 2), (5, 5), (2, 2), (1, 0, 1, 1), (1, 0), (1, 1), 2, None, None, True)),
    ("onnx", "helper.ConvTranspose((2, 3, 2, 2), auto_pad='SAME_LOWER', strides=[2, 1], "
             "kernel_shape=[2, 2], dilations=[1, 2])", None,
     Spec.from_onnx(2, 3, (2, 2), (5, 5), (2, 1), None, None, (1, 2), 1, "SAME_LOWER", None, False)),
    ("onnx", "ConvTranspose(W=(2, 3, 3, 3), B=None, strides=[2, 2], output_shape=[10, 9])", None,
     Spec.from_onnx(2, 3, (3, 3), (5, 5), (2, 2), None, None, (1, 1), 1, None, (10, 9), False)),
])
def test_each_language_is_read_by_its_own_signature(language, text, channels, expected):
    assert sources.parse(language, text, (5, 5), channels).spec() == expected


@pytest.mark.parametrize("language, text, size, channels, expected", [
    # HiFi-GAN's and V-Net's upsamplers, in each framework's words
    ("torch", "ConvTranspose1d(512, 256, 16, stride=8, padding=4)", (32,), None,
     Spec.from_torch(512, 256, 16, 8, 4, rank=1)),
    ("torch", "F.conv_transpose1d(x, (4, 3, 5), b, stride=3, padding=2, output_padding=1, groups=2, dilation=2)",
     (7,), None, Spec.from_torch(4, 6, 5, 3, 2, 1, 2, True, 2, rank=1)),
    ("torch", "nn.ConvTranspose3d(16, 8, 2, stride=2)", (4, 8, 8), None, Spec.from_torch(16, 8, 2, 2, rank=3)),
    ("torch", "ConvTranspose3d(4, 2, 3, stride=2, padding=1)(x, output_size=(8, 9, 10))", (4, 5, 5), None,
     Spec.from_torch(4, 2, 3, 2, 1, output_size=(8, 9, 10), input_size=(4, 5, 5), rank=3)),
    ("keras", "keras.layers.Conv1DTranspose(8, 4, strides=2, padding='same')", (10,), 3,
     Spec.from_keras(3, 8, 4, 2, "same", None, 1, True, rank=1)),
    # Conv3DTranspose's fifth positional is data_format, its sixth output_padding
    ("keras", "Conv3DTranspose(8, 3, 2, 'same', 'channels_first', 1)", (4, 4, 4), 2,
     Spec.from_keras(2, 8, 3, 2, "same", 1, 1, True, rank=3)),
    ("tensorflow", "tf.nn.conv1d_transpose(x, (5, 3, 2), [2, 14, 3], 2, 'SAME')", (7,), None,
     Spec.from_tensorflow(2, 3, 5, (7,), (14,), 2, "SAME", 1, False)),
    # NCDHW: strides and dilations in its axes, [N, C, D, H, W]
    ("tensorflow", "tf.nn.conv3d_transpose(x, (2, 3, 3, 8, 4), [1, 8, 8, 11, 7], [1, 1, 2, 2, 1], 'VALID', "
                   "'NCDHW', dilations=[1, 1, 1, 1, 2])", (4, 5, 3), None,
     Spec.from_tensorflow(4, 8, (2, 3, 3), (4, 5, 3), (8, 11, 7), (2, 2, 1), "VALID", (1, 1, 2), False)),
    ("tensorflow", "tf.nn.conv_transpose(x, (3, 2, 4), [1, 12, 2], 2, 'VALID')", (5,), None,
     Spec.from_tensorflow(4, 2, 3, (5,), (12,), 2, "VALID", 1, False)),
    # JAX's 1-D default ('NHC', 'HIO', 'NHC'): rhs's I axis is C_in
    ("jax", "lax.conv_transpose(x, (3, 4, 8), (2,), 'SAME')", (6,), None,
     Spec.from_jax(4, 8, (3,), (2,), "SAME", (1,), False)),
    ("jax", "jax.lax.conv_transpose(x, (4, 8, 3, 3, 2), (2, 1, 2), ((1, 2), (2, 2), (1, 1)), (1, 2, 1), "
            "dimension_numbers=('NCDHW', 'OIDHW', 'NCDHW'), transpose_kernel=True)", (3, 4, 5), None,
     Spec.from_jax(4, 8, (3, 3, 2), (2, 1, 2), ((1, 2), (2, 2), (1, 1)), (1, 2, 1), False)),
    ("onnx", "ConvTranspose(W=(4, 3, 3), B=True, strides=[2], pads=[1, 0], output_padding=[1], group=2)", (6,),
     None, Spec.from_onnx(4, 6, (3,), (6,), (2,), (1, 0), (1,), (1,), 2, None, None, True)),
    ("onnx", "ConvTranspose((2, 3, 2, 2, 2), auto_pad='SAME_UPPER', strides=[2, 2, 1])", (3, 3, 3), None,
     Spec.from_onnx(2, 3, (2, 2, 2), (3, 3, 3), (2, 2, 1), None, None, (1, 1, 1), 1, "SAME_UPPER", None, False)),
])
def test_each_language_is_read_in_1d_and_3d(language, text, size, channels, expected):
    reading = sources.read(language, text, size, channels)
    assert reading.case.spec() == expected and reading.case.rank == len(size)


@pytest.mark.parametrize("language, text, size, refusal, message", [
    ("torch", "ConvTranspose1d(4, 2, 3)", (5, 5, 5), sources.Usage,
     "input size 5x5x5: ConvTranspose1d is 1-D: give its spatial size W, e.g. --input 32"),
    ("torch", "ConvTranspose1d(4, 2, 3)", (4, 5), sources.Unsupported,
     "PyTorch's unbatched (C, W) input computes what a batch of one does (x[None], then y[0]): give --input 5"),
    ("torch", "ConvTranspose3d(4, 2, 3)", (4, 5, 5, 5), sources.Unsupported, "unbatched (C, D, H, W) input"),
    ("torch", "ConvTranspose2d(4, 2, 3)", (5,), sources.Usage, "ConvTranspose2d is 2-D"),
    ("jax", "lax.conv_transpose(x, (3, 3, 4, 2), (2, 2), 'SAME')", (4, 4, 4, 4), sources.Usage,
     "input size 4x4x4x4: 4 axes: conv_transpose is checked in 1, 2 or 3 spatial axes: give W, HxW or DxHxW"),
    ("torch", "ConvTranspose3d(4, 2, (3, 3))", (5, 5, 5), sources.Invalid, "kernel_size=(3, 3)"),
    ("torch", "F.conv_transpose1d(x, (4, 2, 3, 3))", (5,), sources.Usage,
     "weight must be given as its shape (C_in, C_out // groups, kW)"),
    ("keras", "Conv1DTranspose(8, 3, data_format='NCW')", (5,), sources.Invalid, "data_format='NCW'"),
    ("tensorflow", "conv3d_transpose(x, (2, 2, 2, 8, 4), [1, 6, 6, 6, 8], 2, [[0, 0]] * 5)", (3, 3, 3),
     sources.Usage, "must be a literal value"),
    ("tensorflow", "conv3d_transpose(x, (2, 2, 2, 8, 4), [1, 6, 6, 6, 8], 2, [[0, 0], [0, 0], [0, 0], [0, 0], "
                   "[0, 0]])", (3, 3, 3), sources.Invalid,
     "a 3-D transposed convolution takes 'SAME' or 'VALID' (explicit pairs are conv2d_transpose's only"),
    ("tensorflow", "conv1d_transpose(x, (2, 8, 4), [1, 6, 8], 2, 'VALID', 'NHWC')", (3,), sources.Invalid,
     "a 1-D transposed convolution takes 'NWC' or 'NCW'"),
    ("tensorflow", "conv1d_transpose(x, (2, 8, 4), [1, 6, 8], [1, 2], 'VALID')", (3,), sources.Invalid,
     "must be an int or a list of 1 or 3 ints"),
    ("tensorflow", "conv_transpose(x, (2, 2, 8, 4), [1, 6, 8], 2, 'VALID')", (3,), sources.Usage,
     "filters must be given as its shape (kW, C_out, C_in)"),
    ("jax", "conv_transpose(x, (3, 4, 8), (2, 2), 'SAME')", (6,), sources.Invalid,
     "strides=(2, 2): JAX takes a sequence of 1 ints (H)"),
    ("jax", "conv_transpose(x, (3, 3, 3, 4, 8), (1, 1, 1), 'SAME', dimension_numbers=('NCDHW', 'DHWIO', "
            "'NCDHX'))", (3, 3, 3), sources.Invalid, "'NCDHX' is not"),
    ("onnx", "ConvTranspose(W=(2, 3, 3, 3, 3), pads=[1, 1, 1, 1])", (4, 4, 4), sources.Invalid,
     "pads must be [front, top, left, back, bottom, right]"),
    ("onnx", "ConvTranspose(W=(2, 3, 3), strides=[2, 2])", (4,), sources.Invalid, "strides=[2, 2]"),
])
def test_a_1d_or_3d_layer_the_suite_cannot_translate_is_refused_by_its_rule(language, text, size, refusal,
                                                                          message):
    with pytest.raises(refusal) as refused:
        sources.read(language, text, size, 4 if language == "keras" else None)
    assert message in str(refused.value), str(refused.value)


@pytest.mark.parametrize("language, text, channels, message", [
    ("torch", "ConvTranspose2d(4, 2, 3, stride=2, output_padding=2)", None,
     "output_padding=2: must satisfy 0 <= output_padding < max(stride, dilation)"),
    ("torch", "ConvTranspose2d(4, 2, k)", None, "kernel_size=k must be a literal value"),
    ("torch", "ConvTranspose2d(4, 2, 3, strides=2)", None, "unknown argument 'strides'"),
    ("torch", "ConvTranspose2d(4, 2)", None, "missing kernel_size"),
    ("torch", "ConvTranspose2d(4, 2, 3, padding=1, padding=2)", None, "padding given twice"),
    ("torch", "ConvTranspose2d(4, 2, 3", None, "not a Python call"),
    ("torch", "ConvTranspose2d(4, 2, 3, 1, 0, 0, 1, True, 1, 'zeros', None, None, 7)", None,
     "at most 12 positional"),
    ("torch", "Conv2d(4, 2, 3)", None, "calls here are ConvTranspose1d, conv_transpose1d, ConvTranspose2d, "
     "conv_transpose2d, ConvTranspose3d, conv_transpose3d, not Conv2d"),
    ("torch", "ConvTranspose2d(4, 2, 3, padding=5)", None, "output H = L - before - after = 7 - 5 - 5 = -3"),
    ("torch", "ConvTranspose2d(4, 2, 3)", 3, "--channels 3: ConvTranspose2d says in_channels=4"),
    ("keras", "Conv2DTranspose(8, 3)", None, "give --channels"),
    ("keras", "Conv2DTranspose(8, 3, strides=2, output_padding=2)", 4, "output_padding"),
    ("tensorflow", "conv2d_transpose(filters=3, output_shape=[9, 9], strides=2)", None,
     "filters must be given as its shape"),
    ("tensorflow", "conv2d_transpose(filters=(3, 3, 1, 1), output_shape=[1, 20, 20, 1], strides=2)", None,
     "output_shape's (H, W)=(20, 20): with padding 'SAME' and input size 5, kernel 3, stride 2, "
     "dilation 1, output size must be in [9, 10], got 20"),
    ("torch", "ConvTranspose2d(4, 2, 3, stride=2, padding=1)(x, output_size=(20, 20))", None,
     "output_size=(20, 20): each size must lie in [m, m + stride - 1]"),
    ("torch", "ConvTranspose2d(4, 2, 3)(output_size=(9, 9))", None, "forward: missing its input"),
    ("torch", "F.conv_transpose2d(x, 3)", None, "weight must be given as its shape"),
    ("torch", "F.conv_transpose2d(x, (4, 2, 3, 3), stride=s)", None, "stride=s must be a literal value"),
    ("keras", "Conv2DTranspose(8, 3)(x)", 4, "only a torch module is called like this"),
    ("jax", "conv_transpose(rhs=(1, 1, 3, 3), strides=(1, 1), padding='FULL')", None, "padding"),
    ("onnx", "ConvTranspose(strides=[2, 2])", None, "ConvTranspose: missing W"),
    ("onnx", "ConvTranspose(W=6)", None, "W must be given as its shape (C_in, C_out // group, kH, kW)"),
    ("onnx", "ConvTranspose(W=(2, 3, 3, 3), kernel_shape=[3, 2])", None,
     "kernel_shape=[3, 2] is not W's (kH, kW) = [3, 3]"),
    ("onnx", "ConvTranspose(W=(2, 3, 3, 3), pads=[1, 1])", None, "pads must be [top, left, bottom, right]"),
    ("onnx", "ConvTranspose(W=(2, 3, 3, 3), auto_pad='SAME_UPPER', pads=[1, 1, 1, 1])", None,
     "the spec says pads cannot be used together with auto_pad"),
    ("onnx", "ConvTranspose(W=(2, 3, 3, 3), strides=[2, 2], output_padding=[2, 0])", None,
     "output_padding=[2, 0]: must satisfy 0 <= output_padding < the stride/dilation"),
    ("onnx", "ConvTranspose(W=(2, 3, 3, 3))", 4, "--channels 4: ConvTranspose says in_channels=2"),
    ("caffe", "Deconvolution()", None, "--from 'caffe': must be one of"),
])
def test_a_layer_the_suite_cannot_translate_is_refused_by_its_rule(language, text, channels, message):
    with pytest.raises(ValueError) as refused:
        translator.translate(language, text, (5, 5), channels, adapter_for=by_the_docs())
    assert message in str(refused.value)


@settings(max_examples=120, deadline=None, derandomize=True, database=None)
@given(data=st.data())
@pytest.mark.slow
def test_every_targets_form_states_the_sources_spec(data):
    """Whatever the source language, each target's native call reads back
    (by its own Spec.from_*) as the source's spec; plans() checks it."""
    case = draw_native(data, data.draw(st.sampled_from(LANGUAGES), label="language"), ranks=(1, 2, 3))
    assume(case.expectation()[0] is not None and case.input_shape[0] > 0)
    spec, planned = translator.plans(case)
    for plan in planned:
        assert (plan["native"] is None) != (plan["composed"] is None)
        if plan["native"] is not None:
            assert plan["native"].spec() == spec
        else:   # the call's crops and the ones left make the spec's, per group, on the kernel given
            composed = plan["composed"]
            done = composed.call.spec()
            target = plan["target"]
            assert composed.groups == (1 if target.takes_groups else spec.groups)
            if composed.dilated:
                assert max(done.dilation) == 1 and done.kernel_size == spec.effective_kernel
                done = dataclasses.replace(done, kernel_size=spec.kernel_size, dilation=spec.dilation)
            whole = dataclasses.replace(spec if composed.groups == 1 else spec.per_group(), bias=False)
            assert dataclasses.replace(done, padding=spec.padding) == whole
            assert all(d + r == t for pd, pr, pt in zip(done.padding, composed.remaining, spec.padding)
                       for d, r, t in zip(pd, pr, pt))
    # PyTorch states every spec whose crops are (p, p - output_padding), p >= 0 and
    # 0 <= output_padding < max(stride, dilation) on each axis
    assert (planned[0]["native"] is not None) == all(
        before >= 0 and 0 <= before - after < max(s, d)
        for (before, after), s, d in zip(spec.padding, spec.stride, spec.dilation))


def test_the_issues_example_is_verified_native_or_composed_in_every_framework():
    result = translator.translate("torch", TORCH, (16, 16), adapter_for=by_the_docs())
    assert result["output_shape"] == [1, 8, 32, 32]
    forms = {t["framework"]: t for t in result["targets"]}
    assert all(t["verified"] for t in forms.values())
    assert forms["PyTorch"]["native"] and "padding=(1, 1), output_padding=(1, 1)" in forms["PyTorch"]["code"]
    # TF's 'SAME' crops the odd pixel after; torch's output_padding leaves it after: explicit pads
    assert "padding=[[0, 0], [1, 0], [1, 0], [0, 0]]" in forms["TensorFlow"]["code"]
    # Keras's 'same' is (0, 1), its 'valid' (0, 0): no layer states (1, 0), composed as
    # 'valid' (the nearest) and a slice of one row and column at the start
    assert not forms["Keras"]["native"] and set(forms["Keras"]["runs"]) == {
        "keras[tensorflow]", "keras[jax]", "keras[torch]"}
    assert forms["Keras"]["form"] == "composed" and forms["Keras"]["composed"]["crops_left"] == [[1, 0], [1, 0]]
    assert "padding='valid'" in forms["Keras"]["code"] and "use_bias=False" in forms["Keras"]["code"]
    assert "y = y[:, 1:, 1:, :]" in forms["Keras"]["code"] and "y = y + b" in forms["Keras"]["code"]
    assert "((1, 2), (1, 2))" in forms["JAX"]["code"]
    # and as programs: the code as printed, between the tensors and the reference
    for target in forms.values():
        body = "\n".join(line for line in target["program"].splitlines() if not line.startswith("#"))
        code = target["code"].removesuffix("(x)").removesuffix("(x_nhwc)")   # a layer: built, then called
        assert all(line in body for line in code.splitlines()), (target["framework"], body)
    assert "y = y[:, 1:, 1:, :]" in forms["Keras"]["program"]
    # ONNX states (1, 0) crops as pads [top, left, bottom, right] = [1, 1, 0, 0], no output_padding
    assert forms["ONNX"]["native"] and "'pads': [1, 1, 0, 0]" in forms["ONNX"]["code"]
    assert "output_padding" not in forms["ONNX"]["code"]
    text = translator.render(result)
    assert text.count("verified") == 5 and "NOT VERIFIED" not in text
    assert "checkerboard: taps per row: 1 2 1 2" in text and "uneven (checkerboard)" in text
    assert json.loads(translator.to_json(result))["targets"][3]["runs"]["jax"]["outcome"] == "passed"


@pytest.mark.parametrize("planted, language, source, text, framework", [
    (OutputPaddingBefore, "torch.nn", "torch", TORCH, "PyTorch"),
    # Keras's 'same' is TF's 'SAME': the TF form is 'SAME', which the planted TF reads as (1, 0)
    (SameRoundsUp, "tensorflow", "keras", "Conv2DTranspose(2, 3, strides=2, padding='same')",
     "TensorFlow"),
    (PairsAreCrops, "jax", "torch", TORCH, "JAX"),
    # the nearest call plus crops runs as printed: a misread 'valid' fails it
    (ValidCropsOneMore, "keras", "torch", TORCH, "Keras"),
    (PadsPerAxis, "onnx", "torch", TORCH, "ONNX"),
])
def test_a_misread_target_is_not_verified(planted, language, source, text, framework):
    """The runs, not the plan, decide: a framework that reads its own call
    otherwise than the docs fails the run, and the form says NOT VERIFIED."""
    result = translator.translate(source, text, (5, 5), 2, adapter_for=by_the_docs(planted, language))
    assert all(t["verified"] for t in translator.translate(
        source, text, (5, 5), 2, adapter_for=by_the_docs())["targets"])
    failed = [t["framework"] for t in result["targets"] if not t["verified"]]
    assert failed == [framework] and "NOT VERIFIED" in translator.render(result)


def test_a_target_whose_adapter_cannot_start_is_not_verified():
    def adapter_for(selector):
        if selector == "jax":
            raise ModuleNotFoundError("No module named 'jax'")
        return ReadsTheDocs(LANGUAGE_OF[selector])

    result = translator.translate("torch", TORCH, (16, 16), adapter_for=adapter_for)
    jax = result["targets"][3]
    assert not jax["verified"] and jax["runs"]["jax"]["outcome"] == "not run"


@pytest.mark.skipif(importlib.util.find_spec("onnxruntime") is None, reason="onnxruntime is not installed")
def test_an_onnx_form_with_crops_left_runs_as_printed():
    """A negative pad (zeros appended) is no attribute ONNX Runtime takes: the
    node with pads >= 0, then the rest in numpy, as a program that runs."""
    result = translator.translate("onnx", "ConvTranspose(W=(2, 3, 3, 3), strides=[2, 2], "
                                  "pads=[-1, 0, 2, 0])", (5, 5), adapter_for=by_the_docs())
    onnx = next(t for t in result["targets"] if t["framework"] == "ONNX")
    assert onnx["form"] == "composed" and onnx["verified"], onnx
    assert "'pads': [0, 0, 2, 0]" in onnx["code"] and "np.pad(y" in onnx["code"]
    done = subprocess.run([sys.executable, "-c", onnx["program"]], capture_output=True, text=True,
                          timeout=300)
    error = re.search(r"max \|error\| (\S+)", done.stdout)
    assert error and float(error.group(1)) < 1e-4, (done.stdout, done.stderr[-2000:])


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None
                        for m in ("torch", "tensorflow", "jax", "keras", "onnxruntime")),
                    reason="the frameworks are not all installed")
@pytest.mark.parametrize("layer, size, composed", [
    ("ConvTranspose2d(2, 3, (3, 2), stride=(2, 1), padding=(1, 0), output_padding=(1, 0))", "6x5", {"Keras"}),
    # groups, and strides with dilation (Keras's layer refuses them): per group, on a dilated kernel
    ("ConvTranspose2d(4, 6, 3, stride=(2, 1), padding=(2, 0), output_padding=(1, 0), groups=2, "
     "dilation=(2, 1))", "6x5", {"TensorFlow", "Keras", "JAX"}),
    # the same in 1-D, and 3-D crops that TF's and Keras's padding words do not state
    ("ConvTranspose1d(4, 6, 3, stride=2, padding=2, output_padding=1, groups=2, dilation=2)", "5",
     {"TensorFlow", "Keras", "JAX"}),
    ("ConvTranspose3d(2, 3, (3, 2, 2), stride=(2, 1, 2), padding=(1, 0, 1), output_padding=(1, 0, 0))",
     "3x4x3", {"TensorFlow", "Keras"}),
])
@pytest.mark.slow
def test_the_command_runs_every_framework_and_prints_json(layer, size, composed, capsys):
    """End to end, as users run it: each form in a worker of its own."""
    code = cli.main(["translate", "--from", "torch", "--input", size, "--json", layer])
    result = json.loads(capsys.readouterr().out)
    assert {t["framework"] for t in result["targets"] if not t["native"]} == composed
    assert code == 0, result
    for target in result["targets"]:
        assert target["verified"], target
        assert all(run["max_error_over_bound"] < 1 for run in target["runs"].values())
    # each form's program, pasted and run as it is, reproduces the float64 reference
    for target in result["targets"]:
        done = subprocess.run([sys.executable, "-c", target["program"]], capture_output=True,
                              text=True, timeout=600)
        error = re.search(r"max \|error\| (\S+)", done.stdout)
        assert error and float(error.group(1)) < 1e-4, (target["framework"], done.stdout, done.stderr[-2000:])
    assert cli.main(["translate", "--from", "torch", "--input", "6", "ConvTranspose2d(2, 3, 3)"]) == 2


# ------------------------------------------------ every argument read or refused
def _installed_signature(source: sources.Source):
    """(name, default, keyword-only) of each parameter, as the installed
    framework declares it; None where it is not installed."""
    import inspect

    where = source.signature_of
    if where == "onnx ConvTranspose":
        if importlib.util.find_spec("onnx") is None:
            return None
        import onnx

        schema = onnx.defs.get_schema("ConvTranspose")
        # a node: the inputs, then the attributes (their defaults are the spec's; the table's are
        # "not given"), all by name but W
        return ["X", "W", "B"], sorted(schema.attributes)
    module_name = {"torch": "torch", "tensorflow": "tensorflow", "jax": "jax", "keras": "keras"}[
        where.split(".")[0]]
    if importlib.util.find_spec(module_name) is None:
        return None
    if module_name == "keras":
        import os
        os.environ.setdefault("KERAS_BACKEND", "jax")
    import importlib as il

    parts = where.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            thing = il.import_module(".".join(parts[:cut]))
            break
        except ImportError:
            continue
    for part in parts[cut:]:
        thing = getattr(thing, part)
    try:
        parameters = list(inspect.signature(thing).parameters.values())
    except ValueError:   # a builtin (F.conv_transpose2d): its docstring's first line is its signature
        first = thing.__doc__.strip().splitlines()[0]
        header = first[first.index("("):first.rindex(")") + 1]
        parameters = list(inspect.signature(eval(f"lambda {header[1:-1]}: None")).parameters.values())
    found = []
    for parameter in parameters:
        if parameter.name == "self" or parameter.kind in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL):
            continue
        found.append((parameter.name, parameter.default, parameter.kind == parameter.KEYWORD_ONLY))
    if module_name == "keras":   # Conv2DTranspose's **kwargs go to keras.layers.Layer
        import keras

        layer = inspect.signature(keras.layers.Layer.__init__).parameters.values()
        names = {name for name, _, _ in found}
        found += [(p.name, p.default, True) for p in layer
                  if p.kind == p.KEYWORD_ONLY and p.name not in names]
    return found


SOURCES = [source for sources in sources.SIGNATURES.values() for source in sources]


@pytest.mark.parametrize("source", SOURCES, ids=[s.signature_of for s in SOURCES])
def test_each_sources_parameters_are_the_installed_frameworks_own(source):
    """SIGNATURES holds each source's parameters once: the installed
    framework's own, in order, with their defaults, each with a role. A
    parameter a new release adds fails here until it is read or refused."""
    installed = _installed_signature(source)
    if installed is None:
        pytest.skip(f"{source.signature_of}: its framework is not installed")
    assert all(p.role in sources.ROLES for p in source.parameters)
    if source.signature_of == "onnx ConvTranspose":
        inputs, attributes = installed
        ours = [p.name for p in source.parameters]
        assert sorted(ours) == sorted(inputs + attributes), (ours, inputs, attributes)
        return
    ours = [(p.name, p.default, p.keyword_only) for p in source.parameters]
    assert ours == installed


# a value other than the default for every parameter of every source, and the
# layer it is tried on: the translation must then differ (the spec, the batch,
# the weight's map, the layout), or name the parameter in a note or a refusal
BASE = {"torch.nn": "ConvTranspose2d(4, 6, 3)", "torch": "conv_transpose2d(x, (4, 6, 3, 3))",
        "keras": "Conv2DTranspose(6, 3)", "tensorflow": "conv2d_transpose(x, (3, 3, 6, 4), [1, 7, 7, 6], 1, 'VALID')",
        "jax": "conv_transpose(x, (3, 3, 4, 6), (1, 1), 'VALID')", "onnx": "ConvTranspose((4, 6, 3, 3))"}
LANGUAGE = {"torch.nn": "torch", "torch": "torch", "keras": "keras", "tensorflow": "tensorflow",
            "jax": "jax", "onnx": "onnx"}
ALTERNATIVES = {
    "torch.nn": dict(in_channels="ConvTranspose2d(2, 6, 3)", out_channels="ConvTranspose2d(4, 2, 3)",
                     kernel_size="ConvTranspose2d(4, 6, 2)", stride="ConvTranspose2d(4, 6, 3, 2)",
                     padding="ConvTranspose2d(4, 6, 3, padding=1)",
                     output_padding="ConvTranspose2d(4, 6, 3, 2, output_padding=1)",
                     groups="ConvTranspose2d(4, 6, 3, groups=2)", bias="ConvTranspose2d(4, 6, 3, bias=False)",
                     dilation="ConvTranspose2d(4, 6, 3, dilation=2)",
                     padding_mode="ConvTranspose2d(4, 6, 3, padding_mode='circular')",
                     device="ConvTranspose2d(4, 6, 3, device='cuda')",
                     dtype="ConvTranspose2d(4, 6, 3, dtype=torch.float64)"),
    "torch": dict(input="conv_transpose2d((1, 4, 5, 5), (4, 6, 3, 3))",
                  weight="conv_transpose2d(x, (4, 6, 2, 3))", bias="conv_transpose2d(x, (4, 6, 3, 3), b)",
                  stride="conv_transpose2d(x, (4, 6, 3, 3), None, 2)",
                  padding="conv_transpose2d(x, (4, 6, 3, 3), padding=1)",
                  output_padding="conv_transpose2d(x, (4, 6, 3, 3), stride=2, output_padding=1)",
                  groups="conv_transpose2d(x, (4, 3, 3, 3), groups=2)",
                  dilation="conv_transpose2d(x, (4, 6, 3, 3), dilation=2)"),
    "keras": dict(filters="Conv2DTranspose(2, 3)", kernel_size="Conv2DTranspose(6, 2)",
                  strides="Conv2DTranspose(6, 3, 2)", padding="Conv2DTranspose(6, 3, padding='same')",
                  output_padding="Conv2DTranspose(6, 3, 2, output_padding=1)",
                  data_format="Conv2DTranspose(6, 3, data_format='channels_first')",
                  dilation_rate="Conv2DTranspose(6, 3, dilation_rate=2)",
                  activation="Conv2DTranspose(6, 3, activation='relu')",
                  use_bias="Conv2DTranspose(6, 3, use_bias=False)",
                  kernel_initializer="Conv2DTranspose(6, 3, kernel_initializer='he_normal')",
                  bias_initializer="Conv2DTranspose(6, 3, bias_initializer='ones')",
                  kernel_regularizer="Conv2DTranspose(6, 3, kernel_regularizer='l2')",
                  bias_regularizer="Conv2DTranspose(6, 3, bias_regularizer='l2')",
                  activity_regularizer="Conv2DTranspose(6, 3, activity_regularizer='l2')",
                  kernel_constraint="Conv2DTranspose(6, 3, kernel_constraint='non_neg')",
                  bias_constraint="Conv2DTranspose(6, 3, bias_constraint='non_neg')",
                  trainable="Conv2DTranspose(6, 3, trainable=False)",
                  dtype="Conv2DTranspose(6, 3, dtype='mixed_float16')",
                  autocast="Conv2DTranspose(6, 3, autocast=False)", name="Conv2DTranspose(6, 3, name='up')"),
    "tensorflow": dict(input="conv2d_transpose((1, 5, 5, 4), (3, 3, 6, 4), [1, 7, 7, 6], 1, 'VALID')",
                       filters="conv2d_transpose(x, (2, 3, 6, 4), [1, 6, 7, 6], 1, 'VALID')",
                       output_shape="conv2d_transpose(x, (3, 3, 6, 4), [2, 7, 7, 6], 1, 'VALID')",
                       strides="conv2d_transpose(x, (3, 3, 6, 4), [1, 11, 11, 6], 2, 'VALID')",
                       padding="conv2d_transpose(x, (3, 3, 6, 4), [1, 5, 5, 6], 1, 'SAME')",
                       data_format="conv2d_transpose(x, (3, 3, 6, 4), [1, 6, 7, 7], 1, 'VALID', 'NCHW')",
                       dilations="conv2d_transpose(x, (3, 3, 6, 4), [1, 9, 9, 6], 1, 'VALID', dilations=2)",
                       name="conv2d_transpose(x, (3, 3, 6, 4), [1, 7, 7, 6], 1, 'VALID', name='up')"),
    "jax": dict(lhs="conv_transpose((1, 5, 5, 4), (3, 3, 4, 6), (1, 1), 'VALID')",
                rhs="conv_transpose(x, (2, 3, 4, 6), (1, 1), 'VALID')",
                strides="conv_transpose(x, (3, 3, 4, 6), (2, 1), 'VALID')",
                padding="conv_transpose(x, (3, 3, 4, 6), (1, 1), 'SAME')",
                rhs_dilation="conv_transpose(x, (3, 3, 4, 6), (1, 1), 'VALID', (2, 1))",
                dimension_numbers="conv_transpose(x, (3, 3, 4, 6), (1, 1), 'VALID', "
                                  "dimension_numbers=('NCHW', 'HWIO', 'NCHW'))",
                transpose_kernel="conv_transpose(x, (3, 3, 4, 6), (1, 1), 'VALID', transpose_kernel=True)",
                precision="conv_transpose(x, (3, 3, 4, 6), (1, 1), 'VALID', precision='highest')",
                preferred_element_type="conv_transpose(x, (3, 3, 4, 6), (1, 1), 'VALID', "
                                       "preferred_element_type='float64')",
                use_consistent_padding="conv_transpose(x, (3, 3, 4, 6), (1, 1), ((1, 1), (1, 1)), "
                                       "use_consistent_padding=True)"),
    "onnx": dict(W="ConvTranspose((4, 6, 2, 3))", B="ConvTranspose((4, 6, 3, 3), B=True)",
                 X="ConvTranspose((4, 6, 3, 3), X=(1, 4, 5, 5))",
                 auto_pad="ConvTranspose((4, 6, 3, 3), strides=[2, 2], auto_pad='SAME_UPPER')",
                 dilations="ConvTranspose((4, 6, 3, 3), dilations=[2, 2])",
                 group="ConvTranspose((4, 3, 3, 3), group=2)",
                 kernel_shape="ConvTranspose((4, 6, 3, 3), kernel_shape=[3, 2])",
                 output_padding="ConvTranspose((4, 6, 3, 3), strides=[2, 2], output_padding=[1, 1])",
                 output_shape="ConvTranspose((4, 6, 3, 3), strides=[2, 2], output_shape=[10, 10])",
                 pads="ConvTranspose((4, 6, 3, 3), pads=[1, 0, 0, 1])",
                 strides="ConvTranspose((4, 6, 3, 3), strides=[2, 1])"),
}


def _what_it_states(language, text):
    try:
        reading = sources.read(language, text, (5, 5), 4 if language == "keras" else None)
    except sources.Refused as refusal:
        return refusal
    return (reading.case.spec(), reading.case.input_shape, reading.weight, reading.layout, reading.notes)


@pytest.mark.parametrize("language, parameter", [
    (source.language, parameter.name) for source in SOURCES for parameter in source.parameters
    if source.rank == 2 or source.language in ("jax", "onnx")])
def test_no_parameter_is_dropped_in_silence(language, parameter):
    """Every parameter given a value other than its default changes what the
    translation states, or is named in a note or in a refusal."""
    assert _dropped(language, parameter) is None


def _dropped(language, parameter) -> str | None:
    """Why the translation drops `parameter` in silence, or None."""
    base = _what_it_states(LANGUAGE[language], BASE[language])
    assert not isinstance(base, Exception), base
    changed = _what_it_states(LANGUAGE[language], ALTERNATIVES[language][parameter])
    if isinstance(changed, sources.Refused):
        return None if parameter in str(changed) else f"refused without naming it: {changed}"
    spec, shape, weight, layout, notes = changed
    if any(note.startswith(f"{parameter}=") for note in notes) or (spec, shape, weight, layout) != base[:4]:
        return None
    return f"{ALTERNATIVES[language][parameter]} states what {BASE[language]} does"


@pytest.mark.parametrize("language, parameter, drop", [
    # the translator's former readings: each of these was ignored
    ("jax", "transpose_kernel", lambda values: values.update(transpose_kernel=False)),
    ("tensorflow", "output_shape", lambda values: values.update(output_shape=[1, *values["output_shape"][1:]])),
    ("keras", "data_format", lambda values: values.update(data_format=None)),
    ("jax", "dimension_numbers", lambda values: values.update(dimension_numbers=None)),
    ("torch.nn", "padding_mode", lambda values: values.update(padding_mode="zeros")),
])
def test_a_planted_silent_drop_is_caught(language, parameter, drop, monkeypatch):
    """The check above fails a translator that reads a parameter and then
    forgets it (the translator's former behaviour for each of these)."""
    values = sources._values

    def forgetting(source, name, bound):
        found, notes = values(source, name, bound)
        if source.language == language and parameter in [p.name for p in source.parameters]:
            drop(found)
        return found, notes

    monkeypatch.setattr(sources, "_values", forgetting)
    assert _dropped(language, parameter) is not None


def test_every_source_has_alternatives_for_all_its_parameters():
    for source in SOURCES:
        assert {p.name for p in source.parameters} <= set(ALTERNATIVES[source.language]), source.names


@pytest.mark.parametrize("language, text, channels, size, refusal, status, message", [
    ("torch", "ConvTranspose2d(3, 3, 3, padding_mode='reflect')", None, (5, 5), sources.Invalid, 4,
     "padding_mode='reflect': ConvTranspose2d supports only 'zeros'"),
    ("keras", "Conv2DTranspose(8, 3, activation='relu')", 4, (5, 5), sources.Unsupported, 5,
     "activation='relu'"),
    ("tensorflow", "conv2d_transpose(x, (3, 3, 8, 4), [1, 10, 10], 2)", None, (5, 5), sources.Invalid, 4,
     "output_shape=[1, 10, 10]: must be the whole output shape [N, H, W, C_out]"),
    ("tensorflow", "conv2d_transpose(x, (3, 3, 8, 4), [1, 10, 10, 7], 2)", None, (5, 5), sources.Invalid,
     4, "its C_out=7 must be the filters' C_out=8"),
    ("tensorflow", "conv2d_transpose(x, (3, 3, 8, 4), [1, 8, 10, 10], 2, data_format='NHWC')", None, (5, 5),
     sources.Invalid, 4, "must be the filters' C_out=8"),
    ("tensorflow", "conv2d_transpose(x, (3, 3, 8, 4), [1, 10, 10, 8], [2, 2, 2, 1])", None, (5, 5),
     sources.Invalid, 4, "TF takes no strides in the batch and depth dimensions"),
    ("jax", "conv_transpose(x, (3, 3, 4, 8), (1, 1), 'SAME', dimension_numbers=('NCHW', 'OIWH', 'NCHW'))",
     None, (5, 5), sources.Unsupported, 5, "H before W"),
    ("jax", "conv_transpose(x, (3, 3, 4, 8), 2, 'SAME')", None, (5, 5), sources.Invalid, 4,
     "strides=2: JAX takes a sequence of 2 ints"),
    ("torch", "ConvTranspose2d(3, 3, 3)", None, (0, 5), sources.Unsupported, 5,
     "the contract takes spatial sizes >= 1"),
    ("torch", "ConvTranspose2d(3, 3, 3)", None, (3, 5, 5), sources.Unsupported, 5,
     "unbatched (C, H, W) input"),
    ("torch", "ConvTranspose2d(3, 3, k)", None, (5, 5), sources.Usage, 2, "must be a literal value"),
    ("torch", "ConvTranspose2d(3, 3, 3, **options)", None, (5, 5), sources.Usage, 2, "**kwargs"),
])
def test_a_refusal_says_what_kind_it_is(language, text, channels, size, refusal, status, message):
    with pytest.raises(refusal) as refused:
        translator.translate(language, text, size, channels, adapter_for=by_the_docs())
    assert refused.value.status == status and message in str(refused.value), str(refused.value)


@pytest.mark.parametrize("argv, status", [
    (["--from", "torch", "--input", "5x5", "ConvTranspose2d(3, 3, 3, padding_mode='reflect')"], 4),
    (["--from", "keras", "--channels", "2", "--input", "5x5", "Conv2DTranspose(8, 3, activation='relu')"], 5),
    (["--from", "torch", "--input", "5x5", "ConvTranspose2d(3, 3, k)"], 2),
    (["--from", "torch", "--input", "five", "ConvTranspose2d(3, 3, 3)"], 2),
    (["--from", "torch", "--input", "0x5", "ConvTranspose2d(3, 3, 3)"], 5),
])
def test_the_commands_exit_status_says_why_a_layer_was_refused(argv, status, capsys):
    assert cli.main(["translate", *argv]) == status
    assert "convt-suite translate: error:" in capsys.readouterr().err


def test_the_exit_status_of_a_translation_that_ran():
    ok = translator.translate("torch", TORCH, (5, 5), adapter_for=by_the_docs())
    wrong = translator.translate("torch", TORCH, (5, 5), adapter_for=by_the_docs(PairsAreCrops, "jax"))

    def missing(selector):
        if selector == "jax":
            raise ModuleNotFoundError("No module named 'jax'")
        return ReadsTheDocs(LANGUAGE_OF[selector])

    absent = translator.translate("torch", TORCH, (5, 5), adapter_for=missing)
    assert [translator.status(r) for r in (ok, wrong, absent)] == [0, 1, 3]


def test_notes_name_what_the_translation_leaves_out():
    result = translator.translate("keras", "Conv2DTranspose(4, 3, strides=2, kernel_initializer='he_normal', "
                                  "name='up', dtype='float32')", (5, 5), 2, adapter_for=by_the_docs())
    notes = result["source"]["notes"]
    assert [note.split("=")[0] for note in notes] == ["kernel_initializer", "dtype", "name"], notes
    assert "note: kernel_initializer='he_normal': the weights' initial values" in \
        translator.render(result)


# ------------------------------------------------ the weight and layout as read
def _jax_misread(read=sources.read) -> list[str]:
    """lax.conv_transpose in each layout, with transpose_kernel True and
    False, against the oracle on the weight `read` says it is: the calls
    whose result (or whose printed weight map) differs."""
    import jax
    import numpy as np

    from convt_suite.adapters import oracle

    jax.config.update("jax_enable_x64", True)
    rng = np.random.default_rng(3)
    layouts = [None, ("NCHW", "OIHW", "NCHW"), ("NHWC", "HWIO", "NHWC"), ("NCHW", "IOHW", "NHWC"),
               ("NHWC", "HWOI", "NCHW")]
    wrong = []
    for dimension_numbers in layouts:
        for transposed in (True, False):
            lhs, rhs, out = dimension_numbers or ("NHWC", "HWIO", "NHWC")
            rhs_shape = tuple({"O": 3 if transposed else 5, "I": 5 if transposed else 3, "H": 3,
                               "W": 2}[letter] for letter in rhs)
            text = (f"lax.conv_transpose(x, {rhs_shape}, (2, 1), ((2, 1), (0, 1)), (1, 2), "
                    f"dimension_numbers={dimension_numbers!r}, transpose_kernel={transposed})")
            reading = read("jax", text, (4, 5))
            x = rng.standard_normal((2, 3, 4, 5))
            weight = rng.standard_normal(rhs_shape)
            got = np.asarray(jax.lax.conv_transpose(
                np.transpose(x, ["NCHW".index(c) for c in lhs]), weight, (2, 1), ((2, 1), (0, 1)),
                rhs_dilation=(1, 2), dimension_numbers=dimension_numbers, transpose_kernel=transposed))
            got = np.transpose(got, [out.index(c) for c in "NCHW"])
            w = reading.weight_as_w(weight)
            try:
                expected = oracle.conv_transpose2d(x, w, None, reading.case.spec())
            except ValueError:   # the tensors do not fit the spec read
                expected = None
            printed = reading.weight.split("#")[0].strip().removeprefix("w = ")   # the map as printed
            if expected is None or got.shape != expected.shape or not np.allclose(got, expected, atol=1e-10) \
                    or not np.array_equal(eval(printed, {"np": np, "rhs": weight}), w):
                wrong.append(text)
    return wrong


def test_jax_dimension_numbers_and_transpose_kernel_are_read_as_jax_computes_them():
    if importlib.util.find_spec("jax") is None:
        pytest.skip("jax is not installed")
    assert _jax_misread() == []


def test_a_planted_misreading_of_transpose_kernel_is_caught():
    """The check above fails a reading that ignores transpose_kernel=False
    (the translator's former reading: rhs taken as if transposed)."""
    if importlib.util.find_spec("jax") is None:
        pytest.skip("jax is not installed")

    def as_if_transposed(language, text, *args):
        return sources.read(language, text.replace("transpose_kernel=False", "transpose_kernel=True"), *args)

    wrong = _jax_misread(as_if_transposed)
    assert len(wrong) == 5 and all("transpose_kernel=False" in text for text in wrong), wrong


# each rank's layouts: JAX's default (3-D: 'HWDIO', its spatial letters H, W, D in that
# order), channels first, channels last read out channels first, and permuted letters
JAX_LAYOUTS_ND = {
    1: [None, ("NCH", "OIH", "NCH"), ("NHC", "HIO", "NCH"), ("NCW", "IOW", "NWC")],
    3: [None, ("NCDHW", "OIDHW", "NCDHW"), ("NDHWC", "DHWIO", "NCDHW"), ("NCHWD", "HWDOI", "NHWDC")],
}


def _jax_misread_nd(rank: int) -> list[str]:
    """_jax_misread in 1-D or 3-D: lax.conv_transpose in each layout, with
    transpose_kernel True and False, against the oracle on the weight and the
    spec read (the spatial axes in rhs's order, as JAX matches them)."""
    import jax
    import numpy as np

    from convt_suite.adapters import oracle

    jax.config.update("jax_enable_x64", True)
    rng = np.random.default_rng(5)
    kernel, stride, dilation, padding = {
        1: ((3,), (2,), (2,), ((2, 1),)),
        3: ((3, 2, 2), (2, 1, 2), (1, 2, 1), ((2, 1), (0, 1), (1, 0)))}[rank]
    size = (4, 5, 3)[:rank]
    wrong = []
    for dimension_numbers in JAX_LAYOUTS_ND[rank]:
        for transposed in (True, False):
            lhs, rhs, out = dimension_numbers or sources.JAX_DEFAULTS[rank]
            spatial = [letter for letter in rhs if letter not in "OI"]   # the axes, in rhs's order
            sizes = {"O": 3 if transposed else 5, "I": 5 if transposed else 3, **dict(zip(spatial, kernel))}
            rhs_shape = tuple(sizes[letter] for letter in rhs)
            text = (f"lax.conv_transpose(x, {rhs_shape}, {stride}, {padding}, {dilation}, "
                    f"dimension_numbers={dimension_numbers!r}, transpose_kernel={transposed})")
            reading = sources.read("jax", text, size)
            x = rng.standard_normal((2, 3, *size))   # N, C, then the axes in rhs's order
            weight = rng.standard_normal(rhs_shape)
            ours = ["N", "C", *spatial]
            got = np.asarray(jax.lax.conv_transpose(
                np.transpose(x, [ours.index(c) for c in lhs]), weight, stride, padding,
                rhs_dilation=dilation, dimension_numbers=dimension_numbers, transpose_kernel=transposed))
            got = np.transpose(got, [out.index(c) for c in ours])
            try:
                expected = oracle.conv_transpose(x, reading.weight_as_w(weight), None, reading.case.spec())
            except ValueError:   # the tensors do not fit the spec read
                expected = None
            if expected is None or got.shape != expected.shape or not np.allclose(got, expected, atol=1e-10):
                wrong.append(text)
    return wrong


@pytest.mark.parametrize("rank", [1, 3])
def test_jax_layouts_in_1d_and_3d_are_read_as_jax_computes_them(rank):
    if importlib.util.find_spec("jax") is None:
        pytest.skip("jax is not installed")
    assert _jax_misread_nd(rank) == []


def test_a_planted_misreading_of_jaxs_3d_axis_order_is_caught(monkeypatch):
    """The check above fails a reading that takes the spatial axes in D, H, W
    order whatever rhs says (JAX's own 3-D default is 'HWDIO')."""
    if importlib.util.find_spec("jax") is None:
        pytest.skip("jax is not installed")
    layouts = sources._jax_layouts

    def canonical(name, dimension_numbers, rank):
        lhs, rhs, out, spatial = layouts(name, dimension_numbers, rank)
        return lhs, rhs, out, "".join(sorted(spatial, key="DHW".find))

    monkeypatch.setattr(sources, "_jax_layouts", canonical)
    wrong = _jax_misread_nd(3)
    assert wrong and all("HWD" in text or "None" in text for text in wrong), wrong


def test_tensorflows_batch_and_layout_are_read():
    reading = sources.read("tensorflow", "conv2d_transpose(x, (3, 3, 8, 4), [3, 8, 10, 10], [1, 1, 2, 2], "
                              "data_format='NCHW')", (5, 5))
    assert reading.case.input_shape == (3, 4, 5, 5) and reading.layout == "NCHW"
    assert reading.case.spec() == Spec.from_tensorflow(4, 8, 3, (5, 5), (10, 10), 2, "SAME", 1, False)


# ------------------------------------------------ a form for every valid layer
def test_keras_strides_with_dilation_is_composed_on_a_dilated_kernel():
    """Keras's layer rejects strides > 1 with dilation_rate > 1: the form is
    the layer with the kernel dilated with zeros, which computes the same."""
    result = translator.translate("torch", "ConvTranspose2d(3, 4, 3, (2, 3), 1, (1, 1), 1, False, (2, 2))",
                                  (5, 6), adapter_for=by_the_docs())
    keras = next(t for t in result["targets"] if t["framework"] == "Keras")
    assert keras["form"] == "composed" and keras["composed"]["dilate"] == [2, 2] and keras["verified"]
    assert "w = dilate(w, (2, 2))" in keras["code"] and "dilation_rate=(1, 1)" in keras["code"]
    assert "strides=(2, 3)" in keras["code"] and all(t["verified"] for t in result["targets"])


def test_a_grouped_layer_is_composed_per_group_where_the_target_has_no_groups():
    result = translator.translate("torch", "ConvTranspose2d(4, 6, 3, 2, 1, 1, groups=2, dilation=2)", (4, 4),
                                  adapter_for=by_the_docs())
    forms = {t["framework"]: t for t in result["targets"]}
    assert forms["PyTorch"]["native"] and forms["ONNX"]["native"]
    for framework in ("TensorFlow", "Keras", "JAX"):
        assert forms[framework]["composed"]["groups"] == 2 and forms[framework]["verified"], framework
        assert "def one_group(x, w):" in forms[framework]["code"]


def test_the_chooser_avoids_a_form_a_known_finding_says_fails():
    """The issue's layer: Keras's 'same' with output_padding (0, 0) states it
    natively, but aborts on keras[tensorflow] (finding
    keras-tensorflow-same-output-padding-0): 'valid' and crops instead."""
    text = "tf.nn.conv2d_transpose(x, (3, 2, 1, 1), [1, 4, 3, 1], (3, 1), [[0, 0], [1, 8], [4, 2], [0, 0]])"
    source = sources.parse("tensorflow", text, (4, 8))
    spec = source.spec()
    keras = translator.TARGETS[2]
    # without the finding, the nearest call is 'same' with output_padding 0 (crops (1, 1) of
    # the even kernel's axis), which the finding names on keras[tensorflow] only
    nearest = translator.composed_call(keras, spec, (4, 8))
    assert nearest.call.call["padding"] == "same" and nearest.call.call["output_padding"] == (0, 0)
    assert translator.known_to_fail(("keras[tensorflow]",), nearest.call) == \
        "keras-tensorflow-same-output-padding-0"
    assert translator.known_to_fail(("keras[jax]", "keras[torch]"), nearest.call) is None
    result = translator.translate("tensorflow", text, (4, 8), adapter_for=by_the_docs())
    form = next(t for t in result["targets"] if t["framework"] == "Keras")
    # the nearest call no finding rules out: 'same' without output_padding, or 'valid', and crops
    assert not form["native"] and "output_padding=(0, 0)" not in form["code"] and form["verified"]
    chosen = translator.plans(source)[1][2]["composed"].call
    assert translator.known_to_fail(keras.selectors, chosen) is None


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(data=st.data())
@pytest.mark.slow
def test_no_form_is_one_a_known_finding_says_fails(data):
    case = draw_native(data, data.draw(st.sampled_from(LANGUAGES), label="language"), ranks=(1, 2, 3))
    assume(case.expectation()[0] is not None and case.input_shape[0] > 0)
    _, planned = translator.plans(case)
    for plan in planned:
        call = plan["native"] or plan["composed"].call
        assert translator.known_to_fail(plan["target"].selectors, call) is None, (plan["target"].framework, call)


def test_tensorflows_nchw_is_read_as_tensorflow_computes_it():
    """tf.nn.conv2d_transpose with data_format='NCHW' (4-long strides, a batch
    of 2) against the oracle on the spec and batch the translator reads. TF's
    CPU computes NCHW through oneDNN only (float32, 'SAME' or 'VALID'); its own
    kernel refuses the rest ('only supports NHWC'): explicit NCHW pairs are
    proved equal to NHWC's in tests/test_spec.py."""
    if importlib.util.find_spec("tensorflow") is None:
        pytest.skip("tensorflow is not installed")
    import numpy as np
    import tensorflow as tf

    from convt_suite.adapters import oracle

    for padding, out in (("SAME", (10, 14)), ("VALID", (11, 14))):
        text = f"tf.nn.conv2d_transpose(x, (3, 2, 8, 4), {[2, 8, *out]}, [1, 1, 2, 2], {padding!r}, 'NCHW')"
        case = sources.parse("tensorflow", text, (5, 7))
        assert case.input_shape == (2, 4, 5, 7)
        rng = np.random.default_rng(1)
        x = rng.standard_normal(case.input_shape).astype(np.float32)
        filters = rng.standard_normal((3, 2, 8, 4)).astype(np.float32)
        got = tf.nn.conv2d_transpose(x, filters, [2, 8, *out], [1, 1, 2, 2], padding, "NCHW").numpy()
        expected = oracle.conv_transpose2d(x.astype(np.float64), np.transpose(filters, (3, 2, 0, 1)),
                                           None, case.spec())
        assert got.shape == expected.shape and np.allclose(got, expected, atol=1e-4), text


@pytest.mark.parametrize("text, size", [
    ("tf.nn.conv1d_transpose(x, (3, 8, 4), [2, 8, 11], [1, 1, 2], 'VALID', 'NCW')", (5,)),
    ("tf.nn.conv1d_transpose(x, (4, 8, 4), [2, 10, 8], 2, 'SAME', 'NWC', dilations=2)", (5,)),
    ("tf.nn.conv3d_transpose(x, (2, 3, 2, 8, 4), [2, 8, 3, 10, 7], [1, 1, 1, 2, 2], 'SAME', 'NCDHW')", (3, 5, 4)),
    ("tf.nn.conv_transpose(x, (2, 3, 2, 8, 4), [2, 4, 11, 5, 8], [1, 2, 1], 'VALID')", (3, 5, 4)),
])
def test_tensorflows_1d_and_3d_layouts_are_read_as_tensorflow_computes_them(text, size):
    """TF's own result, channels first or last, against the oracle on the
    spec, batch and weight the translator reads."""
    if importlib.util.find_spec("tensorflow") is None:
        pytest.skip("tensorflow is not installed")
    import numpy as np
    import tensorflow as tf

    from convt_suite.adapters import oracle

    reading = sources.read("tensorflow", text, size)
    rank, first = len(size), reading.layout.startswith("NC")
    rng = np.random.default_rng(2)
    x = rng.standard_normal(reading.case.input_shape).astype(np.float32)   # channels first
    call = ast.parse(text, mode="eval").body
    filters = rng.standard_normal(ast.literal_eval(call.args[1])).astype(np.float32)
    output_shape, strides, padding, data_format = (ast.literal_eval(node) for node in call.args[2:6]) \
        if len(call.args) > 5 else (*(ast.literal_eval(node) for node in call.args[2:5]), None)
    dilations = next((ast.literal_eval(k.value) for k in call.keywords if k.arg == "dilations"), None)
    given = x if first else np.transpose(x, channels_last(rank))
    entry = getattr(tf.nn, ast.unparse(call.func).rsplit(".", 1)[-1])
    got = entry(given, filters, output_shape, strides, padding, data_format, dilations).numpy()
    if not first:
        got = np.transpose(got, channels_first(rank))
    expected = oracle.conv_transpose(x.astype(np.float64), reading.weight_as_w(filters), None, reading.case.spec())
    assert got.shape == expected.shape and np.allclose(got, expected, atol=1e-4), text


# ------------------------------------------------ layers from the frameworks' own tests
from tests.translator_layers import LAYERS  # noqa: E402


@pytest.mark.parametrize("layer", LAYERS, ids=[f"{layer.language}:{layer.call[:60]}" for layer in LAYERS])
def test_each_layer_from_the_frameworks_own_tests_is_translated_or_refused_as_its_framework_does(layer):
    """Where the framework's test expects the layer to be refused, the
    translator refuses it as invalid (status 4); every other layer reads and
    has a form in every framework, verified under the documented readings
    (benchmarks/translate_corpus.py runs them in the frameworks themselves)."""
    size = tuple(int(v) for v in layer.input.split("x"))
    if "expects error" in layer.origin:
        with pytest.raises(sources.Invalid):
            sources.read(layer.language, layer.call, size, layer.channels)
        return
    result = translator.translate(layer.language, layer.call, size, layer.channels,
                                  adapter_for=by_the_docs())
    assert translator.status(result) == 0, [t["framework"] for t in result["targets"] if not t["verified"]]
