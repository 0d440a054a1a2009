"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.adapters.spec import full_length
from convt_suite.core.records import record_rank
from convt_suite.findings.matchers import onnx_node


def match(record: dict) -> bool:
    """A 2-D node onnx2keras converts (group 1, dilation 1, no output_padding)
    with explicit pads: uneven ones with a positive top pad failing its
    assert, or, with no output_shape (which has its own finding) and no
    auto_pad, a top pad <= 0 beside another pad, computed as the uncropped
    full output."""
    node = onnx_node(record) if record_rank(record) == 2 else None   # onnx2keras converts 2-D alone
    if node is None or node["group"] != 1 or node["dilations"] != [1, 1] or max(node["output_padding"]) > 0:
        return False
    pads = node["pads"]
    if pads is None:
        return False
    if record.get("failure") == "error":
        uneven = pads[2] != pads[0] or pads[3] != pads[1]
        return "AssertionError" in (record.get("error") or "") and pads[0] > 0 and uneven
    if node["output_shape"] is not None or node["auto_pad"] not in (None, "NOTSET"):
        return False
    full = [full_length(i, k, s, 1) for i, k, s in zip(node["size"], node["kernel"], node["strides"])]
    return pads[0] <= 0 and any(pads) and list(record.get("actual_shape") or [])[2:] == full
