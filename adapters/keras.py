"""Keras 3: `keras.layers.Conv2DTranspose` built with the given weights
(`Conv1DTranspose` and `Conv3DTranspose` in the other ranks; the native
sweeps' calls are 2-D).

Keras defines the layer through its JAX conversion (Spec.from_keras); each
Keras backend is its own implementation of that definition, so the adapter is
named after the backend it runs on: "keras[tensorflow]", "keras[jax]",
"keras[torch]". A process holds one Keras backend (KERAS_BACKEND, read when
keras is first imported); run the others in their own processes.

The adapter uses the first ('valid' | 'same', output_padding) whose meaning
equals the spec. What the layer cannot express is composed from Keras ops and
labelled so: groups (the layer has none: one layer per group, concatenated)
and other crops (the full output, sliced and padded with keras.ops.pad, then
the bias). Strides > 1 with dilation > 1 are declined: the layer rejects them.
"""

from __future__ import annotations

import functools
import itertools
import os
import sys
import tempfile

import numpy as np

from convt_suite.host import env

from .base import (
    Adapter,
    CropPlan,
    Decline,
    Plan,
    channels_first,
    channels_last,
    contract_array,
    find_native,
    kernel_last,
)
from .spec import Spec


def _process_backend() -> str:
    if "keras" in sys.modules:
        return sys.modules["keras"].backend.backend()
    return env.KERAS_BACKEND.get("tensorflow")


def native_params(spec: Spec, zero_output_padding: bool = True, avoid=None):
    """(padding, output_padding) the layer reads as a groups=1 spec's crops
    (without an output_padding of 0 where the installed Keras refuses it, nor
    one that `avoid` rules out)."""
    output_paddings = [None] + [op for op in itertools.product(*(range(s) for s in spec.stride))
                                if zero_output_padding or 0 not in op]
    candidates = (
        ((mode, op), lambda mode=mode, op=op: Spec.from_keras(
            spec.in_channels, spec.out_channels, spec.kernel_size, spec.stride, mode, op,
            spec.dilation, spec.bias))
        for mode in ("valid", "same")
        for op in output_paddings
    )
    return find_native(spec, candidates, avoid)



def call_plan(spec: Spec, params, *why: str) -> Plan:
    """The plan of a call in Keras's words, params = (padding, output_padding)
    for one group, with why it is composed (the layer's and Keras's test
    reference's alike)."""
    group = spec.per_group()
    padding, output_padding = params
    return Plan.from_reasons(
        *why,
        call={"padding": padding, "output_padding": None if output_padding is None else list(output_padding)},
        call_crops=Spec.from_keras(group.in_channels, group.out_channels, spec.kernel_size, spec.stride,
                                   padding, output_padding, spec.dilation).padding,
        per_group=spec.groups > 1)


class KerasAdapter(Adapter):
    framework = "keras"
    ranks = (1, 2, 3)

    def __init__(self, backend: str | None = None):
        super().__init__()
        self.backend = backend or _process_backend()
        self.name = f"keras[{self.backend}]"
        if self.backend == "jax":   # as the jax adapter's (adapters/jax.py)
            self.case_share = 16
            self.case_share_reason = ("Keras on JAX: JAX compiles every operation for each new "
                                      "shape and dtype, about 0.3 s a check")

    def needs(self) -> tuple[str, ...]:
        return ("keras", self.backend)

    def _load(self):
        from convt_suite.host import quiet

        if "keras" not in sys.modules:
            os.environ["KERAS_BACKEND"] = self.backend
        if self.backend == "tensorflow":
            quiet.silence_tensorflow()
        if self.backend == "jax":
            quiet.silence_jax()
            import jax

            jax.config.update("jax_enable_x64", True)  # float64 must be float64
        import keras

        running = keras.backend.backend()
        if running != self.backend:
            raise RuntimeError(
                f"this process runs Keras on {running!r} (KERAS_BACKEND is read at first "
                f"import); run {self.name} in its own process with KERAS_BACKEND={self.backend}"
            )
        return keras

    def versions(self):
        found = {"keras": self.module.__version__}
        backend = sys.modules.get(self.backend)
        if backend is not None:
            found[self.backend] = getattr(backend, "__version__", "?")
        return found

    @functools.cache  # noqa: B019 (one adapter per backend lives as long as the process)
    def takes_zero_output_padding(self) -> bool:
        """Keras before 3.12 refuses output_padding 0 ('values must be > 0'),
        which later versions take: asked of the installed Keras, once."""
        try:
            self.module.layers.Conv2DTranspose(1, 2, output_padding=(0, 0))
        except ValueError:
            return False
        return True

    def native(self, spec):
        """native_params for what the installed Keras takes."""
        return native_params(spec, self.takes_zero_output_padding())

    def _supports(self, spec, dtype):
        if max(spec.stride) > 1 and max(spec.dilation) > 1:
            return (f"Keras Conv{spec.rank}DTranspose rejects strides > 1 together with "
                    "dilation_rate > 1")
        return None

    def plan(self, spec, dtype):
        group = spec.per_group()
        params = self.native(group)
        why = []
        if params is None:
            refused = native_params(group) is not None
            why.append((f"keras {self.module.__version__} refuses output_padding 0 (Keras >= 3.12 "
                        "takes it)" if refused else "no ('valid'|'same', output_padding) gives "
                        "these crops") + ": full output sliced and padded with keras.ops.pad, "
                       "then the bias")
            params = self.full_output_params(spec.rank)
        return call_plan(spec, params, f"Conv{spec.rank}DTranspose has no groups: one layer per group, "
                         "concatenated" if spec.groups > 1 else "", *why)

    def full_output_params(self, rank: int) -> tuple:
        """(padding, output_padding) for the full output: output_padding 0,
        or where Keras refuses 0 its default, which appends max(stride -
        kernel, 0) zeros per axis."""
        return ("valid", (0,) * rank if self.takes_zero_output_padding() else None)

    def _tensors(self, *arrays):
        if self.backend == "tensorflow":   # bfloat16 as TF's own numpy type wants it
            import tensorflow as tf

            from .tensorflow import constant

            return [None if a is None else constant(tf, a) for a in arrays]
        return [None if a is None else self.module.ops.convert_to_tensor(a) for a in arrays]

    def _evaluate(self, compute, x, weight, bias):
        return self.module.ops.convert_to_numpy(compute(*self._tensors(x, weight, bias)))

    def _compute(self, x, weight, bias, spec):
        """Channels first in and out (NCHW in 2-D), in Keras ops and the
        layer's own call (through `stateless_call`, with the given tensors
        as its variables), so the backend's autodiff can differentiate it."""
        keras = self.module
        ops = keras.ops
        r = spec.rank
        group_spec = spec.per_group()
        params = self.native(group_spec)
        native = params is not None
        if not native:
            params = self.full_output_params(r)
            start = Spec.from_keras(group_spec.in_channels, group_spec.out_channels,
                                    spec.kernel_size, spec.stride, *params, spec.dilation).padding
        dtype = keras.backend.standardize_dtype(x.dtype)   # ops.dtype is Keras >= 3.1
        x_last = ops.transpose(x, channels_last(r))
        cin, cout = group_spec.in_channels, group_spec.out_channels
        outputs = []
        for g in range(spec.groups):
            layer = getattr(keras.layers, f"Conv{r}DTranspose")(
                cout, spec.kernel_size, strides=spec.stride, padding=params[0],
                output_padding=params[1], dilation_rate=spec.dilation,
                use_bias=native and bias is not None, dtype=dtype,
                # build() initialises variables that stateless_call replaces; zeros
                # instead of random values spares JAX compiling an initialiser per shape
                kernel_initializer="zeros", bias_initializer="zeros",
            )
            layer.build((x.shape[0], *x.shape[2:], cin))
            # (C_in/g, C_out/g, *kernel) -> Keras (*kernel, C_out/g, C_in/g)
            variables = [ops.transpose(weight[g * cin:(g + 1) * cin], kernel_last(r))]
            if layer.use_bias:
                variables.append(bias[g * cout:(g + 1) * cout])
            y, _ = layer.stateless_call(variables, [], x_last[..., g * cin:(g + 1) * cin])
            outputs.append(y)
        y = outputs[0] if len(outputs) == 1 else ops.concatenate(outputs, axis=-1)
        if not native:
            y = CropPlan.between(start, spec.padding).apply(y, ops.pad, channels_last=True)
            if bias is not None:
                y = y + bias
        return ops.transpose(y, channels_first(r))

    def _differentiate(self, compute, x, weight, bias, grad_out):
        """The backend's own autodiff through the same path as forward."""
        present = [a for a in (x, weight, bias) if a is not None]

        def call(*tensors):
            it = iter(tensors)
            return compute(next(it), next(it), next(it) if bias is not None else None)

        if self.backend == "jax":
            import jax

            _, pullback = jax.vjp(call, *present)
            grads = pullback(jax.numpy.asarray(grad_out))
        elif self.backend == "tensorflow":
            import tensorflow as tf

            tensors = self._tensors(*present)
            with tf.GradientTape() as tape:
                for tensor in tensors:
                    tape.watch(tensor)
                y = call(*tensors)
            grads = tape.gradient(y, tensors, output_gradients=self._tensors(grad_out)[0])
        elif self.backend == "torch":
            from .torch import TorchAdapter

            bridge = TorchAdapter()
            tensors = [bridge.to_torch(a).requires_grad_() for a in present]
            call(*tensors).backward(bridge.to_torch(np.ascontiguousarray(grad_out)))
            grads = [t.grad for t in tensors]
        else:
            raise Decline(f"{self.name}: no autodiff wired for this backend")
        ops = self.module.ops
        grads = [contract_array(ops.convert_to_numpy(g)) for g in grads]
        if grads and grads[0].dtype != x.dtype:
            grads = [g.astype(x.dtype) for g in grads]
        return grads[0], grads[1], grads[2] if bias is not None else None

    native_language = "keras"

    def _native(self, x, weight, bias, call):
        """`layers.Conv{1,2,3}DTranspose` (the input's rank; through
        stateless_call, with the given tensors as its variables) or
        `ops.conv_transpose` plus the bias, with the drawn parameters as they are."""
        ops = self.module.ops
        r = len(x.shape) - 2
        kernel = ops.transpose(weight, kernel_last(r))   # -> Keras (*kernel, C_out, C_in)
        x_last = ops.transpose(x, channels_last(r))
        if call["entry"] == "ops":
            y = ops.conv_transpose(x_last, kernel, **self._native_args(call))
            if bias is not None:
                y = y + bias
        else:
            layer = self._native_layer(call, x.dtype, r)
            layer.build(tuple(x_last.shape))
            y, _ = layer.stateless_call([kernel] if bias is None else [kernel, bias], [], x_last)
        return ops.transpose(y, channels_first(r))

    @staticmethod
    def _native_args(call):
        return dict(strides=call["stride"], padding=call["padding"],
                    output_padding=call["output_padding"], dilation_rate=call["dilation"])

    def _native_layer(self, call, dtype, rank: int):
        keras = self.module
        return getattr(keras.layers, f"Conv{rank}DTranspose")(
            call["out_channels"], call["kernel"], use_bias=call["bias"],
            dtype=keras.backend.standardize_dtype(dtype), kernel_initializer="zeros",
            bias_initializer="zeros", **self._native_args(call))

    model_machinery: str | None = "keras.Model.predict"

    def _in_model(self, call, x, weight, bias):
        """A Functional model built on a symbolic keras.Input (the layer, or
        the op with the weights as constants), run by `model.predict`."""
        return self._predict(self._functional_model(call, x, weight, bias), x)

    def _functional_model(self, call, x, weight, bias):
        keras = self.module
        ops = keras.ops
        inputs = keras.Input(batch_shape=(x.shape[0], *x.shape[2:], x.shape[1]),
                             dtype=keras.backend.standardize_dtype(x.dtype))
        kernel = np.transpose(weight, kernel_last(x.ndim - 2))
        if call["entry"] == "ops":
            y = ops.conv_transpose(inputs, ops.convert_to_tensor(kernel), **self._native_args(call))
            if bias is not None:
                y = y + ops.convert_to_tensor(bias)
            return keras.Model(inputs, y)
        layer = self._native_layer(call, x.dtype, x.ndim - 2)
        model = keras.Model(inputs, layer(inputs))
        layer.set_weights([kernel] if bias is None else [kernel, bias])
        return model

    @staticmethod
    def _predict(model, x):
        r = x.ndim - 2
        y = model.predict(np.transpose(x, channels_last(r)), verbose=0, batch_size=max(len(x), 1))
        return np.transpose(contract_array(y), channels_first(r))

    def round_trip_ways(self, call):
        # an op has no config of its own: only the model around it is saved
        return ((".keras file",) if call["entry"] == "ops"
                else ("get_config/from_config", ".keras file"))

    def _round_trip(self, way, call, x, weight, bias):
        """The layer rebuilt from its config with the weights copied over and
        called, or the Functional model saved to a .keras file, loaded with
        keras.models.load_model and run by predict."""
        keras = self.module
        if way == ".keras file":
            model = self._functional_model(call, x, weight, bias)
            with tempfile.TemporaryDirectory() as folder:
                path = os.path.join(folder, "model.keras")
                model.save(path)
                return self._predict(keras.models.load_model(path), x)
        r = x.ndim - 2
        kernel = np.transpose(weight, kernel_last(r))
        layer = self._native_layer(call, x.dtype, r)
        x_last = np.transpose(x, channels_last(r))
        layer.build(x_last.shape)
        layer.set_weights([kernel] if bias is None else [kernel, bias])
        clone = type(layer).from_config(layer.get_config())
        clone.build(x_last.shape)
        clone.set_weights(layer.get_weights())
        y = keras.ops.convert_to_numpy(clone(self._tensors(x_last)[0]))
        return np.transpose(contract_array(y), channels_first(r))

    def _declarers(self, call):
        """The layer's compute_output_shape, and the call on symbolic
        KerasTensors (what a Functional model is built from); for ops, the
        symbolic call."""
        keras = self.module

        def last(x):   # the input's shape, channels last
            return tuple(x.shape[i] for i in channels_last(x.ndim - 2))

        def first(shape):   # an output shape (channels last) as the canonical one
            return tuple(shape[i] for i in channels_first(len(shape) - 2))

        def symbolic(x, weight, bias):
            inputs = keras.KerasTensor(last(x), dtype=keras.backend.standardize_dtype(x.dtype))
            if call["entry"] == "ops":
                kernel = keras.KerasTensor(np.transpose(weight, kernel_last(x.ndim - 2)).shape,
                                           dtype=inputs.dtype)
                return first(keras.ops.conv_transpose(inputs, kernel, **self._native_args(call)).shape)
            return first(self._native_layer(call, x.dtype, x.ndim - 2)(inputs).shape)

        if call["entry"] == "ops":
            return {"symbolic call": symbolic}
        return {"compute_output_shape": lambda x, *_: first(
                    self._native_layer(call, x.dtype, x.ndim - 2).compute_output_shape(last(x))),
                "symbolic call": symbolic}
