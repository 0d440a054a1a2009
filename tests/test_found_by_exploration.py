"""The findings exploration turned up: the suite's own checks, run on their
smallest cases, fail and are explained by them. Each condition of their
predicates, flipped, is a near miss they reject: those are data, the
[[examples]] of each finding's finding.toml (tests/test_matchers.py)."""

import contextlib
import dataclasses
import importlib.util

import pytest

from convt_suite.adapters.spec import Spec
from convt_suite.core.cases import Case
from convt_suite.core.compare import check_forward, check_vjp
from convt_suite.findings.model import by_id, classify
from convt_suite.runtime import workers

TF_CASE = Case(Spec(1, 1, (1, 2), (1, 2), ((0, 0), (0, -1)), bias=False), (2, 1, 2, 1), 5)
CRASH_CASE = Case(Spec(1, 7, (1, 1), (1, 4), ((0, 0), (27, 1)), bias=False), (1, 1, 1, 8), 5)
ABORT_CASE = Case(Spec(1, 1, (2, 2), (2, 1), ((1, 1), (0, 1)), bias=False), (1, 1, 3, 1), 5)
JAX_CASE = Case(Spec(1, 1, (2, 4), (1, 1), ((2, 0), (4, 4)), bias=False), (3, 1, 2, 6), 5)
# conv2d_transpose called with output_shape 24 = 8 x 3 (the longest), zero-padded by 2 after
HEAP_CASE = Case(Spec(2, 2, (1, 1), (3, 1), ((-2, -2), (0, 0)), groups=2, bias=False), (1, 2, 8, 5), 0)
# the sweeps' case: the dilated kernel spans 4 rows of an output of 1
DILATED_CRASH_CASE = Case(Spec(2, 8, (2, 1), (1, 1), ((2, 2), (0, 0)), (3, 1), groups=2, bias=False),
                          (2, 2, 2, 3), 0)
# the gradient for x is a convolution padded by these crops: ((-2, -2), (-1, 1))
JAX_VJP_CASE = Case(Spec(1, 1, (2, 4), (1, 1), ((-2, -2), (-1, 1)), bias=False), (1, 1, 3, 1), 5)


def in_worker(selector: str):
    """The adapter in a worker process, as the main job runs it (a crash is a record)."""
    return contextlib.closing(workers.WorkerAdapter(selector))


def need(module):
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed")


def need_here(finding_id: str):
    """Skip a live test of a finding on a machine where it is not recorded to
    hold (another CPU, TensorFlow with or without oneDNN, other versions):
    test_known_findings records what its snippet does there."""
    from convt_suite.host import cpu

    if not by_id()[finding_id].expected_on_this_machine():
        pytest.skip(f"{finding_id} is not recorded to hold here (oneDNN at {cpu.onednn_isa()}, "
                    f"TensorFlow {'with' if cpu.tensorflow_onednn() else 'without'} oneDNN)")


def test_tensorflow_width_one_grad_x_is_what_the_suite_records():
    need("tensorflow")
    need_here("tensorflow-onednn-width-one-grad-x")
    from convt_suite.adapters.tensorflow import TensorFlowAdapter

    result = classify(check_vjp(TensorFlowAdapter(), TF_CASE, "float32"))
    assert result["outcome"] == "known", result
    assert result["finding"] == "tensorflow-onednn-width-one-grad-x"
    assert classify(check_vjp(TensorFlowAdapter(), TF_CASE, "float64"))["outcome"] == "passed"


@pytest.mark.parametrize("check, case", [(check_forward, JAX_CASE), (check_vjp, JAX_VJP_CASE)],
                         ids=["forward", "vjp"])
def test_jax_shifted_padding_is_what_the_suite_records(check, case):
    need("jax")
    from convt_suite.adapters.jax import JaxAdapter

    result = classify(check(JaxAdapter(), case, "float32"))
    assert result["outcome"] == "known", result
    assert result["finding"] == "jax-cpu-shifted-padding-garbage"
    assert classify(check(JaxAdapter(), case, "float64"))["outcome"] == "passed"


def test_tensorflow_bfloat16_wide_padding_crash_is_what_the_suite_records():
    need("tensorflow")
    need_here("tensorflow-bfloat16-wide-padding-crash")
    with in_worker("tensorflow") as adapter:
        result = classify(check_vjp(adapter, CRASH_CASE, "bfloat16"))
        assert (result["outcome"], result["failure"]) == ("known", "crash"), result
        assert result["finding"] == "tensorflow-bfloat16-wide-padding-crash"
        # the next call gets a fresh worker, and float32 computes the same case
        assert classify(check_vjp(adapter, CRASH_CASE, "float32"))["outcome"] == "passed"


def test_torch_amx_bfloat16_dilated_grad_x_crash_is_what_the_suite_records():
    need("torch")
    need_here("torch-onednn-amx-bfloat16-dilated-grad-x-segfault")
    with in_worker("torch[nn]") as adapter:
        result = classify(check_vjp(adapter, DILATED_CRASH_CASE, "bfloat16"))
        assert (result["outcome"], result["failure"]) == ("known", "crash"), result
        assert result["finding"] == "torch-onednn-amx-bfloat16-dilated-grad-x-segfault"
        assert classify(check_vjp(adapter, DILATED_CRASH_CASE, "float32"))["outcome"] == "passed"


def test_tensorflow_grad_weight_longest_output_crash_is_what_the_suite_records():
    need("tensorflow")
    from convt_suite.host import cpu

    with in_worker("tensorflow") as adapter:
        result = classify(check_vjp(adapter, HEAP_CASE, "float32"))
        if result["outcome"] == "passed":   # heap corruption shows by chance, and by CPU
            pytest.skip(f"the heap corruption did not show here (oneDNN at {cpu.onednn_isa()})")
        # the corrupted heap kills the worker, or (when it lives) garbles grad_weight
        assert (result["outcome"], result["failure"]) in {("known", "crash"), ("known", "values")}, result
        assert result["finding"] == "tensorflow-onednn-grad-weight-longest-output-crash"


def test_jax_xla_simplifier_abort_is_what_the_suite_records():
    need("jax")
    with in_worker("jax") as adapter:
        result = classify(check_forward(adapter, ABORT_CASE, "float32"))
        assert (result["outcome"], result["failure"]) == ("known", "crash"), result
        assert result["finding"] == "jax-xla-simplifier-abort"
        # a fresh worker computes the near miss with an input of height 2
        near = changed(ABORT_CASE, input_shape=(1, 1, 2, 1))
        assert classify(check_forward(adapter, near, "float32"))["outcome"] == "passed"
        # the wider form the main job met, and its near miss (input as long as the kernel)
        result = classify(check_forward(adapter, WIDE_ABORT_CASE, "float32"))
        assert (result["outcome"], result.get("finding")) == ("known", "jax-xla-simplifier-abort"), result
        near = changed(WIDE_ABORT_CASE, input_shape=(1, 1, 5, 4))
        assert classify(check_forward(adapter, near, "float32"))["outcome"] == "passed"


def record(case: Case, **fields) -> dict:
    return {"outcome": "failed", "failure": "values", "case": case.to_dict(),
            "expected_shape": list(case.spec.output_shape(case.input_shape)), **fields}


def changed(case: Case, input_shape=None, **spec_fields) -> Case:
    data = case.spec.to_dict() | spec_fields
    return Case(Spec.from_dict(data), tuple(input_shape or case.input_shape), case.seed)


TF = dict(adapter="tensorflow", kind="vjp", failed_gradient="grad_x", dtype="float32")


JAX = dict(adapter="jax", kind="forward", dtype="float32")
HEAP = dict(adapter="tensorflow", kind="vjp", dtype="float32", failure="crash",
            error="tensorflow: worker died during vjp: killed by SIGABRT (exit -6)")


CRASH = dict(adapter="tensorflow", kind="vjp", dtype="bfloat16", failure="crash",
             error="tensorflow: worker died during vjp: killed by SIGSEGV (exit -11)")


def test_jax_xla_simplifier_abort_explains_the_gradients_wider_region():
    """CI's case of 2026-12-06: the vjp aborts (every dtype, jax and jax[jit])
    where the forward computes; input 1 on the other axis computes."""
    finding = by_id()["jax-xla-simplifier-abort"]
    case = Case(Spec(1, 1, (4, 1), (2, 4), ((3, 3), (0, 0)), bias=False), (1, 1, 3, 5), 0)
    aborted = dict(adapter="jax[jit]", kind="vjp", dtype="float16", failure="crash",
                   error="jax[jit]: worker died during vjp: killed by SIGABRT (exit -6)")
    assert finding.explains(record(case, **aborted))
    assert not finding.explains(record(changed(case, input_shape=(1, 1, 3, 1)), **aborted))
    assert not finding.explains(record(case, **aborted | {"kind": "forward"}))
    assert not finding.explains(record(changed(case, stride=[2, 1]), **aborted))


def test_tensorflow_bfloat16_wide_padding_crash_explains_a_left_crop_as_wide_as_the_output():
    """CI's case of 2026-12-06, SIGSEGV on every call: 9 columns (input 5,
    stride 2), crops (1, 7), one output column. Crops (1, 6) of input 4 die
    too; (2, 6) of input 5 and (0, 8) compute (not crashes: not excused)."""
    finding = by_id()["tensorflow-bfloat16-wide-padding-crash"]
    case = Case(Spec(1, 1, (1, 1), (1, 2), ((0, 0), (1, 7)), bias=False), (1, 1, 2, 5), 0)
    assert finding.explains(record(case, **CRASH))
    assert not finding.explains(record(changed(case, padding=[[0, 0], [0, 8]]), **CRASH))


# the main job's form: an input of 3 under a kernel of 5, its full output (per group)
WIDE_ABORT_CASE = Case(Spec(1, 1, (5, 2), (1, 2), ((0, 0), (1, 1)), bias=False), (1, 1, 3, 4), 5)


# oneDNN's brgconv_strided: a NaN weight tap spreads into W positions it does not reach
NAN_TAP = (("weight", 0, float("nan")),)
SPREAD_CASE = Case(Spec(1, 1, (1, 2), (1, 2), ((0, 0), (0, -1)), bias=False), (2, 1, 1, 1), 5,
                   specials=NAN_TAP)


@pytest.mark.parametrize("adapter_name, finding", [
    ("torch", "torch-onednn-strided-deconv-nan-spreads"),
    ("keras[tensorflow]", "tensorflow-onednn-strided-deconv-nan-spreads"),
    ("tensorflow", "tensorflow-onednn-strided-deconv-nan-spreads"),
])
def test_onednn_strided_nan_spread_is_what_the_suite_records(adapter_name, finding):
    need(adapter_name.split("[")[0])
    need_here(finding)
    from convt_suite.core.compare import check_special

    with in_worker(adapter_name) as adapter:
        result = classify(check_special(adapter, SPREAD_CASE, "float32"))
        assert (result["outcome"], result.get("finding")) == ("known", finding), result
        # the same tap where the output is a whole number of strides: exact
        even = changed(SPREAD_CASE, padding=[[0, 0], [0, 0]])
        assert check_special(adapter, even, "float32")["outcome"] == "passed"


SPREAD = dict(adapter="torch", kind="special", dtype="float32", failure="values",
              unexpected_nan=2, unexpected_inf=0, missing_nonfinite=0, finite_error_over_bound=0.1)


# Keras's torch backend asks torch for the full output, then pads: the call's
# width (13), not the layer's (14), decides (found by a hunt, seed 21)
KERAS_TORCH_CASE = Case(Spec(6, 6, (4, 5), (2, 2), ((0, 0), (0, -1)), groups=3, bias=False),
                        (2, 6, 1, 5), 5, specials=(("weight", 39, float("nan")),
                                                   ("weight", 45, float("-inf"))))
KERAS_TORCH_NEAR_MISSES = {   # each computes exactly in keras[torch], float32
    "call width 12 (kernel 4)": (changed(KERAS_TORCH_CASE, kernel_size=[4, 4]), {}),
    "call width 14 (kernel 6)": (changed(KERAS_TORCH_CASE, kernel_size=[4, 6],
                                         padding=[[0, 0], [0, 0]]), {}),
    "height odd, call width even": (changed(KERAS_TORCH_CASE, kernel_size=[3, 4]), {}),
    "stride_w 1": (changed(KERAS_TORCH_CASE, stride=[2, 1]), {}),
    "the NaN tap's positions sliced away": (
        dataclasses.replace(changed(KERAS_TORCH_CASE, padding=[[0, 0], [3, 0]]),
                            specials=(("weight", 39, float("nan")),)), {}),
    "the -inf tap's positions sliced away": (
        dataclasses.replace(changed(KERAS_TORCH_CASE, padding=[[0, 0], [0, 3]]),
                            specials=(("weight", 45, float("-inf")),)), {}),
}


def test_onednn_strided_nan_spread_in_keras_torch_is_what_the_suite_records():
    need("keras")
    need("torch")
    from convt_suite.core.compare import check_special

    with in_worker("keras[torch]") as adapter:
        result = classify(check_special(adapter, KERAS_TORCH_CASE, "float32"))
        assert (result["outcome"], result.get("finding")) == (
            "known", "torch-onednn-strided-deconv-nan-spreads"), result
        near = KERAS_TORCH_NEAR_MISSES["call width 12 (kernel 4)"][0]
        assert check_special(adapter, near, "float32")["outcome"] == "passed"


# oneDNN's bfloat16 backward-weights kernel reads past the upstream gradient (input width 1)
OVERREAD_CASE = Case(Spec(1, 1, (1, 1), (1, 2), bias=False), (1, 1, 1, 1), 5)


def test_tensorflow_bfloat16_grad_weight_overread_is_known_whenever_it_shows():
    """Heap contents decide whether a call fails, so: every failure of the
    smallest case over several calls is explained (float32 always passes);
    when none shows, the test says so rather than pass on nothing."""
    need("tensorflow")
    with in_worker("tensorflow") as adapter:
        assert check_vjp(adapter, OVERREAD_CASE, "float32")["outcome"] == "passed"
        outcomes = [classify(check_vjp(adapter, OVERREAD_CASE, "bfloat16")) for _ in range(10)]
    failed = [r for r in outcomes if r["outcome"] != "passed"]
    assert all(r.get("finding") == "tensorflow-bfloat16-grad-weight-overread" for r in failed), failed
    if not failed:
        pytest.skip("the over-read did not show in 10 calls of this worker (heap contents decide)")


def test_tensorflow_bfloat16_grad_weight_overread_explains_a_native_same_call():
    """Main jobs with --seed 1 showed the over-read in native gradients too:
    tf.nn.conv_transpose with 'SAME', input 1x1, kernel 5, stride 4 (or 3),
    one output channel, 'SAME' cropping 2 (or 1) on each side: the weight taps
    that meet only padding came back as garbage (0.27, 4e-4, 1.7e33 in three
    runs). The same call with explicit pairs runs TF's own kernel: not it."""
    from convt_suite.core.native import NativeCase

    def native(padding, **more):
        params = dict(in_channels=1, out_channels=1, kernel=5, stride=4, dilation=1, bias=True,
                      entry="conv_transpose", padding=padding, output_size=(1, 1), **more)
        case = NativeCase("tensorflow", tuple(params.items()), (1, 1, 1, 1), 0)
        return {"adapter": "tensorflow", "kind": "native vjp", "dtype": "bfloat16", "outcome": "failed",
                "failure": "values", "failed_gradient": "grad_weight", "case": case.to_dict(),
                "native": case.normalized()}

    finding = by_id()["tensorflow-bfloat16-grad-weight-overread"]
    assert finding.explains(native("SAME"))
    assert not finding.explains(native("EXPLICIT", explicit=((2, 2), (2, 2))))
    assert not finding.explains(native("SAME") | {"dtype": "float32"})


