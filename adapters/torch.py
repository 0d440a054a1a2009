"""PyTorch: `torch.nn.functional.conv_transpose{1,2,3}d` ("torch") and the
module users actually call, `torch.nn.ConvTranspose{1,2,3}d` ("torch[nn]"),
in the spec's rank (a native call's: its input's).

PyTorch's layout is the canonical one, so only the crops need translating:
padding p and output_padding op crop (p, p - op), with p >= 0 and
op < max(stride, dilation). Crops outside that (a negative before-crop, or an
after-crop more than max(S, D) - 1 below the before-crop) are composed: the
full output (p = 0, op = 0) without bias, sliced and zero-padded with
`torch.nn.functional.pad`, then the bias added.
"""

from __future__ import annotations

import io

import numpy as np

from convt_suite.host import kernels as native_kernels

from .base import Adapter, CompiledTwin, CropPlan, Plan, find_native, full
from .spec import Spec, _ints


def native_params(spec: Spec):
    """(padding, output_padding) that PyTorch reads as `spec`'s crops, or None.

    The map inverts directly (p = before, op = before - after); `find_native`
    then checks it against Spec.from_torch, which rejects what PyTorch rejects.
    """
    padding = tuple(before for before, _ in spec.padding)
    output_padding = tuple(before - after for before, after in spec.padding)
    build = lambda: Spec.from_torch(  # noqa: E731
        spec.in_channels, spec.out_channels, spec.kernel_size, spec.stride, padding,
        output_padding, spec.groups, spec.bias, spec.dilation)
    return find_native(spec, [((padding, output_padding), build)])


def call_plan(spec: Spec, padder: str) -> Plan:
    """The call in PyTorch's words, or the full output cropped with `padder`."""
    params = native_params(spec)
    if params is not None:
        padding, output_padding = params
        return Plan(call={"padding": list(padding), "output_padding": list(output_padding)},
                    call_crops=spec.padding)
    return Plan.from_reasons(
        "PyTorch crops (p, p - output_padding) with p >= 0 and output_padding < "
        "max(stride, dilation); computed the full output, then sliced/zero-padded "
        f"with {padder} and added the bias",
        call={"padding": [0] * spec.rank, "output_padding": [0] * spec.rank}, call_crops=full(spec.rank))


class TorchAdapter(Adapter):
    name = "torch"
    framework = "torch"
    ranks: tuple[int, ...] = (1, 2, 3)

    def _load(self):
        import torch

        return torch

    def plan(self, spec, dtype):
        return call_plan(spec, "F.pad")

    # numpy <-> torch; bfloat16 numpy arrays (ml_dtypes) go through float32, exactly
    def to_torch(self, array):
        torch = self.module
        if array is None:
            return None
        if array.dtype.name == "bfloat16":
            return torch.from_numpy(array.astype(np.float32)).to(torch.bfloat16)
        return torch.from_numpy(np.ascontiguousarray(array))

    @staticmethod
    def to_numpy(tensor, dtype):
        tensor = tensor.detach()
        if str(dtype) == "bfloat16":
            return tensor.float().numpy().astype(dtype)
        return tensor.numpy()

    def _call(self, x, weight, bias, spec, padding, output_padding):
        self._note_backend(x, weight, bias, spec.stride, padding, spec.dilation, output_padding, spec.groups)
        call = getattr(self.module.nn.functional, f"conv_transpose{spec.rank}d")
        return call(x, weight, bias, stride=spec.stride, padding=padding,
                    output_padding=output_padding, groups=spec.groups, dilation=spec.dilation)

    def _note_backend(self, x, weight, bias, stride, padding, dilation, output_padding, groups):
        """PyTorch's choice of kernel for this call (oneDNN or its own), noted
        for kernels(); not while torch.compile traces (its tensors are fake)."""
        torch = self.module
        if torch.compiler.is_compiling():
            return
        rank = x.dim() - 2
        try:
            named = {"stride": stride, "padding": padding, "dilation": dilation, "output_padding": output_padding}
            self._note_kernel(native_kernels.torch_backend(
                torch, x, weight, bias, *(_ints(name, v, rank) for name, v in named.items()),
                groups, self._direction))
        except Exception:   # an invalid call: F.conv_transpose2d says why, just below
            pass

    def _evaluate(self, compute, x, weight, bias):
        with self.module.no_grad():
            y = self._compiled(compute)(self.to_torch(x), self.to_torch(weight), self.to_torch(bias))
        return self.to_numpy(y, x.dtype)

    def _differentiate(self, compute, x, weight, bias, grad_out):
        """torch.autograd through the same path as forward."""
        leaves = [self.to_torch(a).requires_grad_() if a is not None else None
                  for a in (x, weight, bias)]
        y = self._compiled(compute)(*leaves)
        y.backward(self.to_torch(np.ascontiguousarray(grad_out)))
        return tuple(None if t is None else self.to_numpy(t.grad, x.dtype) for t in leaves)

    def _compute(self, xt, wt, bt, spec):
        params = native_params(spec)
        if params is not None:
            return self._call(xt, wt, bt, spec, *params)
        y = self._call(xt, wt, None, spec, (0,) * spec.rank, (0,) * spec.rank)
        y = CropPlan.between(full(spec.rank), spec.padding).apply(y, self._pad, channels_last=False)
        return y if bt is None else y + bt.reshape(-1, *(1,) * spec.rank)

    native_language = "torch"

    def _native(self, xt, wt, bt, call):
        """F.conv_transpose{1,2,3}d, the input's rank, with the parameters exactly
        as drawn (ints or one per axis)."""
        if xt.device.type != "meta":
            self._note_backend(xt, wt, bt, call["stride"], call["padding"], call["dilation"],
                               call["output_padding"], call["groups"])
        transpose = getattr(self.module.nn.functional, f"conv_transpose{xt.dim() - 2}d")
        return transpose(
            xt, wt, bt, stride=call["stride"], padding=call["padding"],
            output_padding=call["output_padding"], groups=call["groups"], dilation=call["dilation"])

    model_machinery: str | None = "torch.jit.trace"

    def _in_model(self, call, x, weight, bias):
        """The call traced to TorchScript (a graph with the weights inside), then run."""
        torch = self.module
        xt, wt, bt = self.to_torch(x), self.to_torch(weight), self.to_torch(bias)
        with torch.no_grad():
            graph = torch.jit.trace(lambda x_: self._native(x_, wt, bt, call), (xt,), check_trace=False)
            return self.to_numpy(graph(xt), x.dtype)

    def _declarers(self, call):
        """Meta tensors: PyTorch's shape inference, run through the same call."""
        torch = self.module

        def on_meta(x, weight, bias):
            meta = [None if a is None else torch.empty(a.shape, dtype=getattr(torch, a.dtype.name),
                                                       device="meta") for a in (x, weight, bias)]
            return self._native(*meta, call).shape

        return {"meta tensors": on_meta}

    def _pad(self, y, widths):
        # F.pad takes the last axis's pair first: (left, right, top, bottom, front, back)
        return self.module.nn.functional.pad(y, tuple(v for pair in reversed(widths[2:]) for v in pair))


class TorchModuleAdapter(TorchAdapter):
    """`torch.nn.ConvTranspose{1,2,3}d`, its parameters set to the given tensors."""

    name = "torch[nn]"

    def _call(self, x, weight, bias, spec, padding, output_padding):
        torch = self.module
        layer = getattr(torch.nn, f"ConvTranspose{spec.rank}d")(
            spec.in_channels, spec.out_channels, spec.kernel_size, stride=spec.stride,
            padding=padding, output_padding=output_padding, groups=spec.groups,
            bias=bias is not None, dilation=spec.dilation, dtype=weight.dtype,
        )
        return self._with_parameters(layer, x, weight, bias)

    def _with_parameters(self, layer, x, weight, bias, **kwargs):
        """The module's own forward, run with the given tensors as its
        parameters, so gradients reach them."""
        parameters = {"weight": weight} if bias is None else {"weight": weight, "bias": bias}
        return self.module.func.functional_call(layer, parameters, (x,), kwargs)

    native_language = "torch.nn"
    model_machinery: str | None = "torch.jit.script"

    def _in_model(self, call, x, weight, bias):
        """The module, its weights set, compiled by torch.jit.script and
        called as `layer(x)` or `layer(x, output_size=...)`."""
        torch = self.module
        xt = self.to_torch(x)
        with torch.no_grad():
            scripted = torch.jit.script(self._layer_holding(call, weight, bias))
            return self.to_numpy(scripted(xt, **self._output_size(call)), x.dtype)

    def _native(self, xt, wt, bt, call):
        """nn.ConvTranspose{1,2,3}d(...) with the parameters as drawn, called as
        `layer(x)` or `layer(x, output_size=...)`."""
        layer = self._native_layer(call, wt.dtype, xt.dim() - 2)
        return self._with_parameters(layer, xt, wt, bt, **self._output_size(call))

    def round_trip_ways(self, call):
        return ("torch.save/load", "state_dict", "torch.export save/load")

    def _round_trip(self, way, call, x, weight, bias):
        """The module with the weights set, saved to bytes and loaded back:
        the whole module (pickled), its state_dict into a new module, or the
        torch.export program (ExportedProgram.module())."""
        torch = self.module
        xt, kwargs = self.to_torch(x), self._output_size(call)
        layer = self._layer_holding(call, weight, bias)
        buffer = io.BytesIO()
        with torch.no_grad():
            if way == "torch.save/load":
                torch.save(layer, buffer)
                buffer.seek(0)
                loaded = torch.load(buffer, weights_only=False)
            elif way == "state_dict":
                torch.save(layer.state_dict(), buffer)
                buffer.seek(0)
                loaded = self._native_layer(call, layer.weight.dtype, x.ndim - 2)
                loaded.load_state_dict(torch.load(buffer))
            else:
                torch.export.save(torch.export.export(layer, (xt,), kwargs), buffer)
                buffer.seek(0)
                loaded = torch.export.load(buffer).module()
            return self.to_numpy(loaded(xt, **kwargs), x.dtype)

    @staticmethod
    def _output_size(call) -> dict:
        size = call.get("output_size")
        return {} if size is None else {"output_size": list(size)}

    def _layer_holding(self, call, weight, bias):
        """The drawn module with the given (numpy) weights as its parameters."""
        wt, bt = self.to_torch(weight), self.to_torch(bias)
        layer = self._native_layer(call, wt.dtype, weight.ndim - 2)
        with self.module.no_grad():
            layer.weight.copy_(wt)
            if bt is not None:
                layer.bias.copy_(bt)
        return layer

    def _native_layer(self, call, dtype, rank: int):
        return getattr(self.module.nn, f"ConvTranspose{rank}d")(
            call["in_channels"], call["out_channels"], call["kernel"], stride=call["stride"],
            padding=call["padding"], output_padding=call["output_padding"], groups=call["groups"],
            bias=call["bias"], dilation=call["dilation"], dtype=dtype)


class TorchCompileAdapter(CompiledTwin, TorchAdapter):
    """`torch.compile` (inductor, the default backend: C++ kernels on CPU) of
    the adapter's whole computation ("torch[compile]"), forward and the
    backward AOTAutograd compiles with it, as `torch.compile(model)` training
    runs them. `fullgraph=True`: a graph break would run part of it eagerly;
    past the recompile limit torch.compile would run the rest eagerly, so the
    limit is raised and hitting it is an error, never a silent fallback."""

    name, eager = "torch[compile]", "torch"
    # every new spec, shape or dtype compiles: g++ builds inductor's layout kernels for
    # each shape. dynamic=True would reuse kernels, but its backward fails to lower
    # (ValueRangeError) on conv_transpose2d. 1/64 of the cases is the floor (two
    # fixed and one explored case for each kind), in one dtype (figures: docs, performance)
    case_share = 64
    case_share_reason = ("each check compiles with torch.compile (inductor): 1 to 4 s a new "
                         "spec, shape or dtype")

    def _load(self):
        torch = super()._load()
        config = torch._dynamo.config
        config.fail_on_recompile_limit_hit = True
        for limit in ("recompile_limit", "cache_size_limit", "accumulated_recompile_limit",
                      "accumulated_cache_size_limit"):
            if hasattr(config, limit):
                setattr(config, limit, 1_000_000)
        return torch

    def _compiled(self, function):
        return self.module.compile(function, fullgraph=True, dynamic=False)
