"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import recorded_before


def match(record: dict) -> bool:
    """Recorded on a torch before 2.14.1, which refuses the call compiled too."""
    return recorded_before(record, "torch", "2.14.1")
