"""The sweeps' budget, in one place: how many cases each sweep runs, in which
dtypes, for a cheap adapter and for a costly one (its `case_share`). The
checks spend it (checks/test_sweep.py) and the progress plan predicts it
(sweep_checks, through checks.planned), both by asking here."""

from __future__ import annotations

from convt_suite.adapters.base import DTYPES  # no framework imported
from convt_suite.core.vocabulary import Kind

# the sweeps in the order their dtypes rotate, and each one's divisor: a case of
# that kind costs that many calls, so it runs 1/divisor of the profile's cases
DIVISORS = {
    Kind.FORWARD: 1, Kind.VJP: 1, Kind.NATIVE: 1, Kind.NATIVE_VJP: 1, Kind.DECLARED_SHAPE: 1,
    Kind.IN_MODEL: 4, Kind.ROUND_TRIP: 4, Kind.SPECIAL: 1, Kind.DETERMINISM: 4,
}
SWEEP_KINDS = tuple(DIVISORS)
# a costly adapter's kinds take the dtypes in turn from this order: its forward
# sweep runs in float32, the dtype models run in
BUDGET_ORDER = ("float32", "float16", "bfloat16", "float64")


def _computed(dtypes) -> list[str]:
    return [d for d in BUDGET_ORDER if d in dtypes] or list(BUDGET_ORDER)


def sweep_dtypes(kind: str, share: int, dtypes=DTYPES) -> tuple[str, ...]:
    """The dtypes a kind's sweep runs in: every one; for an adapter that runs
    1/share of the sweeps' cases, ceil(n/share) of the n it computes
    (`dtypes`: ONNX Runtime has no float64 or bfloat16 kernel), a different
    one for each kind, so that the kinds together still meet each of them
    (the rest of the share is taken from each sweep's cases: case_share)."""
    return rotation(_computed(dtypes), share, SWEEP_KINDS.index(kind))


def rotation(order, share: int, start: int) -> tuple[str, ...]:
    """ceil(n/share) of the n dtypes in `order`, from position `start` on,
    wrapping: consecutive starts together meet every one."""
    count = -(-len(order) // share)
    return tuple(order[(start + i) % len(order)] for i in range(count))


def case_share(kind: str, share: int, dtypes=DTYPES) -> int:
    """What is left of an adapter's share for each sweep it runs, once its
    dtypes are shared out (sweep_dtypes): 1/share of the (kind, dtype, case)
    grid in all."""
    return max(1, share * len(sweep_dtypes(kind, share, dtypes)) // len(_computed(dtypes)))


def share_of(adapter, max_examples: int) -> int:
    """1/N of the cases for an adapter whose every check is costly (its
    `case_share`, and `case_share_reason` says why); all of them under the
    thorough profile (as many examples as it runs)."""
    share = getattr(adapter, "case_share", 1)
    if isinstance(share, bool) or not isinstance(share, int) or share < 1:
        raise ValueError(f"adapter {adapter.name}: case_share must be a positive integer "
                         f"(it runs 1/case_share of the cases), got {share!r}")
    if is_thorough(max_examples):
        return 1
    return share


def is_thorough(max_examples: int) -> bool:
    """A run of the thorough profile (or one as deep): every adapter's every
    case, and every known finding, whatever the machine."""
    from hypothesis import settings

    return max_examples >= settings.get_profile("thorough").max_examples


def fixed_cases(max_examples: int, parts: int, share: int) -> int:
    """The fixed cases of a sweep run on 1/parts of the profile's cases
    (parts: the check's divisor times the adapter's case share): at least 5
    a sweep, 2 for a costly adapter."""
    return max(max_examples // parts, 5 if share == 1 else 2)


def sweep_checks(kind: str, max_examples: int, explore: int = 0, share: int = 1,
                 dtype: str | None = None) -> int:
    """About how many checks one test of a sweep (in this dtype) records: the
    fixed cases and `explore` fresh ones (replayed examples are extra), for an
    adapter that runs 1/share of the cases; none in a dtype outside its
    sweep_dtypes (this assumes it computes every dtype)."""
    if dtype is not None and dtype not in sweep_dtypes(kind, share):
        return 0
    parts = DIVISORS[Kind(kind)] * case_share(kind, share)
    if parts == 1:
        return max_examples + explore
    return fixed_cases(max_examples, parts, share) + -(-explore // parts)
