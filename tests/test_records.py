"""The results schema (convt_suite/core/records.py): the JSON Schema made from
the typed records is a valid schema, describes what a real run writes (every
line of a small main job, crash and hang records included), and refuses what
it must: each check is shown to fail on a planted bad record. A file of an
older schema is brought to this one as it is read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from convt_suite.core import records, results
from convt_suite.core.vocabulary import SCHEMA_VERSION, RecordType

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "tests.hostile_adapters:"


@pytest.fixture(scope="module")
def validator():
    schema = records.json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def problems(validator, record: dict) -> list[str]:
    """Why the published schema refuses the record ([] where it fits), in the
    words of its own record type's definition (the schema's oneOf alone says
    only that no type fits)."""
    if validator.is_valid(record):
        return []
    own = records.RECORD_TYPES.get(record.get("type"))
    if own is None:
        return [error.message[:200] for error in validator.iter_errors(record)]
    branch = jsonschema.Draft202012Validator({"$defs": validator.schema["$defs"], "$ref": f"#/$defs/{own.__name__}"})
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in branch.iter_errors(record)]


def test_every_record_type_has_a_typed_record():
    assert set(records.RECORD_TYPES) == set(RecordType)


def test_the_schema_names_its_version_and_describes_each_field(validator):
    schema = validator.schema
    assert str(SCHEMA_VERSION) in schema["title"]
    undescribed = [f"{name}.{field}" for name, definition in schema["$defs"].items()
                   for field, prop in definition.get("properties", {}).items() if not prop.get("description")]
    assert not undescribed, undescribed


@pytest.fixture(scope="module")
def main_job_records(tmp_path_factory) -> list[dict]:
    """Two small main jobs: the torch adapter's checks and every study, with a
    plug-in; then hostile adapters that crash and hang (forward, float64), so
    crash, timeout and test-failure records are written too."""
    folder = tmp_path_factory.mktemp("main-job")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [["--adapter", "torch", "--adapter", "examples.zero_insertion:adapter", "--explore", "2", "-j", "1"],
            ["--adapter", HOSTILE + "AbortsOnDilation", "--adapter", HOSTILE + "HangsOnDilation",
             "--only", "forward_matches and float64", "--timeout", "2", "-j", "2",
             "--results", str(folder / "hostile.jsonl")]]
    for options in runs:
        done = subprocess.run([sys.executable, "-m", "convt_suite", "run", "-q", *options],
                              cwd=folder, env=env, capture_output=True, text=True, timeout=900)
        assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-3000:]
    return results.read([folder / "reports" / "results.jsonl", folder / "hostile.jsonl"])


@pytest.mark.slow
def test_every_line_a_main_job_writes_fits_the_schema(validator, main_job_records):
    found = {record.get("type") for record in main_job_records}
    assert {"run", "worker", "check", "test", "test-failure", "end", "finding", "error_path", "pitfall",
            "bilinear", "precision"} <= found, found
    kinds = {record["kind"] for record in main_job_records if record.get("type") == "check"}
    assert {"forward", "vjp", "native", "native vjp", "round trip", "in model"} <= kinds, kinds
    failures = {record.get("failure") for record in main_job_records if record.get("type") == "check"}
    assert {"crash", "timeout"} <= failures, failures
    wrong = {}
    for record in main_job_records:
        for problem in problems(validator, record):
            wrong.setdefault(f"{record.get('type')}: {problem}", record)
    assert not wrong, list(wrong)[:20]


@pytest.mark.slow
def test_a_check_record_carries_its_adapters_plan_as_facts(main_job_records):
    plans = [r["plan"] for r in main_job_records if r.get("type") == "check" and r["adapter"] == "torch"
             and r["kind"] == "forward" and "plan" in r]
    assert plans and all(set(p) == {"words", "native", "call", "call_crops", "per_group", "dilated_kernel"}
                         for p in plans)
    composed = [p for p in plans if not p["native"]]
    assert all(p["words"].startswith("composed: ") and all(c == [0, 0] for c in p["call_crops"]) for p in composed)


A_CHECK = {"run": "r", "type": "check", "test": "t", "kind": "forward", "adapter": "torch", "dtype": "float32",
           "describe": "d", "outcome": "passed",
           "case": {"spec": {"in_channels": 1, "out_channels": 1, "kernel_size": [2, 2], "stride": [1, 1],
                             "padding": [[0, 0], [0, 0]], "dilation": [1, 1], "groups": 1, "bias": False},
                    "input_shape": [1, 1, 2, 2], "seed": 0},
           "plan": {"words": "native", "native": True, "call": None, "call_crops": [[0, 0], [0, 0]],
                    "per_group": False, "dilated_kernel": False},
           "max_error_over_bound": float("nan")}


@pytest.mark.parametrize("change, why", [
    ({}, None),
    ({"kind": "sideways"}, "not one of"),
    ({"outcome": "maybe"}, "not one of"),
    ({"surprise": 1}, "Additional properties"),
    ({"dtype": "int8"}, "not one of"),
    ({"plan": "native"}, "not of type 'object'"),
    ({"type": "nonsense"}, "nonsense"),
], ids=["as written", "unknown kind", "unknown outcome", "unknown key", "unknown dtype",
        "a plan of words alone (schema 1)", "unknown record type"])
def test_the_schema_refuses_what_it_must(validator, change, why):
    found = problems(validator, {**A_CHECK, **change})
    if why is None:
        assert not found, found
    else:
        assert found and any(why in p for p in found), found


def test_a_missing_required_field_is_refused(validator):
    record = {k: v for k, v in A_CHECK.items() if k != "outcome"}
    assert any("'outcome' is a required property" in p for p in problems(validator, record))


def test_a_schema_1_file_is_read_in_this_schema(tmp_path):
    """Before schema_version 2 a check's plan was its words: read, it becomes a plan record."""
    path = tmp_path / "results.jsonl"
    lines = [{"run": "old", "type": "run", "schema_version": 1},
             {**A_CHECK, "run": "old", "plan": "composed: no groups: one call per group"},
             {**A_CHECK, "run": "old", "plan": "native"}]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    read = results.read([path])
    assert read[1]["plan"] == {"words": "composed: no groups: one call per group", "native": False}
    assert read[2]["plan"] == {"words": "native", "native": True}
    assert records.composed(read[1]) and not records.composed(read[2])
    assert records.plan_words(read[1]) == "composed: no groups: one call per group"


def test_a_plug_in_whose_plan_is_words_gets_a_plan_record():
    """A plug-in written against the contract before plans were facts returns
    its words as a string: the check record holds them, with no facts."""
    from convt_suite.adapters.spec import Spec
    from convt_suite.core.cases import Case
    from convt_suite.core.compare import check_forward
    from examples.zero_insertion import ZeroInsertionAdapter

    class SaysItsPlan(ZeroInsertionAdapter):
        def plan(self, spec, dtype):
            return "composed: zero insertion, then a correlation"

    record = check_forward(SaysItsPlan(), Case(Spec(1, 1, (2, 2), (2, 2)), (1, 1, 3, 3), 0), "float64")
    assert record["outcome"] == "passed", record
    assert record["plan"] == {"words": "composed: zero insertion, then a correlation", "native": False,
                              "call": None, "call_crops": None, "per_group": False, "dilated_kernel": False}
    assert records.composed(record)


def test_every_nonfinite_disagreement_is_counted():
    """Each way a non-finite element can disagree lands in one counter: an
    infinity for a NaN (XNNPACK's float16 in ExecuTorch) or of the other sign
    is wrong_nonfinite, not lost between the other three."""
    from convt_suite.core.compare import nonfinite_disagreements

    nan, inf = np.nan, np.inf
    expected = np.array([1.0, 1.0, nan, inf, nan, inf, inf, nan])
    actual = np.array([inf, nan, 1.0, 1.0, -inf, -inf, nan, nan])
    ratios = np.zeros(8)
    counts = nonfinite_disagreements(actual, expected, ratios)
    assert {k: v for k, v in counts.items() if k != "finite_error_over_bound"} == {
        "unexpected_inf": 1, "unexpected_nan": 2, "missing_nonfinite": 2, "wrong_nonfinite": 2}
    assert nonfinite_disagreements(expected, expected, ratios)["wrong_nonfinite"] == 0
