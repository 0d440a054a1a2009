"""Run one case through one adapter and judge it against the oracle.

The result is a plain dict (one line of results.jsonl): what was run, what
came back, how far from the oracle in absolute terms and relative to the
bound, and the outcome: passed, failed (with the way it failed) or skipped
(with the adapter's reason). An exception from the framework is a failure of
kind "error", never a crash of the run.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable

import numpy as np

from convt_suite.adapters import oracle
from convt_suite.adapters.base import Adapter, Plan, adapter_plan, declined
from convt_suite.core import tolerance
from convt_suite.core.cases import Case
from convt_suite.core.failures import WorkerFailure
from convt_suite.core.native import NativeCase
from convt_suite.core.records import plan_words
from convt_suite.core.vocabulary import NATIVE_KINDS, Kind  # noqa: F401  (NATIVE_KINDS: re-exported)

_VERSIONS: dict = {}


def versions(adapter) -> dict:
    """The framework versions behind an adapter (optional for plug-ins), cached."""
    key = id(adapter)
    if key not in _VERSIONS:
        found = getattr(adapter, "versions", None)
        try:
            _VERSIONS[key] = found() if found else {}
        except WorkerFailure:
            raise
        except Exception as err:  # an unavailable framework says so
            _VERSIONS[key] = {"error": str(err)}
    return _VERSIONS[key]


def rank_declined(adapter, spec) -> str | None:
    """Why an adapter is not asked a spec of this rank: the ranks it declares
    (`ranks`); a plug-in that declares none is a 2-D adapter, as every adapter
    was before 1-D and 3-D, and is never handed another rank."""
    ranks = tuple(getattr(adapter, "ranks", Adapter.ranks))
    if spec.rank in ranks:
        return None
    if hasattr(adapter, "rank_declined"):   # an Adapter's own words
        return adapter.rank_declined(spec.rank)
    return (f"{adapter.name} declares ranks {ranks}, not {spec.rank}-D (an adapter computes "
            f"another rank once it says so: ranks = (1, 2, 3))")


def _check(adapter, case, dtype: str, kind: str, run, judge_result, spec=None,
           refusal: str | None = None) -> dict:
    """What every check shares: the record, the adapter's refusal, timing,
    and a framework exception recorded as a failure (never a crash of the
    run). An adapter declines with `convt_suite.adapters.Decline` (skipped, with its
    reason); a worker that crashed or hung is a failure "crash" or "timeout".

    A native case (convt_suite/core/native.py) passes its `spec` (the prediction,
    or its tensors' probe where the framework must refuse, `refusal` saying
    why): an exception is then the right answer, and its judge says what a
    result is (`accepted`: the failure "accepts-invalid")."""
    spec = spec or case.spec
    record = {
        "kind": kind,
        "adapter": adapter.name,
        "dtype": dtype,
        "case": case.to_dict(),
        "describe": str(case),
    }
    if refusal is None:
        record["expected_shape"] = list(spec.output_shape(case.input_shape))
    else:
        record["expected_refusal"] = refusal
    native = isinstance(case, NativeCase)
    if native:
        record["native"] = case.normalized()
    started = time.perf_counter()
    try:
        # a native call is the framework's own: ask the adapter only whether it
        # runs this dtype here (its translation rules are not in question)
        reason = rank_declined(adapter, spec) or adapter.supports(case.probe() if native else spec, dtype)
        if reason is not None:
            return {**record, "outcome": "skipped", "reason": str(reason)}
        record["plan"] = (Plan(f"native: {case.code()}") if native
                          else adapter_plan(adapter, spec, dtype, case.input_shape)).to_dict()
        record["versions"] = versions(adapter)
        x, weight, bias = case.tensors(dtype)
        started = time.perf_counter()
        got = run(x, weight, bias)
    except WorkerFailure as err:
        return {**record, "outcome": "failed", "failure": err.failure,
                "seconds": time.perf_counter() - started, "error": str(err),
                "stderr_tail": err.stderr_tail}
    except Exception as err:
        reason = declined(err, adapter)
        if reason is not None:
            return {**record, "outcome": "skipped", "reason": reason}
        if refusal is not None:   # refused, as it must
            return {**record, "outcome": "passed", "seconds": time.perf_counter() - started,
                    "refused_with": f"{type(err).__name__}: {err}"}
        return {
            **record, "outcome": "failed", "failure": "error",
            "seconds": time.perf_counter() - started,
            "error": f"{type(err).__name__}: {err}",
            "traceback": getattr(err, "remote_traceback", "") or traceback.format_exc(limit=-3),
        }
    record["seconds"] = time.perf_counter() - started
    found = kernels_of(adapter)
    if found:
        record["kernels"] = found
    return {**record, **judge_result(got, x, weight, bias)}


def kernels_of(adapter) -> list[dict]:
    """The native kernels the adapter's last call ran, where it can say
    (adapters' optional kernels(): convt_suite/host/kernels.py)."""
    ask = getattr(adapter, "kernels", None)
    if ask is None:
        return []
    try:
        return [dict(k) for k in ask()]
    except Exception:   # a plug-in's broken kernels() costs the record its kernels only
        return []


def judge_output(spec, refusal, dtype: str):
    """The judge of a native call's output: against the oracle for `spec`,
    or `accepted` where it had to be refused."""
    return accepted if refusal else lambda out, x, w, b: judge(out, x, w, b, spec, dtype)


def accepted(got, *_) -> dict:
    """The judge of a call that had to be refused and returned (an output,
    or gradients): the failure "accepts-invalid", with the shape it gave."""
    shapes = [list(np.shape(g)) for g in (got if isinstance(got, tuple) else (got,)) if g is not None]
    return {"outcome": "failed", "failure": "accepts-invalid", "actual_shape": shapes[0] if shapes else None}


def check_forward(adapter, case: Case, dtype: str) -> dict:
    return _check(adapter, case, dtype, "forward",
                  lambda x, w, b: adapter.forward(x, w, b, case.spec),
                  lambda out, x, w, b: judge(out, x, w, b, case.spec, dtype))


def check_vjp(adapter, case: Case, dtype: str) -> dict:
    """grad_x, grad_weight and grad_bias for a random upstream gradient, each
    against the oracle's with its own bound (its own accumulation length)."""
    grad_out = case.upstream_gradient(dtype)
    return _check(adapter, case, dtype, "vjp",
                  lambda x, w, b: adapter.vjp(x, w, b, case.spec, grad_out),
                  judge_gradients(case.spec, grad_out, dtype))


def judge_gradients(spec, grad_out, dtype: str):
    """The judge of a vjp's (grad_x, grad_weight, grad_bias) for `spec`."""

    def judge_them(grads, x, weight, bias):
        references = oracle.vjp(x, weight, bias, spec, grad_out)
        magnitudes = oracle.vjp_magnitude(x, weight, bias, spec, grad_out)
        terms = tolerance.vjp_sums(spec, x.shape)
        partials = (oracle.vjp_partials_magnitude(x, weight, bias, spec, grad_out)
                    if any(tolerance.partials_in_storage(dtype, t) for t in terms) else (None,) * 3)
        verdict = {"gradients": {}}
        worst = None
        for name, got, reference, magnitude, count, partial in zip(
                GRADIENTS, grads, references, magnitudes, terms, partials):
            if reference is None:
                if got is not None:
                    verdict["gradients"][name] = {"failure": "shape", "actual_shape": list(np.shape(got))}
                continue
            part = compare_tensor(got, reference, magnitude, dtype, count, partial)
            part.pop("ratios", None)
            verdict["gradients"][name] = {k: v for k, v in part.items() if k != "error_map"}
            if part.get("failure") and worst is None:
                worst = (name, part)
        ratios = [g["max_error_over_bound"] for g in verdict["gradients"].values()
                  if "max_error_over_bound" in g]
        errors = [g["max_abs_error"] for g in verdict["gradients"].values() if "max_abs_error" in g]
        verdict["max_error_over_bound"] = max(ratios, default=0.0)
        verdict["max_abs_error"] = max(errors, default=0.0)
        if worst is None:
            return {**verdict, "outcome": "passed"}
        name, part = worst
        return {**verdict, "outcome": "failed", "failure": part["failure"], "failed_gradient": name,
                "error_map": part.get("error_map"), "error_map_of": name}

    return judge_them


def check_native(adapter, case: NativeCase, dtype: str) -> dict:
    """The framework called with a native case's parameters as drawn: the
    output `Spec.from_<framework>` predicts (shape and values, against the
    oracle), or a refusal where the parameters are invalid."""
    spec, refusal = case.expectation()
    return _check(adapter, case, dtype, "native",
                  lambda x, w, b: adapter.native_forward(x, w, b, case.call),
                  judge_output(spec, refusal, dtype),
                  spec=spec or case.probe(), refusal=refusal)


def check_in_model(adapter, case: NativeCase, dtype: str) -> dict:
    """The same native call run inside the framework's model machinery (the
    adapter's `model_machinery`: jax.jit, tf.function, TorchScript, a Keras
    Functional model's predict), judged as the eager call is."""
    spec, refusal = case.expectation()
    record = _check(adapter, case, dtype, "in model",
                    lambda x, w, b: adapter.native_in_model(x, w, b, case.call),
                    judge_output(spec, refusal, dtype),
                    spec=spec or case.probe(), refusal=refusal)
    if "plan" in record:
        record["plan"]["words"] += f" run in {getattr(adapter, 'model_machinery', None) or 'its model machinery'}"
    return record


def check_round_trip(adapter, case: NativeCase, dtype: str) -> dict:
    """The native call's layer saved and loaded each way its users do
    (torch.save, state_dict, torch.export; a SavedModel; jax.export; Keras's
    get_config/from_config and .keras files), then run: each against the
    oracle, and whether it still computes the eager call's bits. Where the
    call must be refused, the eager call must refuse."""
    spec, refusal = case.expectation()

    def run(x, weight, bias):
        # the trips first: an adapter with nothing to save declines before the eager call runs
        trips = adapter.native_round_trips(x, weight, bias, case.call)
        return adapter.native_forward(x, weight, bias, case.call), trips

    def judge_trips(got, x, weight, bias):
        eager, trips = got
        if not trips:   # nothing saved and loaded has not passed anything
            return {"outcome": "skipped", "reason": f"{adapter.name} made no round trips"}
        ways, worst = {}, None
        for way, out in trips.items():
            if isinstance(out, str):
                part = {"outcome": "failed", "failure": "error", "error": out}
            else:
                part = judge(out, x, weight, bias, spec, dtype)
                part = {k: v for k, v in part.items() if k != "error_map"}
                part["same_bits_as_eager"] = (np.shape(out) == np.shape(eager)
                                              and np.asarray(out).tobytes() == np.asarray(eager).tobytes())
            ways[way] = part
            if part["outcome"] == "failed" and worst is None:
                worst = way
        ratios = [p["max_error_over_bound"] for p in ways.values() if "max_error_over_bound" in p]
        verdict = {"ways": ways, "max_error_over_bound": max(ratios, default=0.0),
                   "max_abs_error": max((p["max_abs_error"] for p in ways.values()
                                         if "max_abs_error" in p), default=0.0)}
        if worst is None:
            return {**verdict, "outcome": "passed"}
        part = ways[worst]
        return {**verdict, "outcome": "failed", "failure": part["failure"], "failed_way": worst,
                **{k: part[k] for k in ("error", "actual_shape") if k in part}}

    record = _check(adapter, case, dtype, "round trip", run,
                    (lambda got, *_: accepted(got[0])) if refusal else judge_trips,
                    spec=spec or case.probe(), refusal=refusal)
    if "plan" in record:
        record["plan"]["words"] += " saved and loaded: " + ", ".join(record.get("ways") or ["(refused)"])
    return record


def check_declared_shape(adapter, case: NativeCase, dtype: str) -> dict:
    """What the framework *says* a native call's output shape will be, by
    each facility it has (meta tensors, jax.eval_shape, a tf.function's
    static shape, Keras's compute_output_shape and symbolic call), against
    the spec's: equal, or a refusal where there is no output. (The native
    check holds what the call returns to the same shape.)"""
    spec, refusal = case.expectation()
    expected = None if spec is None else list(spec.output_shape(case.input_shape))

    def judge_declared(declared, *_):
        verdict = {"declared": declared}
        if not declared:   # a plug-in declaring nothing has not passed anything
            return {**verdict, "outcome": "skipped", "reason": f"{adapter.name} declared no shapes"}
        shapes = {name: shape for name, shape in declared.items() if isinstance(shape, list)}
        if expected is None:
            if not shapes:
                return {**verdict, "outcome": "passed", "refused_with": "; ".join(declared.values())}
            name, shape = next(iter(shapes.items()))
            return {**verdict, "outcome": "failed", "failure": "accepts-invalid",
                    "actual_shape": shape, "declared_by": name}
        wrong = {name: shape for name, shape in declared.items() if shape != expected}
        if not wrong:
            return {**verdict, "outcome": "passed", "actual_shape": expected}
        name, shape = next(iter(wrong.items()))
        if not isinstance(shape, list):   # refused to declare a shape the call has
            return {**verdict, "outcome": "failed", "failure": "error", "error": shape,
                    "declared_by": name}
        return {**verdict, "outcome": "failed", "failure": "declared-shape", "actual_shape": shape,
                "declared_by": name}

    return _check(adapter, case, dtype, "declared shape",
                  lambda x, w, b: adapter.native_declared_shapes(x, w, b, case.call),
                  judge_declared, spec=spec or case.probe(), refusal=refusal)


def check_native_vjp(adapter, case: NativeCase, dtype: str) -> dict:
    """The gradients of the native call, as check_vjp's; a refusal where the
    parameters are invalid (the gradient of nothing)."""
    spec, refusal = case.expectation()
    if spec is None:
        return {**check_native(adapter, case, dtype), "kind": "native vjp"}
    grad_out = case.upstream_gradient(dtype)
    return _check(adapter, case, dtype, "native vjp",
                  lambda x, w, b: adapter.native_vjp(x, w, b, case.call, grad_out),
                  judge_gradients(spec, grad_out, dtype), spec=spec)


def check_determinism(adapter, case: Case, dtype: str) -> dict:
    """The same forward call twice must give bitwise-identical output (CPU)."""

    def twice(x, weight, bias):
        return adapter.forward(x, weight, bias, case.spec), adapter.forward(x, weight, bias, case.spec)

    def judge_twice(outputs, x, weight, bias):
        first, second = (np.asarray(o) for o in outputs)
        same = first.shape == second.shape and first.tobytes() == second.tobytes()
        if same:
            return {"outcome": "passed", "bitwise_identical": True}
        difference = (float(np.nanmax(np.abs(first.astype(np.float64) - second.astype(np.float64))))
                      if first.shape == second.shape and first.size else None)
        return {"outcome": "failed", "failure": "nondeterministic", "bitwise_identical": False,
                "max_abs_difference": difference}

    return _check(adapter, case, dtype, "determinism", twice, judge_twice)


def check_special(adapter, case: Case, dtype: str) -> dict:
    """Forward with NaN/±inf in the inputs or an overflowing scale: NaN and
    infinities exactly where the oracle (float64, IEEE) has them, ±inf where
    the exact result overflows the dtype, the bound elsewhere."""
    return {**check_forward(adapter, case, dtype), "kind": "special"}


GRADIENTS = ("grad_x", "grad_weight", "grad_bias")
CHECKS: dict[str, Callable[..., dict]] = {
    Kind.FORWARD: check_forward, Kind.VJP: check_vjp, Kind.DETERMINISM: check_determinism,
    Kind.SPECIAL: check_special, Kind.NATIVE: check_native, Kind.NATIVE_VJP: check_native_vjp,
    Kind.DECLARED_SHAPE: check_declared_shape, Kind.IN_MODEL: check_in_model,
    Kind.ROUND_TRIP: check_round_trip}
assert set(CHECKS) == set(Kind), "a check for every kind"


def compare_tensor(out, reference, magnitude, dtype: str, terms: tolerance.Sums | int,
                   partials=None) -> dict:
    """One tensor against its float64 reference: shapes, dtype, max |error|,
    max error / bound, and the failure (shape, dtype, values) if any.
    `partials`: Σ|partial| per element, where tolerance.partials_in_storage()."""
    out = np.asarray(out)
    verdict = {"expected_shape": list(reference.shape), "actual_shape": list(out.shape),
               "actual_dtype": out.dtype.name}
    if out.shape != reference.shape:
        return {**verdict, "failure": "shape"}
    with np.errstate(invalid="ignore", over="ignore"):
        allowed = tolerance.bound(reference, magnitude, dtype, terms, partials)
    actual = out.astype(np.float64)
    # where the exact result overflows the dtype, the right answer is ±inf
    expected, either = tolerance.overflow_aware(reference, allowed, dtype)
    if either.any():
        same_inf = either & np.isinf(actual) & (np.sign(actual) == np.sign(reference))
        expected = np.where(same_inf, actual, np.where(either, reference, expected))
    error, ratio, ratios = tolerance.error_ratio(actual, expected, allowed, per_element=True)
    verdict["max_abs_error"], verdict["max_error_over_bound"] = error, ratio
    verdict.update(nonfinite_disagreements(actual, expected, ratios))
    verdict["bound_over_output"] = bound_over_output(allowed, reference)
    if out.dtype.name != dtype:
        return {**verdict, "failure": "dtype"}
    if not ratio <= 1.0:
        return {**verdict, "failure": "values", "error_map": error_map(ratios)}
    return verdict


SAMPLE = 65536   # elements bound_over_output looks at, evenly spaced


def bound_over_output(allowed, reference) -> float:
    """The bound's median over the oracle's median |value|, on an evenly
    spaced sample: how large an error the check lets pass, relative to the
    output. A correct kernel's errors run at about the dtype's unit
    roundoff; where this is near 1 or above (a 16-bit dtype at model scale:
    the bound grows with the products per output) only gross errors fail."""
    step = max(1, reference.size // SAMPLE)
    size = np.abs(reference.flat[::step])   # .flat copies the sample alone (ravel: the whole array)
    bound = np.asarray(allowed).flat[::step]
    keep = np.isfinite(size) & np.isfinite(bound)
    if not keep.any():
        return 0.0
    typical = float(np.median(size[keep]))
    return float(np.median(bound[keep])) / typical if typical > 0 else 0.0


def nonfinite_disagreements(actual, expected, ratios) -> dict:
    """How non-finite values disagree, and how far off the finite ones are:
    what a known finding about overflow or NaN spreading may explain."""
    finite = np.isfinite(actual) & np.isfinite(expected)
    if finite.all():   # the common case: nothing to count, every ratio finite
        return {"unexpected_inf": 0, "unexpected_nan": 0, "missing_nonfinite": 0, "wrong_nonfinite": 0,
                "finite_error_over_bound": float(ratios.max()) if ratios.size else 0.0}
    both = ~np.isfinite(actual) & ~np.isfinite(expected)
    with np.errstate(invalid="ignore"):
        same = (np.isnan(actual) & np.isnan(expected)) | (actual == expected)
    return {
        "unexpected_inf": int(np.sum(np.isinf(actual) & np.isfinite(expected))),
        "unexpected_nan": int(np.sum(np.isnan(actual) & ~np.isnan(expected))),
        "missing_nonfinite": int(np.sum(~np.isfinite(expected) & np.isfinite(actual))),
        # non-finite on both sides, but not the same: an infinity for a NaN, or of the other sign
        "wrong_nonfinite": int(np.sum(both & ~same & ~np.isnan(actual))),
        "finite_error_over_bound": float(ratios[finite].max()) if finite.any() else 0.0,
    }


def judge(out, x, weight, bias, spec, dtype: str) -> dict:
    """Compare one forward output with the oracle: shapes, dtype, error and
    error/bound, and the outcome ('passed', or 'failed' with the failure)."""
    sums = tolerance.forward_sums(spec, np.shape(x))
    if tolerance.partials_in_storage(dtype, sums):
        reference, partials = oracle.reference_and_partials(x, weight, bias, spec)
    else:
        reference, partials = oracle.conv_transpose(x, weight, bias, spec), None
    verdict = compare_tensor(out, reference, oracle.magnitude(x, weight, bias, spec), dtype, sums, partials)
    verdict["expected_shape"] = list(spec.output_shape(x.shape))
    failure = verdict.pop("failure", None)
    return {**verdict, "outcome": "failed" if failure else "passed",
            **({"failure": failure} if failure else {})}


ERROR_MAP_LIMIT = 4096  # elements of (C, H, W): shrunk failures are far smaller


def error_map(ratios: np.ndarray):
    """error / bound per (channel, row, column), the worst over the batch (and
    over the depth in 3-D; a 1-D output is one row), to 2 significant digits
    (inf stays inf), for the report's heatmaps; None when too large to store
    in every failing record."""
    if ratios.ndim not in (3, 4, 5) or ratios.shape[0] == 0:
        return None
    worst = ratios.max(axis=0)
    if worst.ndim == 2:     # 1-D: (C, W) -> (C, 1, W)
        worst = worst[:, None, :]
    elif worst.ndim == 4:   # 3-D: (C, D, H, W) -> the worst over D
        worst = worst.max(axis=1)
    if worst.size > ERROR_MAP_LIMIT:
        return None
    return [[[float(f"{v:.2g}") for v in row] for row in channel] for channel in worst]


def explain(record: dict) -> str:
    """A failure message that says what to reproduce and what went wrong."""
    lines = [
        f"{record['adapter']} {record['kind']} {record['dtype']} disagrees with the oracle "
        f"({record.get('failure')}), plan: {plan_words(record)}",
        f"  case: {record['describe']}",
    ]
    if "expected_shape" in record:
        lines.append(f"  expected shape {tuple(record['expected_shape'])}")
    else:
        lines.append(f"  expected a refusal: {record.get('expected_refusal')}")
    if record.get("actual_shape") is not None:
        lines.append(f"  actual shape   {tuple(record['actual_shape'])} ({record.get('actual_dtype', '?')})")
    if "max_error_over_bound" in record:
        lines.append(
            f"  max |error| {record['max_abs_error']:.3g} = "
            f"{record['max_error_over_bound']:.3g} x the bound")
    if "error" in record:
        lines.append(f"  raised {record['error']}")
    return "\n".join(lines)
