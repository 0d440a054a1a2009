"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.native import base_kind
from convt_suite.core.records import plan_of
from convt_suite.findings.matchers import effective


def _grad_weight_values_failed(record: dict) -> bool:
    grad_weight = (record.get("gradients") or {}).get("grad_weight") or {}
    return record.get("failure") == "values" and grad_weight.get("failure") == "values"


def match(record: dict) -> bool:
    """A crash in the gradient of the tensorflow adapter's conv2d_transpose
    call whose output_shape, on an axis with stride >= 2 and an effective
    kernel of 1, is the longest TF accepts ((I - 1)·S + K + S - 1): the
    Conv2DBackpropFilter over an upstream gradient with S - 1 unused rows.
    A native call (TF's own, or Keras-on-TF's layer) asks TF for its output
    as it is; the adapters' canonical ones for their plan's call: the full
    output less the crops the call does.
    The corrupted heap shows by chance: as a crash, or as garbage in
    grad_weight (a `values` failure of that gradient) when the process lives."""
    spec = record["case"]["spec"]
    if base_kind(record) != "vjp" or not (record.get("failure") == "crash"
                                           or _grad_weight_values_failed(record)):
        return False
    size = record["case"]["input_shape"][2:]
    kernel = [effective(spec, a) for a in (0, 1)]
    if record.get("native"):
        outputs = record["expected_shape"][2:]
    else:
        crops = plan_of(record).get("call_crops")
        if crops is None:
            return False
        outputs = [(size[a] - 1) * spec["stride"][a] + kernel[a] - sum(crops[a]) for a in (0, 1)]
    return any(spec["stride"][a] >= 2 and kernel[a] == 1 and outputs[a] == size[a] * spec["stride"][a]
               for a in (0, 1))
