"""The report's reproduction snippets run standalone and reproduce what the
suite measured: tiny errors for a correct framework call, the disagreement
for a broken adapter."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from convt_suite.adapters.spec import Spec
from convt_suite.core.cases import Case
from convt_suite.core.compare import check_forward
from convt_suite.findings.model import by_id
from convt_suite.host import cpu
from convt_suite.porting.snippets import native_forms, snippet
from tests.planted_bugs import CropsSwapped

ROOT = Path(__file__).resolve().parents[1]
CASES = [
    Case(Spec.from_torch(2, 3, 3, stride=2, padding=1, output_padding=1), (2, 2, 3, 4), 1),
    Case(Spec(4, 6, (2, 3), (2, 1), ((-1, 2), (1, -2)), (2, 1), groups=2), (1, 4, 3, 2), 2),
    Case(Spec(3, 3, (3, 1), (1, 3), ((0, -3), (-1, 0)), (1, 1), groups=3, bias=False), (2, 3, 2, 2), 3),
    Case(Spec(1, 2, (2, 2), (1, 1), ((1, 1), (0, 0)), (2, 1)), (1, 1, 3, 3), 4),
    # 1-D and 3-D: a vocoder's upsampler, crops that need composing, a 3-D U-Net's decoder, groups
    Case(Spec(4, 2, (16,), (8,), ((4, 4),)), (2, 4, 5), 5),
    Case(Spec(4, 6, (3,), (2,), ((-1, 2),), (2,), groups=2), (1, 4, 3), 6),
    Case(Spec(4, 2, (2, 2, 2), (2, 2, 2)), (1, 4, 2, 3, 2), 7),
    Case(Spec(2, 4, (2, 1, 3), (1, 3, 2), ((1, -1), (0, 0), (0, 2)), (2, 1, 1), groups=2), (1, 2, 2, 2, 3), 8),
]
ADAPTERS = {"torch": "torch", "torch[nn]": "torch", "tensorflow": "tensorflow", "jax": "jax",
            "keras[tensorflow]": "keras", "keras[jax]": "keras", "keras[torch]": "keras",
            "onnxruntime": "onnxruntime", "onnxruntime[opset11]": "onnxruntime", "onnx[reference]": "onnx",
            "torch[compile]": "torch", "torch[onnx]": "onnxscript", "torch[onnx-torchscript]": "onnxruntime",
            "jax[jit]": "jax", "tensorflow[xla]": "tensorflow"}


def run_snippets(sources):
    program = "\n".join(f"exec(compile({source!r}, 'snippet', 'exec'), {{}})" for source in sources)
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.mark.parametrize("name", list(ADAPTERS))
def test_snippet_reproduces_a_framework_call(name):
    adapter = name
    if importlib.util.find_spec(ADAPTERS[adapter]) is None:
        pytest.skip(f"{ADAPTERS[adapter]} is not installed")
    # ONNX Runtime has no float64 ConvTranspose kernel on CPU (its adapter declines it)
    dtype = "float32" if adapter.startswith(("keras[tensorflow]", "onnxruntime", "torch[onnx")) else "float64"
    records = []
    for case in CASES:
        if adapter.startswith("keras") and max(case.spec.stride) > 1 and max(case.spec.dilation) > 1:
            continue
        # TF without oneDNN refuses every dilation (finding keras-tensorflow-cpu-dilation)
        if adapter == "keras[tensorflow]" and max(case.spec.dilation) > 1 and not cpu.tensorflow_onednn():
            continue
        # the reference evaluator raises on every group > 1 (finding onnx-reference-grouped-conv-transpose-raises)
        if adapter == "onnx[reference]" and case.spec.groups > 1:
            continue
        records.append({"case": case.to_dict(), "dtype": dtype, "adapter": adapter, "outcome": "?"})
    output = run_snippets([snippet(r) for r in records])
    errors = [float(e) for e in re.findall(r"max \|error\| (\S+)", output)]
    assert len(errors) == len(records), output
    assert max(errors) < 1e-4, output


def test_snippet_reproduces_a_plugged_in_disagreement():
    case = CASES[1]
    record = check_forward(CropsSwapped(), case, "float64")
    assert record["outcome"] == "failed"
    output = run_snippets([snippet(record, "tests.planted_bugs:CropsSwapped")])
    error = float(re.search(r"max \|error\| (\S+)", output).group(1))
    assert error == pytest.approx(record["max_abs_error"], rel=1e-9)


def test_native_forms_state_the_spec_per_framework():
    forms = native_forms(Spec.from_torch(2, 3, 3, stride=2, padding=1, output_padding=1), (1, 2, 4, 4))
    assert "padding=(1, 1), output_padding=(1, 1)" in forms["PyTorch"]
    assert "output_shape=[N, 8, 8, 3]" in forms["TensorFlow"]
    assert "not expressible" in forms["Keras"]  # 'same' crops (0, 1), not (1, 0)
    assert "transpose_kernel=True" in forms["JAX"]


NATIVE_SNIPPETS = {   # adapter -> a valid native call in its language (tests/test_native_sweeps.py)
    "torch": ("torch-empty-batch-skips-output-padding-check",
              dict(input_shape=(2, 1, 3, 3), stride=2, padding=1, output_padding=1, bias=True)),
    "torch[nn]": ("torch-zero-length-output-returns-empty", dict(padding=1, output_size=(2, 4))),
    "tensorflow": ("tensorflow-onednn-empty-batch-accepts-any-output-shape",
                   dict(input_shape=(1, 2, 3, 3), output_size=(6, 5), bias=True)),
    "jax": ("jax-consistent-padding-refuses-list-pairs", dict(pairs_as="tuples", bias=True)),
    "keras[jax]": ("keras-ops-output-padding-not-checked", dict(entry="layer", output_padding=1)),
    "keras[torch]": ("keras-ops-output-padding-not-checked", dict(output_padding=(1, 0), bias=True)),
    "onnx[reference]": ("onnx-reference-no-output-returns-empty",
                        dict(explicit=((1, 1), (0, 0)), padding="NOTSET", bias=True)),
}


@pytest.mark.parametrize("name", list(NATIVE_SNIPPETS))
def test_native_snippet_reproduces_the_call_and_the_finding(name):
    """A native check's snippet calls the framework with the drawn parameters:
    tiny errors for a valid call, and for a finding's case what the finding says."""
    from tests.test_native_sweeps import NATIVE_FINDINGS, changed, native_record

    if importlib.util.find_spec(ADAPTERS[name]) is None:
        pytest.skip(f"{ADAPTERS[name]} is not installed")
    finding, change = NATIVE_SNIPPETS[name]
    selector, case, _ = NATIVE_FINDINGS[finding]
    valid = changed(case, **change)
    assert valid.expectation()[0] is not None
    records = [native_record(valid) | {"adapter": name, "dtype": "float64", "outcome": "?"}]
    accepts_invalid = case.expectation()[0] is None
    # as the finding was recorded (float32), where it holds (TF: with oneDNN)
    if selector == name and accepts_invalid and by_id()[finding].expected_on_this_machine():
        records.append(native_record(case) | {"adapter": name, "dtype": "float32", "outcome": "?"})
    output = run_snippets([snippet(r) for r in records])
    errors = [float(e) for e in re.findall(r"max \|error\| (\S+)", output)]
    assert len(errors) == 1 and errors[0] < 1e-4, output
    assert ("NOT REFUSED" in output) == (len(records) == 2), output
