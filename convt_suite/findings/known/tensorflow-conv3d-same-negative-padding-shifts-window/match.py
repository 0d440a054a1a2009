"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import called_crops, called_padding
from convt_suite.host import cpu


def match(record: dict) -> bool:
    """grad_x alone wrong, of a 'SAME' call (the native one, or the adapter's),
    with an axis whose 'SAME' padding in grad_x's convolution, before + after
    of the crops TF's call performed (not the spec's: the adapter clips them
    and pads the rest itself), is -2 or less; float32 only where TF runs its
    own kernel (without oneDNN)."""
    if record.get("failed_gradient") != "grad_x":
        return False
    if record.get("dtype") == "float32" and cpu.tensorflow_onednn():   # judged where it ran
        return False
    return called_padding(record) == "SAME" and any(b + a <= -2 for b, a in called_crops(record))
