"""The native sweeps (convt_suite/core/native.py): the check itself fails planted
misreadings of each framework's parameter language and passes a correct
reading; the behaviours they turned up are known findings, each live on its
smallest case and rejecting near misses."""

from __future__ import annotations

import dataclasses
import importlib.util

import numpy as np
import pytest
from hypothesis import Phase, settings

from convt_suite.adapters import oracle
from convt_suite.adapters.base import numpy_dtype
from convt_suite.adapters.spec import Spec
from convt_suite.core.cases import Case
from convt_suite.core.compare import (
    check_declared_shape,
    check_in_model,
    check_native,
    check_native_vjp,
    check_round_trip,
)
from convt_suite.core.native import LANGUAGES, TRANSLATE, NativeCase
from convt_suite.findings.model import by_id, classify
from convt_suite.sweeps.phases import sweep
from tests.test_found_by_exploration import need_here

SELF_TEST = settings(max_examples=80, derandomize=True, database=None,
                     report_multiple_bugs=False, deadline=None)
# a planted misreading must be detected; minimising it is the report's test
# (shrinking took 20-29 s a planted case, the largest part of CI's time). 300
# cases, not 80: SameRoundsUp shows only on a valid TF 'SAME' case with an odd
# crop and an input (about 3 % of the draws), so 80 cases caught it for 30 of
# 40 seeds; 300 for 40 of 40, in each kind. The seed is derandomised, but it
# follows the sweep's code and the modules loaded (hypothesis draws constants
# from them), so a refactor or another test order changed the cases. A
# planted case stops at its first failure: only a miss costs all 300.
DETECTS = settings(SELF_TEST, max_examples=300,
                   phases=[phase for phase in Phase if phase is not Phase.shrink])


def native(language: str, input_shape, seed: int = 5, **params) -> NativeCase:
    return NativeCase(language, tuple(params.items()), tuple(input_shape), seed)


# ------------------------------------------------------------ self-tests
class ReadsTheDocs:
    """A correct implementation of every language: the `Spec.from_*` reading
    of the parameters, refused where it refuses, computed by the oracle."""

    name = "reads-the-docs"
    ranks = (1, 2, 3)   # the oracle computes every rank

    def __init__(self, language: str):
        self.native_language = language

    def supports(self, spec, dtype):
        return None

    def forward(self, x, weight, bias, spec):
        return oracle.conv_transpose2d(x, weight, bias, spec).astype(x.dtype)

    def vjp(self, x, weight, bias, spec, grad_out):
        return tuple(None if g is None else g.astype(x.dtype)
                     for g in oracle.vjp(x, weight, bias, spec, grad_out))

    def spec(self, call, x) -> Spec:
        spec = TRANSLATE[self.native_language](self.read(call), tuple(x.shape[2:]))
        spec.output_shape(x.shape)   # ValueError: no output
        return spec

    def read(self, call: dict) -> dict:
        return call

    def native_forward(self, x, weight, bias, call):
        return self.forward(x, weight, bias, self.spec(call, x))

    def native_vjp(self, x, weight, bias, call, grad_out):
        return self.vjp(x, weight, bias, self.spec(call, x), grad_out)

    model_machinery = "the docs, again"

    def native_in_model(self, x, weight, bias, call):
        return self.native_forward(x, weight, bias, call)

    def native_round_trips(self, x, weight, bias, call):
        return {"the docs, saved": self.native_forward(x, weight, bias, self.reloaded(call))}

    def reloaded(self, call: dict) -> dict:
        """The parameters as a saved and loaded layer has them."""
        return call

    def native_declared_shapes(self, x, weight, bias, call):
        try:
            return {"the docs": list(self.spec(call, x).output_shape(x.shape))}
        except ValueError as err:
            return {"the docs": f"ValueError: {err}"}


class OutputPaddingBefore(ReadsTheDocs):
    """PyTorch's output_padding added before the output instead of after."""

    name = "planted:output-padding-before"

    def spec(self, call, x):
        spec = super().spec(call, x)
        return dataclasses.replace(spec, padding=tuple((after, before) for before, after in spec.padding))


class SameRoundsUp(ReadsTheDocs):
    """TF's 'SAME' crops the odd pixel before (ceil) instead of after."""

    name = "planted:same-rounds-up"

    def spec(self, call, x):
        spec = super().spec(call, x)
        if call["padding"] != "SAME":
            return spec
        return dataclasses.replace(spec, padding=tuple(
            (after, before) if after > before else (before, after) for before, after in spec.padding))


class OutputPaddingIgnored(ReadsTheDocs):
    """Keras's output_padding dropped (the default padding used instead)."""

    name = "planted:output-padding-ignored"

    def read(self, call):
        return {**call, "output_padding": None}


class PairsAreCrops(ReadsTheDocs):
    """JAX's explicit (lo, hi) pairs read as crops, not as padding."""

    name = "planted:pairs-are-crops"

    def read(self, call):
        return {**call, "use_consistent_padding": not isinstance(call["padding"], str)}


class SameUpperLowerSwapped(ReadsTheDocs):
    """ONNX's SAME_UPPER read as SAME_LOWER and back (the odd pad on the wrong side)."""

    name = "planted:same-upper-lower-swapped"

    def read(self, call):
        swap = {"SAME_UPPER": "SAME_LOWER", "SAME_LOWER": "SAME_UPPER"}
        return {**call, "padding": swap.get(call["padding"], call["padding"])}


class NeverRefuses(ReadsTheDocs):
    """Computes something (the full output) where the framework must refuse."""

    name = "planted:never-refuses"

    def spec(self, call, x):
        try:
            return super().spec(call, x)
        except ValueError:   # the shapes' probe: channels and kernel, no crops
            return NativeCase(self.native_language, tuple(call.items()), tuple(x.shape), 0).probe()


class DeclaresWithoutOutputPadding(ReadsTheDocs):
    """Computes right, but its shape inference forgets PyTorch's output_padding."""

    name = "planted:declares-without-output-padding"

    def native_declared_shapes(self, x, weight, bias, call):
        return super().native_declared_shapes(x, weight, bias, {**call, "output_padding": 0})


class ForgetsOutputPaddingOnReload(ReadsTheDocs):
    """Computes right, but its saved config leaves output_padding out."""

    name = "planted:forgets-output-padding-on-reload"

    def reloaded(self, call):
        return {**call, "output_padding": 0 if self.native_language.startswith("torch") else None}


KINDS = ["native", "native vjp", "declared shape", "in model", "round trip"]
COMPUTED = ["native", "native vjp", "in model", "round trip"]   # swapped crops keep the shape: no shape check sees them
PLANTED = [(OutputPaddingBefore, "torch", COMPUTED), (OutputPaddingBefore, "torch.nn", COMPUTED),
           (SameRoundsUp, "tensorflow", COMPUTED), (OutputPaddingIgnored, "keras", KINDS),
           (PairsAreCrops, "jax", KINDS), (DeclaresWithoutOutputPadding, "torch", ["declared shape"]),
           (ForgetsOutputPaddingOnReload, "torch.nn", ["round trip"]),
           (ForgetsOutputPaddingOnReload, "keras", ["round trip"]),
           (SameUpperLowerSwapped, "onnx", COMPUTED)]
PLANTED += [(NeverRefuses, language, KINDS) for language in LANGUAGES]
PLANTED_CHECKS = [(planted, language, kind) for planted, language, kinds in PLANTED for kind in kinds]


@pytest.mark.parametrize("planted, language, kind", PLANTED_CHECKS,
                         ids=[f"{p.name}-{language}-{kind}" for p, language, kind in PLANTED_CHECKS])
def test_native_sweep_fails_planted_misreading(planted, language, kind):
    records = []
    test = DETECTS(sweep(kind, planted(language), "float64", records.append))
    with pytest.raises(AssertionError, match="disagrees with the oracle"):
        test()
    assert any(r["outcome"] == "failed" for r in records)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.slow
def test_native_sweep_passes_the_documented_reading(language, kind):
    records = []
    test = SELF_TEST(sweep(kind, ReadsTheDocs(language), "float64", records.append))
    test()
    passed = [r for r in records if r["outcome"] == "passed"]
    refused = [r for r in passed if "refused_with" in r]
    # it really ran, on both sides of the rules
    assert len(passed) == len(records) >= 60 and 0 < len(refused) < len(passed)


def test_a_framework_refusing_a_valid_call_fails():
    case = native("torch", (1, 1, 3, 3), in_channels=1, out_channels=1, kernel=3, stride=2,
                  dilation=1, bias=False, groups=1, padding=1, output_padding=1)

    class RefusesAll(ReadsTheDocs):
        def native_forward(self, *args):
            raise RuntimeError("no")

    result = check_native(RefusesAll("torch"), case, "float32")
    assert result["outcome"] == "failed" and result["failure"] == "error"


# --------------------------------------------- findings the sweeps turned up
def need(module):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed")


TORCH = dict(in_channels=1, out_channels=1, kernel=3, stride=1, dilation=1, bias=False, groups=1,
             padding=0, output_padding=0)
TF = dict(in_channels=2, out_channels=3, kernel=4, stride=2, dilation=1, bias=False,
          entry="conv2d_transpose", padding="SAME", output_size=(20, 20))
JAX = dict(in_channels=1, out_channels=1, kernel=(3, 3), stride=(1, 1), dilation=(1, 1),
           bias=False, padding=((0, 0), (0, 0)), pairs_as="tuples")
KERAS = dict(in_channels=1, out_channels=1, kernel=3, stride=2, dilation=1, bias=False,
             entry="ops", padding="valid", output_padding=3)
ONNX = dict(in_channels=1, out_channels=1, kernel=(3, 1), stride=(2, 1), dilation=(1, 1), bias=False,
            groups=1, padding=None, explicit=None, output_padding=None, output_size=None,
            kernel_shape_given=True)
ONNX_SQUARE = ONNX | dict(kernel=(3, 3), stride=(2, 2))

# finding -> (adapter, its smallest native case, near misses: changed parameters or shape)
NATIVE_FINDINGS = {
    "torch-empty-batch-skips-output-padding-check": (
        "torch", native("torch", (0, 1, 3, 3), **TORCH | {"output_padding": 2}),
        {"batch 1": dict(input_shape=(1, 1, 3, 3)), "valid output_padding": dict(output_padding=0),
         "bad padding": dict(padding=-1)}),
    "torch-zero-length-output-returns-empty": (
        "torch[nn]", native("torch.nn", (1, 1, 1, 1), **TORCH | dict(kernel=4, stride=3, padding=3,
                                                                      output_padding=2)),
        {"length -1": dict(output_padding=1), "length 1": dict(padding=1)}),
    "torch-compile-empty-output-skips-output-padding-check": (
        "torch[compile]", native("torch", (2, 2, 1, 2), **TORCH | dict(
            in_channels=2, kernel=1, padding=1, output_padding=1)),
        {"batch 1": dict(input_shape=(1, 2, 1, 2)), "valid output_padding": dict(output_padding=0)}),
    "tensorflow-onednn-empty-batch-accepts-any-output-shape": (
        "tensorflow", native("tensorflow", (0, 2, 3, 3), **TF),
        {"batch 1": dict(input_shape=(1, 2, 3, 3))}),
    "jax-no-output-returns-empty": (
        "jax", native("jax", (1, 1, 1, 1), **JAX),
        {"length 1": dict(padding=((1, 1), (1, 1)))}),
    "jax-consistent-padding-refuses-list-pairs": (
        "jax", native("jax", (1, 1, 3, 3), **JAX | dict(padding=((1, 1), (1, 1)), pairs_as="lists",
                                                       use_consistent_padding=True)),
        {"tuples": dict(pairs_as="tuples"), "without the flag": dict(use_consistent_padding=False)}),
    "keras-ops-output-padding-not-checked": (
        "keras[jax]", native("keras", (1, 1, 3, 3), **KERAS),
        {"the layer": dict(entry="layer"), "output_padding 1": dict(output_padding=1)}),
    # found by the declared-shape check: its kind
    "torch-meta-skips-output-padding-check": (
        "torch", native("torch", (1, 1, 3, 3), **TORCH | {"output_padding": 2}),
        {"valid output_padding": dict(output_padding=0), "stride 3": dict(stride=3),
         "no output": dict(padding=4)}),
    "tensorflow-static-shape-declares-refused-output-shape": (
        "tensorflow", native("tensorflow", (1, 2, 3, 3), **TF),
        {"in range": dict(output_size=(6, 5))}),
    # the ONNX native sweep's (input 3 x 1 unless square: kernel 3, stride 2 on the height)
    "onnx-runtimes-refuse-output-padding-from-stride": (
        "onnxruntime", native("onnx", (1, 1, 3, 1), **ONNX | dict(
            kernel=(2, 1), stride=(1, 1), dilation=(2, 1), output_padding=(1, 0))),
        {"output_padding 0": dict(output_padding=(0, 0)), "stride 2": dict(stride=(2, 1))}),
    "onnxruntime-output-shape-past-full-output": (
        "onnxruntime", native("onnx", (1, 1, 3, 1), **ONNX | dict(output_size=(9, 1))),
        {"L + S - 1": dict(output_size=(8, 1))}),
    "onnxruntime-negative-auto-padding-clamped": (
        "onnxruntime", native("onnx", (1, 1, 3, 1), **ONNX | dict(kernel=(1, 1), padding="SAME_UPPER")),
        {"kernel 3": dict(kernel=(3, 1))}),
    "onnx-reference-output-shape-ignored-without-same": (
        "onnx[reference]", native("onnx", (1, 1, 3, 1), **ONNX | dict(output_size=(5, 1))),
        {"SAME_UPPER": dict(padding="SAME_UPPER"), "no padding to derive": dict(output_size=(7, 1))}),
    "onnx-reference-accepts-pads-with-auto-pad": (
        "onnx[reference]", native("onnx", (1, 1, 3, 1), **ONNX | dict(
            padding="SAME_UPPER", explicit=((1, 1), (0, 0)))),
        {"NOTSET": dict(padding="NOTSET")}),
    "onnx-reference-output-shape-skips-size-checks": (
        "onnx[reference]", native("onnx", (1, 1, 2, 1), **ONNX | dict(
            kernel=(2, 1), stride=(3, 1), output_padding=(3, 0), output_size=(6, 1))),
        {"output_padding 2": dict(output_padding=(2, 0))}),
    "onnx-reference-no-output-returns-empty": (
        "onnx[reference]", native("onnx", (1, 1, 1, 1), **ONNX | dict(stride=(1, 1), explicit=((2, 1), (0, 0)))),
        {"length 1": dict(explicit=((1, 1), (0, 0)))}),
    "onnx-shape-inference-refuses-negative-pads": (
        "onnx[reference]", native("onnx", (1, 1, 3, 1), **ONNX | dict(explicit=((-1, 0), (0, 0)))),
        {"pads 0": dict(explicit=((0, 0), (0, 0)))}),
    "onnx-shape-inference-drops-output-shape-dims": (
        "onnx[reference]", native("onnx", (1, 1, 3, 3), **ONNX_SQUARE | dict(output_size=(2, 6))),
        {"none shorter than the input": dict(output_size=(6, 6))}),
    "onnx-shape-inference-same-output-length": (
        "onnx[reference]", native("onnx", (1, 1, 3, 3), **ONNX_SQUARE | dict(
            padding="SAME_UPPER", output_padding=(1, 1))),
        {"output_padding 0": dict(output_padding=(0, 0))}),
    "onnx-shape-inference-accepts-refused-attributes": (
        "onnx[reference]", native("onnx", (1, 1, 3, 3), **ONNX_SQUARE | dict(output_padding=(2, 2))),
        {"valid output_padding": dict(output_padding=(1, 1))}),
}
NATIVE_FINDINGS |= {
    # found by the in-model check: its kind
    "keras-ops-conv-transpose-fails-in-functional-model": (
        "keras[jax]", native("keras", (1, 1, 3, 3), **KERAS | {"output_padding": 1}),
        {"the layer": dict(entry="layer")}),
    "keras-predict-empty-batch-internal-error": (
        "keras[jax]", native("keras", (0, 1, 3, 3), **KERAS | dict(entry="layer", output_padding=1)),
        {"batch 1": dict(input_shape=(1, 1, 3, 3))}),
    "keras-predict-rounds-float64-to-float32": (   # checked in float64 (DTYPE_OF)
        "keras[jax]", native("keras", (1, 1, 3, 3), **KERAS | dict(entry="layer", output_padding=1)),
        {}),
}
DTYPE_OF = {"keras-predict-rounds-float64-to-float32": "float64"}
# the check that found each finding not found by the native forward
CHECK_OF = {"torch-meta-skips-output-padding-check": check_declared_shape,
            "onnx-shape-inference-drops-output-shape-dims": check_declared_shape,
            "onnx-shape-inference-refuses-negative-pads": check_declared_shape,
            "onnx-shape-inference-same-output-length": check_declared_shape,
            "onnx-shape-inference-accepts-refused-attributes": check_declared_shape,
            "tensorflow-static-shape-declares-refused-output-shape": check_declared_shape,
            "keras-ops-conv-transpose-fails-in-functional-model": check_in_model,
            "keras-predict-empty-batch-internal-error": check_in_model,
            "keras-predict-rounds-float64-to-float32": check_in_model}


def changed(case: NativeCase, input_shape=None, **params) -> NativeCase:
    return dataclasses.replace(case, params=tuple((case.call | params).items()),
                               input_shape=input_shape or case.input_shape)


def live_record(selector: str, case: NativeCase, check=check_native, dtype: str = "float32") -> dict:
    from convt_suite.adapters.registry import load

    if selector.startswith("keras["):
        from tests.test_found_by_exploration import in_worker  # its own Keras backend

        with in_worker(selector) as adapter:
            return classify(check(adapter, case, dtype))
    return classify(check(load(selector), case, dtype))


@pytest.mark.parametrize("finding", sorted(NATIVE_FINDINGS))
@pytest.mark.slow
def test_native_finding_explains_its_case_and_no_near_miss(finding):
    selector, case, near_misses = NATIVE_FINDINGS[finding]
    need(selector.partition("[")[0])
    need_here(finding)
    check, dtype = CHECK_OF.get(finding, check_native), DTYPE_OF.get(finding, "float32")
    result = live_record(selector, case, check, dtype)
    assert result["outcome"] == "known" and result["finding"] == finding, result
    for name, change in near_misses.items():
        near = live_record(selector, changed(case, **change), check, dtype)
        assert near.get("finding") != finding, (name, near)
    assert by_id()[finding].explains({**result, "outcome": "failed"})


def test_onnx_reference_keeps_explicit_pads_that_output_shape_overrides():
    """The main job's exploration: pads given with output_shape (auto_pad
    absent) are kept by the reference evaluator, which raises; the same
    finding explains it, and pads equal to the derived ones pass."""
    finding = "onnx-reference-output-shape-ignored-without-same"
    need("onnx")
    need_here(finding)
    case = native("onnx", (1, 1, 2, 5), **ONNX | dict(
        kernel=(1, 2), stride=(3, 2), kernel_shape_given=False, explicit=((0, 0), (0, -1)),
        output_size=(4, 10)))
    result = live_record("onnx[reference]", case)
    assert result["outcome"] == "known" and result["finding"] == finding, result
    derived = live_record("onnx[reference]", changed(case, explicit=((0, 0), (0, 0))))
    assert derived["outcome"] == "passed", derived


def test_native_vjp_of_a_refused_call_expects_the_refusal():
    need("torch")
    from convt_suite.adapters.torch import TorchAdapter

    case = changed(NATIVE_FINDINGS["torch-empty-batch-skips-output-padding-check"][1],
                   input_shape=(1, 1, 3, 3))
    result = check_native_vjp(TorchAdapter(), case, "float32")
    assert result["outcome"] == "passed" and "output padding" in result["refused_with"]
    assert result["kind"] == "native vjp"


def test_native_case_round_trips_and_renders_code():
    case = NATIVE_FINDINGS["jax-consistent-padding-refuses-list-pairs"][1]
    assert NativeCase.from_dict(case.to_dict()) == case
    assert "[[1, 1], [1, 1]]" in case.code() and "use_consistent_padding=True" in case.code()
    assert case.normalized()["kernel"] == [3, 3]
    x, w, b = case.tensors("bfloat16")
    assert x.dtype == numpy_dtype("bfloat16") and b is None and w.shape == (1, 1, 3, 3)
    assert np.isfinite(x.astype(np.float32)).all()


def native_record(case: NativeCase, actual_shape=None, failure="accepts-invalid") -> dict:
    """A failed native check's record as compare.py writes it (for matcher tests)."""
    refusal = case.expectation()[1]
    return {"outcome": "failed", "failure": failure, "kind": "native", "case": case.to_dict(),
            "native": case.normalized(), "actual_shape": actual_shape,
            **({"expected_refusal": refusal} if refusal else {})}


ZERO_LENGTH = NATIVE_FINDINGS["torch-zero-length-output-returns-empty"][1]
NO_OUTPUT = NATIVE_FINDINGS["jax-no-output-returns-empty"][1]
UNCHECKED = NATIVE_FINDINGS["torch-empty-batch-skips-output-padding-check"][1]
OPS_PADDING = NATIVE_FINDINGS["keras-ops-output-padding-not-checked"][1]
# the special-values sweep's float16 case: one input, weight [NaN, 1], stride 2, one appended column
PHANTOM = Case(Spec(1, 1, (1, 2), (1, 2), ((0, 0), (0, -1)), bias=False), (1, 1, 1, 1), 0,
               specials=(("weight", 0, float("nan")),))

# Keras 'same', stride 2: kernel 3's window is asymmetric (crops 1 before, 0 after), kernel 2's is not
SAME_ODD = native("keras", (1, 1, 4, 4), in_channels=1, out_channels=1, kernel=3, stride=2, dilation=1,
                  bias=False, entry="layer", padding="same", output_padding=None)
# generic matcher -> (a record it must accept, a near miss it must reject); tests/test_matchers.py
NATIVE_MATCHER_CASES = {
    "no_output_returned_empty": (native_record(NO_OUTPUT, [1, 1, 0, 0]),
                                 native_record(NO_OUTPUT, [1, 1, 0, 1])),
    "output_length_exactly_zero": (native_record(ZERO_LENGTH, [1, 1, 0, 0]),
                                   native_record(changed(ZERO_LENGTH, output_padding=1))),
    "torch_output_padding_unchecked": (native_record(UNCHECKED, [0, 1, 7, 7]),
                                       native_record(UNCHECKED, [0, 1, 5, 5])),
    "output_has_an_empty_axis": (native_record(UNCHECKED, [2, 1, 0, 1]),
                                 native_record(UNCHECKED, [0, 1, 7, 7])),
    "within_float32_bound": ({"dtype": "float64", "max_error_over_bound": 4.7e7},
                             {"dtype": "float64", "max_error_over_bound": 3e12}),
    "keras_same_asymmetric": (native_record(SAME_ODD, failure="values"),
                              native_record(changed(SAME_ODD, kernel=2), failure="values")),
    "keras_ops_entry": (native_record(OPS_PADDING, failure="error"),
                        native_record(changed(OPS_PADDING, entry="layer"), failure="error")),
}


def test_tf_heap_crash_finding_explains_keras_on_tf_native_gradients():
    """The keras[tensorflow] native sweep's crash: Conv2DTranspose(1, 1, strides=(1, 2),
    'valid'), whose default output is I·S on the strided axis (the longest TF takes)."""
    finding = by_id()["tensorflow-onednn-grad-weight-longest-output-crash"]
    layer = native("keras", (1, 1, 4, 8), in_channels=1, out_channels=1, kernel=(1, 1),
                   stride=(1, 2), dilation=1, bias=True, entry="layer", padding="valid",
                   output_padding=None)

    def crashed(case, adapter="keras[tensorflow]"):
        spec = case.spec()
        return {"outcome": "failed", "failure": "crash", "kind": "native vjp", "adapter": adapter,
                "dtype": "float32", "case": case.to_dict(), "native": case.normalized(),
                "expected_shape": list(spec.output_shape(case.input_shape))}

    assert finding.explains(crashed(layer))
    for near in (changed(layer, kernel=(1, 2)), changed(layer, output_padding=0),
                 changed(layer, stride=(1, 1))):
        assert not finding.explains(crashed(near)), near
    assert not finding.explains(crashed(layer, "keras[jax]"))


@pytest.mark.parametrize("kind", ["native", "in model", "round trip"])
def test_a_forward_finding_explains_the_same_forward_in_every_native_kind(kind):
    """The main job's jax round trips (jax.export of the same XLA convolution)
    met the shifted-padding bug: a finding about forwards explains the native,
    in-model and round-trip runs of it, and no gradient or declared shape."""
    from tests.test_found_by_exploration import JAX, JAX_CASE, record

    finding = by_id()["jax-cpu-shifted-padding-garbage"]
    assert finding.explains(record(JAX_CASE, **JAX | {"kind": kind}))
    for other in ("declared shape", "native vjp"):
        assert not finding.explains(record(JAX_CASE, **JAX | {"kind": other}))


def test_float16_nan_at_the_phantom_row_is_what_the_suite_records():
    from convt_suite.adapters.torch import TorchAdapter
    from convt_suite.core.compare import check_special

    finding = by_id()["onednn-float16-nan-at-phantom-input-row"]
    need_here(finding.id)
    result = classify(check_special(TorchAdapter(), PHANTOM, "float16"))
    assert result["outcome"] == "known" and result["finding"] == finding.id, result
    assert classify(check_special(TorchAdapter(), PHANTOM, "float32"))["outcome"] == "passed"


@pytest.mark.parametrize("check, method", [(check_declared_shape, "native_declared_shapes"),
                                           (check_round_trip, "native_round_trips")])
def test_an_implementation_that_answers_nothing_is_skipped_not_passed(check, method):
    """No declared shapes, no round trips: nothing was checked, so nothing passes."""
    case = NATIVE_FINDINGS["keras-ops-output-padding-not-checked"][1]
    quiet = ReadsTheDocs("keras")
    setattr(quiet, method, lambda *args: {})
    result = check(quiet, changed(case, output_padding=1), "float64")
    assert result["outcome"] == "skipped" and "no" in result["reason"], result


def test_tf_wide_padding_crash_covers_float16_where_onednn_runs_it_natively():
    """The last main job's float16 vjp crashes (1x1 kernel, stride 4, crops (3, 17))."""
    from tests.test_found_by_exploration import changed as changed_case
    from tests.test_found_by_exploration import record

    finding = by_id()["tensorflow-bfloat16-wide-padding-crash"]
    crash = Case(Spec(8, 2, (1, 1), (1, 4), ((0, 0), (3, 17)), groups=2, bias=False), (1, 8, 1, 6), 0)
    crashed = dict(adapter="tensorflow", kind="vjp", failure="crash",
                   error="tensorflow: worker died during vjp: killed by SIGSEGV (exit -11)")
    for isa in ("avx512_core_fp16", "avx512_core_amx"):
        assert finding.explains(record(crash, **crashed, dtype="float16", onednn_isa=isa))
    assert not finding.explains(record(crash, **crashed, dtype="float16", onednn_isa="avx512_core_bf16"))
    assert not finding.explains(record(crash, **crashed, dtype="float32", onednn_isa="avx512_core_amx"))
    assert not finding.explains(record(changed_case(crash, padding=[[0, 0], [0, 17]]), **crashed,
                                       dtype="float16", onednn_isa="avx512_core_amx"))


def test_meta_shapes_skip_the_padding_rule_with_output_size_too():
    """CI's declared-shape sweep drew nn.ConvTranspose2d(1, 1, 1, stride=2,
    padding=-1)(x, output_size=(7, 7)) on a 3x3 input: the meta tensors declare
    (7, 7) (within PyTorch's [m, m + S - 1] for the padding as given), where
    the CPU kernel refuses the negative padding. The finding explains it; an
    output_size outside that range, or a shape other than the one asked, not."""
    case = native("torch.nn", (1, 1, 3, 3), in_channels=1, out_channels=1, kernel=(1, 1), stride=2,
                  padding=-1, output_padding=(0, 0), groups=1, bias=False, dilation=1,
                  output_size=(7, 7))
    finding = by_id()["torch-meta-skips-output-padding-check"]
    declared = {"adapter": "torch[nn]", "kind": "declared shape", "dtype": "bfloat16"}
    assert finding.explains(native_record(case, [1, 1, 7, 7]) | declared)
    assert not finding.explains(native_record(case, [1, 1, 8, 8]) | declared)
    assert not finding.explains(native_record(changed(case, output_size=(9, 9)), [1, 1, 9, 9]) | declared)
