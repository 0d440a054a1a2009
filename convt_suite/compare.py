"""Run one case through one adapter and judge it against the oracle.

The result is a plain dict (one line of results.jsonl): what was run, what
came back, how far from the oracle in absolute terms and relative to the
bound, and the outcome: passed, failed (with the way it failed) or skipped
(with the adapter's reason). An exception from the framework is a failure of
kind "error", never a crash of the run.
"""

from __future__ import annotations

import inspect
import time
import traceback

import numpy as np

from adapters import oracle
from adapters.spec import accumulation_length

from . import tolerance
from .cases import Case


_VERSIONS: dict = {}


def versions(adapter) -> dict:
    """The framework versions behind an adapter (optional for plug-ins), cached."""
    key = id(adapter)
    if key not in _VERSIONS:
        found = getattr(adapter, "versions", None)
        try:
            _VERSIONS[key] = found() if found else {}
        except Exception as err:  # an unavailable framework says so
            _VERSIONS[key] = {"error": str(err)}
    return _VERSIONS[key]


def _plan(adapter, case: Case, dtype) -> str:
    """The adapter's own word on native vs composed (optional for plug-ins);
    built-ins whose plan depends on the input size take it as a keyword."""
    plan = getattr(adapter, "plan", None)
    if plan is None:
        return "native"
    if "input_shape" in inspect.signature(plan).parameters:
        return plan(case.spec, dtype, input_shape=case.input_shape)
    return plan(case.spec, dtype)


def check_forward(adapter, case: Case, dtype: str) -> dict:
    spec = case.spec
    record = {
        "kind": "forward",
        "adapter": adapter.name,
        "dtype": dtype,
        "case": case.to_dict(),
        "describe": str(case),
        "expected_shape": list(spec.output_shape(case.input_shape)),
    }
    reason = adapter.supports(spec, dtype)
    if reason is not None:
        return {**record, "outcome": "skipped", "reason": str(reason)}
    record["plan"] = _plan(adapter, case, dtype)
    record["versions"] = versions(adapter)
    x, weight, bias = case.tensors(dtype)
    started = time.perf_counter()
    try:
        out = adapter.forward(x, weight, bias, spec)
    except Exception as err:
        return {
            **record, "outcome": "failed", "failure": "error",
            "seconds": time.perf_counter() - started,
            "error": f"{type(err).__name__}: {err}",
            "traceback": traceback.format_exc(limit=-3),
        }
    record["seconds"] = time.perf_counter() - started
    return {**record, **judge(out, x, weight, bias, spec, dtype)}


def judge(out, x, weight, bias, spec, dtype: str) -> dict:
    """Compare one output with the oracle: shapes, dtype, error and error/bound,
    and the outcome ('passed', or 'failed' with the failure: shape, dtype, values)."""
    out = np.asarray(out)
    verdict = {
        "expected_shape": list(spec.output_shape(x.shape)),
        "actual_shape": list(out.shape),
        "actual_dtype": out.dtype.name,
    }
    if tuple(out.shape) != tuple(verdict["expected_shape"]):
        return {**verdict, "outcome": "failed", "failure": "shape"}
    reference = oracle.conv_transpose2d(x, weight, bias, spec)
    allowed = tolerance.bound(
        reference, oracle.magnitude(x, weight, bias, spec), dtype, accumulation_length(spec))
    error, ratio, ratios = tolerance.error_ratio(out, reference, allowed, per_element=True)
    verdict["max_abs_error"], verdict["max_error_over_bound"] = error, ratio
    if out.dtype.name != dtype:
        return {**verdict, "outcome": "failed", "failure": "dtype"}
    if not ratio <= 1.0:
        return {**verdict, "outcome": "failed", "failure": "values",
                "error_map": error_map(ratios)}
    return {**verdict, "outcome": "passed"}


ERROR_MAP_LIMIT = 4096  # elements of (C, H, W): shrunk failures are far smaller


def error_map(ratios: np.ndarray):
    """error / bound per (channel, row, column), the worst over the batch, to
    2 significant digits (inf stays inf), for the report's heatmaps; None when
    the output is too large to be worth storing in every failing record."""
    if ratios.shape[0] == 0 or np.prod(ratios.shape[1:]) > ERROR_MAP_LIMIT:
        return None
    worst = ratios.max(axis=0)
    return [[[float(f"{v:.2g}") for v in row] for row in channel] for channel in worst]


def explain(record: dict) -> str:
    """A failure message that says what to reproduce and what went wrong."""
    lines = [
        f"{record['adapter']} {record['kind']} {record['dtype']} disagrees with the oracle "
        f"({record.get('failure')}), plan: {record.get('plan', '?')}",
        f"  case: {record['describe']}",
        f"  expected shape {tuple(record['expected_shape'])}",
    ]
    if "actual_shape" in record:
        lines.append(f"  actual shape   {tuple(record['actual_shape'])} ({record['actual_dtype']})")
    if "max_error_over_bound" in record:
        lines.append(
            f"  max |error| {record['max_abs_error']:.3g} = "
            f"{record['max_error_over_bound']:.3g} x the bound")
    if "error" in record:
        lines.append(f"  raised {record['error']}")
    return "\n".join(lines)
