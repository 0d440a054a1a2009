"""The frameworks' own test references as adapters: right where their own
tests use them, so what fails elsewhere is the reference's (the findings
keras-test-reference-wrong-for-dilation and
torch-opinfo-reference-refuses-output-padding-from-dilation), not the
adapters' wiring."""

import pytest

from convt_suite.adapters.registry import load
from convt_suite.adapters.spec import Spec
from convt_suite.core.cases import Case
from convt_suite.core.compare import check_forward

# Keras's own parameterized cases (conv_transpose_test.py test_conv2d_transpose), in its words
KERAS_CASES = [(5, 2, 2, "valid", None), (6, 7, 16, "same", 2), (6, (2, 3), (2, 1), "valid", None),
               (2, (7, 7), (16, 16), "valid", None)]


@pytest.mark.parametrize("filters, kernel, strides, padding, output_padding", KERAS_CASES)
def test_keras_reference_agrees_with_the_oracle_on_keras_own_cases(filters, kernel, strides, padding,
                                                                    output_padding):
    spec = Spec.from_keras(4, filters, kernel, strides, padding, output_padding, 1, True)
    result = check_forward(load("keras-test-reference"), Case(spec, (2, 4, 14, 14), 3), "float64")
    assert result["outcome"] == "passed", result


@pytest.mark.parametrize("stride, padding, output_padding, groups, dilation", [
    (2, 2, 1, 1, 1), (3, 1, 2, 2, 4), (1, 0, 0, 1, 2), ((2, 3), (1, 0), (1, 2), 1, 1)])
def test_torch_reference_agrees_with_the_oracle_below_stride(stride, padding, output_padding, groups, dilation):
    spec = Spec.from_torch(4, 6, (3, 2), stride, padding, output_padding, groups, True, dilation)
    result = check_forward(load("torch-opinfo-reference"), Case(spec, (2, 4, 5, 4), 3), "float64")
    assert result["outcome"] == "passed", result


def test_each_reference_fails_where_its_finding_says_and_the_finding_explains_it():
    from convt_suite.findings.model import classify

    dilated = Spec.from_keras(1, 1, (1, 2), 1, "valid", None, (1, 2), False)
    keras = check_forward(load("keras-test-reference"), Case(dilated, (1, 1, 1, 3), 0), "float64")
    assert keras["outcome"] == "failed" and keras["failure"] in ("shape", "values")
    assert classify(keras)["finding"] == "keras-test-reference-wrong-for-dilation"
    wide = Spec.from_torch(1, 1, (1, 2), 1, 0, (0, 1), 1, False, 2)
    torch = check_forward(load("torch-opinfo-reference"), Case(wide, (1, 1, 1, 3), 0), "float64")
    assert torch["outcome"] == "failed" and torch["failure"] == "error"
    assert classify(torch)["finding"] == "torch-opinfo-reference-refuses-output-padding-from-dilation"
