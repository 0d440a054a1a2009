"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import finite_values_off


def match(record: dict) -> bool:
    """An output that ExecuTorch's portable convolution computed (the kernels the
    check recorded name it: the XNNPACK delegate sums in float), with finite values
    beyond the bound."""
    ran = any(k.get("library") == "ExecuTorch" and k.get("implementation") == "portable kernels"
              and "convolution" in str(k.get("primitive", "")) for k in record.get("kernels") or ())
    return ran and finite_values_off(record)
