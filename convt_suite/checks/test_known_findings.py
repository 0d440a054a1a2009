"""Every known finding must still reproduce on the installed frameworks.

When one stops reproducing, the framework changed: update or retire the
finding in convt_suite/findings.py (its checks would otherwise be excused).
"""

import importlib.util

import pytest

from convt_suite.findings import KNOWN


@pytest.mark.parametrize("finding", KNOWN, ids=[f.id for f in KNOWN])
def test_known_finding_still_reproduces(finding, results_writer):
    needed = {"tensorflow": "tensorflow", "keras[tensorflow]": "keras"}
    for adapter in finding.adapters:
        module = needed.get(adapter, adapter.split("[")[0])
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed")
    reproduced, output = finding.reproduce()
    evidence = "\n".join(line for line in output.splitlines()
                         if "oneDNN" not in line and "absl::InitializeLog" not in line)
    results_writer.write({"type": "finding", "id": finding.id, "reproduced": reproduced,
                          "output": evidence[-2000:]})
    assert reproduced, (
        f"finding {finding.id} no longer reproduces (recorded on {finding.observed_on}); "
        f"the framework changed: update convt_suite/findings.py.\nsnippet output:\n{output}"
    )
