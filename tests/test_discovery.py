"""Discovery: the example database keeps a failure and replays it for every
adapter until it passes; a seed replays the exploration exactly; the targeted
search gets finite measures; boundary draws stay valid and really occur;
evidence of known findings is kept, bounded."""

import json
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import convt_suite.sweeps.phases as sweep_phases
from convt_suite.core.strategies import BOUNDARIES, draw_case
from convt_suite.sweeps import profiles  # noqa: F401  registers the suite's "ci" profile
from convt_suite.sweeps.phases import EVIDENCE_KEPT, Exploration, SharedExamples, keep_evidence, run_sweep, targets
from examples.zero_insertion import ZeroInsertionAdapter
from tests.planted_bugs import KernelNotFlipped


@pytest.fixture(autouse=True)
def ci_profile():
    previous = settings.default
    settings.load_profile("ci")
    yield
    settings.register_profile("_previous", previous)
    settings.load_profile("_previous")


def phases(records):
    return Counter((r["phase"], r["outcome"]) for r in records)


def sweep_records(adapter, dtype, exploration, kind="forward"):
    records = []
    try:
        run_sweep(kind, adapter, dtype, records.append, exploration)
        failed = False
    except Exception:   # noqa: BLE001  (an AssertionError, or a group of them)
        failed = True
    return records, failed


@pytest.mark.slow
def test_an_explored_failure_is_saved_and_replayed_for_every_adapter(tmp_path):
    explore = Exploration(examples=15, seed=3, database=tmp_path)
    records, failed = sweep_records(KernelNotFlipped(), "float32", explore)
    assert failed and phases(records)[("explore", "failed")] > 0
    assert any(tmp_path.iterdir()), "nothing saved to the database"

    class SameBugElsewhere(KernelNotFlipped):   # another framework with the same mistake
        name = "planted:same-bug-elsewhere"

    replay_only = Exploration(examples=0, seed=3, database=tmp_path)
    # another adapter, another dtype, another kind: the saved example is tried first, and fails
    records, failed = sweep_records(SameBugElsewhere(), "float64", replay_only, kind="determinism")
    assert phases(records)[("replay", "passed")] > 0 and records[0]["phase"] == "replay"
    records, failed = sweep_records(SameBugElsewhere(), "float64", replay_only)
    assert failed and phases(records)[("replay", "failed")] > 0
    assert records[0]["phase"] == "replay"
    # a correct adapter replays it too, and passes
    records, failed = sweep_records(ZeroInsertionAdapter(), "float32", replay_only)
    assert not failed and phases(records)[("replay", "passed")] > 0


@pytest.mark.slow
def test_a_saved_example_leaves_once_the_adapter_that_failed_it_passes(tmp_path):
    explore = Exploration(examples=15, seed=3, database=tmp_path)
    sweep_records(KernelNotFlipped(), "float32", explore)

    class Fixed(ZeroInsertionAdapter):   # the same adapter, after an upgrade fixed it
        name = KernelNotFlipped.name

    replay_only = Exploration(examples=0, seed=3, database=tmp_path)
    records, failed = sweep_records(Fixed(), "float32", replay_only)
    assert not failed and phases(records)[("replay", "passed")] > 0
    records, _ = sweep_records(ZeroInsertionAdapter(), "float32", replay_only)
    assert not [r for r in records if r["phase"] == "replay"], "still replayed after it passed"


def test_the_family_entry_stays_while_the_saving_sweep_still_fails(tmp_path):
    database = SharedExamples(tmp_path, "cases")
    database.save(b"own", b"example")
    database.delete(b"other", b"example")          # passed elsewhere: kept
    assert list(database.fetch(b"another")) == [b"example"]
    database.save(b"own.secondary", b"shrunk")     # hypothesis's own sub-keys stay private
    assert b"shrunk" not in list(database.fetch(b"another"))
    database.delete(b"own", b"example")            # passed where it failed: gone
    assert list(database.fetch(b"another")) == []


def test_a_costly_adapter_replays_its_own_examples_and_a_share_of_the_family(tmp_path):
    for n in range(5):
        SharedExamples(tmp_path, "cases").save(f"sweep {n}".encode(), f"example {n}".encode())
    limited = SharedExamples(tmp_path, "cases", family_limit=2)
    limited.save(b"costly", b"its own")
    assert sorted(SharedExamples(tmp_path, "cases").fetch(b"costly")) == sorted(
        [b"its own"] + [f"example {n}".encode() for n in range(5)])
    fetched = list(limited.fetch(b"costly"))
    assert fetched[0] == b"its own" and len(fetched) == 3, fetched


def test_the_fixed_cases_are_distinct_and_the_same_for_every_adapter_and_dtype():
    """ci's fixed phase runs cases drawn once a process (sweeps.fixed_cases):
    every adapter and dtype gets the same ones, as many as the profile says,
    none twice."""
    fixed = {}
    for adapter, dtype in ((ZeroInsertionAdapter(), "float32"), (KernelNotFlipped(), "float64")):
        records, _ = sweep_records(adapter, dtype, Exploration())
        fixed[adapter.name, dtype] = [r["describe"] for r in records if r["phase"] == "fixed"][:25]
    first, second = fixed.values()
    assert first == second and len(set(first)) == settings.default.max_examples == 25


def test_a_failing_fixed_case_is_shrunk_by_hypothesis_and_not_run_twice():
    """The fixed cases run one by one; hypothesis then replays the failing
    ones (their verdicts, not new calls) and shrinks them: the failure is
    hypothesis's, with its minimal example's draws."""
    records = []
    with pytest.raises(AssertionError) as failure:
        run_sweep("forward", KernelNotFlipped(), "float32", records.append, Exploration())
    fixed, shrinking = records[:25], records[25:]
    failing = {r["describe"] for r in fixed if r["outcome"] == "failed"}
    assert failing and shrinking, "the planted bug fails fixed cases, which hypothesis shrinks"
    assert not failing & {r["describe"] for r in shrinking}, "a failing fixed case ran again"
    notes = "\n".join(getattr(failure.value, "__notes__", []))
    assert "Failing test case" in notes and "(kernel_h)" in notes, notes


def test_the_same_seed_explores_the_same_cases_and_another_seed_others():
    def explored(seed):
        records, _ = sweep_records(ZeroInsertionAdapter(), "float32",
                                   Exploration(examples=12, seed=seed, database=None))
        return [r["case"] for r in records if r["phase"] == "explore"]

    first = explored(11)
    assert len(first) == 12
    assert explored(11) == first
    assert explored(12) != first


def test_targets_are_finite_measures_of_disagreement():
    assert targets({"max_error_over_bound": 1e40, "unexpected_nan": 2,
                    "expected_shape": [1, 2, 5, 5], "actual_shape": [1, 2, 4, 5]}) == {
        "log10 error/bound": 40.0, "nonfinite mismatches": 2.0, "shape difference": 1.0}
    found = targets({"max_error_over_bound": float("inf"), "gradients": {
        "grad_x": {"unexpected_inf": 1}, "grad_weight": {"missing_nonfinite": 3}}})
    assert found == {"log10 error/bound": 308.0, "nonfinite mismatches": 4.0}
    assert targets({"outcome": "failed", "failure": "error"}) == {"nonfinite mismatches": 0.0}


def test_kernel_rarity_climbs_toward_kernels_few_checks_reached(monkeypatch):
    """The targeted search's kernel score: a kernel no check reached before
    scores 1, one many reached scores little, a check that names none has no
    score (XLA, plug-ins), and the counts come from every check a sweep runs."""
    monkeypatch.setattr(sweep_phases, "KERNELS_REACHED", Counter())
    common = {"direction": "forward", "implementation": "jit:avx512_core"}
    rare = {"direction": "forward", "implementation": "ref:any"}
    record = {"adapter": "torch", "dtype": "float32"}
    for _ in range(9):
        sweep_phases.reached({**record, "kernels": [common]})
    sweep_phases.reached({**record, "kernels": [rare]})
    assert targets({**record, "kernels": [common]})["kernel rarity"] == pytest.approx(1 / 9)
    assert targets({**record, "kernels": [common, rare]})["kernel rarity"] == 1.0
    assert targets({**record, "kernels": [{"direction": "forward", "implementation": "new"}]})["kernel rarity"] == 1.0
    assert "kernel rarity" not in targets(record)
    assert targets({**record, "dtype": "bfloat16", "kernels": [common]})["kernel rarity"] == 1.0


def boundary_counts(boundaries: bool, ranks=(2,)) -> Counter:
    """Per axis (batch: per case), how often 300 derandomised draws sit on each boundary
    (with several ranks: per rank, too, as "rank R")."""
    seen = Counter({name: 0 for name in BOUNDARIES if name != "interior"} | {"batch above 1": 0})

    @settings(max_examples=300, derandomize=True, database=None)
    @given(st.data())
    def draw(data):
        case = draw_case(data, boundaries, ranks)
        shape = case.spec.output_shape(case.input_shape)   # raises on an invalid spec
        if len(ranks) > 1:
            seen[f"rank {case.spec.rank}"] += 1
        assert min(shape[2:]) >= 1
        seen["input size 1"] += sum(i == 1 for i in case.input_shape[2:])
        seen["stride >= kernel"] += sum(s >= k for s, k in zip(case.spec.stride, case.spec.kernel_size))
        seen["output size 1"] += sum(o == 1 for o in shape[2:])
        seen["widest output"] += sum(p == (-2, -2) for p in case.spec.padding)
        seen["batch above 1"] += case.input_shape[0] > 1

    draw()
    return seen


@pytest.mark.slow
def test_boundary_draws_are_valid_and_the_bias_shows():
    biased, uniform = boundary_counts(True), boundary_counts(False)
    assert set(biased) == set(uniform) and all(biased[name] >= 20 for name in biased), biased
    for name, at_least in (("input size 1", 1.4), ("output size 1", 1.2), ("widest output", 3.0),
                           ("batch above 1", 1.15)):
        assert biased[name] >= at_least * uniform[name], (name, biased, uniform)
    # "stride >= kernel" is not asserted above: uniform draws already put about 60 % of
    # axes there (small kernels), and the bias does not measurably add to that


@pytest.mark.slow
def test_the_other_ranks_are_drawn_valid_with_the_bias_on_every_axis():
    """1-D and 3-D draws: both ranks often, every spec valid, and every boundary
    reached (per axis) more often with the bias than without."""
    biased, uniform = boundary_counts(True, (1, 3)), boundary_counts(False, (1, 3))
    assert biased["rank 1"] >= 90 and biased["rank 3"] >= 90, biased
    # per axis (the batch's bias is the 2-D test's: it is drawn alike in every rank)
    for name, at_least in (("input size 1", 1.2), ("output size 1", 1.2), ("widest output", 3.0)):
        assert biased[name] >= at_least * uniform[name], (name, biased, uniform)


def test_known_finding_evidence_is_kept_once_each_and_bounded(tmp_path):
    def result(seed):
        return {"finding": "some-finding", "kind": "vjp", "adapter": "x", "dtype": "float32",
                "case": {"spec": {}, "input_shape": [1, 1, 1, 1], "seed": seed}, "outcome": "known"}

    keep_evidence(tmp_path, result(1))
    keep_evidence(tmp_path, result(1))
    for seed in range(2, 2 * EVIDENCE_KEPT):
        keep_evidence(tmp_path, result(seed))
    lines = (tmp_path / "findings" / "some-finding.jsonl").read_text().splitlines()
    assert len(lines) == EVIDENCE_KEPT
    assert [json.loads(line)["case"]["seed"] for line in lines[:2]] == [1, 2]
