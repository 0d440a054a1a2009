"""Every known finding must still reproduce where it is known to hold.

Inside the versions a finding holds in (`holds_in` in its file under
convt_suite/findings/known/), on the oneDNN instruction sets it holds on (`onednn_isa`,
where it depends on the CPU: convt_suite/host/cpu.py), a snippet that stops reproducing means the framework
changed: update or retire the finding (its checks would otherwise be
excused). Outside them the verdict is recorded, not judged: on an older or
newer version set it says whether the behaviour is there, which is what the
version grid shows and what `convt-suite report --record-versions` writes
back into holds_in. A finding that reproduced on the same versions, code and
machine before is read from the probe cache (convt_suite/runtime/probe_cache.py;
--fresh reruns it). One whose CPU conditions this machine does not meet
(oneDNN level, TensorFlow's oneDNN or not) is recorded as not run, except
under the thorough profile.
"""

import importlib.util
import warnings

import pytest
from hypothesis import settings

from convt_suite.adapters.registry import load
from convt_suite.checks import check
from convt_suite.core import results
from convt_suite.findings.model import Verdict, by_id, known
from convt_suite.host import cpu, quiet
from convt_suite.runtime import probe_cache
from convt_suite.sweeps.budget import is_thorough


def reproduce(finding) -> dict:
    said, output = finding.reproduce()
    evidence = "\n".join(line for line in output.splitlines()
                         if "oneDNN" not in line and "absl::InitializeLog" not in line)
    verdict = {"reproduced": said is Verdict.REPRODUCED, "output": evidence[-2000:]}
    if said is Verdict.COULD_NOT_RUN:
        verdict["could_not_run"] = True   # the grid says "not run" here, not "absent"
    return verdict


def finding_machine(finding) -> str:
    tf = {None: "", True: ", TensorFlow with oneDNN", False: ", TensorFlow without oneDNN"}
    return f"oneDNN {', '.join(finding.onednn_isa) or 'any'}{tf[finding.tensorflow_onednn]}"


def script(finding_id: str) -> tuple[str, dict] | None:
    """A finding's snippet and the variables it sets, for the scheduler."""
    finding = by_id().get(finding_id)
    return None if finding is None else (finding.snippet, quiet.script_env(finding.env))


@check(script=script)
@pytest.mark.parametrize("finding", known(), ids=[f.id for f in known()])
def test_known_finding_still_reproduces(finding, results_writer):
    for adapter in finding.adapters:   # what each adapter imports: keras[tensorflow] keras and tensorflow
        for module in load(adapter).needs():
            if importlib.util.find_spec(module) is None:
                pytest.skip(f"{module} is not installed")
    versions = results.installed_versions(finding.holds_in)
    isa, tensorflow_onednn = cpu.onednn_isa(), cpu.tensorflow_onednn()
    machine = {"type": "finding", "id": finding.id, "versions": versions, "onednn_isa": isa,
               "tensorflow_onednn": tensorflow_onednn}
    excluded = finding.machine_excludes(isa, tensorflow_onednn)
    if excluded and not is_thorough(settings().max_examples):
        # its snippet cannot show it on this CPU, and some take a minute (fresh
        # processes, each importing TensorFlow): the thorough profile runs them anyway
        why = f"{excluded} (the thorough profile runs it anyway, to see whether it spread)"
        results_writer.write({**machine, "expected": False, "reproduced": None,
                              "could_not_run": True, "not_run": why})
        pytest.skip(f"finding {finding.id} not run on this machine: {why}")
    verdict = probe_cache.verdict("finding", finding.snippet, finding.env,
                                  lambda: reproduce(finding), lambda v: v["reproduced"],
                                  run=results_writer.run_id)
    expected = finding.expected_here(versions, isa, tensorflow_onednn)
    results_writer.write({**machine, "expected": expected, **verdict})
    where = ", ".join(f"{dist} {version}" for dist, version in versions.items()) or "any version"
    machine = f"oneDNN at {isa}, TensorFlow {'with' if tensorflow_onednn else 'without'} oneDNN"
    if expected is False:
        if verdict["reproduced"]:
            warnings.warn(f"finding {finding.id} reproduces on {where} ({machine}), outside where it "
                          f"is recorded to hold ({finding.holds_in or 'every version'}; "
                          f"{finding_machine(finding)}): record it", stacklevel=1)
        return
    assert verdict["reproduced"], (
        f"finding {finding.id} no longer reproduces on {where}, where it is recorded to hold "
        f"({finding.holds_in or 'every version'}, {finding_machine(finding)}; "
        f"here {machine}; first seen on {finding.observed_on}): the framework changed: update "
        f"convt_suite/findings/known/{finding.id}/finding.toml.\nsnippet output:\n"
        f"{verdict['output']}")
