"""JAX: `jax.lax.conv_transpose(..., transpose_kernel=True)`, run channels
first in the spec's rank (NCW, NCHW, NCDHW; the native sweeps' calls are 2-D).

With transpose_kernel=True JAX flips the kernel and swaps its channel axes,
so our (C_in, C_out/g, kH, kW) weight is JAX's 'OIHW' rhs. Explicit (lo, hi)
pads express every crop (lo = D·(K-1) - before); 'VALID' and 'SAME' are used
when they mean the same crops, as users write them. x64 is enabled so that
float64 really is float64. JAX has no bias argument (added after, as JAX
users do) and `conv_transpose` has no groups: composed per group, concatenated.
"""

from __future__ import annotations

import inspect

import numpy as np

from .base import Adapter, CompiledTwin, Decline, Plan, find_native
from .spec import Spec

# by spatial rank: our (C_in, C_out/g, *kernel) weight is JAX's 'OI...' rhs in each
LAYOUTS = {1: ("NCW", "OIW", "NCW"), 2: ("NCHW", "OIHW", "NCHW"), 3: ("NCDHW", "OIDHW", "NCDHW")}


def native_padding(spec: Spec):
    """The padding argument JAX reads as a groups=1 spec's crops."""
    explicit = tuple(
        (d * (k - 1) - before, d * (k - 1) - after)
        for (before, after), k, d in zip(spec.padding, spec.kernel_size, spec.dilation)
    )
    candidates = (
        (padding, lambda padding=padding: Spec.from_jax(
            spec.in_channels, spec.out_channels, spec.kernel_size, spec.stride, padding,
            spec.dilation, spec.bias))
        for padding in ("VALID", "SAME", explicit)
    )
    return find_native(spec, candidates)


class JaxAdapter(Adapter):
    name = "jax"
    framework = "jax"
    ranks = (1, 2, 3)
    # eager JAX compiles each operation alone for every new shape and dtype, some
    # twenty times a cheap adapter's check: the rule is to spend about as many
    # seconds as a cheap adapter's whole sweep (the figures: docs, performance)
    case_share = 16
    case_share_reason = ("JAX compiles every operation for each new shape and dtype: "
                         "0.25 s a forward check, 0.6 s a gradient check")

    def _load(self):
        from convt_suite.host import quiet

        quiet.silence_jax()
        import jax

        jax.config.update("jax_enable_x64", True)
        return jax

    def plan(self, spec, dtype):
        return Plan.from_reasons(
            "no groups in lax.conv_transpose: one call per group, concatenated" if spec.groups > 1 else "",
            call_crops=spec.padding, per_group=spec.groups > 1)

    def _evaluate(self, compute, x, weight, bias):
        return np.asarray(self._compiled(compute)(x, weight, bias))

    def _differentiate(self, compute, x, weight, bias, grad_out):
        """jax.vjp through the same path as forward."""
        jax = self.module

        def gradients(x_, w_, b_, g_):
            if b_ is None:
                _, pullback = jax.vjp(lambda xx, ww: compute(xx, ww, None), x_, w_)
                return (*pullback(g_), None)
            return jax.vjp(compute, x_, w_, b_)[1](g_)

        found = self._compiled(gradients)(x, weight, bias, jax.numpy.asarray(grad_out))
        return tuple(None if g is None else np.asarray(g) for g in found)

    native_language = "jax"

    def _native(self, x, weight, bias, call):
        """lax.conv_transpose(transpose_kernel=True) with the drawn padding
        (a string, or pairs as tuples or lists) and use_consistent_padding
        where drawn, then the bias."""
        jax = self.module
        padding = call["padding"]
        if call.get("pairs_as") == "lists":
            padding = [list(pair) for pair in padding]
        extra = {}
        if "use_consistent_padding" in call:
            if "use_consistent_padding" not in inspect.signature(jax.lax.conv_transpose).parameters:
                raise Decline(f"jax {jax.__version__} has no use_consistent_padding")
            extra["use_consistent_padding"] = call["use_consistent_padding"]
        r = len(x.shape) - 2   # the input's rank
        y = jax.lax.conv_transpose(
            jax.numpy.asarray(x), jax.numpy.asarray(weight), call["stride"], padding,
            rhs_dilation=call["dilation"], dimension_numbers=LAYOUTS[r],
            transpose_kernel=True, **extra)
        return y if bias is None else y + jax.numpy.asarray(bias).reshape(-1, *(1,) * r)

    model_machinery: str | None = "jax.jit"

    def _in_model(self, call, x, weight, bias):
        """The call under jax.jit: compiled by XLA as one computation, then run."""
        return np.asarray(self.module.jit(lambda *t: self._native(*t, call))(x, weight, bias))

    def round_trip_ways(self, call):
        return ("jax.export serialize/deserialize",)

    def _round_trip(self, way, call, x, weight, bias):
        """The jitted call with the weights inside, exported for x's shape
        (jax.export), serialized to bytes, deserialized and called."""
        jax = self.module
        if not hasattr(jax, "export"):
            raise Decline(f"jax {jax.__version__} has no jax.export")
        function = jax.jit(lambda x_: self._native(x_, weight, bias, call))
        exported = jax.export.export(function)(jax.ShapeDtypeStruct(x.shape, x.dtype))
        return np.asarray(jax.export.deserialize(exported.serialize()).call(x))

    def _declarers(self, call):
        """jax.eval_shape: the shape JAX traces for the call, computing nothing."""
        jax = self.module

        def traced(x, weight, bias):
            structs = [None if a is None else jax.ShapeDtypeStruct(a.shape, a.dtype)
                       for a in (x, weight, bias)]
            return jax.eval_shape(lambda *t: self._native(*t, call), *structs).shape

        return {"jax.eval_shape": traced}

    def _compute(self, x, weight, bias, spec):
        jax = self.module
        jnp = jax.numpy
        group_spec = spec.per_group()
        padding = native_padding(group_spec)
        cin = group_spec.in_channels
        x, weight = jnp.asarray(x), jnp.asarray(weight)
        outputs = [
            jax.lax.conv_transpose(
                x[:, g * cin:(g + 1) * cin], weight[g * cin:(g + 1) * cin], spec.stride,
                padding, rhs_dilation=spec.dilation, dimension_numbers=LAYOUTS[spec.rank],
                transpose_kernel=True,
            )
            for g in range(spec.groups)
        ]
        y = outputs[0] if len(outputs) == 1 else jnp.concatenate(outputs, axis=1)
        if bias is not None:
            y = y + jnp.asarray(bias).reshape(-1, *(1,) * spec.rank)
        return y


class JaxJitAdapter(CompiledTwin, JaxAdapter):
    """The adapter's whole computation under `jax.jit` ("jax[jit]"): forward,
    and the gradients' vjp compiled with it, as training runs them. Eager JAX
    compiles each op alone; under jit XLA fuses the groups' convolutions, the
    concatenation and the bias into one program."""

    name, eager = "jax[jit]", "jax"
    case_share = 8   # one program per shape, cheaper than eager JAX's ops (docs, performance)
    case_share_reason = ("jax.jit compiles the computation for each new shape and dtype: "
                         "0.1 s a forward check, 0.25 s a gradient check")

    def _compiled(self, function):
        jitted = self.module.jit(function)
        # the program that ran, from jit's cache (well under a millisecond)
        return self._noting_xla(jitted, lambda *args: jitted.lower(*args).compile().as_text())
