"""The frameworks' own test references, checked as adapters.

Frameworks test their transposed convolutions against references of their
own, and two ship in the installed packages:

- "keras-test-reference": Keras's `np_conv2d_transpose`, the NumPy loop its
  layer tests compare Conv2DTranspose with (keras/src/layers/convolutional/
  conv_transpose_test.py), called in Keras's words ('valid' | 'same',
  output_padding, channels_first);
- "torch-opinfo-reference": PyTorch's OpInfo reference for conv_transpose2d,
  `conv_transpose_ref` (torch/testing/_internal/common_methods_invocations.py:
  the adjoint, torch.nn.grad.conv2d_input), called in PyTorch's words.

A reference wrong outside the ranges its own tests draw means those tests
cannot see the framework there; each such case is a known finding. Neither
has gradients, groups (Keras's) or crops beyond its words: what they lack is
composed as the framework adapters compose it (one call per group; the full
output cropped with NumPy), and labelled so. float32 and float64 only: the
references are run on their tests' dtypes.
"""

from __future__ import annotations

import numpy as np

from .base import Adapter, CropPlan, Decline, Plan
from .keras import call_plan as keras_call_plan
from .keras import native_params as keras_params
from .spec import Spec
from .torch import call_plan as torch_plan


class TestReference(Adapter):
    """What both references share: NumPy in and out, forward only, their
    tests' dtypes, and a composed crop done with NumPy after the call."""

    __test__ = False   # a name pytest would otherwise collect
    dtypes = ("float64", "float32")

    def _evaluate(self, compute, x, weight, bias):
        return compute(x, weight, bias)

    def vjp(self, x, weight, bias, spec, grad_out):
        raise Decline("a test reference computes the forward pass only")

    @staticmethod
    def finished(y, plan: Plan, spec: Spec, bias):
        """The call's output, cropped to the spec where the plan composed it, then the bias."""
        if not plan.native:
            y = CropPlan.between(plan.call_crops, spec.padding).apply(y, np.pad, channels_last=False)
            if bias is not None:
                y = y + bias[None, :, None, None]
        return y


class KerasTestReferenceAdapter(TestReference):
    name = "keras-test-reference"
    framework = "keras"
    # a Python loop over every input position: as slow as onnx's reference evaluator at model scale
    model_scale_share = 32
    model_scale_share_reason = ("np_conv2d_transpose loops in Python over every input position: "
                                "seconds a model-scale layer")

    def _supports(self, spec, dtype):
        if max(spec.stride) > 1 and max(spec.dilation) > 1:
            return ("Keras's reference is called in Keras's words, and Keras rejects strides > 1 "
                    "together with dilation_rate > 1")
        return None

    def _load(self):
        from keras.src.layers.convolutional import conv_transpose_test

        return conv_transpose_test

    def plan(self, spec, dtype):
        group = spec.per_group()
        params = keras_params(group)
        why = ["Keras's reference has no groups: one call per group, concatenated" if spec.groups > 1 else ""]
        if params is None:
            why.append("no ('valid'|'same', output_padding) gives these crops: the full output "
                       "('valid', output_padding 0) cropped and padded with NumPy, then the bias")
            params = ("valid", (0, 0))
        return keras_call_plan(spec, params, *why)

    def _compute(self, x, weight, bias, spec):
        plan = self.plan(spec, x.dtype.name)
        group = spec.per_group()
        cin, cout = group.in_channels, group.out_channels
        outputs = []
        for g in range(spec.groups):
            kernel = weight[g * cin:(g + 1) * cin].transpose(2, 3, 1, 0)   # Keras's (kH, kW, C_out, C_in)
            part_bias = bias[g * cout:(g + 1) * cout] if bias is not None and plan.native else 0.0
            outputs.append(self.module.np_conv2d_transpose(
                x[:, g * cin:(g + 1) * cin], kernel, part_bias, spec.stride, plan.call["padding"],
                plan.call["output_padding"], "channels_first", spec.dilation))
        return self.finished(np.concatenate(outputs, axis=1), plan, spec, bias).astype(x.dtype)


class TorchOpInfoReferenceAdapter(TestReference):
    name = "torch-opinfo-reference"
    framework = "torch"

    def _load(self):
        import torch
        from torch.testing._internal.common_methods_invocations import conv_transpose_ref

        self.conv_transpose2d = torch.nn.functional.conv_transpose2d
        return conv_transpose_ref

    def needs(self):
        return ("torch", "expecttest")   # torch.testing._internal imports it

    def plan(self, spec, dtype):
        return torch_plan(spec, "NumPy")

    def _compute(self, x, weight, bias, spec):
        plan = self.plan(spec, x.dtype.name)
        y = self.module(x, weight, bias if plan.native else None, stride=spec.stride,
                        padding=tuple(plan.call["padding"]), output_padding=tuple(plan.call["output_padding"]),
                        dilation=spec.dilation, groups=spec.groups, fn=self.conv_transpose2d).numpy()
        return self.finished(y, plan, spec, bias).astype(x.dtype)
