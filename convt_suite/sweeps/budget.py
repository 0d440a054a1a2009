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


# The sweeps of the other ranks (1-D and 3-D, the rank drawn) run beside each
# 2-D sweep on 1/OTHER_RANKS_DIVISOR of its fixed cases and exploration (the
# thorough profile: as many): they add checks, the 2-D ones stay as they are.
OTHER_RANKS_DIVISOR = 2


def other_ranks_divisor(max_examples: int) -> int:
    return 1 if is_thorough(max_examples) else OTHER_RANKS_DIVISOR


def sweep_checks(kind: str, max_examples: int, explore: int = 0, share: int = 1,
                 dtype: str | None = None, ranks: tuple[int, ...] = (2,)) -> int:
    """About how many checks one test of a sweep (in this dtype) records: the
    fixed cases and `explore` fresh ones (replayed examples are extra), for an
    adapter that runs 1/share of the cases, in the 2-D sweep and the other
    ranks' (where `ranks` has them); none in a dtype
    outside its sweep_dtypes (this assumes it computes every dtype)."""
    if dtype is not None and dtype not in sweep_dtypes(kind, share):
        return 0
    parts = DIVISORS[Kind(kind)] * case_share(kind, share)
    counts = [parts] if 2 in ranks else []   # the 2-D sweep
    if set(ranks) - {2}:
        counts.append(parts * other_ranks_divisor(max_examples))
    return sum(max_examples + explore if n == 1 else fixed_cases(max_examples, n, share) + -(-explore // n)
               for n in counts)


# --- the model-scale family (core/model_scale.py) ---------------------------

MODEL_SCALE_KINDS = (Kind.FORWARD, Kind.VJP)
MODEL_SCALE_EXPLORE_DIVISOR = 8   # its explore phase: an eighth of a sweep's fresh cases a test


def model_scale_share_of(adapter, max_examples: int) -> int:
    """1/N of the model-scale family: the adapter's case share, or its
    model_scale_share where larger (a kernel whose cost grows with the
    products); all of it under the thorough profile."""
    share = getattr(adapter, "model_scale_share", 1)
    if isinstance(share, bool) or not isinstance(share, int) or share < 1:
        raise ValueError(f"adapter {adapter.name}: model_scale_share must be a positive integer "
                         f"(it runs 1/model_scale_share of the model-scale layers), got {share!r}")
    return 1 if is_thorough(max_examples) else max(share, share_of(adapter, max_examples))


def model_layer_indices(kind: str, dtype: str, count: int, share: int, thorough: bool) -> tuple[int, ...]:
    """Which of the `count` named layers a model-scale test (kind, dtype)
    runs. Thorough: every layer in every dtype, forward and gradients. The
    main job: each layer once, the kinds and dtypes in turn (layer i: the
    gradients when i is odd, in BUDGET_ORDER[(i // 2) mod 4]), so every
    (kind, dtype) meets two layers or three, and every adapter runs the same
    layer in the same kind and dtype (the report lines them up). A costly
    adapter (1/share of the family) takes ceil(n/share) of those n, evenly
    spaced from the first layer on, so its few still span kinds, dtypes and
    sizes."""
    if thorough:
        return tuple(range(count))
    slots = len(MODEL_SCALE_KINDS) * len(BUDGET_ORDER)   # the (kind, dtype) a layer's index gives it
    taken = -(-count // share)
    chosen = set(range(count)) if share == 1 else set()
    for m in range(taken if share > 1 else 0):   # the m-th pick: from m/taken of the way on, in slot 3m (3: prime to 8)
        start = m * count // taken
        index = start + (3 * m - start) % slots
        chosen.add(index if index < count else index - slots)
    k = MODEL_SCALE_KINDS.index(Kind(kind))
    return tuple(i for i in sorted(chosen)
                 if i % len(MODEL_SCALE_KINDS) == k
                 and BUDGET_ORDER[(i // len(MODEL_SCALE_KINDS)) % len(BUDGET_ORDER)] == dtype)


def model_scale_explore(examples: int, share: int) -> int:
    """The fresh model-scale cases per test (kind, dtype): an eighth of a
    sweep's (its 8 tests together: about as many as one sweep), of the
    adapter's share, rounded down (a costly adapter explores the family in
    a hunt or under the thorough profile, not in the main job)."""
    return examples // (MODEL_SCALE_EXPLORE_DIVISOR * share)


def model_scale_checks(count: int, share: int, explore: int = 0) -> float:
    """About how many checks one model-scale test records, on average over
    its (kind, dtype) tests: its share of the named layers and of the
    exploration (the progress plan's estimate)."""
    tests = len(MODEL_SCALE_KINDS) * len(BUDGET_ORDER)
    layers = sum(len(model_layer_indices(k, d, count, share, False))
                 for k in MODEL_SCALE_KINDS for d in BUDGET_ORDER)
    return layers / tests + model_scale_explore(explore, share)
