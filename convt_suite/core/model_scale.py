"""The model-scale family: transposed convolutions the size real models run.

The small sweeps (strategies.py) draw at most 8 channels on 8×8 inputs; the
frameworks pick their native kernels by shape (oneDNN by channel blocks of 16
or 32 on AVX-512, by spatial size and stride; PyTorch between oneDNN and its
own slow_conv_transpose2d), so a bug that lives in a blocked kernel never
shows there. This family has two halves:

- LAYERS: layers taken from well-known models, in each model's own words
  (`Spec.from_torch`, as their reference code writes them), at a size the
  model runs them (the image size is in the name), fixed: the same every run,
  named in the report;
- draw_model_case: the rest, drawn: channels per group on both sides of the
  kernels' block boundaries, depthwise and grouped layers, inputs up to
  64×64, kernels up to 16 with strides up to 8, the FCN heads, batches up to 8.

Every case is bounded in cost (MAX_PRODUCTS): the main job checks it on every
adapter in every dtype, forward and gradients, and the float64 oracle and the
slow float16 kernels pay for every product.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hypothesis import strategies as st

from convt_suite.adapters.spec import Spec
from convt_suite.core.cases import Case

MODEL_SCALE = "model scale"   # the family's name: records' `scale`, the database's family

# channel counts per group on both sides of the block sizes native kernels
# use (8 for AVX2, 16 for AVX-512 float32, 32 for bfloat16 and AMX pairs)
BLOCK_CHANNELS = (1, 3, 8, 15, 16, 17, 31, 32, 33, 64, 65, 128, 256, 512)
MAX_SIZE = 64
MAX_KERNEL = 16
MAX_STRIDE = 8
MAX_BATCH = 8
# the most multiply-adds a drawn case may cost (N·H·W·C_in·C_out/g·kH·kW),
# about 10 ms of a float32 kernel here and under a second of the slowest
# float16 one; the named layers go to 2^30
MAX_PRODUCTS = 2 ** 22


@dataclass(frozen=True)
class ModelLayer:
    """One layer of a well-known model, as its reference code writes it."""

    name: str        # "model: layer (at the size it runs)"
    source: str      # where the layer is written (paper and reference code)
    case: Case

    @property
    def products(self) -> int:
        return products(self.case)


def products(case: Case) -> int:
    """Multiply-adds of the uncropped transposed convolution."""
    spec = case.spec
    return (math.prod(case.input_shape[:1] + case.input_shape[2:]) * spec.in_channels
            * (spec.out_channels // spec.groups) * math.prod(spec.kernel_size))


def _layer(name: str, source: str, input_shape, seed: int, **torch_words) -> ModelLayer:
    spec = Spec.from_torch(in_channels=input_shape[1], **torch_words)
    return ModelLayer(name, source, Case(spec, tuple(input_shape), seed))


DCGAN = "Radford et al. 2016; github.com/pytorch/examples dcgan/main.py (nz=100, ngf=64)"
PIX2PIX = ("Isola et al. 2017; github.com/junyanz/pytorch-CycleGAN-and-pix2pix models/networks.py "
           "UnetSkipConnectionBlock (ngf=64)")
CYCLEGAN = ("Zhu et al. 2017; github.com/junyanz/pytorch-CycleGAN-and-pix2pix models/networks.py "
            "ResnetGenerator (ngf=64, instance norm: bias on)")
FCN = ("Long et al. 2015; github.com/shelhamer/fcn.berkeleyvision.org voc-fcn8s and voc-fcn32s "
       "net.py (Deconvolution, bias_term false)")
UNET = "Ronneberger et al. 2015; github.com/milesial/Pytorch-UNet unet/unet_parts.py Up (bilinear=False)"
POSE = ("Xiao et al. 2018 (Simple Baselines); github.com/microsoft/human-pose-estimation.pytorch "
        "lib/models/pose_resnet.py _make_deconv_layer (ResNet-50, 256x192 input)")
CENTERNET = ("Zhou et al. 2019; github.com/xingyizhou/CenterNet src/lib/models/networks/dla_dcn.py "
             "IDAUp: depthwise ConvTranspose2d(o, o, 2f, stride=f, padding=f//2, groups=o)")
STYLEGAN2 = ("Karras et al. 2020; github.com/NVlabs/stylegan2-ada-pytorch torch_utils/ops/"
             "conv2d_resample.py: modulated 3x3 up-sampling as conv_transpose2d(stride=2, groups=batch)")
FSRCNN = ("Dong et al. 2016; github.com/yjn870/FSRCNN-pytorch models.py: ConvTranspose2d(d, 1, 9, "
          "stride=scale, padding=4, output_padding=scale-1)")

LAYERS = (
    _layer("DCGAN generator: layer 1, z to 4x4 (batch 8)", DCGAN, (8, 100, 1, 1), 101,
           out_channels=512, kernel_size=4, stride=1, padding=0, bias=False),
    _layer("DCGAN generator: layer 2, 4x4 to 8x8", DCGAN, (1, 512, 4, 4), 102,
           out_channels=256, kernel_size=4, stride=2, padding=1, bias=False),
    _layer("DCGAN generator: layer 4, 16x16 to 32x32", DCGAN, (1, 128, 16, 16), 103,
           out_channels=64, kernel_size=4, stride=2, padding=1, bias=False),
    _layer("DCGAN generator: layer 5, to the 64x64 RGB image", DCGAN, (1, 64, 32, 32), 104,
           out_channels=3, kernel_size=4, stride=2, padding=1, bias=False),
    _layer("pix2pix U-Net: innermost up, 1x1 to 2x2 (256x256 image)", PIX2PIX, (1, 512, 1, 1), 105,
           out_channels=512, kernel_size=4, stride=2, padding=1, bias=False),
    _layer("pix2pix U-Net: up 1024 to 256, 16x16 to 32x32 (256x256 image)", PIX2PIX, (1, 1024, 16, 16),
           106, out_channels=256, kernel_size=4, stride=2, padding=1, bias=False),
    _layer("pix2pix U-Net: outermost up, 128x128 to the 256x256 RGB image", PIX2PIX,
           (1, 128, 128, 128), 107, out_channels=3, kernel_size=4, stride=2, padding=1, bias=True),
    _layer("CycleGAN ResNet generator: up 256 to 128, 32x32 to 64x64 (128x128 image)", CYCLEGAN,
           (1, 256, 32, 32), 108, out_channels=128, kernel_size=3, stride=2, padding=1,
           output_padding=1, bias=True),
    _layer("FCN-32s: upscore k64 s32, 7x7 to 256x256 (224x224 image)", FCN, (1, 21, 7, 7), 109,
           out_channels=21, kernel_size=64, stride=32, bias=False),
    _layer("FCN-8s: upscore8 k16 s8, 28x28 to 232x232 (224x224 image)", FCN, (1, 21, 28, 28), 110,
           out_channels=21, kernel_size=16, stride=8, bias=False),
    _layer("FCN-8s: upscore2 k4 s2, 7x7 to 16x16 (224x224 image)", FCN, (1, 21, 7, 7), 111,
           out_channels=21, kernel_size=4, stride=2, bias=False),
    _layer("U-Net: up-conv 1024 to 512, k2 s2, 16x16 to 32x32 (256x256 image)", UNET,
           (1, 1024, 16, 16), 112, out_channels=512, kernel_size=2, stride=2, bias=True),
    _layer("Simple Baselines pose: deconv 1, 2048 to 256, 8x6 to 16x12", POSE, (1, 2048, 8, 6), 113,
           out_channels=256, kernel_size=4, stride=2, padding=1, bias=False),
    _layer("CenterNet DLA-34 IDAUp: depthwise k4 s2, 64 channels, 64x64 to 128x128 (512x512 image)",
           CENTERNET, (1, 64, 64, 64), 114, out_channels=64, kernel_size=4, stride=2, padding=1,
           groups=64, bias=False),
    _layer("CenterNet DLA-34 IDAUp: depthwise k8 s4, 128 channels, 32x32 to 128x128", CENTERNET,
           (1, 128, 32, 32), 115, out_channels=128, kernel_size=8, stride=4, padding=2,
           groups=128, bias=False),
    _layer("StyleGAN2: modulated up-sampling 3x3, 512 channels, batch 2 as groups, 8x8", STYLEGAN2,
           (1, 1024, 8, 8), 116, out_channels=1024, kernel_size=3, stride=2, groups=2, bias=False),
    _layer("FSRCNN x3: deconv k9, 56 to 1 channel, 64x64 to 192x192", FSRCNN, (1, 56, 64, 64), 117,
           out_channels=1, kernel_size=9, stride=3, padding=4, output_padding=2, bias=True),
)
LAYER_NAMES = {layer.case: layer.name for layer in LAYERS}

# the FCN heads, drawn as such (their kernel and stride are past the drawn ranges' typical values)
HEADS = ((16, 8), (64, 32))


def _channels(data, label: str) -> int:
    """A channel count per group: two in three at a block boundary
    (BLOCK_CHANNELS), the rest anywhere up to 512 (hypothesis's one_of would
    pick the boundaries in about one draw in fifteen)."""
    if data.draw(st.sampled_from((True, True, False)), label=f"{label}_at_boundary"):
        return data.draw(st.sampled_from(BLOCK_CHANNELS), label=label)
    return data.draw(st.integers(1, 512), label=label)


def draw_model_case(data, boundaries: bool = True) -> Case:
    """A model-scale case: kernel up to 16 and stride up to 8 per axis (or
    an FCN head), padding as PyTorch writes it; channels per group from
    BLOCK_CHANNELS (or any count up to 512), groups 1, 2, 4, 8, 32 or
    depthwise; batch up to 8; the input up to 64×64. Channels, batch and
    size are capped to keep the case within MAX_PRODUCTS (a cap, not a
    filter: no draw is thrown away, and shrinking stays within it)."""
    head = data.draw(st.sampled_from((None, None, None, *HEADS)), label="fcn_head")
    axes = []
    for axis in "hw":
        if head is not None:
            kernel, stride = head
        else:
            kernel = data.draw(st.integers(1, MAX_KERNEL), label=f"kernel_{axis}")
            stride = data.draw(st.integers(1, MAX_STRIDE), label=f"stride_{axis}")
        # PyTorch's words: padding up to (k - 1) // 2 keeps the output length
        # (I - 1)·S - 2p + K + op at least 1 whatever the input size
        padding = data.draw(st.integers(0, (kernel - 1) // 2), label=f"padding_{axis}")
        output_padding = data.draw(st.integers(0, stride - 1), label=f"output_padding_{axis}")
        axes.append((kernel, stride, padding, output_padding))
    taps = axes[0][0] * axes[1][0]
    # channel-heavy cases (the block boundaries) or spatial-heavy ones (up to
    # 64x64): whichever is drawn first, the other is capped to fit the cost
    spatial_first = data.draw(st.booleans(), label="spatial_first")
    widest = max(1, min(MAX_SIZE, math.isqrt(MAX_PRODUCTS // taps)))   # an FCN-32s head: 32
    h = data.draw(st.integers(1, widest), label="input_h") if spatial_first else 1
    w = data.draw(st.integers(1, widest), label="input_w") if spatial_first else 1
    budget = max(1, MAX_PRODUCTS // (taps * h * w))   # channel products left: at least 1
    layout = data.draw(st.sampled_from(["dense", "grouped", "depthwise"]), label="groups_layout")
    if layout == "depthwise":
        groups = data.draw(st.sampled_from(BLOCK_CHANNELS[1:]), label="groups")
        per_group_in, per_group_out = 1, data.draw(st.sampled_from((1, 1, 2)), label="depth_multiplier")
    else:
        groups = 1 if layout == "dense" else data.draw(st.sampled_from((2, 4, 8, 32)), label="groups")
        per_group_in = _channels(data, "in_channels_per_group")
        per_group_out = _channels(data, "out_channels_per_group")
    # within the cap: the output channels give way first, then the input's, then the groups
    groups = min(groups, budget)
    per_group_out = min(per_group_out, max(1, budget // (groups * per_group_in)))
    per_group_in = min(per_group_in, max(1, budget // (groups * per_group_out)))
    per_pixel = groups * per_group_in * per_group_out * taps
    batch = data.draw(st.integers(1, max(1, min(MAX_BATCH, MAX_PRODUCTS // (per_pixel * h * w)))),
                      label="batch")
    if not spatial_first:
        largest = max(1, min(MAX_SIZE, math.isqrt(MAX_PRODUCTS // (batch * per_pixel))))
        h = data.draw(st.integers(1, largest), label="input_h")
        w = data.draw(st.integers(1, largest), label="input_w")
    bias = data.draw(st.booleans(), label="bias")
    spec = Spec.from_torch(
        groups * per_group_in, groups * per_group_out, tuple(a[0] for a in axes),
        stride=tuple(a[1] for a in axes), padding=tuple(a[2] for a in axes),
        output_padding=tuple(a[3] for a in axes), groups=groups, bias=bias)
    seed = data.draw(st.integers(0, 2 ** 32 - 1), label="seed")
    return Case(spec, (batch, spec.in_channels, h, w), seed)
