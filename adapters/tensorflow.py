"""TensorFlow: `tf.nn.conv2d_transpose`, NHWC input, (kH, kW, C_out, C_in) filter.

TF's crops depend on `output_shape` and the padding argument (see
Spec.from_tensorflow). This adapter picks, per call, the first of 'VALID',
'SAME' or explicit pads that TF reads as the spec's crops, so the common
modes are exercised as users call them. TF has no bias argument: the bias is
added with `tf.nn.bias_add`, as TF users do. Composed, and labelled so:
  - groups > 1: `conv2d_transpose` has no groups; one call per group, concatenated;
  - strides > 1 with dilations > 1: TF's CPU kernel rejects it (a recorded
    finding); the kernel is dilated with zeros and called with dilation 1;
  - a negative before-crop, or an after-crop below -(stride - 1): explicit
    pads must be >= 0, so the rest is zero-padded with `tf.pad` (before the bias).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .base import FULL, NATIVE, Adapter, CropPlan, composed_reason, find_native
from .spec import Spec


def _per_group(spec: Spec) -> Spec:
    return dataclasses.replace(
        spec, in_channels=spec.in_channels // spec.groups,
        out_channels=spec.out_channels // spec.groups, groups=1,
    )


def _dilation_rejected(spec: Spec) -> bool:
    return max(spec.stride) > 1 and max(spec.dilation) > 1


def native_padding(spec: Spec, input_size):
    """(padding argument, crops it leaves undone) for a groups=1 spec.

    Tries 'VALID', 'SAME', then explicit pads; crops TF cannot take natively
    (negative before-crops, after-crops below -(S - 1)) are left for tf.pad.
    """
    done = tuple(
        (max(before, 0), max(after, -(s - 1)))
        for (before, after), s in zip(spec.padding, spec.stride)
    )
    target = dataclasses.replace(spec, padding=done)
    try:
        _, _, oh, ow = target.output_shape((0, spec.in_channels, *input_size))
    except ValueError:  # clipping left no output (e.g. crops (3, -3) of L = 3)
        done = FULL
        target = dataclasses.replace(spec, padding=done)
        _, _, oh, ow = target.output_shape((0, spec.in_channels, *input_size))
    explicit = [[0, 0], [done[0][0], max(done[0][1], 0)], [done[1][0], max(done[1][1], 0)], [0, 0]]
    candidates = (
        (padding, lambda padding=padding: Spec.from_tensorflow(
            spec.in_channels, spec.out_channels, spec.kernel_size, input_size, (oh, ow),
            spec.stride, padding, spec.dilation, spec.bias))
        for padding in ("VALID", "SAME", explicit)
    )
    return find_native(target, candidates), (oh, ow), done


class TensorFlowAdapter(Adapter):
    name = "tensorflow"
    framework = "tensorflow"

    def _load(self):
        from convt_suite import quiet

        quiet.silence_tensorflow()
        import tensorflow as tf

        return tf

    def plan(self, spec, dtype):
        why = []
        if spec.groups > 1:
            why.append("no groups in tf.nn.conv2d_transpose: one call per group, concatenated")
        if _dilation_rejected(spec):
            why.append("TF's CPU kernel rejects strides > 1 with dilations > 1: "
                       "kernel dilated with zeros, called with dilation 1")
        if any(before < 0 or after < -(s - 1)
               for (before, after), s in zip(spec.padding, spec.stride)):
            why.append("explicit pads must be >= 0 and output_shape at most L + S - 1: "
                       "the rest zero-padded with tf.pad")
        return composed_reason(*why) if why else NATIVE

    def _forward(self, x, weight, bias, spec):
        tf = self.module
        x_nhwc = tf.transpose(tf.constant(x), (0, 2, 3, 1))
        group_spec = _per_group(spec)
        cin, cout = group_spec.in_channels, group_spec.out_channels
        outputs = []
        for g in range(spec.groups):
            # (C_in/g, C_out/g, kH, kW) -> (kH, kW, C_out/g, C_in/g)
            filters = tf.transpose(tf.constant(weight[g * cin:(g + 1) * cin]), (2, 3, 1, 0))
            outputs.append(self._one_group(x_nhwc[..., g * cin:(g + 1) * cin], filters, group_spec))
        y = outputs[0] if len(outputs) == 1 else tf.concat(outputs, axis=-1)
        if bias is not None:
            y = tf.nn.bias_add(y, tf.constant(bias))
        assert y.shape[-1] == cout * spec.groups
        return np.asarray(tf.transpose(y, (0, 3, 1, 2)).numpy())

    def _one_group(self, x_nhwc, filters, spec):
        tf = self.module
        if _dilation_rejected(spec):
            filters = self._dilate(filters, spec.dilation)
            spec = dataclasses.replace(spec, kernel_size=spec.effective_kernel, dilation=(1, 1))
        input_size = tuple(x_nhwc.shape[1:3])
        padding, (oh, ow), done = native_padding(spec, input_size)
        batch = x_nhwc.shape[0]
        y = tf.nn.conv2d_transpose(
            x_nhwc, filters, output_shape=[batch, oh, ow, spec.out_channels],
            strides=spec.stride, padding=padding, dilations=spec.dilation,
        )
        return CropPlan.between(done, spec.padding).apply(y, tf.pad, channels_last=True)

    def _dilate(self, filters, dilation):
        """Insert D - 1 zeros between kernel taps along kH and kW, with TF ops."""
        tf = self.module
        for axis, d in enumerate(dilation):
            if d == 1:
                continue
            shape = list(filters.shape)
            k = shape[axis]
            spread = tf.expand_dims(filters, axis + 1)
            widths = [[0, 0]] * spread.shape.rank
            widths[axis + 1] = [0, d - 1]
            spread = tf.pad(spread, widths)
            shape[axis] = k * d
            filters = tf.reshape(spread, shape)
            filters = tf.gather(filters, tf.range(d * (k - 1) + 1), axis=axis)
        return filters
