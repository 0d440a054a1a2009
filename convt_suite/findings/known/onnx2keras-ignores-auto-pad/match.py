"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.records import record_rank
from convt_suite.findings.matchers import onnx2keras_pads_output, onnx_node


def match(record: dict) -> bool:
    """A native 2-D node onnx2keras converts (group 1, dilation 1, no
    output_padding) with an auto_pad, computed as if there were none: for
    SAME_UPPER/SAME_LOWER alone, the full output; for pads given beside an
    auto_pad (the spec refuses them), the output those pads give."""
    node = onnx_node(record) if record_rank(record) == 2 else None   # onnx2keras converts 2-D alone
    if (node is None or not record.get("native") or node["group"] != 1 or node["dilations"] != [1, 1]
            or max(node["output_padding"]) > 0 or node["auto_pad"] in (None, "NOTSET")):
        return False
    actual = list(record.get("actual_shape") or [])[2:]
    if record.get("failure") == "shape":
        return (node["auto_pad"] in ("SAME_UPPER", "SAME_LOWER") and node["pads"] is None
                and node["output_shape"] is None and actual == onnx2keras_pads_output(node))
    refusal = str(record.get("expected_refusal") or "")
    return (refusal.startswith("pads=") and "cannot be used together with auto_pad" in refusal
            and node["pads"] is not None and actual == onnx2keras_pads_output(node))
