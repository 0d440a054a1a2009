"""Spec: immutable, validated, and every invalid combination names the
parameter, the value and the rule."""

import dataclasses

import pytest

from convt_suite.adapters.spec import Spec


def test_spec_is_frozen_and_normalised():
    spec = Spec(4, 6, 3, stride=2, padding=((1, 0), (2, -1)), groups=2)
    assert spec.kernel_size == (3, 3) and spec.stride == (2, 2) and spec.dilation == (1, 1)
    assert spec.weight_shape == (4, 3, 3, 3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.groups = 1


def test_output_shape_follows_the_definition():
    spec = Spec(1, 5, (3, 2), stride=(2, 3), padding=((1, 0), (0, -2)), dilation=(2, 1))
    # L_h = (4-1)*2 + 2*(3-1) + 1 = 11, minus 1 ; L_w = (3-1)*3 + 1*(2-1) + 1 = 8, plus 2
    assert spec.output_shape((2, 1, 4, 3)) == (2, 5, 10, 10)


@pytest.mark.parametrize("kwargs, words", [
    (dict(kernel_size=0), ["kernel_size", "0", ">= 1"]),
    (dict(kernel_size=(3, -1)), ["kernel_size", "-1", ">= 1"]),
    (dict(stride=0), ["stride", ">= 1"]),
    (dict(stride=(1, -2)), ["stride", ">= 1"]),
    (dict(dilation=0), ["dilation", ">= 1"]),
    (dict(groups=0), ["groups", ">= 1"]),
    (dict(in_channels=0), ["in_channels", ">= 1"]),
    (dict(out_channels=-3), ["out_channels", ">= 1"]),
    (dict(in_channels=3, groups=2), ["in_channels=3", "groups=2", "divisible"]),
    (dict(out_channels=5, groups=2), ["out_channels=5", "groups=2", "divisible"]),
    (dict(kernel_size=2.5), ["kernel_size", "int"]),
    (dict(stride=True), ["stride", "bool"]),
    (dict(padding=((1, 2, 3), (0, 0))), ["padding", "pair"]),
    (dict(padding=1), ["padding", "((top, bottom), (left, right))"]),
    (dict(bias="yes"), ["bias", "True or False"]),
])
def test_invalid_spec_names_parameter_and_rule(kwargs, words):
    args = dict(in_channels=4, out_channels=4, kernel_size=3)
    args.update(kwargs)
    with pytest.raises(ValueError) as info:
        Spec(**args)
    for word in words:
        assert word in str(info.value), (word, str(info.value))


@pytest.mark.parametrize("input_shape, words", [
    ((1, 2, 3, 3), ["C_in=2", "in_channels=4"]),
    ((1, 4, 0, 3), ["spatial", ">= 1"]),
    ((1, 4, 3, -1), ["spatial", ">= 1"]),
    ((-1, 4, 3, 3), ["batch", ">= 0"]),
    ((1, 4, 3), ["4 ints"]),
])
def test_input_shape_that_does_not_fit(input_shape, words):
    with pytest.raises(ValueError) as info:
        Spec(4, 4, 3).output_shape(input_shape)
    for word in words:
        assert word in str(info.value)


def test_output_size_below_one_is_rejected_with_the_arithmetic():
    spec = Spec(1, 1, 2, padding=((2, 1), (0, 0)))  # L = 2 for a 1x1 input
    with pytest.raises(ValueError, match=r"output H = L - before - after = 2 - 2 - 1 = -1, must be >= 1"):
        spec.output_shape((1, 1, 1, 1))


def test_weight_and_bias_shapes_are_checked():
    spec = Spec(4, 6, (3, 2), groups=2)
    spec.check_tensors((1, 4, 2, 2), (4, 3, 3, 2), (6,))
    with pytest.raises(ValueError, match=r"weight shape \(4, 6, 3, 2\).*\(4, 3, 3, 2\)"):
        spec.check_tensors((1, 4, 2, 2), (4, 6, 3, 2), (6,))
    with pytest.raises(ValueError, match="bias shape"):
        spec.check_tensors((1, 4, 2, 2), (4, 3, 3, 2), None)


# ------------------------------------------------------- native constructors
def test_from_torch_crops_p_and_p_minus_output_padding():
    spec = Spec.from_torch(2, 2, 3, stride=2, padding=1, output_padding=1)
    assert spec.padding == ((1, 0), (1, 0))
    assert spec.output_shape((1, 2, 3, 3))[2:] == (6, 6)


@pytest.mark.parametrize("stride, dilation, output_padding", [(2, 1, 2), (1, 1, 1), (2, 3, 3), (3, 1, -1)])
def test_from_torch_output_padding_rule(stride, dilation, output_padding):
    with pytest.raises(ValueError, match=r"output_padding.*max\(stride, dilation\)"):
        Spec.from_torch(1, 1, 3, stride=stride, dilation=dilation, output_padding=output_padding)


def test_from_torch_negative_padding():
    with pytest.raises(ValueError, match="padding=-1: PyTorch requires padding >= 0"):
        Spec.from_torch(1, 1, 3, padding=-1)


def test_from_tensorflow_same_and_valid():
    # I=3, K=3, S=2: L = 7. SAME with O = 6 crops (0, 1); VALID with O = 8 appends one row.
    assert Spec.from_tensorflow(1, 1, 3, (3, 3), (6, 6), 2, "SAME").padding == ((0, 1), (0, 1))
    assert Spec.from_tensorflow(1, 1, 3, (3, 3), (8, 7), 2, "VALID").padding == ((0, -1), (0, 0))
    explicit = [[0, 0], [1, 1], [2, 0], [0, 0]]
    assert Spec.from_tensorflow(1, 1, 3, (3, 3), (6, 5), 2, explicit).padding == ((1, 0), (2, 0))


@pytest.mark.parametrize("padding, output, bounds", [
    ("SAME", 7, "[5, 6]"), ("SAME", 4, "[5, 6]"), ("VALID", 6, "[7, 8]"), ("VALID", 9, "[7, 8]"),
])
def test_from_tensorflow_inconsistent_output_shape(padding, output, bounds):
    with pytest.raises(ValueError, match=rf"output_size.*{padding}.*must be in \{bounds}, got {output}"):
        Spec.from_tensorflow(1, 1, 3, (3, 3), (output, output), 2, padding)


def test_from_keras_same_is_not_torch_padding_1():
    # the classic one-pixel shift: Keras/TF 'same' crops (0, 1), PyTorch p=1, op=1 crops (1, 0)
    assert Spec.from_keras(1, 1, 3, 2, "same").padding == ((0, 1), (0, 1))
    assert Spec.from_torch(1, 1, 3, 2, 1, 1).padding == ((1, 0), (1, 0))


def test_from_keras_rules():
    with pytest.raises(ValueError, match="strides > 1 together with dilation_rate > 1"):
        Spec.from_keras(1, 1, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="output_padding.*< strides"):
        Spec.from_keras(1, 1, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="'valid' or 'same'"):
        Spec.from_keras(1, 1, 3, padding="full")


def test_from_jax_modes():
    # k=3, s=2: SAME pads (2, 1) so crops (0, 1), like TF; VALID crops nothing
    assert Spec.from_jax(1, 1, 3, 2, "SAME").padding == ((0, 1), (0, 1))
    assert Spec.from_jax(1, 1, 3, 2, "VALID").padding == ((0, 0), (0, 0))
    assert Spec.from_jax(1, 1, 1, 3, "VALID").padding == ((0, -2), (0, -2))  # S > K appends
    assert Spec.from_jax(1, 1, 3, 1, ((2, 1), (0, 3))).padding == ((0, 1), (2, -1))
    with pytest.raises(ValueError, match="two \\(lo, hi\\) pairs"):
        Spec.from_jax(1, 1, (3, 3), 1, ((1, 1),))
    assert Spec.from_jax(1, 1, 3, 1, ((2, 1),)).padding == ((0, 1),)   # one pair: one axis


def test_round_trip_through_dict():
    spec = Spec(4, 6, (3, 2), (2, 1), ((1, -1), (0, 2)), (1, 3), 2, False)
    assert Spec.from_dict(spec.to_dict()) == spec


def test_from_torch_output_size_replaces_output_padding_within_its_range():
    # input 4, kernel 3, stride 2, padding 1: m = 7, sizes 7 and 8
    for size, output_padding in ((7, 0), (8, 1)):
        assert (Spec.from_torch(1, 1, 3, 2, 1, output_size=(size, size), input_size=(4, 4))
                == Spec.from_torch(1, 1, 3, 2, 1, output_padding))
    assert Spec.from_torch(1, 1, 3, 2, 1, output_size=(2, 1, 8, 7), input_size=4).padding == ((1, 0), (1, 1))
    for bad in ((6, 7), (7, 9)):
        with pytest.raises(ValueError, match=r"output_size=.*\[m, m \+ stride - 1\].*from \[7, 7\] to \[8, 8\]"):
            Spec.from_torch(1, 1, 3, 2, 1, output_size=bad, input_size=(4, 4))
    with pytest.raises(ValueError, match="output_size=.*2 ints"):
        Spec.from_torch(1, 1, 3, 2, 1, output_size=(1, 7, 7), input_size=(4, 4))


def test_from_keras_ops_allows_strides_with_dilation_and_from_jax_consistent_padding():
    with pytest.raises(ValueError, match="strides > 1 together with dilation_rate > 1"):
        Spec.from_keras(1, 1, 3, 2, dilation_rate=2)
    assert Spec.from_keras(1, 1, 3, 2, dilation_rate=2, entry="ops").dilation == (2, 2)
    with pytest.raises(ValueError, match="entry='model': must be 'layer' or 'ops'"):
        Spec.from_keras(1, 1, 3, entry="model")
    # consistent padding: the pairs are the crops, as PyTorch's padding
    assert Spec.from_jax(1, 1, 3, 2, ((1, 2), (0, -1)), use_consistent_padding=True).padding == ((1, 2), (0, -1))
    assert Spec.from_jax(1, 1, 3, 2, ((1, 2), (0, -1))).padding == ((1, 0), (2, 3))


def test_from_onnx_pads_auto_pad_and_output_shape():
    """The ConvTranspose spec's formulas, on the cases probed in both runtimes."""
    def onnx(**kw):
        return Spec.from_onnx(1, 1, (3, 3), (3, 3), (2, 2), **kw).padding[0]

    assert onnx(pads=[1, 0, 2, 0], output_padding=(1, 0)) == (1, 1)     # (begin, end - op)
    assert onnx(pads=[-1, 0, 0, 0]) == (-1, 0)                          # a negative pad appends
    assert onnx(auto_pad="VALID", output_padding=(1, 0)) == (0, -1)
    # SAME: output I·S = 6 of L = 7, the odd pad at the end (UPPER) or the beginning (LOWER)
    assert onnx(auto_pad="SAME_UPPER") == (0, 1) and onnx(auto_pad="SAME_LOWER") == (1, 0)
    assert onnx(auto_pad="SAME_UPPER", output_padding=(1, 0)) == (1, 0)   # op enters the total
    # output_shape: pads ignored, the odd one first unless SAME_UPPER
    assert onnx(output_shape=(6, 7)) == (1, 0) and onnx(output_shape=(6, 7), auto_pad="SAME_UPPER") == (0, 1)
    assert onnx(output_shape=(7, 7), output_padding=(1, 0)) == (1, -1)
    assert onnx(output_shape=(8, 7)) == (0, -1)                         # t = -1, floor halves
    # a negative SAME total (stride above the kernel span): the extension split by floor halves
    assert Spec.from_onnx(1, 1, 1, (3, 3), (2, 2), auto_pad="SAME_UPPER").padding[0] == (-1, 0)
    assert Spec.from_onnx(1, 1, 1, (3, 3), (2, 2), auto_pad="SAME_LOWER").padding[0] == (0, -1)


@pytest.mark.parametrize("kwargs, message", [
    (dict(auto_pad="SAME"), "auto_pad='SAME': must be NOTSET, SAME_UPPER, SAME_LOWER or VALID"),
    (dict(auto_pad="SAME_UPPER", pads=[1, 1, 1, 1]), "pads cannot be used together with auto_pad"),
    (dict(pads=[1, 1]), r"pads=\[1, 1\]: must be 4 ints"),
    (dict(output_padding=(2, 0)), r"output_padding=\[2, 0\].*max\(stride, dilation\) = max\(2, 1\)"),
    (dict(output_shape=(0, 6)), r"output_shape=\(0, 6\): every entry must be >= 1"),
])
def test_from_onnx_refuses_by_rule(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Spec.from_onnx(1, 1, (3, 3), (3, 3), (2, 2), **kwargs)
    # output_padding below the dilation is the spec's (and PyTorch's) reading
    assert Spec.from_onnx(1, 1, 3, (3, 3), (1, 1), output_padding=(1, 0), dilations=(2, 1)).padding[0] == (0, -1)


# ------------------------------------------- the constructors' defaults and refusals
def test_each_constructor_has_its_frameworks_bias_default():
    """PyTorch's and Keras's layers have a bias by default; TF's and JAX's
    calls take none (a bias is added after only if asked), nor does an ONNX
    node without its optional B input."""
    import inspect

    defaults = {name: inspect.signature(getattr(Spec, f"from_{name}")).parameters
                for name in ("torch", "keras", "tensorflow", "jax", "onnx")}
    assert defaults["torch"]["bias"].default is True and defaults["keras"]["use_bias"].default is True
    assert all(defaults[name]["bias"].default is False for name in ("tensorflow", "jax", "onnx"))
    assert Spec.from_torch(2, 3, 3).bias and Spec.from_keras(2, 3, 3).bias
    assert not Spec.from_jax(2, 3, 3).bias and not Spec.from_onnx(2, 3, 3, (4, 4)).bias
    assert not Spec.from_tensorflow(2, 3, 3, (4, 4), (6, 6)).bias


@pytest.mark.parametrize("build, message", [
    (lambda: Spec.from_torch(3, 3, 3, padding_mode="reflect"),
     "padding_mode='reflect': ConvTranspose2d supports only 'zeros'"),
    (lambda: Spec.from_keras(3, 3, 3, activation="relu"), "activation='relu'"),
    (lambda: Spec.from_keras(3, 3, 3, data_format="NCHW"), "data_format='NCHW': must be 'channels_last'"),
    (lambda: Spec.from_tensorflow(2, 3, 3, (4, 4), (6, 6), data_format="NCWH"),
     "data_format='NCWH': must be one of NWC, NCW, NHWC, NCHW, NDHWC, NCDHW"),
    (lambda: Spec.from_tensorflow(2, 3, 3, (4, 4), (6, 6), padding=[[0, 0], [1, 1], [0, 0], [0, 0]],
                                  data_format="NCHW"), "[[0,0],[0,0],[top,bottom],[left,right]] (NCHW)"),
    (lambda: Spec.from_jax(2, 3, 3, transpose_kernel=False), "transpose_kernel=False"),
])
def test_a_parameter_the_contract_does_not_take_is_a_value_error_naming_it(build, message):
    with pytest.raises(ValueError) as refused:
        build()
    assert message in str(refused.value)


def test_tensorflows_explicit_pairs_follow_its_data_format():
    nhwc = Spec.from_tensorflow(2, 3, 3, (4, 4), (8, 7), 2, [[0, 0], [1, 0], [0, 2], [0, 0]])
    nchw = Spec.from_tensorflow(2, 3, 3, (4, 4), (8, 7), 2, [[0, 0], [0, 0], [1, 0], [0, 2]],
                                data_format="NCHW")
    assert nhwc == nchw and nhwc.padding[0][0] == 1 and nhwc.padding[1][0] == 0
