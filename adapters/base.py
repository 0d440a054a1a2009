"""What the built-in adapters share: lazy framework import, dtype names, and
the crop plan used when a framework's API cannot express a spec's crops.

The adapter contract itself is tiny (`AdapterContract`): `name`, `supports`,
`forward`, `vjp`. Built-ins add `plan(spec, dtype)`, a `Plan`: whether the
call is *native* or *composed* (and how), the native call's own parameters and
the crops it does; and `versions()`. Both are optional for plug-ins (whose
`plan` may return words alone); the harness reads them with getattr.
"""

from __future__ import annotations

import contextlib
import dis
import importlib
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import numpy as np

from convt_suite.host import kernels as native_kernels

from .spec import Spec

DTYPES = ("float16", "bfloat16", "float32", "float64")
NATIVE = "native"


# the permutations between the canonical layout and the channels-last one
# (TensorFlow's and Keras's), in any rank
def channels_last(rank: int) -> tuple[int, ...]:
    """x (N, C, *spatial) -> (N, *spatial, C)."""
    return (0, *range(2, 2 + rank), 1)


def channels_first(rank: int) -> tuple[int, ...]:
    """(N, *spatial, C) -> (N, C, *spatial)."""
    return (0, rank + 1, *range(1, rank + 1))


def kernel_last(rank: int) -> tuple[int, ...]:
    """w (C_in, C_out // groups, *kernel) -> (*kernel, C_out // groups, C_in): TF's and Keras's filters."""
    return (*range(2, 2 + rank), 1, 0)


def kernel_first(rank: int) -> tuple[int, ...]:
    """TF's and Keras's filters (*kernel, C_out // groups, C_in) -> w (C_in, C_out // groups, *kernel):
    kernel_last's inverse."""
    return (rank + 1, rank, *range(rank))


def numpy_dtype(name: str):
    """The numpy dtype for a dtype name; bfloat16 comes from ml_dtypes."""
    if name == "bfloat16":
        import ml_dtypes

        return np.dtype(ml_dtypes.bfloat16)
    if name not in DTYPES:
        raise ValueError(f"dtype={name!r}: must be one of {', '.join(DTYPES)}")
    return np.dtype(name)


class AdapterContract(Protocol):
    """What every adapter is, built-in or plug-in: structural, so a plug-in
    needs no base class. The registry checks the names at load time; mypy
    checks the built-ins and the worker proxy against the signatures. NCHW
    numpy arrays in and out, the weight in PyTorch's layout (`Spec.weight_shape`)."""

    name: str

    def supports(self, spec: Spec, dtype: str) -> str | None:
        """None if the adapter runs this spec in this dtype; otherwise why not."""
        ...

    def forward(self, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None,
                spec: Spec) -> np.ndarray:
        """The output, NCHW."""
        ...

    def vjp(self, x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None, spec: Spec,
            grad_out: np.ndarray) -> tuple:
        """(grad_x, grad_weight, grad_bias or None) for the output gradient `grad_out`."""
        ...


class Unavailable(RuntimeError):
    """The framework behind an adapter cannot be imported or used here."""


class Decline(Exception):
    """Raised by an adapter's forward or vjp to decline a case it cannot run
    (recorded as skipped, with the message as the reason). The explicit way
    to say "not this one": any other exception, NotImplementedError from a
    framework included, is a failure of kind "error"."""


def declined(error: BaseException, adapter) -> str | None:
    """The reason, if `error` is the adapter declining; None if it is a failure.

    A `Decline`, or (the older contract: "vjp may raise NotImplementedError")
    a NotImplementedError raised by a `raise` statement of the adapter's own
    code, in its innermost frame; one raised inside a framework (PyTorch's
    missing kernels, in Python or in C) is a failure like any other exception.
    """
    if isinstance(error, Decline):
        return str(error) or f"{adapter.name} declined"
    if not isinstance(error, NotImplementedError) or error.__traceback__ is None:
        return None
    innermost = error.__traceback__
    while innermost.tb_next is not None:
        innermost = innermost.tb_next
    own = {cls.__module__ for cls in type(adapter).__mro__}
    # a framework's C function raising adds no frame of its own: the innermost frame is
    # then the adapter's, stopped at a call, so only a `raise` statement there declines
    raised_here = any(instruction.offset == innermost.tb_lasti
                      and instruction.opname.startswith(("RAISE", "RERAISE"))
                      for instruction in dis.get_instructions(innermost.tb_frame.f_code))
    if innermost.tb_frame.f_globals.get("__name__") in own and raised_here:
        return f"{adapter.name}: {str(error) or 'not implemented'}"
    return None


Crops = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Plan:
    """How an adapter computes a spec, as facts a record carries (matchers
    read them; nothing needs to re-derive an adapter's choices): its words for
    people, the native call made for each group in the framework's own
    parameter names, the crops that call does (the rest of the spec's are done
    outside it, by slicing and zero-padding), and the steps composed around it."""

    words: str = NATIVE                       # 'native', or 'composed: <how and why>'
    call: dict[str, object] | None = None     # the native call's parameters, per group (None: not stated)
    call_crops: Crops | None = None           # per axis (before, after): what the call crops (None: not stated)
    per_group: bool = False                   # one call per group, the outputs concatenated
    dilated_kernel: bool = False              # the kernel dilated with zeros, called with dilation 1

    @classmethod
    def from_reasons(cls, *why: str, **facts) -> Plan:
        """A plan whose words are 'composed: <why>' for the reasons that apply
        (the empty ones are not), or 'native' where none does."""
        return cls(composed_reason(*why) if any(why) else NATIVE, **facts)

    @property
    def native(self) -> bool:
        return not self.words.startswith("composed")

    def to_dict(self) -> dict:
        """As a check record holds it (convt_suite/core/records.py PlanRecord)."""
        return {"words": self.words, "native": self.native, "call": self.call,
                "call_crops": None if self.call_crops is None else [list(c) for c in self.call_crops],
                "per_group": self.per_group, "dilated_kernel": self.dilated_kernel}

    def __str__(self) -> str:
        return self.words


def adapter_plan(adapter, spec: Spec, dtype: str, input_shape=None) -> Plan:
    """The adapter's own word on native vs composed (optional for plug-ins,
    whose `plan` may return its words as a string); built-ins whose plan
    depends on the input size take it as a keyword."""
    plan = getattr(adapter, "plan", None)
    if plan is None:
        return Plan()
    if "input_shape" in inspect.signature(plan).parameters:
        found = plan(spec, dtype, input_shape=input_shape)
    else:
        found = plan(spec, dtype)
    return found if isinstance(found, Plan) else Plan(str(found))


# framework -> its distributions (the first names its version; TF's CPU build
# and the full one are the same framework)
DISTRIBUTIONS = {"torch": ("torch",), "tensorflow": ("tensorflow-cpu", "tensorflow"),
                 "jax": ("jax", "jaxlib"), "keras": ("keras",), "onnx": ("onnx",),
                 "onnxruntime": ("onnxruntime",), "onnxscript": ("onnxscript",)}


def installed(frameworks) -> str:
    """'keras 3.15.1, jax 0.4.20, jaxlib 0.4.20': what is installed of these
    frameworks, read from the environment (nothing imported)."""
    from importlib import metadata

    found = []
    for framework in frameworks:
        dists = DISTRIBUTIONS.get(framework, (framework,))
        versions = []
        for dist in dists:
            try:
                versions.append(f"{dist} {metadata.version(dist)}")
            except metadata.PackageNotFoundError:
                pass
        found += versions or [f"no {framework}"]
    return ", ".join(found)


def contract_array(array) -> np.ndarray:
    """A numpy array in the dtypes the contract names: a framework's own numpy
    bfloat16 (TF 2.12 keeps one, which other processes cannot unpickle)
    becomes ml_dtypes', through float32 (exact)."""
    array = np.asarray(array)
    if array.dtype.name == "bfloat16" and array.dtype != numpy_dtype("bfloat16"):
        return array.astype(np.float32).astype(numpy_dtype("bfloat16"))
    return array


class Adapter:
    """Base for the built-ins: subclasses set `name`, `framework`, `dtypes`
    and implement `_load()` (import and configure the framework, return the
    module), `_compute`, `_evaluate` and `_differentiate` (below). The
    framework is imported on first use only."""

    name: str = "?"
    framework: str = "?"          # the distribution whose version is reported
    dtypes: tuple[str, ...] = DTYPES
    # an adapter whose every check is costly (compiling, exporting) runs 1/case_share
    # of the profile's cases and exploration, and says why (the thorough profile: all)
    case_share: int = 1
    case_share_reason: str = ""
    # an adapter whose cost grows with the products (a kernel in Python) runs 1/N of the
    # model-scale family's named layers (case_share where it is larger), and says why
    model_scale_share: int = 1
    model_scale_share_reason: str = ""
    # the spatial ranks it computes (1: NCW, 2: NCHW, 3: NCDHW); a spec of
    # another rank is declined, with why (supports, forward and vjp)
    ranks: tuple[int, ...] = (2,)

    def __init__(self):
        self._module = None
        self._unavailable: str | None = None
        self._kernels: list[dict] = []
        self._direction = "forward"

    # ---------------------------------------------------------- framework
    @property
    def module(self):
        if self._module is None and self._unavailable is None:
            try:
                self._module = self._load()
            except Exception as err:  # ImportError, a broken install, an incompatible version
                # the versions say why: an older framework may lack what the adapter uses
                self._unavailable = f"{type(err).__name__}: {err} (installed: {installed(self.needs())})"
        if self._unavailable is not None:
            raise Unavailable(f"{self.name} unavailable: {self._unavailable}")
        return self._module

    def _load(self):
        return importlib.import_module(self.framework)

    def needs(self) -> tuple[str, ...]:
        """The frameworks this adapter imports (Keras adds its backend's)."""
        return (self.framework,)

    def unavailable(self) -> str | None:
        """None if the framework imports; otherwise why not."""
        try:
            _ = self.module   # importing the framework is the test
        except Unavailable as err:
            return str(err)
        return None

    def versions(self) -> dict[str, str]:
        module = self.module
        return {self.framework: getattr(module, "__version__", "?")}

    # ------------------------------------------------------------ contract
    def supports(self, spec: Spec, dtype: str) -> str | None:
        missing = self.unavailable()
        if missing:
            return missing
        if dtype not in self.dtypes:
            return f"{self.name} does not compute {dtype}"
        if spec.rank not in self.ranks:
            return self.rank_declined(spec.rank)
        return self._supports(spec, dtype)

    def rank_declined(self, rank: int) -> str:
        """Why a spec of `rank` spatial axes is not computed here."""
        done = ", ".join(f"{r}-D" for r in self.ranks)
        return f"{self.name} computes {done} only: its {rank}-D call is not wired (a {rank}-D spec is declined)"

    def _rank_supported(self, spec: Spec) -> None:
        if spec.rank not in self.ranks:
            raise Decline(self.rank_declined(spec.rank))

    def _supports(self, spec: Spec, dtype: str) -> str | None:
        return None

    def plan(self, spec: Spec, dtype: str) -> Plan:
        """Native, or composed (and how) when framework ops are combined."""
        return Plan()

    def forward(self, x, weight, bias, spec: Spec) -> np.ndarray:
        self._rank_supported(spec)
        spec.check_tensors(x.shape, weight.shape, None if bias is None else bias.shape)
        with self._watching("forward"):
            return contract_array(self._evaluate(lambda x_, w_, b_: self._compute(x_, w_, b_, spec),
                                                 x, weight, bias))

    def vjp(self, x, weight, bias, spec: Spec, grad_out):
        """(grad_x, grad_weight, grad_bias or None) from the framework's own
        autodiff, through the same native or composed path as `forward`."""
        self._rank_supported(spec)
        spec.check_tensors(x.shape, weight.shape, None if bias is None else bias.shape)
        if tuple(grad_out.shape) != spec.output_shape(x.shape):
            raise ValueError(f"grad_out shape {grad_out.shape}: must be {spec.output_shape(x.shape)}")
        with self._watching("forward and gradients"):
            return self._gradients(lambda x_, w_, b_: self._compute(x_, w_, b_, spec), x, weight, bias, grad_out)

    # ------------------------------------------------------------ kernels
    def kernels(self) -> list[dict]:
        """The native kernels the last forward, vjp or native call ran, where
        the library says (convt_suite/host/kernels.py): oneDNN's primitives,
        from its verbose lines, and what the adapter notes itself (PyTorch's
        backend choice). Empty where nothing says."""
        return list(self._kernels)

    @contextlib.contextmanager
    def _watching(self, direction: str):
        """A compute call: its oneDNN lines captured (when ONEDNN_VERBOSE is
        on), the kernels it ran kept for `kernels()`."""
        self._kernels, self._direction = [], direction
        if not native_kernels.enabled():
            yield
            return
        with native_kernels.Capture() as captured:
            yield
        self._kernels += [dict(k) for k in native_kernels.onednn_kernels(captured.text) if k not in self._kernels]

    def _note_kernel(self, kernel: dict) -> None:
        """A kernel the adapter knows it chose (once per call)."""
        if kernel not in self._kernels:
            self._kernels.append(kernel)

    # The framework in its own parameter language (convt_suite/core/native.py): the
    # native sweeps call it with exactly the drawn parameters, no translation.
    native_language: str | None = None

    def native_forward(self, x, weight, bias, call: dict) -> np.ndarray:
        """The framework called with `call` (a NativeCase's parameters) on NCHW
        tensors in the canonical weight layout, so the oracle can judge it."""
        with self._watching("forward"):
            return contract_array(self._evaluate(lambda x_, w_, b_: self._native(x_, w_, b_, call),
                                                 x, weight, bias))

    def native_vjp(self, x, weight, bias, call: dict, grad_out):
        with self._watching("forward and gradients"):
            return self._gradients(lambda x_, w_, b_: self._native(x_, w_, b_, call), x, weight, bias, grad_out)

    # the framework's own machinery for running models (a compiled graph, a
    # scripted module, a Keras Functional model), named for the report
    model_machinery: str | None = None

    def native_in_model(self, x, weight, bias, call: dict) -> np.ndarray:
        """The same native call run inside `model_machinery`, not eagerly."""
        with self._watching("forward"):
            return contract_array(self._in_model(call, x, weight, bias))

    def _in_model(self, call, x, weight, bias):
        raise Decline(f"{self.name} has no model machinery wired")

    def native_round_trips(self, x, weight, bias, call: dict) -> dict:
        """The native call's layer (or compiled function) saved and loaded
        each way its users do (`round_trip_ways(call)`), then run on x:
        {way: the NCHW output, or the exception it raised, as text}."""
        ways = self.round_trip_ways(call)
        if not ways:
            raise Decline(f"{self.name}: nothing to save and load (a function call, no layer)")
        with self._watching("forward"):
            return self._round_trips(ways, call, x, weight, bias)

    def _round_trips(self, ways, call, x, weight, bias) -> dict:
        found: dict[str, np.ndarray | str] = {}
        for way in ways:
            try:
                found[way] = contract_array(self._round_trip(way, call, x, weight, bias))
            except Decline:
                raise
            except Exception as err:
                found[way] = f"{type(err).__name__}: {err}"
        return found

    def round_trip_ways(self, call: dict) -> tuple[str, ...]:
        """The ways a layer of this call is saved and loaded (none: nothing to save)."""
        return ()

    def _round_trip(self, way, call, x, weight, bias):
        raise Decline(f"{self.name} has no round trip {way!r}")

    def native_declared_shapes(self, x, weight, bias, call: dict) -> dict:
        """What the framework says the native call's NCHW output shape will be
        without computing it, by each facility it has: {facility: the shape as
        a list, or the exception it raised, as text}. Only the tensors' shapes
        and dtypes are used."""
        found: dict[str, list[int] | str] = {}
        for facility, declare in self._declarers(call).items():
            try:
                found[facility] = [int(d) for d in declare(x, weight, bias)]
            except Decline:
                raise
            except Exception as err:   # refused to declare: a valid answer where there is no output
                found[facility] = f"{type(err).__name__}: {err}"
        return found

    def _declarers(self, call: dict) -> dict:
        """{facility: a function of (x, weight, bias) numpy arrays giving the
        declared NCHW shape}: what each framework module offers."""
        raise Decline(f"{self.name} declares no output shapes")

    def _compiled(self, function):
        """How a framework module runs its forward and gradients: as they are
        (a compiled twin compiles them: torch.compile, jax.jit, XLA)."""
        return function

    def _gradients(self, compute, x, weight, bias, grad_out):
        return tuple(None if g is None else contract_array(g)
                     for g in self._differentiate(compute, x, weight, bias, grad_out))

    # What each framework module implements: `_compute` and `_native` map
    # framework tensors (NCHW, canonical weight) to the NCHW output in the
    # framework's ops; `_evaluate` and `_differentiate` run such a function
    # on numpy arrays, plainly and under the framework's autodiff.
    def _compute(self, x, weight, bias, spec):
        raise NotImplementedError

    def _native(self, x, weight, bias, call):
        raise Decline(f"{self.name} has no native parameter language")

    def _evaluate(self, compute, x, weight, bias):
        raise NotImplementedError

    def _differentiate(self, compute, x, weight, bias, grad_out):
        raise Decline(f"{self.name} has no gradient path")

    def __repr__(self):
        return f"<adapter {self.name}>"


def find_native(spec: Spec, candidates: Iterable[tuple[object, Callable[[], Spec]]], avoid=None):
    """The first native parameter set whose canonical Spec equals `spec`
    (and that `avoid(params)`, where given, does not rule out).

    `candidates` yields (native params, a thunk building the Spec those params
    mean, via the `Spec.from_*` maps the native-semantics tests prove). A
    thunk that raises ValueError is a combination the framework's API rejects.
    """
    for params, build in candidates:
        try:
            if build() == spec and (avoid is None or not avoid(params)):
                return params
        except ValueError:
            continue
    return None


if TYPE_CHECKING:
    def _meets_the_contract(adapter: Adapter) -> AdapterContract:
        return adapter   # mypy: every built-in (an Adapter) is an AdapterContract


class CompiledTwin:
    """Mixed in before an eager adapter to make its compiled twin (torch[compile],
    jax[jit], tensorflow[xla]): the whole computation goes through `_compiled`.
    Its declared shapes, saved layers and model machinery are the eager
    adapter's (`eager`), whose own checks run them: declined, not run twice."""

    eager: str = "?"
    model_machinery: str | None = None

    def round_trip_ways(self, call):
        return ()

    def _declarers(self, call):
        raise Decline(f"{self.name} declares shapes as {self.eager} does: {self.eager}'s check runs them")

    def _noting_xla(self, compiled, program):
        """`compiled` (an XLA-compiled function), which also notes how the
        program that ran computes its convolutions (`program(*args)`: its
        optimized HLO text; host/kernels.py xla_kernels) for kernels()."""

        def run(*args):
            out = compiled(*args)
            try:
                hlo = program(*args)
            except Exception:   # a program XLA cannot show costs the record its kernels only
                return out
            for kernel in native_kernels.xla_kernels(hlo, self._direction):
                self._note_kernel(dict(kernel))
            return out

        return run


@dataclass(frozen=True)
class CropPlan:
    """How to turn an output whose crops were `done` into one with `target`
    crops: slice what is still to crop, then zero-pad what must be appended
    (per spatial axis, in any rank)."""

    slices: tuple[tuple[int, int], ...]   # (start, stop-from-end) per axis
    pads: tuple[tuple[int, int], ...]     # zeros before/after per axis

    @classmethod
    def between(cls, done, target) -> CropPlan:
        from .oracle import split_crops

        pads, slices = split_crops([(t0 - d0, t1 - d1) for (d0, d1), (t0, t1) in zip(done, target)])
        return cls(slices, pads)

    @property
    def is_identity(self) -> bool:
        return not any(v for pair in self.slices + self.pads for v in pair)

    def apply(self, y, pad: Callable, channels_last: bool):
        """Apply to a tensor of any framework, batch and channels first or
        channels last; `pad(y, widths)` takes numpy-style ((before, after),)
        widths, one pair per axis of y. Pads first, then slices, so a crop
        larger than the data (crops (-2, 2) of one row) is still right."""
        first = 1 if channels_last else 2
        spatial = range(first, first + len(self.slices))
        ndim = len(self.slices) + 2   # batch, channels and the spatial axes
        if any(v for pair in self.pads for v in pair):
            widths = [(0, 0)] * ndim
            for axis, pair in zip(spatial, self.pads):
                widths[axis] = pair
            y = pad(y, tuple(widths))
        index = [slice(None)] * ndim
        for axis, (start, stop) in zip(spatial, self.slices):
            index[axis] = slice(start, y.shape[axis] - stop)
        return y[tuple(index)]


def full(rank: int) -> tuple[tuple[int, int], ...]:
    """The uncropped output's crops in `rank` axes: every framework can compute it."""
    return ((0, 0),) * rank


def composed_reason(*why: str) -> str:
    return "composed: " + "; ".join(w for w in why if w)
