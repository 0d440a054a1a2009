"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import called_padding
from convt_suite.host import cpu


def match(record: dict) -> bool:
    """grad_x alone wrong, of a 'SAME' call (the native one, or the adapter's),
    with an axis whose 'SAME' padding in grad_x's convolution, the crops'
    before + after, is -2 or less; float32 only where TF runs its own kernel
    (without oneDNN)."""
    if record.get("failed_gradient") != "grad_x":
        return False
    if record.get("dtype") == "float32" and cpu.tensorflow_onednn():   # judged where it ran
        return False
    crops = record["case"]["spec"]["padding"]
    return called_padding(record) == "SAME" and any(before + after <= -2 for before, after in crops)
