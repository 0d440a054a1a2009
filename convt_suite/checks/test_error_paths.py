"""Error-path parity: Spec refuses every invalid combination clearly, and
each framework's behaviour for it is recorded (raised, returned, crashed),
in child processes so an abort cannot end the run."""

import importlib.util

import pytest

from convt_suite.checks import check
from convt_suite.studies.error_paths import (
    ENV,
    SCENARIOS,
    SETUP,
    child_script,
    probe_all,
    run_probes,
    spec_verdict,
)

KEYWORDS = {  # the parameter each refusal must name
    "output_padding >= max(stride, dilation)": "output_padding",
    "output size below 1": "output H",
    "channels not divisible by groups": "groups",
    "weight shape does not fit the input": "weight shape",
    "kernel size 0": "kernel_size",
    "stride 0": "stride",
    "negative padding": "padding",
    "zero-size input": "spatial sizes",
    "inconsistent TF output_shape": "output_size",
}


FIRST_AXIS = {1: "W", 2: "H", 3: "D"}   # the axis a refusal of every axis names first


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_spec_refuses_with_a_clear_value_error(scenario):
    verdict = spec_verdict(scenario)
    keyword = KEYWORDS[scenario.id.removesuffix(f", {scenario.rank}-D")]
    assert verdict["raises"] == "ValueError", verdict
    assert keyword.replace("output H", f"output {FIRST_AXIS[scenario.rank]}") in verdict["message"], verdict["message"]


def test_every_scenario_is_put_to_a_framework():
    for scenario in SCENARIOS:
        assert set(scenario.probes) & set(SETUP), scenario.id


def script(framework: str) -> tuple[str, dict] | None:
    """The script a framework's probes run in, for the scheduler."""
    return (child_script(SETUP[framework]), ENV[framework]) if framework in SETUP else None


# one test a framework: the scheduler runs each beside the known findings that
# fork from the same zygote (scheduling.py), which then starts once
@check(script=script)
@pytest.mark.parametrize("framework", list(SETUP))
def test_every_framework_behaviour_is_recorded(framework, results_writer):
    if importlib.util.find_spec(framework) is None:
        pytest.skip(f"{framework} is not installed")
    records = probe_all([framework], run=results_writer.run_id)
    for record in records:
        results_writer.write(record)
    outcomes = {r["scenario"]: r["outcome"] for r in records}
    assert len(outcomes) == len(SCENARIOS)
    assert set(outcomes.values()) <= {"raised", "returned", "crashed", "hung", "n/a"}, outcomes


def test_an_aborting_call_is_recorded_as_a_crash_and_the_run_goes_on():
    found = run_probes("import os\n", [
        ("fine", "out = np.ones((2, 3))"),
        ("aborts", "os.abort()"),
        ("raises", "raise ValueError('<b>not markup</b>')"),
        ("after", "out = np.zeros(4)"),
    ])
    assert found["fine"] == {"scenario": "fine", "outcome": "returned", "shape": [2, 3]}
    assert found["aborts"]["outcome"] == "crashed" and found["aborts"]["returncode"] != 0
    assert found["raises"]["exception"] == "ValueError"
    assert found["after"]["outcome"] == "returned"
