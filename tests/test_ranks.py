"""The contract in every rank (1, 2 and 3 spatial axes): `Spec`, its readers
of each framework's words, the float64 oracle and its gradients, checked in
1-D and 3-D as the 2-D ones are: against a formulation of their own, against
the 2-D contract on a unit axis, by the adjoint identity, and against ONNX's
own node tests for ConvTranspose (1-D, 2-D and 3-D) as the onnx package ships
them."""

import dataclasses
import itertools
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convt_suite.adapters import oracle
from convt_suite.adapters.spec import Spec


def by_definition(x, w, bias, spec):
    """The definition, element by element, in any rank: input element i of
    channel ci times tap a of w[ci, co] lands at i·S + a·D of the full
    output, which is then cropped (negative crops append zeros) and biased.
    Shares nothing with the oracle but Spec's fields."""
    n, c_in = x.shape[:2]
    spatial, kernel = x.shape[2:], spec.kernel_size
    g = spec.groups
    cin, cout = c_in // g, spec.out_channels // g
    full = np.zeros((n, spec.out_channels, *(
        (i - 1) * s + d * (k - 1) + 1 for i, k, s, d in zip(spatial, kernel, spec.stride, spec.dilation))))
    for b, ci, co in itertools.product(range(n), range(c_in), range(cout)):
        out_channel = (ci // cin) * cout + co
        for i in np.ndindex(*spatial):
            for a in np.ndindex(*kernel):
                at = tuple(ii * s + aa * d for ii, aa, s, d in zip(i, a, spec.stride, spec.dilation))
                full[(b, out_channel, *at)] += x[(b, ci, *i)] * w[(ci, co, *a)]
    for axis, (before, after) in enumerate(spec.padding, start=2):
        if before < 0:
            full = np.concatenate([np.zeros_like(full.take(range(-before), axis=axis)), full], axis=axis)
        else:
            full = full.take(range(before, full.shape[axis]), axis=axis)
        if after < 0:
            full = np.concatenate([full, np.zeros_like(full.take(range(-after), axis=axis))], axis=axis)
        else:
            full = full.take(range(full.shape[axis] - after), axis=axis)
    if bias is not None:
        full = full + bias.reshape(-1, *(1,) * len(spatial))
    return full


@st.composite
def layers(draw, rank):
    """A spec of `rank` axes with an input it takes, small enough to loop over."""
    groups = draw(st.sampled_from([1, 2]))
    kernel = tuple(draw(st.integers(1, 3)) for _ in range(rank))
    stride = tuple(draw(st.integers(1, 3)) for _ in range(rank))
    dilation = tuple(draw(st.integers(1, 2)) for _ in range(rank))
    size = tuple(draw(st.integers(1, 3)) for _ in range(rank))
    crops = []
    for i, k, s, d in zip(size, kernel, stride, dilation):
        length = (i - 1) * s + d * (k - 1) + 1
        before = draw(st.integers(-1, length - 1))
        crops.append((before, draw(st.integers(-1, length - 1 - before))))
    spec = Spec(groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2)), kernel, stride,
                tuple(crops), dilation, groups, draw(st.booleans()))
    return spec, (draw(st.integers(0, 2)), spec.in_channels, *size)


def tensors(spec, input_shape, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(input_shape)
    w = rng.standard_normal(spec.weight_shape)
    return x, w, (rng.standard_normal(spec.out_channels) if spec.bias else None)


# ------------------------------------------------------------------ Spec
@pytest.mark.parametrize("rank, kernel, layout", [(1, (3,), "(N, C_in, W)"), (2, (3, 2), "(N, C_in, H, W)"),
                                                  (3, (3, 2, 1), "(N, C_in, D, H, W)")])
def test_the_rank_is_the_kernels_and_every_per_axis_field_follows_it(rank, kernel, layout):
    spec = Spec(2, 4, kernel, stride=2)
    assert spec.rank == rank and spec.stride == (2,) * rank and spec.dilation == (1,) * rank
    assert spec.padding == ((0, 0),) * rank and spec.weight_shape == (2, 4, *kernel)
    assert Spec.from_dict(spec.to_dict()) == spec
    with pytest.raises(ValueError, match=f"must be {rank + 2} ints {layout.replace('(', '[(]').replace(')', '[)]')}"):
        spec.output_shape((1, 2) + (3,) * (rank + 1))


def test_an_int_kernel_is_2d_unless_another_argument_counts_its_axes():
    assert Spec(1, 1, 3).rank == 2
    assert Spec(1, 1, 3, stride=(2,)).rank == 1
    assert Spec(1, 1, 3, padding=((1, 0), (0, 0), (0, 1))).rank == 3


@pytest.mark.parametrize("kwargs, words", [
    (dict(kernel_size=(3, 3, 3), stride=(1, 2)), ["stride=(1, 2)", "3 ints (d, h, w)"]),
    (dict(kernel_size=(3,), dilation=(1, 1)), ["dilation=(1, 1)", "1 ints (w)"]),
    (dict(kernel_size=(3, 3, 3, 3)), ["kernel_size", "1, 2 or 3 entries"]),
    (dict(kernel_size=(3, 3, 3), padding=((0, 0), (0, 0))),
     ["padding", "((front, back), (top, bottom), (left, right))"]),
    (dict(kernel_size=(2,), padding=((0, 0), (1, 1))), ["padding", "((left, right),)"]),
])
def test_an_argument_of_another_rank_is_refused_with_the_rank_it_needs(kwargs, words):
    with pytest.raises(ValueError) as refused:
        Spec(2, 2, **kwargs)
    for word in words:
        assert word in str(refused.value), (word, str(refused.value))


def test_an_output_shorter_than_one_names_its_axis_in_every_rank():
    with pytest.raises(ValueError, match=r"output D = L - before - after = 2 - 2 - 1 = -1"):
        Spec(1, 1, (2, 1, 1), padding=((2, 1), (0, 0), (0, 0))).output_shape((1, 1, 1, 1, 1))
    with pytest.raises(ValueError, match=r"output W = L - before - after"):
        Spec(1, 1, (2,), padding=((2, 1),)).output_shape((1, 1, 1))


# ---------------------------------------------- each framework's words
@pytest.mark.parametrize("rank", [1, 3])
def test_each_reader_takes_its_frameworks_words_in_another_rank(rank):
    """PyTorch's ConvTranspose1d/3d, TF's conv1d/3d_transpose, Keras's
    Conv1D/3DTranspose and keras.ops, lax.conv_transpose and ONNX's
    ConvTranspose in their own words for kernel 3, stride 2, output 2·I:
    'SAME' and its kin crop (0, 1) on every axis, PyTorch's padding 1 with
    output_padding 1 crops (1, 0), as in 2-D."""
    size, out = (4,) * rank, (8,) * rank
    same = Spec(2, 3, (3,) * rank, 2, ((0, 1),) * rank, bias=False)
    torch_like = Spec(2, 3, (3,) * rank, 2, ((1, 0),) * rank, bias=False)
    assert Spec.from_torch(2, 3, 3, 2, 1, 1, bias=False, rank=rank) == torch_like
    assert Spec.from_onnx(2, 3, (3,) * rank, size, (2,) * rank, pads=[1] * (2 * rank),
                          output_padding=(1,) * rank) == torch_like
    assert Spec.from_tensorflow(2, 3, (3,) * rank, size, out, 2, "SAME") == same
    assert Spec.from_tensorflow(2, 3, 3, size, out, 2, "SAME",
                                data_format={1: "NCW", 3: "NCDHW"}[rank]) == same
    assert Spec.from_keras(2, 3, 3, 2, "same", use_bias=False, rank=rank) == same
    assert Spec.from_keras(2, 3, (3,) * rank, 2, "same", use_bias=False, entry="ops") == same
    assert Spec.from_jax(2, 3, (3,) * rank, 2, "SAME") == same
    assert Spec.from_onnx(2, 3, (3,) * rank, size, (2,) * rank, auto_pad="SAME_UPPER") == same


def test_tensorflow_takes_explicit_pairs_in_2d_only():
    with pytest.raises(ValueError, match="conv3d_transpose takes 'SAME' or 'VALID'"):
        Spec.from_tensorflow(1, 1, (3, 3, 3), (4, 4, 4), (6, 6, 6), 1, [[0, 0]] * 5)
    with pytest.raises(ValueError, match="data_format='NCDHW' is 3-D: the other arguments are 1-D"):
        Spec.from_tensorflow(1, 1, (3,), (4,), (6,), data_format="NCDHW")


def test_torch_output_size_counts_the_modules_axes():
    spec = Spec.from_torch(1, 1, 3, 2, 1, output_size=(1, 1, 8, 8, 8), input_size=(4, 4, 4))
    assert spec.rank == 3 and spec.padding == ((1, 0),) * 3
    with pytest.raises(ValueError, match=r"must be 1 ints \(W\) or 3 \(N, C, W\)"):
        Spec.from_torch(1, 1, (3,), 2, 1, output_size=(8, 8), input_size=(4,))


# ---------------------------------------------------------------- oracle
@pytest.mark.parametrize("rank", [1, 2, 3])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_the_oracle_is_the_definition_in_every_rank(rank, data):
    spec, input_shape = data.draw(layers(rank))
    x, w, b = tensors(spec, input_shape)
    np.testing.assert_allclose(oracle.conv_transpose(x, w, b, spec), by_definition(x, w, b, spec),
                               rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("rank", [1, 3])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_rank_is_the_2d_contract_with_a_unit_axis(rank, data):
    """1-D is 2-D with a height of 1 (kernel 1, stride 1, no crops there); 2-D
    is 3-D with a depth of 1: the outputs and every gradient agree."""
    spec, input_shape = data.draw(layers(2 if rank == 3 else 1))
    x, w, b = tensors(spec, input_shape)
    small, unit = spec, 2   # the unit axis goes first among the spatial ones
    big = Spec(spec.in_channels, spec.out_channels, (1, *spec.kernel_size), (1, *spec.stride),
               ((0, 0), *spec.padding), (1, *spec.dilation), spec.groups, spec.bias)
    assert big.rank == small.rank + 1
    expanded_x, expanded_w = np.expand_dims(x, unit), np.expand_dims(w, unit)
    out = oracle.conv_transpose(x, w, b, small)
    np.testing.assert_array_equal(oracle.conv_transpose(expanded_x, expanded_w, b, big),
                                  np.expand_dims(out, unit))
    grad_out = np.random.default_rng(1).standard_normal(out.shape)
    grads = oracle.vjp(x, w, b, small, grad_out)
    wide = oracle.vjp(expanded_x, expanded_w, b, big, np.expand_dims(grad_out, unit))
    np.testing.assert_allclose(wide[0], np.expand_dims(grads[0], unit), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(wide[1], np.expand_dims(grads[1], unit), rtol=1e-12, atol=1e-12)
    if b is not None:
        np.testing.assert_allclose(wide[2], grads[2], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("rank", [1, 3])
@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_the_gradients_are_the_adjoints_in_every_rank(rank, data):
    """The output is linear in x and in w: <g, convT(x, w)> = <grad_x, x> =
    <grad_w, w> (no bias), and grad_b sums g over the batch and every axis."""
    spec, input_shape = data.draw(layers(rank))
    x, w, b = tensors(spec, input_shape)
    out = oracle.conv_transpose(x, w, None, dataclasses.replace(spec, bias=False))
    g = np.random.default_rng(2).standard_normal(out.shape)
    grad_x, grad_w, grad_b = oracle.vjp(x, w, b, spec, g)
    inner = float(np.sum(g * out))
    assert np.isclose(np.sum(grad_x * x), inner, rtol=1e-9, atol=1e-9)
    assert np.isclose(np.sum(grad_w * w), inner, rtol=1e-9, atol=1e-9)
    if b is not None:
        np.testing.assert_allclose(grad_b, g.sum(axis=(0, *range(2, 2 + rank))))


def onnx_node_cases():
    """onnx's own node tests for ConvTranspose (the cases its backend tests
    run, made by onnx/backend/test/case/node/convtranspose.py): 1-D, 2-D, 3-D."""
    pytest.importorskip("onnx")
    import warnings

    from onnx.backend.test.case import node

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # other operators' cases divide by zero on purpose
        return [case for case in node.collect_testcases("ConvTranspose")]


def test_onnx_ships_node_tests_in_every_rank():
    ranks = {len(case.data_sets[0][0][0].shape) - 2 for case in onnx_node_cases()}
    assert ranks == {1, 2, 3}


def test_onnxs_node_tests_read_by_from_onnx_are_what_the_oracle_computes():
    from onnx import helper

    for case in onnx_node_cases():
        (inputs, (expected,)), = case.data_sets
        x, w, *b = inputs
        attributes = {a.name: helper.get_attribute_value(a) for a in case.model.graph.node[0].attribute}
        auto_pad = attributes.get("auto_pad")
        group = attributes.get("group", 1)
        spec = Spec.from_onnx(
            x.shape[1], w.shape[1] * group, attributes.get("kernel_shape", w.shape[2:]), x.shape[2:],
            attributes.get("strides", 1), attributes.get("pads"), attributes.get("output_padding"),
            attributes.get("dilations", 1), group,
            auto_pad.decode() if isinstance(auto_pad, bytes) else auto_pad,
            attributes.get("output_shape"), bias=bool(b))
        got = oracle.conv_transpose(x, w, b[0] if b else None, spec)
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5, err_msg=case.name)


# ------------------------------------------------------------- adapters
def test_an_adapter_declines_a_rank_it_has_not_wired_with_why():
    """Until an adapter computes a rank (its `ranks`), a spec of that rank is
    declined by supports(), forward() and vjp() alike, not tried."""
    pytest.importorskip("torch")
    from convt_suite.adapters.base import Decline
    from convt_suite.adapters.torch import TorchAdapter

    class PlanarTorch(TorchAdapter):
        name, ranks = "planar-torch", (2,)

    adapter = PlanarTorch()
    spec = Spec(1, 1, (2, 2, 2), bias=False)
    x, w, _ = tensors(spec, (1, 1, 2, 2, 2))
    reason = adapter.supports(spec, "float32")
    assert reason == "planar-torch computes 2-D only: its 3-D call is not wired (a 3-D spec is declined)"
    with pytest.raises(Decline, match="its 3-D call is not wired"):
        adapter.forward(x, w, None, spec)
    with pytest.raises(Decline, match="its 3-D call is not wired"):
        adapter.vjp(x, w, None, spec, np.ones((1, 1, 3, 3, 3)))
    assert adapter.supports(Spec(1, 1, 2), "float32") is None
    assert TorchAdapter().supports(spec, "float32") is None


EVERY_RANK = [("torch", "torch"), ("torch[nn]", "torch"), ("jax", "jax"), ("jax[jit]", "jax"),
              ("tensorflow", "tensorflow"), ("tensorflow[xla]", "tensorflow"),
              # Keras on this process's backend; tests/test_keras_backends.py runs the others
              (f"keras[{os.environ.get('KERAS_BACKEND', 'tensorflow')}]", "keras")]


@pytest.mark.parametrize("name, framework", EVERY_RANK)
@pytest.mark.parametrize("rank", [1, 3])
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_the_adapters_of_every_rank_compute_1d_and_3d(name, framework, rank, data):
    """F.conv_transpose1d/3d and nn.ConvTranspose1d/3d behind the contract,
    native where PyTorch's words reach the crops and composed (the full
    output sliced and zero-padded) where they do not; lax.conv_transpose in
    NCW and NCDHW, per group, eager and jitted: the output and every
    gradient are the oracle's, in float64."""
    pytest.importorskip(framework)
    from convt_suite.adapters import registry

    adapter = registry.load(name)
    spec, input_shape = data.draw(layers(rank))
    x, w, b = tensors(spec, input_shape)
    reason = adapter.supports(spec, "float64")
    if reason is not None:   # the Keras layers' own rule, the only one any of these declines by
        assert name.startswith("keras") and "rejects strides > 1 together with dilation_rate > 1" in reason
        return
    if name == "keras[tensorflow]" and max(spec.dilation) > 1:
        # finding keras-tensorflow-cpu-dilation in this rank too: TF's CPU kernels refuse
        # dilation in float64 (the tensorflow adapter composes it; Keras's layer cannot)
        with pytest.raises(Exception, match="not yet support dilation rates larger than 1"):
            adapter.forward(x, w, b, spec)
        return
    np.testing.assert_allclose(adapter.forward(x, w, b, spec), oracle.conv_transpose(x, w, b, spec),
                               rtol=1e-10, atol=1e-10)
    grad_out = np.random.default_rng(3).standard_normal(spec.output_shape(input_shape))
    for got, expected in zip(adapter.vjp(x, w, b, spec, grad_out), oracle.vjp(x, w, b, spec, grad_out)):
        if expected is None:
            assert got is None
        else:
            np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("name", ["onnxruntime", "onnx[reference]"])
@pytest.mark.parametrize("rank", [1, 3])
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_the_onnx_runtimes_compute_1d_and_3d(name, rank, data):
    """A one-node ConvTranspose model on NCW and NCDHW inputs (pads: every
    begin, then every end), composed crops included, in float32 (both infer
    only: no gradients). onnx's reference evaluator is wrong for groups > 1
    in these ranks too, and raises for an empty batch (findings
    onnx-reference-grouped-conv-transpose-raises, onnx-reference-empty-batch-raises,
    measured here): only there may it raise or differ."""
    pytest.importorskip("onnxruntime")
    from convt_suite.adapters import registry
    from convt_suite.adapters.base import Decline

    adapter = registry.load(name)
    spec, input_shape = data.draw(layers(rank))
    x, w, b = (None if t is None else t.astype(np.float32) for t in tensors(spec, input_shape))
    assert adapter.supports(spec, "float32") is None
    expected = oracle.conv_transpose(x, w, b, spec)
    if name == "onnx[reference]" and spec.groups > 1:   # onnx-reference-grouped-conv-transpose-raises
        try:   # it raises, or computes; where it computes, right only without a bias
            got = adapter.forward(x, w, b, spec)
        except (ValueError, TypeError) as refused:   # TypeError: an empty batch, as below
            assert any(word in str(refused) for word in ("reshape", "broadcast", "Issues with types")), refused
        else:
            if b is None or spec.out_channels // spec.groups > 1 or np.allclose(b, b[0]):
                np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-4)
    elif name == "onnx[reference]" and input_shape[0] == 0:   # onnx-reference-empty-batch-raises
        with pytest.raises(TypeError, match="Issues with types"):
            adapter.forward(x, w, b, spec)
    else:
        np.testing.assert_allclose(adapter.forward(x, w, b, spec), expected, rtol=1e-4, atol=1e-4)
    with pytest.raises(Decline, match="inference only"):
        adapter.vjp(x, w, b, spec, np.ones(expected.shape, np.float32))


@pytest.mark.parametrize("name", ["torch[onnx]", "torch[onnx-torchscript]"])
@pytest.mark.parametrize("rank", [1, 3])
def test_the_torch_exporters_compute_1d_and_3d(name, rank):
    """nn.ConvTranspose1d/3d exported (dynamo and TorchScript) and run in ONNX
    Runtime: a grouped native case and a composed one."""
    pytest.importorskip("onnxruntime")
    pytest.importorskip("torch")
    from convt_suite.adapters import registry

    adapter = registry.load(name)
    for spec in (Spec(2, 4, (3,) * rank, 2, ((1, 0),) * rank, groups=2),
                 Spec(2, 2, (2,) * rank, 2, ((-1, 2),) * rank)):
        x, w, b = (t.astype(np.float32) for t in tensors(spec, (1, 2) + (3,) * rank))
        np.testing.assert_allclose(adapter.forward(x, w, b, spec), oracle.conv_transpose(x, w, b, spec),
                                   rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("rank", [1, 3])
def test_torch_compile_computes_1d_and_3d(rank):
    """torch.compile (inductor) of the same computation, a composed case and a native one."""
    pytest.importorskip("torch")
    from convt_suite.adapters import registry

    adapter = registry.load("torch[compile]")
    for crops in (((1, 0),) * rank, ((-1, 2),) * rank):
        spec = Spec(2, 2, (3,) * rank, 2, crops, bias=True)
        x, w, b = tensors(spec, (1, 2) + (3,) * rank)
        np.testing.assert_allclose(adapter.forward(x, w, b, spec), oracle.conv_transpose(x, w, b, spec),
                                   rtol=1e-10, atol=1e-10)


# --- native calls in each framework's words, in 1-D and 3-D ----------------------
# (the calls the translator and the native sweeps of the other ranks make, each in
# its language, read by Spec.from_*)
NATIVE_CALLS = {
    "torch": [  # HiFi-GAN's upsampler, narrower; a grouped, dilated 3-D call
        ((2, 4, 5), dict(in_channels=4, out_channels=2, kernel=16, stride=8, padding=4, output_padding=0,
                         groups=1, dilation=1, bias=True)),
        ((1, 4, 2, 3, 2), dict(in_channels=4, out_channels=6, kernel=(2, 3, 1), stride=(2, 1, 3), padding=(1, 0, 0),
                               output_padding=(1, 0, 2), groups=2, dilation=(1, 2, 1), bias=False)),
    ],
    "torch.nn": [  # a 3-D U-Net decoder with output_size; a 1-D module
        ((1, 4, 3, 3, 3), dict(in_channels=4, out_channels=2, kernel=2, stride=2, padding=0, output_padding=0,
                               groups=1, dilation=1, bias=True, output_size=(7, 7, 7))),
        ((2, 2, 4), dict(in_channels=2, out_channels=3, kernel=(3,), stride=(2,), padding=(1,),
                         output_padding=(1,), groups=1, dilation=(1,), bias=False)),
    ],
    "tensorflow": [
        ((2, 3, 5), dict(in_channels=3, out_channels=2, kernel=4, stride=2, dilation=1, bias=True,
                         entry="conv1d_transpose", padding="SAME", output_size=(10,))),
        ((1, 2, 2, 3, 2), dict(in_channels=2, out_channels=3, kernel=(2, 1, 3), stride=(2, 1, 1), dilation=1,
                               bias=False, entry="conv_transpose", padding="VALID", output_size=(5, 3, 4))),
    ],
    "keras": [
        ((2, 3, 5), dict(in_channels=3, out_channels=2, kernel=4, stride=2, dilation=1, bias=True,
                         entry="layer", padding="same", output_padding=None)),
        ((1, 2, 2, 3, 2), dict(in_channels=2, out_channels=3, kernel=(3, 1, 2), stride=1, dilation=(1, 1, 2),
                               bias=True, entry="ops", padding="valid", output_padding=None)),
    ],
    "jax": [
        ((2, 3, 5), dict(in_channels=3, out_channels=2, kernel=(4,), stride=(2,), dilation=(1,), bias=True,
                         padding="SAME")),
        ((1, 2, 2, 3, 2), dict(in_channels=2, out_channels=3, kernel=(2, 2, 3), stride=(2, 1, 2), dilation=(1, 2, 1),
                               bias=False, padding=((1, 0), (0, 2), (2, 1)), pairs_as="tuples")),
    ],
    "onnx": [
        ((2, 4, 5), dict(in_channels=4, out_channels=2, kernel=(4,), stride=(2,), dilation=(1,), bias=True,
                         groups=2, padding="SAME_UPPER", explicit=None, output_padding=None, output_size=None,
                         kernel_shape_given=True)),
        ((1, 2, 2, 3, 2), dict(in_channels=2, out_channels=3, kernel=(2, 2, 1), stride=(2, 1, 3), dilation=(1, 1, 1),
                               bias=True, groups=1, padding=None, explicit=((1, 0), (0, 1), (0, 0)),
                               output_padding=(1, 0, 2), output_size=None, kernel_shape_given=False)),
    ],
}
SPEAKERS = [("torch", "torch"), ("torch[nn]", "torch.nn"), ("tensorflow", "tensorflow"),
            ("jax", "jax"), ("jax[jit]", "jax"), ("onnxruntime", "onnx"),
            # Keras on this process's backend; tests/test_keras_backends.py runs the others
            (f"keras[{os.environ.get('KERAS_BACKEND', 'tensorflow')}]", "keras")]


def native_case(language, input_shape, call, seed=5):
    from convt_suite.core.native import NativeCase, _frozen

    return NativeCase(language, tuple((k, _frozen(v)) for k, v in call.items()), input_shape, seed)


@pytest.mark.parametrize("language", list(NATIVE_CALLS))
def test_a_native_call_of_another_rank_reads_and_writes_in_its_rank(language):
    """The call's spec is of its input's rank, its code names the rank's
    function and layout, and its normalized parameters have one entry per axis."""
    names = {"torch": "conv_transpose{r}d", "torch.nn": "ConvTranspose{r}d", "tensorflow": "_ndhwc|_nwc",
             "keras": "Conv{r}DTranspose|x_nwc|x_ndhwc", "jax": "'NC", "onnx": "conv_transpose("}
    for input_shape, call in NATIVE_CALLS[language]:
        case = native_case(language, input_shape, call)
        spec = case.spec()
        assert spec.rank == case.rank == len(input_shape) - 2
        code = case.code()
        assert any(word.format(r=case.rank) in code for word in names[language].split("|")), code
        assert all(len(case.normalized()[name]) == case.rank for name in ("kernel", "stride", "dilation"))


@pytest.mark.parametrize("name, language", SPEAKERS)
def test_every_rank_native_call_is_computed_by_each_adapter(name, language):
    """Forward (and gradients, where the framework differentiates) of each
    native call against the oracle for the spec Spec.from_* reads; its model
    machinery, its round trips and what it declares, likewise."""
    from convt_suite.adapters import registry
    from convt_suite.core.compare import CHECKS
    from convt_suite.core.vocabulary import Kind
    from convt_suite.findings.model import classify

    framework = {"torch": "torch", "torch.nn": "torch", "tensorflow": "tensorflow", "keras": "keras",
                 "jax": "jax", "onnx": "onnxruntime"}[language]
    pytest.importorskip(framework)
    adapter = registry.load(name)
    dtype = "float32" if language == "onnx" or name == "keras[tensorflow]" else "float64"
    kinds = [Kind.NATIVE, Kind.NATIVE_VJP, Kind.DECLARED_SHAPE, Kind.IN_MODEL, Kind.ROUND_TRIP]
    for input_shape, call in NATIVE_CALLS[language]:
        case = native_case(language, input_shape, call)
        for kind in kinds:
            record = classify(CHECKS[kind](adapter, case, dtype))
            if record["outcome"] == "known":   # measured in this rank, as the finding's ranks say
                assert record["finding"] in ("keras-ops-conv-transpose-fails-in-functional-model",
                                             "keras-predict-rounds-float64-to-float32"), record
                continue
            assert record["outcome"] in ("passed", "skipped"), (kind, case, record.get("error"), record)
            if record["outcome"] == "skipped":   # only what the adapter has no machinery for
                assert kind in (Kind.NATIVE_VJP, Kind.IN_MODEL, Kind.ROUND_TRIP, Kind.DECLARED_SHAPE), (
                    kind, record["reason"])
