"""A corpus of real 2-D transposed-convolution layers, for trying the translator
(`convt-suite translate`) the way a new user would.

Every entry is transcribed from a framework's OWN test suite: the parameter
values are those the test wrote (strides, padding, output_padding, dilation,
groups, data_format, output_size / output_shape, ...), put into the
translator's source syntax for that language.  Weights are written as their
shapes, tensors as names, and `input` is the spatial size "HxW" of the
test's input tensor.  `channels` is the input channel count, given for
keras only (None elsewhere).

Entries whose test asserts that the framework REJECTS the layer are marked
"(expects error)" in `origin`; a refusal by the translator is right there.
Where such a test builds the layer without an input, the input size (and for
keras the channel count) is an assumption, and `origin` says so.

Where the sources were read:
  torch      pytorch/pytorch  torch/testing/_internal/common_nn.py,
             common_methods_invocations.py, common_modules.py (line numbers
             from the torch 2.13 wheel), test/nn/test_convolution.py
  keras      keras-team/keras keras/src/layers/convolutional/conv_transpose_test.py
  tensorflow tensorflow/tensorflow tensorflow/python/kernel_tests/nn_ops/
             conv2d_transpose_test.py, cudnn_deterministic_base.py,
             tensorflow/python/ops/nn_test.py
  jax        jax-ml/jax tests/lax_test.py, tests/stax_test.py
  onnx       onnx/onnx onnx/backend/test/case/node/convtranspose.py,
             tests/python/shape_inference_test.py,
             tests/python/reference_evaluator_test.py

The parametrised tests (JAX's sample_product, keras' parameters) are sampled:
each entry is one combination the test's product really produces.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Layer:
    language: str          # "torch", "keras", "tensorflow", "jax" or "onnx"
    call: str              # the layer in the translator's source syntax
    input: str             # spatial size of the test's input, "HxW"
    channels: int | None   # input channels (keras only)
    origin: str            # "repo path::test name"


_NN = "pytorch/pytorch torch/testing/_internal/common_nn.py"
_OPINFO = "pytorch/pytorch torch/testing/_internal/common_methods_invocations.py"
_MODINFO = "pytorch/pytorch torch/testing/_internal/common_modules.py"
_CONV = "pytorch/pytorch test/nn/test_convolution.py"
_KERAS = "keras-team/keras keras/src/layers/convolutional/conv_transpose_test.py"
_TF = "tensorflow/tensorflow tensorflow/python/kernel_tests/nn_ops/conv2d_transpose_test.py"
_TF_DET = "tensorflow/tensorflow tensorflow/python/kernel_tests/nn_ops/cudnn_deterministic_base.py"
_TF_NN = "tensorflow/tensorflow tensorflow/python/ops/nn_test.py"
_LAX = "jax-ml/jax tests/lax_test.py"
_STAX = "jax-ml/jax tests/stax_test.py"
_ONNX = "onnx/onnx onnx/backend/test/case/node/convtranspose.py"
_ONNX_SI = "onnx/onnx tests/python/shape_inference_test.py"
_ONNX_REF = "onnx/onnx tests/python/reference_evaluator_test.py"


LAYERS: tuple[Layer, ...] = (
    # ------------------------------------------------------------ torch
    Layer("torch", "nn.ConvTranspose2d(3, 4, 3, (3, 2), 1, (1, 1))", "7x6", None,
          f"{_NN}::new_module_tests ConvTranspose2d (L1442)"),
    Layer("torch", "nn.ConvTranspose2d(3, 4, 3, (2, 3), 1, (1, 1), 1, False, (2, 2))", "6x7", None,
          f"{_NN}::new_module_tests ConvTranspose2d_dilated (L1454)"),
    Layer("torch", "nn.ConvTranspose2d(3, 4, 3, (2, 3), 1, (1, 1), 1, False)", "6x7", None,
          f"{_NN}::new_module_tests ConvTranspose2d_no_bias (L1472)"),
    Layer("torch", "nn.ConvTranspose2d(2, 4, (2, 3), groups=2)", "4x5", None,
          f"{_NN}::new_module_tests ConvTranspose2d_groups (L1485)"),
    Layer("torch", "F.conv_transpose2d(x, (3, 3, 3, 3), b, stride=(2, 2), padding=2, "
                   "output_padding=(1, 1), groups=1)", "4x4", None,
          f"{_OPINFO}::sample_inputs_conv_transpose2d case 1 (L4025)"),
    Layer("torch", "F.conv_transpose2d(x, (2, 2, 4, 5), b, stride=(3, 2), padding=(1, 2), "
                   "output_padding=(2, 3), groups=2, dilation=(4, 4))", "4x4", None,
          f"{_OPINFO}::sample_inputs_conv_transpose2d case 2 (L4027)"),
    Layer("torch", "F.conv_transpose2d(x, (1, 1, 4, 3), b, stride=2, padding=1, "
                   "output_padding=1, groups=1, dilation=(2, 3))", "4x5", None,
          f"{_OPINFO}::sample_inputs_conv_transpose2d case 3 (L4029)"),
    Layer("torch", "F.conv_transpose2d(x, (1, 2, 3, 4), None, stride=2, padding=1, "
                   "output_padding=1, groups=1)", "4x3", None,
          f"{_OPINFO}::sample_inputs_conv_transpose2d case 4 (L4031)"),
    Layer("torch", "F.conv_transpose2d(x, (4, 1, 3, 3), None, groups=4)", "4x4", None,
          f"{_OPINFO}::sample_inputs_conv_transpose2d case 5 (L4033)"),
    Layer("torch", "F.conv_transpose2d(x, (2, 4, 3, 3), None)", "5x5", None,
          f"{_OPINFO}::sample_inputs_conv_transpose2d case 6 (L4034)"),
    Layer("torch", "nn.ConvTranspose2d(4, 5, 3)", "3x4", None,
          f"{_MODINFO}::module_inputs_torch_nn_ConvNd N=2 transposed=True (L1013)"),
    Layer("torch", "nn.ConvTranspose2d(3, 4, 3, 3, 0, 2)(x, output_size=(18, 18))", "6x6", None,
          f"{_CONV}::TestConvolutionNN.test_ConvTranspose2d_output_size (h=w=18)"),
    Layer("torch", "nn.ConvTranspose2d(3, 4, 3, 3, 0, 2)(x, output_size=(21, 17))", "6x6", None,
          f"{_CONV}::TestConvolutionNN.test_ConvTranspose2d_output_size (h=21, w=17) (expects error)"),
    Layer("torch", "nn.ConvTranspose2d(in_channels=2, out_channels=3, kernel_size=3, stride=3, "
                   "padding=2, dilation=2)(x, output_size=[2, 3, 14, 15])", "5x5", None,
          f"{_CONV}::TestConvolutionNN.test_ConvTranspose2d_output_size_downsample_upsample "
          "(h=14, w=15, k=3, d=2, s=3, p=2; output_size=i.shape, the full 4-D shape)"),
    Layer("torch", "nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1)", "16x16", None,
          f"{_CONV}::TestConvolutionNN.test_ConvTranspose2d_half_cublas_gemm"),
    Layer("torch", "F.conv_transpose2d(x, (2, 2, 1, 1), b, stride=1, padding=0, dilation=2)", "4x4", None,
          f"{_CONV}::TestConvolutionNN.test_thnn_conv_strided_padded_dilated (stride=1, padding=0, dilation=2)"),
    Layer("torch", "nn.ConvTranspose2d(3, 3, 3, padding_mode='reflect')", "5x5", None,
          f"{_CONV}::TestConvolutionNN.test_conv_padding_mode (expects error; no input in test, 5x5 assumed)"),

    # ------------------------------------------------------------ keras
    Layer("keras", "keras.layers.Conv2DTranspose(filters=5, kernel_size=2, strides=2, padding='valid', "
                   "output_padding=None, data_format='channels_last', dilation_rate=1)", "8x8", 4,
          f"{_KERAS}::ConvTransposeBasicTest.test_conv2d_transpose_basic params 1 (L355)"),
    Layer("keras", "keras.layers.Conv2DTranspose(filters=6, kernel_size=2, strides=3, padding='same', "
                   "output_padding=2, data_format='channels_last', dilation_rate=(1, 1))", "8x8", 4,
          f"{_KERAS}::ConvTransposeBasicTest.test_conv2d_transpose_basic params 2 (L366)"),
    Layer("keras", "keras.layers.Conv2DTranspose(filters=6, kernel_size=(2, 3), strides=(2, 1), "
                   "padding='valid', output_padding=None, data_format='channels_first', "
                   "dilation_rate=(1, 1))", "8x8", 4,
          f"{_KERAS}::ConvTransposeBasicTest.test_conv2d_transpose_basic params 3 (L377)"),
    Layer("keras", "keras.layers.Conv2DTranspose(filters=2, kernel_size=(7, 7), strides=(16, 16), "
                   "padding='valid', output_padding=None, data_format='channels_last', "
                   "dilation_rate=(1, 1))", "14x14", 2,
          f"{_KERAS}::ConvTransposeBasicTest.test_conv2d_transpose_basic params 4 (L388)"),
    Layer("keras", "keras.layers.Conv2DTranspose(filters=6, kernel_size=7, strides=16, padding='same', "
                   "output_padding=2, data_format='channels_last', dilation_rate=(1, 1))", "14x14", 4,
          f"{_KERAS}::ConvTransposeCorrectnessTest.test_conv2d_transpose params 2 (L710)"),
    Layer("keras", "keras.layers.Conv2DTranspose(filters=2, kernel_size=(1, 0))", "5x5", 4,
          f"{_KERAS}::ConvTransposeBasicTest.test_bad_init_args (L546) (expects error; "
          "no input in test, 5x5x4 assumed)"),
    Layer("keras", "keras.layers.Conv2DTranspose(filters=2, kernel_size=3, strides=2, output_padding=3)",
          "5x5", 4,
          f"{_KERAS}::ConvTransposeBasicTest.test_bad_init_args (L572) (expects error; "
          "no input in test, 5x5x4 assumed)"),
    Layer("keras", "keras.layers.Conv2DTranspose(filters=2, kernel_size=(2, 2), strides=2, "
                   "dilation_rate=(2, 1))", "5x5", 4,
          f"{_KERAS}::ConvTransposeBasicTest.test_bad_init_args (L597) (expects error; "
          "no input in test, 5x5x4 assumed)"),
    Layer("keras", "keras.layers.Conv2DTranspose(filters=16, kernel_size=3, strides=[1, 1], "
                   "output_padding=1)", "5x5", 4,
          f"{_KERAS}::ConvTransposeBasicTest.test_bad_init_args (L613) (expects error; "
          "no input in test, 5x5x4 assumed)"),

    # ------------------------------------------------------------ tensorflow
    Layer("tensorflow", "tf.nn.conv2d_transpose(x, (3, 3, 2, 3), [2, 6, 4, 2], strides=[1, 1, 1, 1], "
                        "padding='SAME')", "6x4", None,
          f"{_TF}::Conv2DTransposeTest.testConv2DTransposeSingleStride"),
    Layer("tensorflow", "tf.nn.conv2d_transpose(x, (3, 3, 2, 3), [2, 12, 8, 2], strides=[1, 2, 2, 1], "
                        "padding='SAME')", "6x4", None,
          f"{_TF}::Conv2DTransposeTest.testConv2DTransposeSame"),
    Layer("tensorflow", "tf.nn.conv2d_transpose(x, (3, 3, 2, 3), [2, 13, 9, 2], strides=[1, 2, 2, 1], "
                        "padding='VALID')", "6x4", None,
          f"{_TF}::Conv2DTransposeTest.testConv2DTransposeValid"),
    Layer("tensorflow", "tf.nn.conv2d_transpose(x, (3, 3, 2, 3), [2, 2, 12, 8], strides=[1, 1, 2, 2], "
                        "padding='SAME', data_format='NCHW')", "6x4", None,
          f"{_TF}::Conv2DTransposeTest.testConv2DTransposeSameNCHW"),
    Layer("tensorflow", "tf.nn.conv2d_transpose(x, (3, 3, 2, 3), [2, 2, 13, 9], strides=[1, 1, 2, 2], "
                        "padding='VALID', data_format='NCHW')", "6x4", None,
          f"{_TF}::Conv2DTransposeTest.testConv2DTransposeValidNCHW"),
    Layer("tensorflow", "tf.nn.conv2d_transpose(x, (3, 3, 5, 1), [3, 10, 5, 5], strides=[1, 1, 1, 1], "
                        "padding='SAME')", "10x5", None,
          f"{_TF}::Conv2DTransposeTest.testConv2DTransposeShapeInference"),
    Layer("tensorflow", "tf.nn.conv2d_transpose(x, (1, 1, 1, 1), output_shape=[2, -2], strides=[1])",
          "1x1", None,
          f"{_TF}::Conv2DTransposeTest.testConv2DTransposeInvalidOutputShape (expects error)"),
    Layer("tensorflow", "tf.nn.conv2d_transpose(x, (1, 1, 1, 1), output_shape=[114078056, 179835296], "
                        "strides=[10])", "2x2", None,
          f"{_TF}::Conv2DTransposeTest.testConv2DTransposeLargeOutputShape (expects error; "
          "input (2, 2, 2, 2), filters [[[[1]]]])"),
    Layer("tensorflow", "tf.nn.conv2d_transpose(x, (2, 2, 5, 3), [2, 8, 8, 5], 2)", "4x4", None,
          f"{_TF_NN}::ConvTransposeTest.test2D (conv2d_transpose_v2 call)"),
    Layer("tensorflow", "tf.nn.conv_transpose(x, (2, 2, 5, 3), [2, 8, 8, 5], 2)", "4x4", None,
          f"{_TF_NN}::ConvTransposeTest.test2D (conv_transpose call)"),
    Layer("tensorflow", "tf.nn.conv2d_transpose(x, (7, 7, 1, 3), [1, 16, 16, 1], strides=1, "
                        "padding='SAME', data_format='NHWC', dilations=[1, 2, 2, 1])", "16x16", None,
          f"{_TF_DET}::ConvolutionTest.testConvTransposeForwardWithDilations (rate=2)"),

    # ------------------------------------------------------------ jax
    Layer("jax", "jax.lax.conv_transpose(x, (3, 3, 2, 3), (1, 1), 'VALID', rhs_dilation=None, "
                 "dimension_numbers=('NHWC', 'HWIO', 'NHWC'), transpose_kernel=False, "
                 "use_consistent_padding=True)", "9x10", None,
          f"{_LAX}::LaxTest.testConvTranspose2D (L1007; b=2, i=2, j=3, k=3)"),
    Layer("jax", "jax.lax.conv_transpose(x, (4, 4, 3, 2), (2, 2), 'SAME', rhs_dilation=None, "
                 "dimension_numbers=('NHWC', 'HWIO', 'NHWC'), transpose_kernel=False, "
                 "use_consistent_padding=True)", "9x10", None,
          f"{_LAX}::LaxTest.testConvTranspose2D (L1007; b=3, i=3, j=2, k=4)"),
    Layer("jax", "jax.lax.conv_transpose(x, (5, 5, 2, 2), (1, 2), ((0, 1), (2, 0)), rhs_dilation=None, "
                 "dimension_numbers=('NHWC', 'HWIO', 'NHWC'), transpose_kernel=False, "
                 "use_consistent_padding=True)", "9x10", None,
          f"{_LAX}::LaxTest.testConvTranspose2D (L1007; b=2, i=2, j=2, k=5)"),
    Layer("jax", "jax.lax.conv_transpose(x, (3, 3, 3, 3), (3, 3), ((2, 2), (1, 2)), rhs_dilation=(2, 2), "
                 "dimension_numbers=('NHWC', 'HWIO', 'NHWC'), transpose_kernel=False, "
                 "use_consistent_padding=True)", "9x10", None,
          f"{_LAX}::LaxTest.testConvTranspose2D (L1007; b=3, i=3, j=3, k=3)"),
    Layer("jax", "jax.lax.conv_transpose(x, (3, 3, 3, 2), (2, 2), 'SAME', rhs_dilation=None, "
                 "dimension_numbers=('NHWC', 'HWIO', 'NHWC'), transpose_kernel=True, "
                 "use_consistent_padding=True)", "9x10", None,
          f"{_LAX}::LaxTest.testConvTranspose2DT (L964; b=2, i=2, j=3, k=3; rhs (k, k, j, i))"),
    Layer("jax", "jax.lax.conv_transpose(x, (4, 4, 2, 3), (1, 2), ((2, 1), (1, 1)), rhs_dilation=(2, 2), "
                 "dimension_numbers=('NHWC', 'HWIO', 'NHWC'), transpose_kernel=True, "
                 "use_consistent_padding=True)", "9x10", None,
          f"{_LAX}::LaxTest.testConvTranspose2DT (L964; b=3, i=3, j=2, k=4; rhs (k, k, j, i))"),
    Layer("jax", "jax.lax.conv_transpose(x, (5, 5, 2, 2), (3, 3), 'VALID', rhs_dilation=(2, 2), "
                 "dimension_numbers=('NHWC', 'HWIO', 'NHWC'), transpose_kernel=True, "
                 "use_consistent_padding=True)", "9x10", None,
          f"{_LAX}::LaxTest.testConvTranspose2DT (L964; b=2, i=2, j=2, k=5; rhs (k, k, j, i))"),
    Layer("jax", "jax.lax.conv_transpose(x, (3, 3, 2, 3), (2, 1), ((0, 0), (2, 2)), rhs_dilation=None, "
                 "dimension_numbers=('NHWC', 'HWIO', 'NHWC'), transpose_kernel=True, "
                 "use_consistent_padding=True)", "9x10", None,
          f"{_LAX}::LaxTest.testConvTranspose2DT (L964; b=2, i=3, j=2, k=3; rhs (k, k, j, i))"),
    Layer("jax", "jax.lax.conv_transpose(x, (2, 3, 1, 2), (2, 1), 'SAME', "
                 "dimension_numbers=('NHWC', 'HWIO', 'NHWC'))", "10x11", None,
          f"{_STAX}::StaxTest.testConvTransposeShape (L85; via stax.ConvTranspose: channels=2, "
          "filter_shape=(2, 3), strides=(2, 1), SAME)"),
    Layer("jax", "jax.lax.conv_transpose(x, (3, 3, 1, 3), (2, 2), 'VALID', "
                 "dimension_numbers=('NHWC', 'HWIO', 'NHWC'))", "10x11", None,
          f"{_STAX}::StaxTest.testConvTransposeShape (L85; via stax.ConvTranspose: channels=3, "
          "filter_shape=(3, 3), strides=(2, 2), VALID)"),

    # ------------------------------------------------------------ onnx
    Layer("onnx", "ConvTranspose((1, 2, 3, 3))", "3x3", None,
          f"{_ONNX}::export (L15) test_convtranspose"),
    Layer("onnx", "ConvTranspose((1, 2, 3, 3), strides=[3, 2], output_shape=[10, 8])", "3x3", None,
          f"{_ONNX}::export_convtranspose_attributes (L261) test_convtranspose_output_shape"),
    Layer("onnx", "ConvTranspose((1, 2, 3, 3), strides=[3, 2], output_padding=[1, 1])", "3x3", None,
          f"{_ONNX}::export_convtranspose_attributes (L266) test_convtranspose_pad"),
    Layer("onnx", "ConvTranspose((1, 2, 3, 3), strides=[3, 2], output_shape=[10, 8], kernel_shape=[3, 3], "
                  "output_padding=[1, 1])", "3x3", None,
          f"{_ONNX}::export_convtranspose_attributes (L271) test_convtranspose_kernel_shape"),
    Layer("onnx", "ConvTranspose((1, 2, 3, 3), strides=[3, 2], pads=[1, 2, 1, 2])", "3x3", None,
          f"{_ONNX}::export_convtranspose_pads (L284) test_convtranspose_pads"),
    Layer("onnx", "ConvTranspose((1, 1, 2, 2), dilations=[2, 2])", "3x3", None,
          f"{_ONNX}::export_convtranspose_dilations (L330) test_convtranspose_dilations"),
    Layer("onnx", "ConvTranspose((1, 2, 3, 3), auto_pad='SAME_UPPER', strides=[2, 2])", "3x3", None,
          f"{_ONNX}::export_convtranspose_autopad_same (L357) test_convtranspose_autopad_same"),
    Layer("onnx", "ConvTranspose((2, 1, 3, 3), group=2)", "3x3", None,
          f"{_ONNX}::export_convtranspose_group_2 (L401) test_convtranspose_group_2"),
    Layer("onnx", "ConvTranspose((48, 32, 3, 3), strides=[2, 2], pads=[1, 1, 2, 2], output_shape=[36, 36])",
          "16x16", None,
          f"{_ONNX_SI}::TestShapeInference.test_conv_transpose_with_output_shape (L6015)"),
    Layer("onnx", "ConvTranspose((48, 32, 3, 3), strides=[2, 2], pads=[1, 1, 2, 2], dilations=[3, 3])",
          "16x16", None,
          f"{_ONNX_SI}::TestShapeInference.test_conv_transpose_with_dilations (L6059)"),
    Layer("onnx", "ConvTranspose((48, 32, 3, 3), strides=[2, 2], pads=[1, 1, 2, 2], group=2, "
                  "output_shape=[36, 36])", "16x16", None,
          f"{_ONNX_SI}::TestShapeInference.test_conv_transpose_with_group_and_output_shape (L6103)"),
    Layer("onnx", "ConvTranspose((1, 1, 3, 3), B=True, auto_pad='SAME_UPPER', strides=[1, 1], "
                  "pads=[0, 1, 1, 0])", "2x2", None,
          f"{_ONNX_SI}::TestShapeInference.test_conv_transpose_with_pads_and_auto_pads (L6126) (expects error)"),
    Layer("onnx", "ConvTranspose((1, 1, 3, 3), strides=[2, 2], output_padding=[-1, 0])", "4x4", None,
          f"{_ONNX_SI}::TestShapeInference.test_conv_transpose_negative_output_padding (L2900) (expects error)"),
    Layer("onnx", "ConvTranspose((3, 1, 3, 3), B=True, dilations=[1, 1], kernel_shape=[3, 3], "
                  "output_padding=[0, 0], pads=[1, 1, 1, 1], strides=[1, 1])", "5x4", None,
          f"{_ONNX_REF}::TestReferenceEvaluator.test_conv_transpose_2d (L2411; the test's B has 4 "
          "values for 1 output channel)"),
)
