"""The equivalence sweeps: every selected adapter against the float64 oracle,
forward and gradients, in every dtype.

Test ids name the kind, adapter and dtype (`pytest -k "vjp and jax and float16"`).
"""

import functools
from collections import Counter

import pytest
from hypothesis import settings

from convt_suite.adapters.base import DTYPES
from convt_suite.adapters.spec import Spec
from convt_suite.checks import check
from convt_suite.core.cases import Case
from convt_suite.core.compare import CHECKS
from convt_suite.core.strategies import PLANE, ranks_name
from convt_suite.core.vocabulary import Kind
from convt_suite.findings.model import classify
from convt_suite.sweeps.budget import (
    DIVISORS,
    case_share,
    fixed_cases,
    other_ranks_divisor,
    rotation,
    share_of,
    sweep_dtypes,
)
from convt_suite.sweeps.phases import run_sweep


@functools.cache
def computed_dtypes(adapter) -> tuple[str, ...]:
    """The dtypes the adapter computes at all, asked of it with the simplest
    spec (ONNX Runtime answers for its kernels): what a costly adapter's
    budget rotates over. Every dtype where it cannot say."""
    probe = Spec(1, 1, (1, 1))
    try:
        return tuple(d for d in DTYPES if adapter.supports(probe, d) is None) or DTYPES
    except Exception:   # a broken adapter fails in its checks, where it is recorded
        return DTYPES


def budget_dtypes(adapter, share: int) -> tuple[str, ...]:
    """What a share rotates over: the dtypes a costly adapter computes."""
    return computed_dtypes(adapter) if share > 1 else DTYPES


def budget_note(adapter, share: int) -> str:
    """How a costly adapter's share is taken (the same for every kind)."""
    computed = computed_dtypes(adapter)
    dtypes, cases = len(sweep_dtypes("forward", share, computed)), case_share("forward", share, computed)
    how = "one dtype a kind" if dtypes == 1 else f"{dtypes} dtypes a kind"
    how += f", 1/{cases} of its cases" if cases > 1 else ""
    return f"1/{share} of the cases ({how}): {adapter.case_share_reason}"


def _run(kind, adapter, dtype, record, exploration, ranks=PLANE):
    """The 2-D sweep (where `ranks` has 2) and the sweep of the other ranks in
    `ranks`, on 1/OTHER_RANKS_DIVISOR of its budget: every kind draws every
    rank. Both run, then their failures are raised together."""
    others = tuple(r for r in ranks if r != 2)
    sweeps = ([PLANE] if 2 in ranks else []) + ([others] if others else [])
    share_of(adapter, settings().max_examples)   # an invalid share: one error, before either sweep
    stats, failures = Counter(), []
    for drawn in sweeps:
        try:
            stats.update(_run_ranks(kind, adapter, dtype, record, exploration, drawn))
        except Exception as failure:   # pytest.skip is no Exception: it ends the test at once
            failures.append(failure)
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise ExceptionGroup(f"{adapter.name} {kind} {dtype}: the 2-D and the "
                             f"{ranks_name(others)} sweeps failed", failures)
    return stats


def _run_ranks(kind, adapter, dtype, record, exploration, ranks):
    """run_sweep on 1/divisor of the cases (checks that cost several calls a
    case: checks.DIVISORS), and of those the adapter's share (each record says so, for the
    report). A costly adapter's share is 1/share of the (kind, dtype, case)
    grid of the dtypes it computes: each kind in ceil(n/share) of its n dtypes
    (a different one for each kind, the others skipped with the budget as reason), and in those what is left
    of the share of every phase: at least 2 fixed cases a sweep, as many of
    the family's saved examples replayed (its own are always replayed), that
    share of the exploration."""
    share = share_of(adapter, settings().max_examples)
    computed = budget_dtypes(adapter, share)
    if share > 1:
        chosen = sweep_dtypes(kind, share, computed)
        if dtype not in chosen:
            pytest.skip(f"{adapter.name} {kind} {dtype}: outside the main job's budget for "
                        f"{adapter.name} ({budget_note(adapter, share)}); it checks {kind} in "
                        f"{', '.join(chosen)}, the other kinds in the other dtypes "
                        f"(the thorough profile: every dtype, every case)")
        note = budget_note(adapter, share)
        record = (lambda write: lambda result: write({**result, "budget": note}))(record)
    parts = DIVISORS[kind] * case_share(kind, share, computed)
    if ranks != PLANE:
        parts *= other_ranks_divisor(settings().max_examples)
    fixed = fixed_cases(settings().max_examples, parts, share)
    return run_sweep(kind, adapter, dtype, record, exploration.scaled(parts), fixed_examples=fixed,
                     family_limit=fixed if share > 1 else None, ranks=ranks)


def _skip_if_nothing_ran(adapter, dtype, stats):
    if stats["passed"] + stats["failed"] + stats["known"] == 0:
        reasons = sorted(k[len("reason: "):] for k in stats if k.startswith("reason: "))
        pytest.skip(f"{adapter.name} {dtype}: all {stats['skipped']} cases unsupported: "
                    + "; ".join(reasons))


@check(kind=Kind.FORWARD)
@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_matches_oracle(adapter, dtype, record, exploration, ranks):
    stats = _run("forward", adapter, dtype, record, exploration, ranks)
    _skip_if_nothing_ran(adapter, dtype, stats)


@check(kind=Kind.VJP)
@pytest.mark.parametrize("dtype", DTYPES)
def test_vjp_matches_oracle(adapter, dtype, record, exploration, ranks):
    stats = _run("vjp", adapter, dtype, record, exploration, ranks)
    _skip_if_nothing_ran(adapter, dtype, stats)


@check(kind=Kind.NATIVE)
@pytest.mark.parametrize("dtype", DTYPES)
def test_native_matches_oracle(adapter, dtype, record, exploration, ranks):
    """The framework called in its own parameter language (convt_suite/core/native.py),
    values drawn on both sides of every documented limit: the output
    `Spec.from_<framework>` predicts, or a refusal where there is none."""
    stats = _run("native", _speaks(adapter), dtype, record, exploration, ranks)
    _skip_if_nothing_ran(adapter, dtype, stats)


@check(kind=Kind.NATIVE_VJP)
@pytest.mark.parametrize("dtype", DTYPES)
def test_native_vjp_matches_oracle(adapter, dtype, record, exploration, ranks):
    """The gradients of the same native calls."""
    stats = _run("native vjp", _speaks(adapter), dtype, record, exploration, ranks)
    _skip_if_nothing_ran(adapter, dtype, stats)


@check(kind=Kind.DECLARED_SHAPE)
@pytest.mark.parametrize("dtype", DTYPES)
def test_declared_shape_matches_spec(adapter, dtype, record, exploration, ranks):
    """What the framework says the output shape of the same native calls will
    be, without computing it (meta tensors, jax.eval_shape, a tf.function's
    static shape, Keras's compute_output_shape and symbolic call): the spec's
    shape, or a refusal where there is no output."""
    stats = _run("declared shape", _speaks(adapter), dtype, record, exploration, ranks)
    _skip_if_nothing_ran(adapter, dtype, stats)


@check(kind=Kind.IN_MODEL)
@pytest.mark.parametrize("dtype", DTYPES)
def test_in_model_matches_oracle(adapter, dtype, record, exploration, ranks):
    """The same native calls inside the framework's model machinery (jax.jit,
    tf.function, TorchScript, a Keras Functional model's predict), on a
    quarter of the profile's cases and of the exploration (each builds and
    compiles a model)."""
    if getattr(adapter, "model_machinery", None) is None:
        pytest.skip(f"{adapter.name} has no model_machinery (a plug-in may add native_in_model)")
    stats = _run("in model", _speaks(adapter), dtype, record, exploration, ranks)
    _skip_if_nothing_ran(adapter, dtype, stats)


@check(kind=Kind.ROUND_TRIP)
@pytest.mark.parametrize("dtype", DTYPES)
def test_round_trip_matches_oracle(adapter, dtype, record, exploration, ranks):
    """The same native calls' layers saved and loaded the ways users do,
    then run (a quarter of the cases: each saves and loads files)."""
    if not hasattr(adapter, "native_round_trips"):
        pytest.skip(f"{adapter.name} has no native_round_trips")
    stats = _run("round trip", _speaks(adapter), dtype, record, exploration, ranks)
    _skip_if_nothing_ran(adapter, dtype, stats)


def _speaks(adapter):
    if getattr(adapter, "native_language", None) is None:
        pytest.skip(f"{adapter.name} has no native_language (a plug-in may add one: "
                    f"native_forward and native_vjp in convt_suite/core/native.py's terms)")
    return adapter


@check(kind=Kind.SPECIAL)
@pytest.mark.parametrize("dtype", DTYPES)
def test_special_values_match_oracle(adapter, dtype, record, exploration, ranks):
    """NaN/±inf in x or the weight, and float16 overflow: NaN and infinities
    exactly where the oracle has them, ±inf where the exact result overflows."""
    stats = _run("special", adapter, dtype, record, exploration, ranks)
    _skip_if_nothing_ran(adapter, dtype, stats)


@check(kind=Kind.DETERMINISM)
@pytest.mark.parametrize("dtype", DTYPES)
def test_forward_is_deterministic(adapter, dtype, record, exploration, ranks):
    """Bitwise-identical output for the same call twice, on a quarter of the
    profile's cases and of the exploration (each costs two calls)."""
    stats = _run("determinism", adapter, dtype, record, exploration, ranks)
    _skip_if_nothing_ran(adapter, dtype, stats)


EDGE_CASES = {
    "batch 0": Case(Spec(2, 3, (3, 3), (2, 2)), (0, 2, 3, 3), 11),
    "1x1 input": Case(Spec(3, 2, (3, 2), (2, 3), ((1, 0), (0, 1))), (2, 3, 1, 1), 12),
    "output size 1": Case(Spec(1, 2, (3, 3), (1, 1), ((1, 1), (2, 0))), (1, 1, 1, 1), 13),
    "kernel larger than the input": Case(Spec(2, 2, (5, 4), (1, 2), ((0, 0), (1, 1))), (1, 2, 2, 1), 14),
    "stride larger than the kernel": Case(Spec(2, 4, (2, 1), (4, 3), ((0, -3), (0, 0)), groups=2), (2, 2, 3, 2), 15),
    # the other ranks (after the 2-D ones: each edge's place sets its dtypes)
    "1-D batch 0": Case(Spec(2, 3, (3,), (2,)), (0, 2, 3), 21),
    "1-D output size 1": Case(Spec(1, 2, (3,), (1,), ((2, 0),)), (1, 1, 1), 22),
    "1-D vocoder upsampler": Case(Spec(4, 2, (16,), (8,), ((4, 4),)), (2, 4, 5), 23),   # HiFi-GAN's, narrower
    "1-D stride larger than the kernel": Case(Spec(2, 4, (2,), (5,), ((0, -3),), groups=2), (2, 2, 3), 24),
    "3-D batch 0": Case(Spec(2, 2, (2, 2, 2), (2, 2, 2)), (0, 2, 2, 2, 2), 31),
    "3-D 1x1x1 input": Case(Spec(3, 2, (3, 2, 2), (2, 3, 1), ((1, 0), (0, 1), (0, 0))), (2, 3, 1, 1, 1), 32),
    "3-D U-Net decoder": Case(Spec(4, 2, (2, 2, 2), (2, 2, 2)), (1, 4, 3, 3, 3), 33),
    "3-D stride larger than the kernel": Case(
        Spec(2, 4, (2, 1, 2), (3, 2, 4), ((0, -2), (0, 0), (1, 0)), groups=2), (1, 2, 2, 3, 2), 34),
}


def edge_dtypes(edge: str, kind: str, share: int, dtypes=DTYPES) -> tuple[str, ...]:
    """Every dtype; for an adapter that runs 1/share of the cases, that
    share of the dtypes it computes, a different one for each edge and kind
    (so that together they still meet each of them)."""
    return rotation(dtypes, share, list(EDGE_CASES).index(edge) + ["forward", "vjp"].index(kind))


@check(checks=lambda share: -(-len(DTYPES) // share))   # edge_dtypes: one test, its share of the dtypes
@pytest.mark.parametrize("kind", ["forward", "vjp"])
@pytest.mark.parametrize("edge", list(EDGE_CASES))
def test_edge_shapes(adapter, edge, kind, record, ranks):
    """Fixed edge shapes, every dtype: they must not wait for hypothesis to
    find them (a costly adapter: its share of the dtypes)."""
    rank = EDGE_CASES[edge].spec.rank
    if rank not in ranks:
        pytest.skip(f"a {rank}-D edge shape: --ranks {','.join(map(str, ranks))} leaves out {rank}-D")
    share = share_of(adapter, settings().max_examples)
    extra = {"budget": budget_note(adapter, share)} if share > 1 else {}
    outcomes = []
    for dtype in edge_dtypes(edge, kind, share, budget_dtypes(adapter, share)):
        result = classify(CHECKS[kind](adapter, EDGE_CASES[edge], dtype))
        record({**result, "edge": edge, **extra})
        outcomes.append(result)
    failed = [r for r in outcomes if r["outcome"] == "failed"]
    assert not failed, [(r["dtype"], r.get("failure"), r.get("error")) for r in failed]
