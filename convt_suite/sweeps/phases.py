"""The sweep properties, as factories (the pytest sweeps and the self-tests,
which feed them deliberately broken adapters, run the very same code), and
the phases a sweep runs in the main job:

1. replay: every failing example the example database holds is run first, the
   ones saved for this adapter, dtype and kind and, on purpose, the ones saved
   for any other (a case that broke one framework is tried on all);
2. fixed: the profile's cases (ci: the same derandomised cases every run and
   for every adapter, so results line up case by case);
3. explore: fresh random cases from a recorded seed, steered by hypothesis's
   targeted search toward the largest disagreements; failures are saved to
   the database (and replayed in phase 1 of every later run until they pass).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import json
import math
import time
import unittest
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import Phase, assume, given, note, settings, target
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase, ExampleDatabase
from hypothesis.errors import Unsatisfiable

from convt_suite.core.compare import CHECKS, NATIVE_KINDS, explain
from convt_suite.core.model_scale import MODEL_SCALE, draw_model_case
from convt_suite.core.native import draw_native
from convt_suite.core.strategies import PLANE, draw_case, draw_special_case, ranks_name
from convt_suite.findings.model import classify
from convt_suite.sweeps import hypothesis_compat
from convt_suite.sweeps.hypothesis_compat import choices_to_bytes

COSTLY = ("crash", "timeout")
COSTLY_RUNS = 10        # crashes or hangs a sweep may run while shrinking...
COSTLY_SECONDS = 30.0   # ...within this time, or twice the first one's (a hang)

# Every kind but "special" and the native ones draws with draw_case: their
# failing examples are one family, replayed across kinds as well as adapters
# and dtypes. Native cases are a family per parameter language. Cases of
# other ranks than 2-D (drawn among `ranks`) are families of their own,
# named after those ranks: their draws are other choices.
FAMILY = {"special": "special"}


def family(kind: str, adapter, ranks: tuple[int, ...] = PLANE) -> str:
    name = f"native {adapter.native_language}" if kind in NATIVE_KINDS else FAMILY.get(kind, "cases")
    return name if ranks == PLANE else f"{name} {ranks_name(ranks)}"


def drawer(kind: str, adapter, ranks: tuple[int, ...] = PLANE):
    """The draw of a kind's cases among `ranks` (for native kinds, calls in
    the adapter's language)."""
    if kind in NATIVE_KINDS:
        language = getattr(adapter, "native_language", None)
        if language is None:
            raise ValueError(f"{adapter.name} has no native_language: it cannot run {kind} checks")
        return lambda data, boundaries: draw_native(data, language, ranks)
    draw = draw_special_case if kind == "special" else draw_case
    return draw if ranks == PLANE else functools.partial(draw, ranks=ranks)


def within_budget(costly: dict) -> bool:
    spent = [r.get("seconds", 0.0) for r in costly.values()]
    first = spent[0] if spent else 0.0
    return len(spent) < COSTLY_RUNS and sum(spent) < max(COSTLY_SECONDS, 2 * first)


# (adapter, dtype, direction, implementation) -> the checks of this process that reached it
KERNELS_REACHED: Counter = Counter()


def kernel_keys(result: dict) -> list[tuple]:
    """The native kernels a check reached (its record's `kernels`), as KERNELS_REACHED's keys."""
    return [(result.get("adapter"), result.get("dtype"), k.get("direction"), k.get("implementation"))
            for k in result.get("kernels", ())]


def reached(result: dict) -> None:
    """Count the native kernels a check reached."""
    KERNELS_REACHED.update(kernel_keys(result))


def kernel_rarity(result: dict) -> float | None:
    """1 / how many checks so far reached the rarest kernel this one ran (1.0:
    none before it): what steers a search toward the implementations few
    checks have reached, so a long hunt spreads over the kernels as well as
    over the parameters. None where the adapter says nothing of its kernels."""
    keys = kernel_keys(result)
    if not keys:
        return None
    return max(1.0 / max(KERNELS_REACHED[key], 1) for key in keys)


def targets(result: dict) -> dict[str, float]:
    """What the targeted search climbs: log10 of error/bound, how many NaN/inf
    disagree with the oracle, how far the shape is off (finite, as hypothesis
    requires; absent when the check did not get that far), and how rarely
    the kernels it ran have been reached (kernel_rarity)."""
    parts = [result, *result.get("gradients", {}).values()]
    found = {}
    rarity = kernel_rarity(result)
    if rarity is not None:
        found["kernel rarity"] = rarity
    ratio = result.get("max_error_over_bound")
    if isinstance(ratio, (int, float)) and not math.isnan(ratio):
        found["log10 error/bound"] = min(max(math.log10(max(ratio, 1e-12)), -12.0), 308.0)
    found["nonfinite mismatches"] = float(sum(
        part.get(name) or 0 for part in parts
        for name in ("unexpected_inf", "unexpected_nan", "missing_nonfinite", "wrong_nonfinite")))
    expected, actual = result.get("expected_shape"), result.get("actual_shape")
    if expected and actual and len(expected) == len(actual):
        found["shape difference"] = float(sum(abs(a - b) for a, b in zip(expected, actual)))
    return found


def sweep(kind: str, adapter, dtype: str, record=None, key: str = "cases", steer: bool = False,
          boundaries: bool = True, costly: dict | None = None, verdicts: dict | None = None,
          draw=None):
    """A hypothesis test of one kind of check ("forward": output shape equals
    spec.output_shape(...) and values lie within the bound of the oracle;
    "vjp": grad_x, grad_weight, grad_bias likewise) for every drawn case.

    Cases the adapter declines are recorded as skipped with its reason and
    counted in `.stats` (never dropped silently); failures a known finding
    explains are recorded as "known" with its id; the sweep goes on. `key`
    names the test to hypothesis (its derandomised cases and its database
    entries follow it); `steer` turns on the targeted search, `boundaries`
    the bias toward boundary cases (strategies.py); `costly` the crashes and
    hangs met so far (shared by the phases of one sweep: one budget);
    `verdicts` the results of cases this sweep already ran (not run again);
    `draw` another draw of cases (the model-scale family) than the kind's own.
    `.verdict(case)` runs and records one case without hypothesis.
    """
    check = CHECKS[kind]
    draw = draw or drawer(kind, adapter)
    stats: Counter = Counter()
    costly = {} if costly is None else costly   # case -> its crash or timeout record
    verdicts = {} if verdicts is None else verdicts

    def verdict(case):
        # hypothesis replays a crash or hang, or a case already run: the verdict is known
        if case in costly or case in verdicts:
            return costly.get(case) or verdicts[case]
        # Shrinking a crash costs a fresh worker a try, a hang the whole
        # timeout: past a budget new cases are not run (hypothesis keeps
        # the smallest failing example found so far), so the run ends.
        if not within_budget(costly):
            assume(False)
        result = classify(check(adapter, case, dtype))
        reached(result)
        stats[result["outcome"]] += 1
        if result["outcome"] == "skipped":
            stats["reason: " + result["reason"]] += 1
        if record is not None:
            record(result)
        if result.get("failure") in COSTLY:
            costly[case] = result
        return result

    def run(data):
        case = draw(data, boundaries)
        result = verdict(case)
        if steer:
            for label, value in targets(result).items():
                target(value, label=label)
        note(f"{adapter.name} {kind} {dtype}: {case}")
        assert result["outcome"] != "failed", explain(result)

    # The key is hashed into hypothesis's database key and its derandomised
    # random generator: the fixed cases use one key for every kind, adapter
    # and dtype, so derandomised runs give every framework the same cases.
    hypothesis_compat.add_digest(run, key.encode())
    test = given(data=st.data())(run)
    test.stats = stats  # type: ignore[attr-defined]
    test.verdict = verdict  # type: ignore[attr-defined]
    return test


def forward_sweep(adapter, dtype: str, record=None):
    return sweep("forward", adapter, dtype, record)


def vjp_sweep(adapter, dtype: str, record=None):
    return sweep("vjp", adapter, dtype, record)


# --- the example database ---------------------------------------------------

SUB_KEYS = (b".secondary", b".pareto")   # hypothesis's own keys beside a test's primary one


class SharedExamples(ExampleDatabase):
    """Hypothesis's directory database (a plain folder: copy it, or point two
    machines at one) where each sweep has its own key (kind, adapter, dtype),
    and every failing example is also filed under its draw family: fetching a
    sweep's examples yields its own, then the family's, so an example saved
    for one adapter is replayed for every other. An example leaves the family
    when the sweep that saved it passes it; replayed elsewhere and passing,
    it is only dropped from that sweep's own key (where it never was)."""

    def __init__(self, folder: Path, family: str, family_limit: int | None = None):
        super().__init__()
        self.store = DirectoryBasedExampleDatabase(str(folder))
        self.family = f"convt-suite family {family}".encode()
        self.family_limit = family_limit   # a costly adapter replays this many of the family's

    @staticmethod
    def _primary(key: bytes) -> bool:
        return not key.endswith(SUB_KEYS)

    def fetch(self, key: bytes):
        own = list(self.store.fetch(key))
        yield from own
        if self._primary(key):
            others = (value for value in self.store.fetch(self.family) if value not in own)
            yield from itertools.islice(others, self.family_limit)

    def save(self, key: bytes, value: bytes) -> None:
        self.store.save(key, value)
        if self._primary(key):
            self.store.save(self.family, value)

    def delete(self, key: bytes, value: bytes) -> None:
        if self._primary(key) and value in set(self.store.fetch(key)):
            self.store.delete(self.family, value)
        self.store.delete(key, value)


class Replaying(ExampleDatabase):
    """Given examples (hypothesis's choices, as bytes), and nothing kept: what
    hypothesis's reuse phase replays and then shrinks, for the failing fixed
    cases (run_sweep). They are offered as a test's secondary examples (failing,
    not yet minimal): a primary one that fails is taken as already shrunk."""

    def __init__(self, examples):
        super().__init__()
        self.examples = list(examples)

    def fetch(self, key: bytes):
        return iter(self.examples if key.endswith(b".secondary") else ())

    def save(self, key: bytes, value: bytes) -> None:
        pass

    def delete(self, key: bytes, value: bytes) -> None:
        pass


EVIDENCE_KEPT = 20   # examples kept per known finding


def keep_evidence(folder: Path, result: dict) -> None:
    """A check a known finding explains does not fail, so hypothesis keeps no
    example of it: keep its case (which rebuilds the exact tensors) under the
    finding's id, as evidence, a bounded number of distinct ones."""
    path = folder / "findings" / f"{result['finding']}.jsonl"
    line = json.dumps({k: result[k] for k in ("kind", "adapter", "dtype", "case")},
                      sort_keys=True) + "\n"
    kept = path.read_text().splitlines(keepends=True) if path.exists() else []
    if line in kept or len(kept) >= EVIDENCE_KEPT:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as out:   # one short write: appended whole
        out.write(line)


# --- the fixed cases -----------------------------------------------------------

_FIXED: dict = {}   # (draw family, examples) -> ((case, choices), ...)


def fixed_cases(kind: str, adapter, examples: int, ranks: tuple[int, ...] = PLANE) -> tuple:
    """The derandomised profile's cases of a kind's draw family, each with the
    choices that make it (hypothesis's database form: to replay and shrink a
    failure). They are the same for every adapter, dtype and kind of the
    family, so a process draws them once: a hypothesis draw costs 6-8 ms a
    case, as much as a cheap adapter's whole check, and a main job runs about
    6,000 fixed checks. Distinct cases: different choices can make the same
    case (input size 1 drawn, or set by the boundary), which hypothesis's own
    phase ran twice, so twice as many are drawn and the first `examples`
    distinct ones kept."""
    key = (family(kind, adapter, ranks), examples)
    if key not in _FIXED:
        draw = drawer(kind, adapter, ranks)
        drawn: dict = {}

        # hypothesis derandomises from this function's source text: a change to it
        # changes every fixed case, so it reads as it always has (hypothesis_compat)
        def collect(data):
            case = draw(data, True)
            drawn.setdefault(case, choices_to_bytes(data.conjecture_data.choices))

        hypothesis_compat.add_digest(collect, b"cases")
        settings(settings.default, database=None, max_examples=2 * examples)(
            given(data=st.data())(collect))()
        _FIXED[key] = tuple(drawn.items())[:examples]
    return _FIXED[key]


# --- the phases ---------------------------------------------------------------

@dataclass(frozen=True)
class Exploration:
    """What a sweep does beyond the profile's cases."""
    examples: int = 0                # fresh random cases per sweep (kind, adapter, dtype)
    seed: int = 0                    # the run's exploration seed (each sweep derives its own)
    database: Path | None = None     # the example database folder, or None
    seconds: float = 0.0             # a hunt: keep exploring, in rounds, this long per sweep

    CHUNK = 50   # examples per round of a hunt (a round is one targeted search)

    def scaled(self, divisor: int) -> Exploration:
        """For checks that cost several calls a case (determinism)."""
        return dataclasses.replace(self, examples=math.ceil(self.examples / divisor),
                                   seconds=self.seconds / divisor)

    def describe(self) -> dict:
        return {"examples": self.examples, "seed": self.seed, "seconds": self.seconds,
                "database": str(self.database) if self.database else None}

    def sweep_seed(self, kind: str, adapter: str, dtype: str, round_: int = 0) -> int:
        """Each sweep (kind, adapter, dtype) explores cases of its own: one
        seed for every adapter made a run explore ten cases where it could
        explore ten per adapter, and a case one framework fails is tried on
        every other anyway (replayed from the database)."""
        text = f"{self.seed}|{kind}|{adapter}|{dtype}|{round_}".encode()
        return int.from_bytes(hashlib.sha256(text).digest()[:8], "big")


def run_sweep(kind: str, adapter, dtype: str, record, exploration: Exploration,
              fixed_examples: int | None = None, family_limit: int | None = None,
              layers: tuple | None = None, ranks: tuple[int, ...] = PLANE) -> Counter:
    """Replay, fixed, explore (see the module's doc), each check recorded with
    its phase. Every phase runs even when an earlier one failed (all is
    recorded); then the failures are raised together. Returns the counts.
    family_limit: replay at most that many of other sweeps' examples (a
    costly adapter's budget; its own are always replayed).

    `layers` makes it a sweep of the model-scale family (core/model_scale.py):
    those named layers (ModelLayer) are its fixed phase, each record tagged
    with its name, and the replay and explore phases draw model-scale cases,
    with a database family and keys of their own.

    `ranks` other than (2,) makes it a sweep of cases of those ranks (the
    rank drawn among them): a draw family, database keys and exploration
    seeds of their own, named after the ranks."""
    stats: Counter = Counter()
    failures = []
    model_scale = layers is not None
    if model_scale and ranks != PLANE:
        raise ValueError(f"the model-scale family is 2-D: ranks={ranks} is not drawn there")
    draw = draw_model_case if model_scale else drawer(kind, adapter, ranks)
    family_name = MODEL_SCALE if model_scale else family(kind, adapter, ranks)
    database = (SharedExamples(exploration.database, family_name, family_limit)
                if exploration.database is not None else None)
    prefix = MODEL_SCALE if model_scale else "" if ranks == PLANE else ranks_name(ranks)
    own_key = f"{prefix + ' ' if prefix else ''}{kind}|{adapter.name}|{dtype}"
    costly: dict = {}   # one budget for crashes and hangs across the phases

    def tagger(tags):
        def tagged(result):
            if database is not None and result["outcome"] == "known":
                keep_evidence(exploration.database, result)
            record({**result, **tags})
        return tagged

    def phase(name, test_settings, key="cases", steer=False, use_seed=None, tags=None,
              verdicts=None):
        tagged = tagger({"phase": name, **(tags or {})})
        test = test_settings(sweep(kind, adapter, dtype, tagged, key=key, steer=steer,
                                   costly=costly, verdicts=verdicts, draw=draw))
        if use_seed is not None:
            hypothesis_compat.use_seed(test, use_seed)
        try:
            test()
        except unittest.SkipTest:      # replay with an empty database: nothing ran
            pass
        except Unsatisfiable:
            if within_budget(costly):  # not the crash budget: a real problem
                raise
            # the crash and hang budget was spent in an earlier phase (whose
            # failure is already kept): this phase ran nothing
        except Exception as failure:   # the phase's minimal failing example
            failures.append(failure)
        stats.update(test.stats)

    if database is not None:
        phase("replay", settings(settings.default, database=database, derandomize=False,
                                 phases=(Phase.reuse, Phase.shrink)), key=own_key)
    def fixed_loop(examples: int):
        """ci: the profile's cases (fixed_cases), run one by one; hypothesis
        then replays the failing ones (from their verdicts: not run again)
        and shrinks them, as it would have in a phase of its own."""
        verdicts: dict = {}
        failing: list = []
        test = sweep(kind, adapter, dtype, tagger({"phase": "fixed"}), costly=costly,
                     verdicts=verdicts, draw=draw)
        for case, choices in fixed_cases(kind, adapter, examples, ranks):
            if not within_budget(costly):   # as the sweep's assume: no new case past it
                break
            result = test.verdict(case)
            if result["outcome"] == "failed":
                verdicts[case] = result
                failing.append(choices)
        stats.update(test.stats)
        if failing:
            before = len(failures)
            phase("fixed", settings(settings.default, database=Replaying(failing), derandomize=False,
                                    phases=(Phase.reuse, Phase.shrink)), verdicts=verdicts)
            if len(failures) == before:   # hypothesis did not see it fail again: still a failure
                failures.append(AssertionError(explain(next(iter(verdicts.values())))))

    def layers_loop(named):
        """The model-scale family's fixed phase: the named layers, one by one.
        They are not hypothesis's draws, so a failing one is not shrunk here
        (the explore phase shrinks what it finds); it fails the sweep."""
        test = sweep(kind, adapter, dtype, None, costly=costly, draw=draw)
        failing = []
        for layer in named:
            if not within_budget(costly):
                break
            result = test.verdict(layer.case)
            tagger({"phase": "fixed", "model_layer": layer.name})(result)
            if result["outcome"] == "failed":
                failing.append(f"{layer.name}:\n{explain(result)}")
        stats.update(test.stats)
        if failing:   # one phase, one failure: every failing layer in its message
            failures.append(AssertionError(f"{len(failing)} of {len(named)} named layers failed\n"
                                           + "\n".join(failing)))

    size: dict[str, Any] = {"max_examples": fixed_examples} if fixed_examples else {}
    default = settings.default
    assert default is not None   # hypothesis always has a profile loaded
    if model_scale:
        layers_loop(layers)
    elif default.derandomize:   # ci: the same cases for everyone, nothing to save
        fixed_loop(fixed_examples or default.max_examples)
    else:                              # dev, thorough: random, so their failures are kept too
        phase("fixed", settings(settings.default, database=database, **size,
                                phases=(Phase.generate, Phase.target, Phase.shrink)), key=own_key)
    explore: dict[str, Any] = dict(database=database, derandomize=False,
                                   phases=(Phase.generate, Phase.target, Phase.shrink))
    seed_kind = f"{prefix} {kind}" if prefix else kind
    if exploration.examples:
        sweep_seed = exploration.sweep_seed(seed_kind, adapter.name, dtype)
        phase("explore", settings(settings.default, max_examples=exploration.examples, **explore),
              key=own_key, steer=True, use_seed=sweep_seed, tags={"explore_seed": sweep_seed})
    if exploration.seconds:
        until, round_ = time.monotonic() + exploration.seconds, 1
        while time.monotonic() < until:
            sweep_seed = exploration.sweep_seed(seed_kind, adapter.name, dtype, round_)
            phase("explore", settings(settings.default, max_examples=exploration.CHUNK, **explore),
                  key=own_key, steer=True, use_seed=sweep_seed,
                  tags={"explore_seed": sweep_seed, "round": round_})
            round_ += 1
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise ExceptionGroup(f"{adapter.name} {kind} {dtype}: {len(failures)} phases failed", failures)
    return stats
