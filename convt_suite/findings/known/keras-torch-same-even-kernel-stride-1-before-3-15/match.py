"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import recorded_before


def match(record: dict) -> bool:
    """Recorded on a Keras before 3.15.0, which has the fix."""
    return recorded_before(record, "keras", "3.15.0")
