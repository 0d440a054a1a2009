"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

import math

from convt_suite.findings.matchers import weight_channel_outputs


def match(record: dict) -> bool:
    """A special-values check whose only wrongs are infinities: for the
    definition's NaNs (XNNPACK's float16 returns -inf for every NaN: the
    record's wrong_nonfinite, which records written before that counter
    existed lack: there every other counter is 0, so the failure was an
    infinity for a NaN, or of the other sign), and, where a weight is NaN or
    infinite, infinities where the definition is finite, no more of them than
    the outputs of that weight's output channels (XNNPACK multiplies every
    weight tap by the zero padding at every output of its channel: NaN,
    returned as -inf). Nothing else off: no NaN returned where the definition
    has none, no non-finite value lost, every finite value within its bound."""
    case = record.get("case") or {}
    specials = case.get("specials") or ()
    if not specials or record.get("unexpected_nan", 1) != 0 or record.get("missing_nonfinite", 1) != 0:
        return False
    if record.get("finite_error_over_bound", math.inf) > 1.0:
        return False
    spurious = record.get("unexpected_inf", 0)
    weights = [index for tensor, index, _ in specials if tensor == "weight"]
    if spurious and spurious > weight_channel_outputs(record, weights):
        return False
    if "wrong_nonfinite" in record:
        return record["wrong_nonfinite"] > 0 or spurious > 0
    return True

