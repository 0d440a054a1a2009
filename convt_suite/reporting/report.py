"""The discrepancy report, rendered from results files alone (no framework
needed): reports/index.html (self-contained: inline CSS, images as data
URIs, no script), reports/summary.json and reports/junit.xml.

    convt-suite report reports/results.jsonl [more.jsonl ...] [--out reports]

Several files merge (a version matrix); the report says which run each
header came from.
"""

from __future__ import annotations

import base64
import io
import json
import math
import warnings
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

from convt_suite.adapters.base import DTYPES
from convt_suite.core import results
from convt_suite.core.cases import Case
from convt_suite.core.model_scale import LAYERS, products
from convt_suite.core.records import composed, plan_of, plan_words, record_rank
from convt_suite.findings import model as known_findings
from convt_suite.porting.snippets import native_forms, snippet
from convt_suite.reporting import version_grid as versions
from convt_suite.studies.overlap import overlap

TEMPLATE_DIR = Path(__file__).with_name("templates")
FAILURE_RANK = {"error": 4, "shape": 3, "dtype": 2, "accepts-invalid": 2, "values": 1}


# ------------------------------------------------------------------ features
def features(record: dict) -> list[str]:
    """The parameter features a check exercises (capability matrix and the
    parameter pattern of a discrepancy)."""
    case = record["case"]
    spec, shape = case["spec"], case["input_shape"]
    crops = [c for pair in spec["padding"] for c in pair]
    found = [rank_label(record_rank(record))]
    if max(spec["stride"]) > 1:
        found.append("stride > 1")
    if spec["groups"] > 1:
        found.append("groups > 1")
    if max(spec["dilation"]) > 1:
        found.append("dilation > 1")
    if any(before != after for before, after in spec["padding"]):
        found.append("asymmetric crops")
    if min(crops) < 0:
        found.append("negative crops")
    if spec["bias"]:
        found.append("bias")
    if shape[0] == 0:
        found.append("batch 0")
    if any(k % 2 == 0 for k in spec["kernel_size"]):
        found.append("even kernel")
    if any(s > k for s, k in zip(spec["stride"], spec["kernel_size"])):
        found.append("stride > kernel")
    return found


RANK_LABELS = ["1-D", "2-D", "3-D"]
CAPABILITY_FEATURES = [*RANK_LABELS, "stride > 1", "groups > 1", "dilation > 1", "asymmetric crops",
                       "negative crops", "bias", "batch 0"]


def rank_label(rank: int) -> str:
    return f"{rank}-D"


def _plan_kind(record: dict) -> str:
    if record["outcome"] == "skipped":
        return "unsupported"
    return "composed" if composed(record) else "native"


def capability_matrix(checks: list[dict], adapters: list[str], unavailable=None) -> dict:
    """adapter -> column -> {label, counts, reasons}: native, composed or
    unsupported; an adapter that could not load at all: unavailable, and why."""
    unavailable = unavailable or {}
    dtypes = sorted({r["dtype"] for r in checks}, key=DTYPES.index) or list(DTYPES)
    columns = CAPABILITY_FEATURES + dtypes
    matrix: dict = {a: {c: {"counts": Counter(), "reasons": Counter()} for c in columns}
                    for a in adapters}
    for record in checks:
        keys = features(record) + [record["dtype"]]
        kind = _plan_kind(record)
        why = record.get("reason") if kind == "unsupported" else plan_of(record).get("words")
        for key in keys:
            if key in matrix[record["adapter"]]:
                cell = matrix[record["adapter"]][key]
                cell["counts"][kind] += 1
                if kind != "native" and why:
                    cell["reasons"][why] += 1
    for adapter, reason in unavailable.items():
        for cell in matrix[adapter].values():
            cell["reasons"][reason] += 1
    notes: list[str] = []  # each distinct reason once, numbered in order of appearance
    for adapter, row in matrix.items():
        for cell in row.values():
            counts = cell["counts"]
            cell["label"] = ("unavailable" if adapter in unavailable else
                             next((k for k in ("native", "composed", "unsupported") if counts[k]), "not run"))
            cell["title"] = ", ".join(f"{k} {v}" for k, v in counts.items()) + "".join(
                f"\n{reason}" for reason, _ in cell["reasons"].most_common(3))
            cell["notes"] = []
            for reason, _ in cell["reasons"].most_common():
                if reason not in notes:
                    notes.append(reason)
                cell["notes"].append(notes.index(reason) + 1)
    return {"columns": columns, "rows": matrix, "notes": notes}


# -------------------------------------------------------------- discrepancies
def _size(record: dict) -> tuple:
    case = record["case"]
    spec = case["spec"]
    return (math.prod(case["input_shape"]) + 1, spec["in_channels"] * spec["out_channels"],
            math.prod(spec["kernel_size"]), sum(abs(c) for p in spec["padding"] for c in p))


def discrepancies(checks: list[dict], selectors: dict) -> list[dict]:
    """Failed checks grouped by (adapter, kind, failure), with the parameter
    pattern every member shares, the minimal example (hypothesis's shrunk one:
    the last failure of each test, the smallest of those), most severe first."""
    groups = defaultdict(list)
    for record in checks:
        if record["outcome"] == "failed":
            groups[(record["adapter"], record["kind"], record.get("failure"))].append(record)
    found = []
    for (adapter, kind, failure), members in groups.items():
        shared = set(features(members[0]))
        for member in members[1:]:
            shared &= set(features(member))
        last_per_test = {}
        for member in members:  # file order: hypothesis replays the shrunk example last
            last_per_test[member.get("test")] = member
        minimal = min(last_per_test.values(), key=_size)
        case = Case.from_dict(minimal["case"])
        ratios = [r for m in members if (r := m.get("max_error_over_bound")) is not None]
        found.append({
            "adapter": adapter, "kind": kind, "failure": failure,
            # 2-D alone is no pattern (most checks are 2-D); 1-D or 3-D alone is one
            "pattern": [f for f in CAPABILITY_FEATURES + ["even kernel", "stride > kernel"] if f in shared]
                       if shared - {rank_label(2)} else ["no single feature: see the minimal example"],
            "count": len(members),
            "dtypes": sorted({m["dtype"] for m in members}),
            "worst_ratio": max(ratios) if ratios else None,
            "minimal": minimal,
            "plan": plan_words(minimal, "—"),
            "phases": sorted({m.get("phase") or "fixed" for m in members}, key=PHASES.index),
            "case": str(case),
            "forms": native_forms(case.spec, case.input_shape),
            "snippet": snippet(minimal, selectors.get(adapter)),
            "heatmap": heatmap(minimal.get("error_map")),
            "overlap": overlap(case.spec, case.input_shape[2:]),
            "severity": (FAILURE_RANK.get(failure or "", 0), max(ratios) if ratios else math.inf, len(members)),
        })
    return sorted(found, key=lambda d: d["severity"], reverse=True)


def heatmap(error_map) -> str | None:
    """A PNG data URI: log10(error / bound) per output element, one panel per channel."""
    if not error_map:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    values = np.asarray(error_map, dtype=float)
    channels = values.shape[0]
    with np.errstate(divide="ignore"):
        logs = np.log10(np.where(values > 0, values, np.nan))
    finite = logs[np.isfinite(logs)]
    top = float(finite.max()) if finite.size else 1.0
    logs = np.where(np.isinf(logs) & (logs > 0), top, logs)  # inf ratios: drawn at the top
    fig, axes = plt.subplots(1, channels, figsize=(min(2.2 * channels + 1, 16), 2.6), squeeze=False)
    image = None
    for c, axis in enumerate(axes[0]):
        image = axis.imshow(logs[c], cmap="magma", vmin=min(0.0, top - 1), vmax=max(top, 1.0),
                            interpolation="nearest")
        axis.set_title(f"channel {c}", fontsize=8)
        axis.tick_params(labelsize=6)
    assert image is not None   # at least one channel
    fig.colorbar(image, ax=axes[0].tolist(), label="log10(error / bound)", shrink=0.85)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


# ------------------------------------------------------------------ findings
def finding_rows(checks: list[dict], records: list[dict]) -> list[dict]:
    seen = Counter(r.get("finding") for r in checks if r["outcome"] == "known")
    lives_in: dict = defaultdict(Counter)   # finding -> the implementations of the checks it explains
    for r in checks:
        if r["outcome"] == "known":
            for kernel in r.get("kernels", ()):
                lives_in[r.get("finding")][kernel_name(kernel)] += 1
    reproduced = {r["id"]: r for r in records if r.get("type") == "finding"}
    rows = []
    for finding in known_findings.known():
        status = reproduced.get(finding.id)
        rows.append({
            "finding": finding,
            "checks": seen.get(finding.id, 0),
            "reproduced": None if status is None else status["reproduced"],
            "expected": None if status is None else status.get("expected"),   # holds_in here?
            "output": None if status is None else status.get("output", ""),
            "cached": None if status is None else status.get("cached"),   # probe_cache
            "not_run": None if status is None else status.get("not_run"),   # not for this CPU
            "kernels": dict(lives_in[finding.id].most_common()),
        })
    # the framework bugs first, then specified behaviour and the suite's own limits
    return sorted(rows, key=lambda row: not row["finding"].upstream.is_bug)


# ----------------------------------------------------------- kernel coverage
def kernel_name(kernel: dict) -> str:
    """"oneDNN deconvolution jit:avx512_core" (the direction and dtype are columns)."""
    return f"{kernel['library']} {kernel['primitive']} {kernel['implementation']}"


def _products(record: dict) -> int:
    """A check's multiply-adds (core/model_scale.py products); 0 where it has no case."""
    return products(Case.from_dict(record["case"])) if record.get("case") else 0


def kernel_coverage(checks: list[dict]) -> dict:
    """Per adapter, dtype and direction, the native implementations the checks
    reached (where the library says: host/kernels.py), by how many checks, how
    many of them failed, whether the small cases alone reach it or only the
    model-scale family does, and the smallest case that reached it."""
    cells: dict = {}
    for r in checks:
        for kernel in r.get("kernels", ()):
            key = (r["adapter"], r["dtype"], kernel["direction"], kernel_name(kernel))
            cell = cells.setdefault(key, {"checks": 0, "failed": 0, "known": 0, "small": 0, "model": 0,
                                          "smallest": None, "size": None})
            cell["checks"] += 1
            cell["failed"] += r["outcome"] == "failed"
            cell["known"] += r["outcome"] == "known"
            cell["model" if r.get("scale") else "small"] += 1
            size = _products(r)
            if cell["size"] is None or size < cell["size"]:
                cell["size"], cell["smallest"] = size, r["describe"]
    rows = [{"adapter": a, "dtype": d, "direction": direction, "implementation": name, **cell}
            for (a, d, direction, name), cell in sorted(cells.items(), key=lambda item: (
                item[0][0], DTYPES.index(item[0][1]) if item[0][1] in DTYPES else 9, item[0][2], item[0][3]))]
    only_model = sum(1 for row in rows if row["small"] == 0)
    silent = sorted({r["adapter"] for r in checks if r["outcome"] != "skipped"}
                    - {r["adapter"] for r in checks if r.get("kernels")})
    return {"rows": rows, "only_model_scale": only_model, "silent": silent}


# --------------------------------------------------------------- error paths
def error_path_table(records: list[dict]) -> dict:
    """scenario -> {rule, spec verdict, framework -> behaviour}; a framework that
    returns a result (or crashes) where the definition has none is a finding."""
    table: dict = {}
    frameworks: list[str] = []
    cached: dict = {}   # framework -> where its verdicts came from (probe_cache)
    for record in records:
        if record.get("type") != "error_path":
            continue
        if record.get("cached"):
            cached[record["framework"]] = record["cached"]
        row = table.setdefault(record["scenario"], {"rule": record["rule"], "spec": record["spec"],
                                                     "cells": {}})
        row["cells"][record["framework"]] = record
        if record["framework"] not in frameworks:
            frameworks.append(record["framework"])
    findings = [
        f"{cell['framework']}: {scenario}: "
        + (f"returns shape {cell.get('shape')}" if cell["outcome"] == "returned"
           else f"{cell['outcome']} ({cell.get('message', '')[:120]})")
        + " where the definition has no result"
        for scenario, row in table.items() for cell in row["cells"].values()
        if cell["outcome"] in ("returned", "crashed", "hung")
    ]
    return {"rows": table, "frameworks": frameworks, "findings": findings, "cached": cached}


# --------------------------------------------------------------------- runs
VOLATILE = ("started", "pid")  # differ from process to process, not between environments
SHOWN_UNFINISHED = 20  # the banner names this many unfinished tests; summary.json has them all


def run_rows(records: list[dict]) -> list[dict]:
    """One row per run id, in file order: start, duration, and whether it
    finished. A run is incomplete without an end record (killed, or still
    running), with fewer end records than run headers (older files: one header
    and one end per process), or when its end says it was interrupted (pytest's
    exit status 2); `problem` then says what did not finish, for the banner."""
    by_id: dict = {}
    for record in records:
        if "run" in record:
            by_id.setdefault(record["run"], []).append(record)
    rows = []
    for run_id, own in by_id.items():
        headers = [r for r in own if r.get("type") == "run"]
        workers = [r for r in own if r.get("type") == "worker"]
        ends = [r for r in own if r.get("type") == "end"]
        checks = [r for r in own if r.get("type", "check") == "check" and "adapter" in r]
        expected = []  # every adapter the run meant to check, headers' and workers' alike
        for name in [a for h in headers for a in h.get("adapters") or []] + [w.get("adapter") for w in workers]:
            if name and name not in expected:
                expected.append(name)
        unfinished = [t for e in ends for t in e.get("unfinished") or []]
        started = [(r.get("environment") or {}).get("started") for r in headers or workers]
        problem = None
        if not ends or len(ends) < len(headers):
            missing = (f"{len(headers) - len(ends)} of its {len(headers)} processes wrote no end record"
                       if ends else "it has no end record")
            # with workers side by side, the last few checks show who was still at work
            last = list(dict.fromkeys(r["adapter"] for r in reversed(checks[-10:])))
            silent = [a for a in expected if a not in {r["adapter"] for r in checks}]
            problem = (f"{missing}: it was killed or is still running; {len(checks)} checks recorded"
                       + (f", last from adapters {', '.join(last)}" if last else "")
                       + (f"; none from {', '.join(silent)}" if silent else ""))
        elif any(e.get("interrupted") or e.get("exitstatus") == 2 for e in ends):
            shown = ", ".join(unfinished[:SHOWN_UNFINISHED])
            more = len(unfinished) - SHOWN_UNFINISHED
            problem = ("interrupted; " + (f"unfinished: {shown}" if unfinished
                                          else "its end record does not name the unfinished tests")
                       + (f" and {more} more" if more > 0 else ""))
        rows.append({
            "run": run_id,
            "complete": problem is None,
            "problem": problem,
            "started": min((s for s in started if s), default=None),
            # older files' processes ran side by side: the run took as long as the longest
            "seconds": max((e["seconds"] for e in ends if e.get("seconds") is not None), default=None),
            "exitstatus": max((e["exitstatus"] for e in ends if e.get("exitstatus") is not None), default=None),
            "unfinished": unfinished,
            "hypothesis_profile": next((h.get("hypothesis_profile") for h in headers), None),
            "hypothesis_seed": next((h.get("hypothesis_seed") for h in headers), None),
            "exploration": next((h.get("exploration") for h in headers), None),
            "adapters": expected,
            "checks": len(checks),
        })
    return rows


def environment_tables(records: list[dict], runs: list[dict]) -> list[dict]:
    """One table per distinct environment (its dict less VOLATILE keys), with
    the adapters that ran in it and the runs it served. Worker records (one
    per adapter's process) say where each adapter ran; a run without them
    (older files) falls back to its headers' adapter lists. Identical
    environments merge: older files wrote one identical header per process."""
    with_workers = {r.get("run") for r in records if r.get("type") == "worker"}
    by_id = {row["run"]: row for row in runs}
    tables: dict = {}
    for record in records:
        if record.get("type") == "worker":
            names = [record.get("adapter")]
        elif record.get("type") == "run" and record.get("run") not in with_workers:
            names = record.get("adapters") or []
        else:
            continue
        environment = record.get("environment") or {}
        identity = json.dumps({k: v for k, v in environment.items() if k not in VOLATILE},
                              sort_keys=True, default=str)
        table = tables.setdefault(identity, {"environment": environment, "adapters": [], "runs": []})
        table["adapters"] += [n for n in names if n and n not in table["adapters"]]
        run = by_id.get(record.get("run"))
        if run is not None and run not in table["runs"]:
            table["runs"].append(run)
    return list(tables.values())


# --------------------------------------------------------------- exploration
PHASES = ["replay", "fixed", "explore"]   # sweeps.run_sweep's order; older files: "fixed"


def exploration_summary(checks: list[dict], runs: list[dict], found: list[dict]) -> dict:
    """What each phase ran and found: checks per adapter and phase, the
    discrepancies each phase met (new ones, a hunt's point, first), and the
    known findings exploration ran into."""
    ran: dict = defaultdict(Counter)
    known: dict = defaultdict(Counter)
    budgets: dict = {}
    for record in checks:
        phase = record.get("phase") or "fixed"
        ran[record["adapter"]][phase] += 1
        if record.get("budget"):
            budgets[record["adapter"]] = record["budget"]
        if record["outcome"] == "known":
            known[record["finding"]][phase] += 1
    return {
        "runs": [run for run in runs if run.get("exploration")],
        "phases": PHASES,
        "ran": dict(ran),
        "budgets": budgets,
        "new": [(index, d) for index, d in enumerate(found, 1) if set(d["phases"]) - {"fixed"}],
        "known": {finding: dict(count) for finding, count in known.items()
                  if set(count) - {"fixed"}},
    }


def pitfall_rows(records: list[dict], checks: list[dict]) -> list[dict]:
    """The pitfalls measured (the last measurement of each), each example
    with the framework runs of its native calls (the checks tagged
    pitfall_example): the measurement stands on the frameworks where they passed."""
    from convt_suite.studies import pitfalls

    # by (id, rank): a record from before the ranks is 2-D
    latest = {(r["id"], r.get("rank", 2)): r for r in records if r.get("type") == "pitfall"}
    order = [p.id for p in pitfalls.PITFALLS]
    latest = dict(sorted(latest.items(), key=lambda item: (
        order.index(item[0][0]) if item[0][0] in order else len(order), item[0][1])))
    runs = [c for c in checks if c.get("pitfall_example")]
    rows = []
    for result in latest.values():
        examples: list = []
        tally: Counter = Counter()
        for example in result["examples"]:
            ran = {}
            for key, side in (("source_case", "the layer as written"), ("naive_case", "the rule's call")):
                if example.get(key):
                    found = [{"adapter": c["adapter"], "outcome": c["outcome"], "finding": c.get("finding")}
                             for c in runs if pitfalls.same_case(c["case"], example[key])]
                    tally.update(r["outcome"] for r in found)
                    ran[side] = found
            examples.append({**example, "ran": ran})
        holds, wrong = pitfalls.always(result)
        rank = result.get("rank", 2)
        rows.append({**result, "rank": rank, "anchor": result["id"] + ("" if rank == 2 else f"-{rank}d"),
                     "moves": pitfalls.MOVES[rank], "deltas": pitfalls.DELTAS[rank],
                     "line": pitfalls.describe(result), "always_holds": holds,
                     "always_wrong": wrong, "examples": examples, "ran": dict(tally),
                     "top_shifts": pitfalls.top(result["shifts"]),
                     "top_deltas": pitfalls.top(result["shape_deltas"])})
    return rows


def bilinear_table(records: list[dict]) -> dict:
    """FCN's bilinear layer against each resize: rows (framework, mode),
    columns the factors, each cell its record (the last of each)."""
    from convt_suite.studies import bilinear

    cells = {}
    for r in records:
        if r.get("type") == "bilinear":
            cells[(r["framework"], r["mode"], r["factor"])] = {**r, "text": bilinear.describe(r)}
    factors = sorted({key[2] for key in cells})
    rows = list(dict.fromkeys(key[:2] for key in cells))
    return {"factors": factors, "layers": {f: bilinear.layer_code(f) for f in factors},
            "rows": [{"framework": fw, "mode": mode, "cells": [cells.get((fw, mode, f)) for f in factors]}
                     for fw, mode in rows]}


OUTCOME_RANK = {"failed": 3, "known": 2, "passed": 1, "skipped": 0}
SHORT_DTYPE = {"float16": "f16", "bfloat16": "bf16", "float32": "f32", "float64": "f64"}


def model_scale_table(checks: list[dict]) -> dict:
    """The model-scale family (core/model_scale.py): per named layer and
    adapter, what ran (kind and dtype) and how it came out; the drawn
    cases per adapter; how loose the bound is there, per dtype."""
    scaled = [r for r in checks if r.get("scale") == "model scale"]
    if not scaled:
        return {"rows": [], "adapters": []}
    adapters = sorted({r["adapter"] for r in scaled})
    cells: dict = defaultdict(list)
    for r in scaled:
        if "model_layer" in r:
            cells[(r["model_layer"], r["adapter"])].append(r)
    known = {layer.name: layer for layer in LAYERS}
    named = list(dict.fromkeys(r["model_layer"] for r in scaled if "model_layer" in r))
    rows = []
    for name in sorted(named, key=lambda n: list(known).index(n) if n in known else len(known)):
        layer = known.get(name)
        row = []
        for adapter in adapters:
            found = cells.get((name, adapter), [])
            ran = [r for r in found if r["outcome"] != "skipped"]
            worst = max(found, key=lambda r: OUTCOME_RANK[r["outcome"]], default=None)
            row.append({
                "outcome": worst["outcome"] if worst else None,
                "text": ", ".join(f"{r['kind']} {SHORT_DTYPE.get(r['dtype'], r['dtype'])}"
                                  + ("" if r["outcome"] == "passed" else f" {r['outcome']}")
                                  for r in ran) or ("declined" if found else "—"),
                "title": "; ".join(f"{r['kind']} {r['dtype']}: {r['outcome']}"
                                   + (f" ({r.get('failure')})" if r.get("failure") else "")
                                   + (f" {r['finding']}" if r.get("finding") else "")
                                   + (f" error/bound {r['max_error_over_bound']:.2g}"
                                      if isinstance(r.get("max_error_over_bound"), float) else "")
                                   + (f": {r['reason']}" if r.get("reason") else "") for r in found),
            })
        example = next(r for r in scaled if r.get("model_layer") == name)
        rows.append({"name": name, "source": layer.source if layer else "", "case": example["describe"],
                     "products": layer.products if layer else None, "cells": row})
    drawn: dict = defaultdict(Counter)
    for r in scaled:
        if "model_layer" not in r:
            drawn[r["adapter"]][r["outcome"]] += 1
    looseness: dict = defaultdict(list)
    for r in scaled:
        parts = [r, *r.get("gradients", {}).values()]
        looseness[r["dtype"]] += [p["bound_over_output"] for p in parts if "bound_over_output" in p]
    bound = {d: {"median": _median(v), "largest": max(v)} for d in DTYPES if (v := looseness.get(d))}
    budgets = sorted({f"{r['adapter']}: {r['budget']}" for r in scaled if r.get("budget")})
    return {"rows": rows, "adapters": adapters, "drawn": {a: dict(drawn[a]) for a in adapters},
            "bound": bound, "budgets": budgets, "checks": len(scaled)}


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


# -------------------------------------------------------------------- model
def build(records: list[dict], notes=()) -> dict:
    """The report's model; `notes` are the reader's (results.read_with_notes)."""
    headers = [r for r in records if r.get("type") == "run"]
    checks = [r for r in records if r.get("type", "check") == "check" and "adapter" in r]
    checked = {r["adapter"] for r in checks}
    unavailable = {r["adapter"]: r["reason"] for r in records
                   if r.get("type") == "unavailable" and r["adapter"] not in checked}
    adapters = sorted(checked | set(unavailable))
    selectors: dict = {}
    for header in headers:
        selectors.update(header.get("selectors") or {})
    for worker in (r for r in records if r.get("type") == "worker"):
        selectors.setdefault(worker["adapter"], worker.get("selector", worker["adapter"]))
    grid: dict = defaultdict(lambda: defaultdict(Counter))
    by_rank: dict = defaultdict(lambda: defaultdict(Counter))   # the summary's rank columns
    for record in checks:
        grid[record["adapter"]][f"{record['kind']} {record['dtype']}"][record["outcome"]] += 1
        by_rank[record["adapter"]][rank_label(record_rank(record))][record["outcome"]] += 1
    kinds = sorted({k for row in grid.values() for k in row})
    ranks = [label for label in RANK_LABELS if any(label in row for row in by_rank.values())]
    runs = run_rows(records)
    found = discrepancies(checks, selectors)
    return {
        "exploration": exploration_summary(checks, runs, found),
        "error_paths": error_path_table(records),
        "precision": [r for r in records if r.get("type") == "precision"],
        "pitfalls": pitfall_rows(records, checks),
        "bilinear": bilinear_table(records),
        "model_scale": model_scale_table(checks),
        "kernels": kernel_coverage(checks),
        "runs": runs,
        "incomplete": [run for run in runs if not run["complete"]],
        "failures_outside_checks": results.failures_outside_checks(records),
        "notes": list(notes),
        "environments": environment_tables(records, runs),
        "adapters": adapters,
        "kinds": kinds,
        "grid": grid,
        "ranks": ranks,
        "by_rank": by_rank,
        "table": results.summarize(checks),
        "capabilities": capability_matrix(checks, adapters, unavailable),
        "unavailable": unavailable,
        "discrepancies": found,
        "findings": finding_rows(checks, records),
        "total": len(checks),
        "failed": sum(r["outcome"] == "failed" for r in checks),
    }


def results_files(paths) -> list[Path]:
    """Files as given; a folder stands for every results.jsonl under it."""
    found = []
    for path in map(Path, paths):
        found += sorted(path.glob("**/results.jsonl")) if path.is_dir() else [path]
    if not found:
        raise FileNotFoundError(f"no results.jsonl under {', '.join(map(str, paths))}")
    return found


def version_grid(per_set: dict) -> dict:
    """The grid, each row with its evidence made readable: a discrepancy's
    minimal example and snippet, an error path's message, a decline's reason."""
    grid = versions.build(per_set)
    for row in grid["rows"]:
        evidence = row.pop("evidence")
        if row["kind"] == "discrepancy":
            selectors: dict = {}
            for header in per_set[row["evidence_set"]]:
                if header.get("type") == "run":
                    selectors.update(header.get("selectors") or {})
            found = discrepancies(evidence, selectors)[0]
            row["example"] = {"case": found["case"], "dtypes": found["dtypes"],
                              "snippet": found["snippet"], "error": found["minimal"].get("error")}
        elif row["kind"] == "error_path":
            row["example"] = {"error": evidence[0].get("message") or f"shape {evidence[0].get('shape')}"}
    return grid


def merged(paths) -> tuple[dict | None, list[dict], list[str], list[Path]]:
    """(the version grid, or None for one set; the records the report's other
    sections show; the reader's notes; the files read). Several version sets:
    the pinned set's records (or the first set's)."""
    given = [Path(p) for p in paths]
    files = results_files(given)
    per_set: dict = defaultdict(list)
    all_notes = []
    for path in files:
        records, notes = results.read_with_notes([path])
        per_set[versions.set_name(records, path)] += records
        all_notes += notes
    if len(per_set) == 1:
        return None, next(iter(per_set.values())), all_notes, files
    grid = version_grid(per_set)
    return grid, per_set[grid["columns"][0]["set"]], all_notes, files


def render(paths, out_dir=None) -> Path:
    """Write index.html, summary.json and junit.xml; return the HTML's path.
    Results from several version sets (a folder of the matrix's) lead with
    the version grid; the sections after it are the pinned set's (or the
    first set's): each set's own report is in its folder."""
    return render_with_grid(paths, out_dir)[0]


def render_with_grid(paths, out_dir=None) -> tuple[Path, dict | None]:
    """render, and the version grid it drew (None for one set)."""
    given = [Path(p) for p in paths]
    grid, records, notes, files = merged(given)
    out_dir = Path(out_dir) if out_dir else given[0] if given[0].is_dir() else files[0].parent
    out_dir.mkdir(parents=True, exist_ok=True)
    for note in notes:  # on stderr too, for whoever renders from a terminal
        warnings.warn(note, results.ResultsWarning, stacklevel=2)
    model = build(records, notes)
    model["versions"] = grid
    model["versions_shown"] = grid["columns"][0]["set"] if grid else None
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(["html", "j2"]))
    env.filters["ratio"] = lambda v: "—" if v is None else ("inf" if v == math.inf else f"{v:.3g}")
    html = env.get_template("report.html.j2").render(**model, sources=[str(p) for p in files])
    page = out_dir / "index.html"
    page.write_text(html, encoding="utf-8")
    (out_dir / "summary.json").write_text(json.dumps(summary_json(model), indent=2, default=str))
    junit(records, out_dir / "junit.xml")
    return page, grid


def summary_json(model: dict) -> dict:
    return {
        "version_grid": versions.summary(model["versions"]) if model.get("versions") else None,
        "runs": model["runs"],
        "notes": model["notes"],
        "environments": [{"environment": t["environment"], "adapters": t["adapters"],
                          "runs": [run["run"] for run in t["runs"]]} for t in model["environments"]],
        "checks": model["total"],
        "failed": model["failed"],
        "failures_outside_checks": [{k: f.get(k) for k in ("run", "test", "when", "adapter", "message", "error")}
                                    for f in model["failures_outside_checks"]],
        "adapters": {name: {k: (dict(v) if isinstance(v, Counter) else v) for k, v in row.items()}
                     for name, row in model["table"].items()},
        "discrepancies": [
            {"adapter": d["adapter"], "kind": d["kind"], "failure": d["failure"],
             "pattern": d["pattern"], "count": d["count"], "dtypes": d["dtypes"],
             "worst_error_over_bound": d["worst_ratio"], "minimal_case": d["minimal"]["case"]}
            for d in model["discrepancies"]
        ],
        "known_findings": [
            {"id": row["finding"].id, "checks": row["checks"], "reproduced": row["reproduced"],
             "upstream": str(row["finding"].upstream.status)}
            for row in model["findings"]
        ],
        "error_path_findings": model["error_paths"]["findings"],
        "precision": [{k: r.get(k) for k in ("adapter", "dtype", "verdict", "max_ulps")}
                      for r in model["precision"]],
    }


def junit(records: list[dict], path: Path) -> None:
    """One testsuite per adapter, one testcase per check (CI systems read this)."""
    suites = ET.Element("testsuites", name="convt-suite")
    by_adapter = defaultdict(list)
    for record in records:
        if record.get("type", "check") == "check" and "adapter" in record:
            by_adapter[record["adapter"]].append(record)
    for adapter, checks in sorted(by_adapter.items()):
        counts = Counter(r["outcome"] for r in checks)
        suite = ET.SubElement(suites, "testsuite", name=adapter, tests=str(len(checks)),
                              failures=str(counts["failed"]),
                              skipped=str(counts["skipped"] + counts["known"]))
        for record in checks:
            case = ET.SubElement(suite, "testcase", classname=f"{adapter}.{record['kind']}",
                                 name=f"{record['dtype']} {record['describe']}",
                                 time=f"{record.get('seconds') or 0:.4f}")
            if record["outcome"] == "failed":
                ET.SubElement(case, "failure", type=str(record.get("failure")),
                              message=str(record.get("error") or record.get("failure")))
            elif record["outcome"] == "skipped":
                ET.SubElement(case, "skipped", message=str(record.get("reason")))
            elif record["outcome"] == "known":
                ET.SubElement(case, "skipped", message=f"known finding {record.get('finding')}")
    outside = results.failures_outside_checks(records)
    if outside:   # the tests that failed with no failed check: CI must show them too
        suite = ET.SubElement(suites, "testsuite", name="tests failing outside checks",
                              tests=str(len(outside)), failures=str(len(outside)))
        for failure in outside:
            case = ET.SubElement(suite, "testcase", classname=str(failure.get("adapter") or "harness"),
                                 name=f"{failure['test']} ({failure.get('when')})")
            ET.SubElement(case, "failure", type="test-failure",
                          message=str(failure.get("message") or "?")).text = failure.get("error") or ""
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)
