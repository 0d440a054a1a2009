"""The oracle, checked three ways: hand-worked examples, an independent
formulation (zero insertion, and the explicit matrix Cᵀ), and the adjoint
identity <conv(y), x> = <y, convT(x)>."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convt_suite.adapters import oracle
from convt_suite.adapters.spec import Spec
from convt_suite.core.strategies import draw_case
from examples import zero_insertion

X = np.array([[0.0, 1.0], [2.0, 3.0]])[None, None]
K = np.array([[0.0, 1.0], [2.0, 3.0]])[None, None]


def run(x, w, spec, bias=None):
    return oracle.conv_transpose2d(x, w, bias, spec)[0, 0]


def test_textbook_stride_1():
    spec = Spec(1, 1, (2, 2), bias=False)
    np.testing.assert_array_equal(run(X, K, spec), [[0, 0, 1], [0, 4, 6], [4, 12, 9]])


def test_textbook_stride_2():
    spec = Spec(1, 1, (2, 2), stride=(2, 2), bias=False)
    np.testing.assert_array_equal(
        run(X, K, spec), [[0, 0, 0, 1], [0, 0, 2, 3], [0, 2, 0, 3], [4, 6, 6, 9]])


def test_textbook_padding_crops_both_sides():
    spec = Spec.from_torch(1, 1, 2, padding=1, bias=False)
    np.testing.assert_array_equal(run(X, K, spec), [[4]])


def test_textbook_output_padding_doubles_size():
    spec = Spec.from_torch(1, 1, 3, stride=2, padding=1, output_padding=1, bias=False)
    assert spec.output_shape((1, 1, 3, 3)) == (1, 1, 6, 6)
    assert oracle.conv_transpose2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 3, 3)), None,
                                   spec).shape == (1, 1, 6, 6)


def test_dilation_spreads_taps():
    spec = Spec(1, 1, (1, 2), dilation=(1, 2), bias=False)
    np.testing.assert_array_equal(run(np.ones((1, 1, 1, 1)), np.array([[[[1.0, 2.0]]]]), spec),
                                  [[1, 0, 2]])


def test_negative_crops_append_zeros_that_get_the_bias():
    spec = Spec(1, 1, (1, 1), padding=((-1, 0), (0, -1)))
    out = run(np.ones((1, 1, 1, 1)), np.full((1, 1, 1, 1), 2.0), spec, bias=np.array([5.0]))
    np.testing.assert_array_equal(out, [[5, 5], [7, 5]])


def test_groups_do_not_mix_channels():
    spec = Spec(2, 2, (1, 1), groups=2, bias=False)
    x = np.array([1.0, 10.0]).reshape(1, 2, 1, 1)
    w = np.array([2.0, 3.0]).reshape(2, 1, 1, 1)
    np.testing.assert_array_equal(oracle.conv_transpose2d(x, w, None, spec).ravel(), [2, 30])


def transpose_matrix(spec, input_shape):
    """Cᵀ built element by element: column (ci, i, j) scatters x[ci, i, j]·w
    onto the full output at (co, i·S + a·D, j·S + c·D)."""
    _, cin_total, h, w = input_shape
    lh, lw = spec.full_size((h, w))
    g = spec.groups
    cin, cout = cin_total // g, spec.out_channels // g
    return lh, lw, [(ci, i, j, (ci // cin) * cout + co, i * spec.stride[0] + a * spec.dilation[0],
                     j * spec.stride[1] + c * spec.dilation[1], co, a, c)
                    for ci in range(cin_total) for i in range(h) for j in range(w)
                    for co in range(cout) for a in range(spec.kernel_size[0])
                    for c in range(spec.kernel_size[1])]


def matrix_formulation(x, weight, bias, spec):
    lh, lw, entries = transpose_matrix(spec, x.shape)
    rows = spec.out_channels * lh * lw
    cols = x.shape[1] * x.shape[2] * x.shape[3]
    ct = np.zeros((rows, cols))
    for ci, i, j, o, p, q, co, a, c in entries:
        ct[(o * lh + p) * lw + q, (ci * x.shape[2] + i) * x.shape[3] + j] += weight[ci, co, a, c]
    full = (ct @ x.reshape(x.shape[0], cols).T).T.reshape(x.shape[0], spec.out_channels, lh, lw)
    (t, b), (l, r) = spec.padding
    full = np.pad(full, ((0, 0), (0, 0), (max(-t, 0), max(-b, 0)), (max(-l, 0), max(-r, 0))))
    out = full[:, :, max(t, 0): full.shape[2] - max(b, 0), max(l, 0): full.shape[3] - max(r, 0)]
    return out if bias is None else out + bias[None, :, None, None]


@settings(deadline=None)
@given(data=st.data())
@pytest.mark.slow
def test_oracle_matches_independent_formulations(data):
    case = draw_case(data)
    x, weight, bias = case.tensors("float64")
    expected = oracle.conv_transpose2d(x, weight, bias, case.spec)
    np.testing.assert_allclose(
        zero_insertion.conv_transpose2d(x, weight, bias, case.spec), expected, rtol=1e-12, atol=1e-12)
    if x.size <= 200:
        np.testing.assert_allclose(
            matrix_formulation(x, weight, bias, case.spec), expected, rtol=1e-12, atol=1e-12)


def direct_conv(y, weight, spec, input_shape):
    """The ordinary strided, dilated convolution that convT transposes: put y
    back into full-output coordinates, then x̂[i] = Σ_a y_full[i·S + a·D]·w[a]."""
    n, _, h, w = input_shape
    lh, lw = spec.full_size((h, w))
    (t, b), (l, r) = spec.padding
    full = np.zeros((n, spec.out_channels, lh + 2 * max(0, -t, -b) + 20, lw + 2 * max(0, -l, -r) + 20))
    oy, ox = max(0, -t, -b) + 10, max(0, -l, -r) + 10  # full row 0 sits at oy
    full[:, :, oy + t: oy + t + y.shape[2], ox + l: ox + l + y.shape[3]] = y
    full = full[:, :, oy: oy + lh, ox: ox + lw]
    g = spec.groups
    cin, cout = spec.in_channels // g, spec.out_channels // g
    out = np.zeros(input_shape)
    for a in range(spec.kernel_size[0]):
        for c in range(spec.kernel_size[1]):
            rows = full[:, :, a * spec.dilation[0]: a * spec.dilation[0] + (h - 1) * spec.stride[0] + 1: spec.stride[0],
                        c * spec.dilation[1]: c * spec.dilation[1] + (w - 1) * spec.stride[1] + 1: spec.stride[1]]
            for group in range(g):
                out[:, group * cin:(group + 1) * cin] += np.einsum(
                    "nohw,io->nihw", rows[:, group * cout:(group + 1) * cout],
                    weight[group * cin:(group + 1) * cin, :, a, c])
    return out


@settings(deadline=None)
@given(data=st.data())
def test_adjoint_identity(data):
    case = draw_case(data)
    x, weight, _ = case.tensors("float64")
    spec = dataclasses.replace(case.spec, bias=False)  # the identity holds for the linear part
    y = np.random.default_rng(case.seed + 1).standard_normal(spec.output_shape(x.shape))
    lhs = np.vdot(direct_conv(y, weight, spec, x.shape), x)
    rhs = np.vdot(y, oracle.conv_transpose2d(x, weight, None, spec))
    scale = np.vdot(np.abs(y), oracle.magnitude(x, weight, None, spec)) + 1e-300
    assert abs(lhs - rhs) <= 1e-12 * scale


def test_adjoint_check_is_not_vacuous():
    """A kernel flipped in convT must break the identity the test above checks."""
    spec = Spec(2, 3, (3, 2), stride=(2, 1), padding=((1, 0), (0, -1)), bias=False)
    rng = np.random.default_rng(0)
    x, weight = rng.standard_normal((2, 2, 4, 3)), rng.standard_normal(spec.weight_shape)
    y = rng.standard_normal(spec.output_shape(x.shape))
    wrong = oracle.conv_transpose2d(x, weight[:, :, ::-1, ::-1], None, spec)
    assert abs(np.vdot(direct_conv(y, weight, spec, x.shape), x) - np.vdot(y, wrong)) > 1e-3


def test_magnitude_bounds_the_result():
    spec = Spec(3, 2, (3, 3), stride=(2, 2), padding=((1, -1), (0, 2)))
    rng = np.random.default_rng(1)
    x, w, b = rng.standard_normal((2, 3, 4, 4)), rng.standard_normal(spec.weight_shape), rng.standard_normal(2)
    assert np.all(np.abs(oracle.conv_transpose2d(x, w, b, spec)) <= oracle.magnitude(x, w, b, spec) + 1e-12)


@pytest.mark.parametrize("bad", ["weight", "bias"])
def test_oracle_rejects_tensors_that_do_not_fit(bad):
    spec = Spec(2, 2, (2, 2))
    x, w, b = np.ones((1, 2, 3, 3)), np.ones(spec.weight_shape), np.ones(2)
    if bad == "weight":
        w = np.ones((2, 2, 3, 3))
    else:
        b = np.ones(3)
    with pytest.raises(ValueError, match=f"{bad} shape"):
        oracle.conv_transpose2d(x, w, b, spec)


@settings(deadline=None, max_examples=60)
@given(data=st.data())
def test_oracle_gradients_match_central_finite_differences(data):
    case = draw_case(data)
    x, weight, bias = case.tensors("float64")
    spec = case.spec
    rng = np.random.default_rng(case.seed + 7)
    grad_out = rng.standard_normal(spec.output_shape(x.shape))
    grads = oracle.vjp(x, weight, bias, spec, grad_out)

    def loss(x_, w_, b_):
        return np.vdot(grad_out, oracle.conv_transpose2d(x_, w_, b_, spec))

    for index, (tensor, grad) in enumerate(zip((x, weight, bias), grads)):
        if tensor is None or tensor.size == 0:
            assert grad is None or grad.size == 0
            continue
        assert grad.shape == tensor.shape
        for flat in rng.choice(tensor.size, size=min(4, tensor.size), replace=False):
            step = 1e-3
            args = [x, weight, bias]
            plus, minus = tensor.copy(), tensor.copy()
            plus.flat[flat] += step
            minus.flat[flat] -= step
            args[index] = plus
            high = loss(*args)
            args[index] = minus
            low = loss(*args)
            numeric = (high - low) / (2 * step)
            scale = np.abs(grad_out).sum() * (np.abs(x).max(initial=0) + np.abs(weight).max() + 1)
            assert abs(numeric - grad.flat[flat]) <= 1e-9 * scale, (index, flat)


def test_gradient_check_is_not_vacuous():
    """A grad_x computed with the kernel unflipped must fail the finite differences."""
    spec = Spec(2, 2, (3, 2), stride=(2, 1), padding=((1, -1), (0, 1)))
    rng = np.random.default_rng(3)
    x, w, b = rng.standard_normal((1, 2, 3, 3)), rng.standard_normal(spec.weight_shape), rng.standard_normal(2)
    g = rng.standard_normal(spec.output_shape(x.shape))
    wrong = oracle.vjp(x, w[:, :, ::-1, ::-1], b, spec, g)[0]
    step = 1e-3
    plus, minus = x.copy(), x.copy()
    plus.flat[4] += step
    minus.flat[4] -= step
    numeric = (np.vdot(g, oracle.conv_transpose2d(plus, w, b, spec))
               - np.vdot(g, oracle.conv_transpose2d(minus, w, b, spec))) / (2 * step)
    assert abs(numeric - wrong.flat[4]) > 1e-3


def test_a_correctly_rounded_subnormal_float16_product_is_within_the_bound():
    """Found by the sweeps (torch, float16, depthwise 5x2 kernel): one product
    of -0.0471 and -1.96e-05 is 9.21e-07, among float16's subnormals, where
    the spacing is 2^-24 whatever the value; its correct rounding, 8.94e-07,
    is off by 2.7e-08, 25 times u·|ref|. The bound's underflow term admits it,
    and still refuses a result eight subnormal steps off."""
    from convt_suite.core import tolerance

    x, w = np.float16(-0.047088623046875), np.float16(-1.9550323486328125e-05)
    exact = np.array([float(x) * float(w)])
    rounded = np.array([float(np.float16(exact[0]))])
    assert rounded[0] != exact[0] and abs(rounded[0]) < 2.0 ** -14          # a subnormal
    allowed = tolerance.bound(exact, np.abs(exact), "float16", terms=1)
    assert tolerance.error_ratio(rounded, exact, allowed)[1] <= 1.0
    assert tolerance.error_ratio(rounded + 2.0 ** -24 * 8, exact, allowed)[1] > 1.0
    # where no product is nonzero the answer is exact, and so is the bound
    assert tolerance.bound(np.zeros(1), np.zeros(1), "float16", terms=4)[0] == 0.0


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_the_partials_lie_between_the_result_and_the_magnitude(data):
    """Σ|P|, the scale of a kernel's rounding between partial sums
    (core/tolerance.py, the accumulation contract), is at least |ref| (the
    partials sum to it) and at most the magnitude (each partial is a sum of
    products); one partial per element (stride >= kernel, no bias, one
    sample) is |ref| itself."""
    case = draw_case(data)
    x, w, b = case.tensors("float64")
    spec = case.spec
    reference, partials = oracle.reference_and_partials(x, w, b, spec)
    np.testing.assert_array_equal(reference, oracle.conv_transpose2d(x, w, b, spec))
    assert np.all(np.abs(reference) <= partials * (1 + 1e-12) + 1e-12)
    assert np.all(partials <= oracle.magnitude(x, w, b, spec) * (1 + 1e-12) + 1e-12)
    grad_out = case.upstream_gradient("float64")
    _, grad_w, grad_b = oracle.vjp(x, w, b, spec, grad_out)
    _, weight_part, bias_part = oracle.vjp_partials_magnitude(x, w, b, spec, grad_out)
    assert np.all(np.abs(grad_w) <= weight_part * (1 + 1e-12) + 1e-12)
    if case.input_shape[0] == 1:
        np.testing.assert_allclose(weight_part, np.abs(grad_w), rtol=1e-12, atol=1e-12)
    if b is not None:
        assert np.all(np.abs(grad_b) <= bias_part * (1 + 1e-12) + 1e-12)


def test_one_tap_per_position_is_one_partial():
    spec = Spec(3, 2, (2, 2), (2, 2), bias=False)
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((1, 3, 4, 4)), rng.standard_normal((3, 2, 2, 2))
    reference, partials = oracle.reference_and_partials(x, w, None, spec)
    np.testing.assert_allclose(partials, np.abs(reference), rtol=1e-12)
    from convt_suite.core import tolerance

    assert tolerance.forward_sums(spec, x.shape) == tolerance.Sums(12, 1)
    assert tolerance.forward_sums(Spec(3, 2, (4, 4), (2, 2)), x.shape) == tolerance.Sums(48, 5)
    assert tolerance.forward_sums(Spec(3, 2, (4, 4), (2, 2)), (1, 3, 1, 1)) == tolerance.Sums(48, 2)


def test_the_accumulation_contract_only_narrows_the_16_bit_bound():
    """float32 and float64 keep the classic bound; a 16-bit one is never
    above it, and at model scale far below it."""
    from convt_suite.core import tolerance

    reference, magnitude = np.array([1.0]), np.array([100.0])
    for products in (1, 10, 4096, 2 ** 20):
        sums = tolerance.Sums(products, 4)
        for dtype in ("float32", "float64"):
            assert tolerance.bound(reference, magnitude, dtype, sums) == tolerance.bound(
                reference, magnitude, dtype, products)
        for dtype in ("float16", "bfloat16"):
            assert tolerance.bound(reference, magnitude, dtype, sums) <= tolerance.bound(
                reference, magnitude, dtype, products)
    assert tolerance.bound(reference, magnitude, "bfloat16", tolerance.Sums(4096, 1))[0] < 0.1
    assert tolerance.bound(reference, magnitude, "bfloat16", 4096)[0] > 1e6
