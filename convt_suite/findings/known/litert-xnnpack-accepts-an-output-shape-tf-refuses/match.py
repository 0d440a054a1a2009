"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations


def match(record: dict) -> bool:
    """A TensorFlow native call whose output_shape is out of its padding's range."""
    return ((record.get("native") or {}).get("language") == "tensorflow"
            and (record.get("expected_refusal") or "").startswith("output_size=")
            and "output size must be in" in record["expected_refusal"])
