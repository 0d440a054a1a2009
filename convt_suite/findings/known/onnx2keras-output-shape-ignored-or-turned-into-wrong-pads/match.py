"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.adapters.spec import full_length
from convt_suite.core.records import record_rank
from convt_suite.findings.matchers import onnx2keras_pads_output, onnx_node


def output_shape_output(node: dict) -> list[int] | None:
    """The spatial output onnx2keras gives a node with output_shape O: with
    pads, the pads' (output_shape unread); without, pads t = (S·(I - 1) +
    (K_h - 1) - O) per axis, the kernel's height on both, cropped from both
    ends where the height's t is positive."""
    if node["pads"] is not None:
        return onnx2keras_pads_output(node)
    full = [full_length(i, k, s, 1) for i, k, s in zip(node["size"], node["kernel"], node["strides"])]
    pads = [s * (i - 1) + (node["kernel"][0] - 1) - o
            for i, s, o in zip(node["size"], node["strides"], node["output_shape"])]
    return [length - 2 * t for length, t in zip(full, pads)] if pads[0] > 0 else full


def match(record: dict) -> bool:
    """A native 2-D node onnx2keras converts (group 1, dilation 1, no
    output_padding) with output_shape, computed as onnx2keras's rule for it
    gives (whatever the auto_pad, which it does not read)."""
    node = onnx_node(record) if record_rank(record) == 2 else None   # onnx2keras converts 2-D alone
    if (node is None or not record.get("native") or node["group"] != 1 or node["dilations"] != [1, 1]
            or max(node["output_padding"]) > 0 or node["output_shape"] is None):
        return False
    expected = output_shape_output(node)
    return expected is not None and list(record.get("actual_shape") or [])[2:] == expected
