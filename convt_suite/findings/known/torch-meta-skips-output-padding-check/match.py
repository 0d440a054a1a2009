"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import torch_rules_unchecked


def match(record: dict) -> bool:
    """PyTorch parameters that break only padding >= 0 or the output_padding
    limit, and the output they give as they are."""
    return torch_rules_unchecked(record, ("output_padding=", "padding="))
