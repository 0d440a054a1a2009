"""Every known finding must still reproduce on the installed frameworks.

When one stops reproducing, the framework changed: update or retire the
finding in convt_suite/findings.py (its checks would otherwise be excused).
A finding that reproduced on the same versions, code and machine before is
read from the probe cache (convt_suite/probe_cache.py; --fresh reruns it).
"""

import importlib.util

import pytest

from adapters.registry import keras_backend
from convt_suite import probe_cache
from convt_suite.findings import KNOWN


def reproduce(finding) -> dict:
    reproduced, output = finding.reproduce()
    evidence = "\n".join(line for line in output.splitlines()
                         if "oneDNN" not in line and "absl::InitializeLog" not in line)
    return {"reproduced": reproduced, "output": evidence[-2000:]}


@pytest.mark.parametrize("finding", KNOWN, ids=[f.id for f in KNOWN])
def test_known_finding_still_reproduces(finding, results_writer):
    for adapter in finding.adapters:   # keras[tensorflow] needs keras and tensorflow
        for module in filter(None, (adapter.split("[")[0], keras_backend(adapter))):
            if importlib.util.find_spec(module) is None:
                pytest.skip(f"{module} is not installed")
    verdict = probe_cache.verdict("finding", finding.snippet, finding.env,
                                  lambda: reproduce(finding), lambda v: v["reproduced"],
                                  run=results_writer.run_id)
    results_writer.write({"type": "finding", "id": finding.id, **verdict})
    assert verdict["reproduced"], (
        f"finding {finding.id} no longer reproduces (recorded on {finding.observed_on}); "
        f"the framework changed: update convt_suite/findings.py.\nsnippet output:\n"
        f"{verdict['output']}")
