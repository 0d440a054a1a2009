"""A corpus of real transposed-convolution layers, 2-D (LAYERS_2D) and 1-D and
3-D (LAYERS_ND: vocoders' and volumetric U-Nets' upsamplers, and the
frameworks' own 1-D and 3-D tests), for trying the translator (`convt-suite
translate`) the way a new user would.

Every entry is transcribed from a framework's OWN test suite: the parameter
values are those the test wrote (strides, padding, output_padding, dilation,
groups, data_format, output_size / output_shape, ...), put into the
translator's source syntax for that language.  Weights are written as their
shapes, tensors as names, and `input` is the spatial size "HxW" of the
test's input tensor ("W" or "DxHxW" in 1-D and 3-D).  `channels` is the input channel count, given for
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


LAYERS_2D: tuple[Layer, ...] = (
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


# ------------------------------------------------ 1-D and 3-D
# Real 1-D and 3-D transposed-convolution layers, each transcribed from a
# source file that was opened and read (GitHub mirror/snapshot via the search
# tools, or the installed torch 2.13 wheel for torch's own test helpers).
#
# Sources read (repo, path, where):
#   Models
#     jik876/hifi-gan             models.py (Generator.__init__, L84-88 at 4769534), config_v1.json,
#                                 config_v2.json, config_v3.json
#     descriptinc/melgan-neurips  mel2wav/modules.py (Generator.__init__), mel2wav/interface.py
#                                 (MelVocoder: Generator(80, 32, 3))
#     mazzzystar/WaveGAN-pytorch  wavegan.py (Transpose1dLayer, WaveGANGenerator)
#     wolny/pytorch-3dunet        pytorch3dunet/unet3d/buildingblocks.py at 47399c8 (2023-12-04:
#                                 TransposeConvUpsampling L484 + AbstractUpsampling.forward, which calls
#                                 the ConvTranspose3d with output_size) and at HEAD (L637/L656: the
#                                 ConvTranspose3d + F.interpolate workaround); unet3d/model.py,
#                                 unet3d/utils.py (number_of_features_per_level)
#     mattmacy/vnet.pytorch       vnet.py (UpTransition, VNet.__init__)
#     MIC-DKFZ/dynamic-network-architectures  building_blocks/unet_decoder.py (UNetDecoder.__init__
#                                 L69-76), architectures/unet.py (__main__ L282-300)
#     MIC-DKFZ/nnUNet             documentation/competitions/Toothfairy2/readme.md (plans: patch_size L40,
#                                 features_per_stage L52, strides L99, conv_bias L153)
#     Project-MONAI/MONAI         monai/networks/blocks/upsample.py (UpSample), blocks/convolutions.py
#                                 (Convolution, is_transposed), layers/convutils.py, nets/unet.py
#                                 (_create_block, _get_up_layer L249-275), tests/networks/blocks/
#                                 test_upsample_block.py, tests/networks/nets/test_unet.py
#     keras-team/keras-io         examples/timeseries/timeseries_anomaly_detection.py
#   Frameworks' own tests
#     pytorch/pytorch             torch/testing/_internal/common_nn.py (get_new_module_tests),
#                                 common_methods_invocations.py (sample_inputs_conv_transpose1d/3d),
#                                 common_modules.py (module_inputs_torch_nn_ConvNd); line numbers from
#                                 the torch 2.13 wheel (same text as the GitHub copy read)
#     keras-team/keras            keras/src/layers/convolutional/conv_transpose_test.py
#     tensorflow/tensorflow       tensorflow/python/kernel_tests/nn_ops/conv1d_transpose_test.py,
#                                 conv3d_transpose_test.py, tensorflow/python/ops/nn_test.py
#                                 (ConvTransposeTest)
#     jax-ml/jax                  tests/lax_test.py (testConvTranspose1D, L1028-1063; lax_test has no
#                                 3-D conv_transpose test)
#     onnx/onnx                   onnx/backend/test/case/node/convtranspose.py (export_convtranspose_1d
#                                 L55, export_convtranspose_3d L71; shapes computed from the arrays)
#
# Not found / not used: chrisdonahue/wavegan (TF) builds its 1-D transposed conv from
# tf.layers.conv2d_transpose on (1, k) kernels, so it is 2-D and left out.

_HIFI = (
    "jik876/hifi-gan models.py::Generator.__init__ (ConvTranspose1d(upsample_initial_channel//2**i, "
    "//2**(i+1), k, u, padding=(k-u)//2))"
)
_MELGAN = "descriptinc/melgan-neurips mel2wav/modules.py::Generator.__init__"
_WAVEGAN = (
    "mazzzystar/WaveGAN-pytorch wavegan.py::WaveGANGenerator (upsample=False: Transpose1dLayer -> "
    "nn.ConvTranspose1d(in, out, 25, 4, 11, 1))"
)
_UNET3D_OLD = (
    "wolny/pytorch-3dunet pytorch3dunet/unet3d/buildingblocks.py@47399c8 TransposeConvUpsampling L484 + "
    "AbstractUpsampling.forward (output_size = encoder_features.size()[2:])"
)
_UNET3D = "wolny/pytorch-3dunet pytorch3dunet/unet3d/buildingblocks.py (HEAD) TransposeConvUpsampling.__init__ L656"
_VNET = (
    "mattmacy/vnet.pytorch vnet.py::UpTransition (nn.ConvTranspose3d(inChans, outChans // 2, "
    "kernel_size=2, stride=2))"
)
_DNA = (
    "MIC-DKFZ/dynamic-network-architectures "
    "dynamic_network_architectures/building_blocks/unet_decoder.py::UNetDecoder.__init__ L73"
)
_NNUNET = (
    "MIC-DKFZ/nnUNet documentation/competitions/Toothfairy2/readme.md (ResEncL plans: patch 160x320x320, "
    "features [32,64,128,256,320,320,320], strides [[1,1,1],[2,2,2]x5,[1,2,2]], conv_bias true)"
)
_MONAI_UP = "Project-MONAI/MONAI tests/networks/blocks/test_upsample_block.py"
_MONAI_UNET = (
    "Project-MONAI/MONAI tests/networks/nets/test_unet.py TEST_CASE_2 (spatial_dims=3, channels=(16, 32, "
    "64), strides=(2, 2), input (16, 1, 32, 24, 48)) via monai/networks/nets/unet.py::_get_up_layer L262 "
    "(Convolution is_transposed=True, up_kernel_size=3: padding=same_padding(3)=1, "
    "output_padding=stride-1)"
)
_NN_ND = "pytorch/pytorch torch/testing/_internal/common_nn.py::get_new_module_tests"
_KERAS_IO = (
    "keras-team/keras-io examples/timeseries/timeseries_anomaly_detection.py (Sequential autoencoder, "
    "TIME_STEPS=288, 1 feature; activation='relu' dropped)"
)
_TF1 = "tensorflow/tensorflow tensorflow/python/kernel_tests/nn_ops/conv1d_transpose_test.py"
_TF3 = "tensorflow/tensorflow tensorflow/python/kernel_tests/nn_ops/conv3d_transpose_test.py"
_LAX_ND = "jax-ml/jax tests/lax_test.py::LaxTest.testConvTranspose1D (L1028-1046; lhs (b, 10, i), rhs (k, i, j))"


LAYERS_ND: tuple[Layer, ...] = (
    # ================================================================ real models: torch
    Layer("torch", "ConvTranspose1d(512, 256, 16, stride=8, padding=4)", "32", None,
          f"{_HIFI} ups[0] (config_v1.json: upsample_rates [8, 8, 2, 2], upsample_kernel_sizes "
          "[16, 16, 4, 4], upsample_initial_channel 512; input = segment_size 8192 / hop_size 256 mel frames)"),
    Layer("torch", "ConvTranspose1d(128, 64, 4, stride=2, padding=1)", "2048", None,
          f"{_HIFI} ups[2] (config_v1.json; input = 32 frames after the x8, x8 upsamplers)"),
    Layer("torch", "ConvTranspose1d(128, 64, 16, stride=8, padding=4)", "32", None,
          f"{_HIFI} ups[0] (config_v2.json: upsample_initial_channel 128, rates [8, 8, 2, 2], kernels [16, 16, 4, 4])"),
    Layer("torch", "ConvTranspose1d(64, 32, 8, stride=4, padding=2)", "2048", None,
          f"{_HIFI} ups[2] (config_v3.json: upsample_rates [8, 8, 4], upsample_kernel_sizes [16, 16, 8], "
          "upsample_initial_channel 256; input = 32 frames after x8, x8)"),
    Layer("torch", "ConvTranspose1d(512, 256, kernel_size=16, stride=8, padding=4, output_padding=0)", "32", None,
          f"{_MELGAN} model[...] for r=8 (ratios [8, 8, 2, 2]; kernel_size=r*2, stride=r, padding=r//2 + r%2, "
          "output_padding=r%2; mult*ngf = 16*32 with Generator(80, 32, 3) from mel2wav/interface.py) "
          "(input size assumed)"),
    Layer("torch", "ConvTranspose1d(1024, 512, 25, 4, 11, 1)", "16", None,
          f"{_WAVEGAN} deconv_1 (16*model_size -> 8*model_size, model_size=64; "
          "input: fc1 output .view(-1, 16*64, 16))"),
    Layer("torch", "ConvTranspose1d(64, 1, 25, 4, 11, 1)", "4096", None,
          f"{_WAVEGAN} deconv_5 (model_size -> num_channels=1; input 16*4**4 = 4096)"),
    Layer("torch", "ConvTranspose3d(1024, 512, kernel_size=3, stride=2, padding=1)(x, output_size=(8, 16, 16))",
          "4x8x8", None,
          f"{_UNET3D_OLD}; ResidualUNet3D decoders[0] (f_maps=64, num_levels=5 -> [64..1024], conv_kernel_size=3, "
          "scale_factor=2) (input size assumed; output_size = the skip's size, 2x)"),
    Layer("torch", "ConvTranspose3d(128, 64, kernel_size=3, stride=2, padding=1)(x, output_size=(17, 17, 17))",
          "8x8x8", None,
          f"{_UNET3D_OLD}; ResidualUNet3D decoders[3] with an odd-sized skip (17 -> MaxPool3d(2) -> 8): "
          "torch's _output_padding refuses it, the 'ValueError: requested an output size...' that the HEAD "
          "version (buildingblocks.py L637) works around (input size assumed) (expects error)"),
    Layer("torch", "ConvTranspose3d(128, 64, kernel_size=3, stride=2, padding=1, bias=False)", "8x16x16", None,
          f"{_UNET3D}; decoder with upsample='deconv' (f_maps 128 -> 64; followed by F.interpolate to the skip's size) "
          "(input size assumed)"),
    Layer("torch", "ConvTranspose3d(256, 128, kernel_size=2, stride=2)", "4x8x8", None,
          f"{_VNET} up_tr256 = UpTransition(256, 256, 3, ...) (input size assumed)"),
    Layer("torch", "ConvTranspose3d(64, 16, kernel_size=2, stride=2)", "32x64x64", None,
          f"{_VNET} up_tr32 = UpTransition(64, 32, 1, ...) (input size assumed)"),
    Layer("torch", "ConvTranspose3d(320, 320, (1, 2, 2), (1, 2, 2), bias=True)", "5x5x5", None,
          f"{_DNA} transpconvs[0] (s=1: stride_for_transpconv = strides[-1] = [1, 2, 2]); {_NNUNET}; "
          "input 160/32 x 320/64 x 320/64"),
    Layer("torch", "ConvTranspose3d(320, 256, (2, 2, 2), (2, 2, 2), bias=True)", "10x20x20", None,
          f"{_DNA} transpconvs[2] (s=3: output_channels[-3]=320 -> [-4]=256, strides[-3]=[2, 2, 2]); {_NNUNET}"),
    Layer("torch", "ConvTranspose3d(256, 125, 2, 2, bias=False)", "16x16x16", None,
          "MIC-DKFZ/dynamic-network-architectures dynamic_network_architectures/architectures/unet.py __main__ "
          "L285-295 PlainConvUNet(4, 6, (32, 64, 125, 256, 320, 320), nn.Conv3d, 3, (1, 2, 2, 2, 2, 2), ..., "
          "conv_bias=False) on data (1, 4, 128, 128, 128): UNetDecoder transpconvs[2] (unet_decoder.py L73)"),
    Layer("torch", "ConvTranspose3d(96, 16, 3, stride=2, padding=1, output_padding=1)", "8x6x12", None,
          f"{_MONAI_UNET}: inner up layer (upc = 32 + 64 -> 16)"),
    Layer("torch", "ConvTranspose3d(32, 3, 3, stride=2, padding=1, output_padding=1)", "16x12x24", None,
          f"{_MONAI_UNET}: top up layer (upc = 16*2 -> out_channels 3)"),
    Layer("torch", "ConvTranspose1d(4, 3, 2, stride=2)", "63", None,
          f"{_MONAI_UP} TEST_CASES L25 (UpSample(spatial_dims=1, in_channels=4, out_channels=3), default "
          "mode 'deconv': kernel_size = scale_factor = 2, padding 0; expects (16, 3, 126))"),
    Layer("torch", "ConvTranspose3d(1, 1, 3, stride=3)", "10x15x20", None,
          f"{_MONAI_UP} TEST_CASES L47 (mode 'deconv', scale_factor=3; expects (16, 1, 30, 45, 60))"),
    Layer("torch", "ConvTranspose3d(8, 4, 2, stride=2, groups=4)", "16x16x16", None,
          f"{_MONAI_UP} TEST_CASES L73 (mode 'deconvgroup', in 8 -> out 4: groups = out_channels since "
          "8 % 4 == 0; expects (16, 4, 32, 32, 32))"),
    Layer("torch", "ConvTranspose3d(3, 5, 1, stride=2, output_padding=1)", "4x5x6", None,
          f"{_MONAI_UP} TEST_CASES_EQ2 loop L103-120 (s=2, k=1, mode deconv: padding (k-1)//2 = 0, "
          "output_padding s-1-(k-1)%2 = 1; expects (16, 5, 8, 10, 12))"),
    Layer("torch", "ConvTranspose3d(3, 5, 4, stride=3, padding=1, output_padding=1)", "4x5x6", None,
          f"{_MONAI_UP} TEST_CASES_EQ2 loop L103-120 (s=3, k=4, mode deconv: padding 1, output_padding 1; "
          "expects (16, 5, 12, 15, 18))"),

    # ================================================================ torch's own tests
    Layer("torch", "ConvTranspose1d(3, 4, kernel_size=3, stride=(3,), padding=1, output_padding=(1,))", "7", None,
          f"{_NN_ND} fullname='ConvTranspose1d' (L1277)"),
    Layer("torch", "ConvTranspose1d(3, 4, 3, 2, 1, 1, 1, False)", "6", None,
          f"{_NN_ND} ConvTranspose1d desc='no_bias' (L1286)"),
    Layer("torch", "ConvTranspose1d(3, 4, 3, 2, 1, 1, 1, True, 2)", "6", None,
          f"{_NN_ND} ConvTranspose1d desc='dilated' (L1298)"),
    Layer("torch", "ConvTranspose1d(4, 6, 3, stride=(3,), padding=1, output_padding=(1,), groups=2)", "7", None,
          f"{_NN_ND} fullname='ConvTranspose1d_groups' (L1311)"),
    Layer("torch", "ConvTranspose3d(2, 3, (2, 3, 2))", "4x5x4", None,
          f"{_NN_ND} module_name='ConvTranspose3d' (L1671)"),
    Layer("torch", "ConvTranspose3d(2, 3, (2, 3, 2), 1, 0, 0, 1, True, (2, 2, 2))", "4x5x4", None,
          f"{_NN_ND} ConvTranspose3d desc='dilated' (L1681)"),
    Layer("torch", "conv_transpose1d(x, (2, 2, 4), b, stride=(3,), padding=(1,), output_padding=(2,), "
                   "groups=2, dilation=(4,))", "4", None,
          f"{_OPINFO}::sample_inputs_conv_transpose1d case 2 (L3996)"),
    Layer("torch", "conv_transpose1d(x, (1, 1, 4), b, stride=2, padding=1, output_padding=1, groups=1, "
                   "dilation=(2,))", "4", None,
          f"{_OPINFO}::sample_inputs_conv_transpose1d case 3 (L3998)"),
    Layer("torch", "conv_transpose3d(x, (3, 3, 3, 3, 3), b, stride=(2, 2, 2), padding=2, "
                   "output_padding=(1, 1, 1), groups=1)", "4x4x4", None,
          f"{_OPINFO}::sample_inputs_conv_transpose3d case 1 (L4055)"),
    Layer("torch", "conv_transpose3d(x, (2, 2, 4, 5, 6), b, stride=(3, 2, 1), padding=(1, 2, 3), "
                   "output_padding=(2, 3, 1), groups=2, dilation=(4, 4, 4))", "4x4x4", None,
          f"{_OPINFO}::sample_inputs_conv_transpose3d case 2 (L4057)"),
    Layer("torch", "conv_transpose3d(x, (1, 2, 3, 4, 5), None, stride=2, padding=1, output_padding=1, groups=1)",
          "4x3x4", None,
          f"{_OPINFO}::sample_inputs_conv_transpose3d case 4 (L4061)"),
    Layer("torch", "ConvTranspose3d(4, 5, 3)", "3x4x5", None,
          f"{_MODINFO}::module_inputs_torch_nn_ConvNd N=3 transposed=True (L1013; C_in 4, C_out 5, k 3, "
          "input (2, 4, 3, 4, 5))"),

    # ================================================================ keras
    Layer("keras", "Conv1DTranspose(5, 2, strides=2, padding='valid', output_padding=None, "
                   "data_format='channels_last', dilation_rate=1)", "8", 4,
          f"{_KERAS}::ConvTransposeBasicTest.test_conv1d_transpose_basic params 1 (input (2, 8, 4) -> (2, 16, 5))"),
    Layer("keras", "Conv1DTranspose(6, 2, strides=3, padding='same', output_padding=2, "
                   "data_format='channels_last', dilation_rate=(1,))", "8", 4,
          f"{_KERAS}::ConvTransposeBasicTest.test_conv1d_transpose_basic params 2 (input (2, 8, 4) -> (2, 23, 6))"),
    Layer("keras", "Conv3DTranspose(5, 2, strides=2, padding='valid', output_padding=None, "
                   "data_format='channels_last', dilation_rate=1)", "8x8x8", 4,
          f"{_KERAS}::ConvTransposeBasicTest.test_conv3d_transpose_basic params 1 (-> (2, 16, 16, 16, 5))"),
    Layer("keras", "Conv3DTranspose(6, 2, strides=3, padding='same', output_padding=2, "
                   "data_format='channels_last', dilation_rate=(1, 1, 1))", "8x8x8", 4,
          f"{_KERAS}::ConvTransposeBasicTest.test_conv3d_transpose_basic params 2 (-> (2, 23, 23, 23, 6))"),
    Layer("keras", "Conv3DTranspose(6, (2, 2, 3), strides=(2, 1, 2), padding='valid', output_padding=None, "
                   "data_format='channels_last', dilation_rate=(1, 1, 1))", "8x8x8", 4,
          f"{_KERAS}::ConvTransposeBasicTest.test_conv3d_transpose_basic params 3 (-> (2, 16, 9, 17, 6))"),
    Layer("keras", "Conv1DTranspose(filters=2, kernel_size=3, strides=2, output_padding=2)", "8", 4,
          f"{_KERAS}::ConvTransposeBasicTest.test_bad_init_args ('`output_padding` must be strictly less than "
          "`strides`'; no input in test, 8x4 assumed) (expects error)"),
    Layer("keras", "Conv1DTranspose(filters=1, kernel_size=2, strides=1, padding='same', output_padding=None, "
                   "dilation_rate=1)", "3", 1,
          f"{_KERAS}::ConvTransposeCorrectnessTest.test_conv1d_transpose_consistency (kernel_size=2, strides=1, "
          "'same', None: input (1, 3, 1); on the torch backend output_padding is clamped with a UserWarning)"),
    Layer("keras", "Conv1DTranspose(16, 7, strides=2, padding='same')", "72", 16,
          f"{_KERAS_IO} first Conv1DTranspose (after Conv1D(32, 7, s2) and Conv1D(16, 7, s2): 288 -> 72)"),
    Layer("keras", "Conv1DTranspose(32, 7, strides=2, padding='same')", "144", 16,
          f"{_KERAS_IO} second Conv1DTranspose"),
    Layer("keras", "Conv1DTranspose(1, 7, padding='same')", "288", 32,
          f"{_KERAS_IO} last Conv1DTranspose (stride 1)"),

    # ================================================================ tensorflow
    Layer("tensorflow", "tf.nn.conv1d_transpose(x, (3, 2, 3), [2, 6, 2], [1, 1, 1], 'SAME')", "6", None,
          f"{_TF1}::Conv1DTransposeTest.testConv1DTransposeSingleStride (x_shape [2, 6, 3])"),
    Layer("tensorflow", "tf.nn.conv1d_transpose(x, (3, 2, 3), [2, 8, 2], [1, 2, 1], 'SAME')", "4", None,
          f"{_TF1}::Conv1DTransposeTest.testConv1DTransposeSame (x_shape [2, 4, 3]; also testGradient)"),
    Layer("tensorflow", "tf.nn.conv1d_transpose(x, (3, 2, 3), [2, 9, 2], [1, 2, 1], 'VALID')", "4", None,
          f"{_TF1}::Conv1DTransposeTest.testConv1DTransposeValid (x_shape [2, 4, 3])"),
    Layer("tensorflow", "tf.nn.conv1d_transpose(x, (2, 5, 3), [2, 8, 5], 2)", "4", None,
          f"{_TF_NN}::ConvTransposeTest.test1D (t [2, 4, 3], v [2, 5, 3], strides=2, default padding 'SAME')"),
    Layer("tensorflow", "tf.nn.conv3d_transpose(x, (3, 3, 3, 2, 3), [2, 5, 6, 4, 2], [1, 1, 1, 1, 1], 'SAME')",
          "5x6x4", None,
          f"{_TF3}::Conv3DTransposeTest.testConv3DTransposeSingleStride (x_shape [2, 5, 6, 4, 3])"),
    Layer("tensorflow", "tf.nn.conv3d_transpose(x, (3, 3, 3, 2, 3), [2, 10, 12, 8, 2], [1, 2, 2, 2, 1], 'SAME')",
          "5x6x4", None,
          f"{_TF3}::Conv3DTransposeTest.testConv3DTransposeSame"),
    Layer("tensorflow", "tf.nn.conv3d_transpose(x, (3, 3, 3, 2, 3), [2, 11, 13, 9, 2], [1, 2, 2, 2, 1], 'VALID')",
          "5x6x4", None,
          f"{_TF3}::Conv3DTransposeTest.testConv3DTransposeValid"),
    Layer("tensorflow", "tf.nn.conv3d_transpose(x, (3, 3, 3, 2, 2), [2, 6, 8, 6, 2], [1, 2, 2, 2, 1], 'SAME')",
          "3x4x3", None,
          f"{_TF3}::Conv3DTransposeTest.testGradient (x_shape [2, 3, 4, 3, 2])"),
    Layer("tensorflow", "tf.nn.conv3d_transpose(x, (2, 2, 2, 5, 3), [2, 8, 8, 8, 5], 2)", "4x4x4", None,
          f"{_TF_NN}::ConvTransposeTest.test3D (conv3d_transpose_v2 call; t [2, 4, 4, 4, 3], v [2, 2, 2, 5, 3])"),
    Layer("tensorflow", "tf.nn.conv_transpose(x, (2, 2, 2, 5, 3), [2, 8, 8, 8, 5], 2)", "4x4x4", None,
          f"{_TF_NN}::ConvTransposeTest.test3D (conv_transpose call)"),

    # ================================================================ jax
    Layer("jax", "lax.conv_transpose(x, (4, 3, 2), (2,), 'SAME', dimension_numbers=('NHC', 'HIO', 'NHC'), "
                 "rhs_dilation=None, transpose_kernel=False)", "10", None,
          f"{_LAX_ND} (b=2, i=3, j=2, k=4, strides (2,), SAME, rhs_dilation None)"),
    Layer("jax", "lax.conv_transpose(x, (5, 2, 3), (3,), 'VALID', dimension_numbers=('NHC', 'HIO', 'NHC'), "
                 "rhs_dilation=(2,), transpose_kernel=False)", "10", None,
          f"{_LAX_ND} (b=3, i=2, j=3, k=5, strides (3,), VALID, rhs_dilation (2,))"),
    Layer("jax", "lax.conv_transpose(x, (3, 2, 2), (1,), 'SAME', dimension_numbers=('NHC', 'HIO', 'NHC'), "
                 "rhs_dilation=(2,), transpose_kernel=False)", "10", None,
          f"{_LAX_ND} (b=2, i=2, j=2, k=3, strides (1,), SAME, rhs_dilation (2,))"),

    # ================================================================ onnx
    Layer("onnx", "ConvTranspose(W=(1, 2, 3))", "3", None,
          f"{_ONNX}::export_convtranspose_1d (L55) test_convtranspose_1d (x (1, 1, 3) -> y (1, 2, 5))"),
    Layer("onnx", "ConvTranspose(W=(1, 2, 3, 3, 3))", "3x4x5", None,
          f"{_ONNX}::export_convtranspose_3d (L71) test_convtranspose_3d (x (1, 1, 3, 4, 5) -> y (1, 2, 5, 6, 7))"),
)

LAYERS = LAYERS_2D + LAYERS_ND
