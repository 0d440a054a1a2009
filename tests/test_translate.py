"""The translator (convt_suite/translate.py): sources parsed by each
framework's signature, refusals that name the rule, every target's form
stating the source's spec, and nothing called verified that did not run and
pass: planted misreadings make a form NOT VERIFIED."""

import dataclasses
import importlib.util
import json
import re
import subprocess
import sys

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from adapters.spec import Spec
from convt_suite import cli
from convt_suite import translate as translator
from convt_suite.native import LANGUAGES, draw_native
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
    ("keras", "keras.layers.Conv2DTranspose(8, 3, strides=2, padding='same', activation='relu')", 4,
     Spec.from_keras(4, 8, 3, 2, "same", None, 1, True)),
    ("tensorflow", "tf.nn.conv2d_transpose(filters=(3, 3, 8, 4), output_shape=[1, 10, 10, 8], "
                   "strides=2, padding='SAME')", None,
     Spec.from_tensorflow(4, 8, 3, (5, 5), (10, 10), 2, "SAME", 1, False)),
    ("tensorflow", "conv2d_transpose(filters=(2, 2, 1, 1), output_shape=[6, 6], strides=1, "
                   "padding=[[0, 0], [0, 0], [0, 0], [0, 0]])", None,
     Spec.from_tensorflow(1, 1, 2, (5, 5), (6, 6), 1, [[0, 0], [0, 0], [0, 0], [0, 0]], 1, False)),
    ("jax", "jax.lax.conv_transpose(rhs=(4, 8, 3, 3), strides=(2, 2), padding=((1, 2), (1, 2)))",
     None, Spec.from_jax(4, 8, 3, (2, 2), ((1, 2), (1, 2)), (1, 1), False)),
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
    assert translator.parse(language, text, (5, 5), channels).spec() == expected


@pytest.mark.parametrize("language, text, channels, message", [
    ("torch", "ConvTranspose2d(4, 2, 3, stride=2, output_padding=2)", None,
     "output_padding=2: must satisfy 0 <= output_padding < max(stride, dilation)"),
    ("torch", "ConvTranspose2d(4, 2, k)", None, "kernel_size=k must be a literal value"),
    ("torch", "ConvTranspose2d(4, 2, 3, strides=2)", None, "unknown argument(s) ['strides']"),
    ("torch", "ConvTranspose2d(4, 2)", None, "missing kernel_size"),
    ("torch", "ConvTranspose2d(4, 2, 3, padding=1, padding=2)", None, "padding given twice"),
    ("torch", "ConvTranspose2d(4, 2, 3", None, "not a Python call"),
    ("torch", "ConvTranspose2d(4, 2, 3, 1, 0, 0, 1, True, 1, 'zeros', 7)", None, "at most 9 positional"),
    ("torch", "Conv2d(4, 2, 3)", None, "calls here are ConvTranspose2d, conv_transpose2d, not Conv2d"),
    ("torch", "ConvTranspose2d(4, 2, 3, padding=5)", None, "output H = L - before - after = 7 - 5 - 5 = -3"),
    ("torch", "ConvTranspose2d(4, 2, 3)", 3, "--channels 3: ConvTranspose2d says in_channels=4"),
    ("keras", "Conv2DTranspose(8, 3)", None, "give --channels"),
    ("keras", "Conv2DTranspose(8, 3, strides=2, output_padding=2)", 4, "output_padding"),
    ("tensorflow", "conv2d_transpose(filters=3, output_shape=[9, 9], strides=2)", None,
     "filters must be given as its shape"),
    ("tensorflow", "conv2d_transpose(filters=(3, 3, 1, 1), output_shape=[20, 20], strides=2)", None,
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
def test_every_targets_form_states_the_sources_spec(data):
    """Whatever the source language, each target's native call reads back
    (by its own Spec.from_*) as the source's spec; plans() checks it."""
    case = draw_native(data, data.draw(st.sampled_from(LANGUAGES), label="language"))
    assume(case.expectation()[0] is not None and case.input_shape[0] > 0)
    spec, planned = translator.plans(case)
    for plan in planned:
        assert sum(plan[form] is not None for form in ("native", "nearest", "composed")) == 1
        if plan["native"] is not None:
            assert plan["native"].spec() == spec
        if plan["nearest"] is not None:   # the call's crops and the ones left make the spec's
            call, remaining = plan["nearest"]
            done = call.spec()
            assert done.padding != spec.padding
            assert dataclasses.replace(done, padding=spec.padding) == dataclasses.replace(spec, bias=False)
            assert all(d + r == t for pd, pr, pt in zip(done.padding, remaining, spec.padding)
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
    assert forms["Keras"]["form"] == "call + crops"
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
    assert onnx["form"] == "call + crops" and onnx["verified"], onnx
    assert "'pads': [0, 0, 2, 0]" in onnx["code"] and "np.pad(y" in onnx["code"]
    done = subprocess.run([sys.executable, "-c", onnx["program"]], capture_output=True, text=True,
                          timeout=300)
    error = re.search(r"max \|error\| (\S+)", done.stdout)
    assert error and float(error.group(1)) < 1e-4, (done.stdout, done.stderr[-2000:])


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None
                        for m in ("torch", "tensorflow", "jax", "keras", "onnxruntime")),
                    reason="the frameworks are not all installed")
def test_the_command_runs_every_framework_and_prints_json(capsys):
    """End to end, as users run it: each form in a worker of its own."""
    code = cli.main(["translate", "--from", "torch", "--input", "6x5", "--json",
                     "ConvTranspose2d(2, 3, (3, 2), stride=(2, 1), padding=(1, 0), output_padding=(1, 0))"])
    result = json.loads(capsys.readouterr().out)
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
    assert cli.main(["translate", "--from", "torch", "--input", "6", "ConvTranspose2d(2, 3, 3)"]) == 4
