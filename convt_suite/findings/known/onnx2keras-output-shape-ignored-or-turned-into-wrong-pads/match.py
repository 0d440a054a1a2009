"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.adapters.spec import full_length
from convt_suite.core.records import plan_of, record_rank


def _axes(value, rank: int) -> list[int]:
    if value is None:
        return [0] * rank
    return [int(value)] * rank if isinstance(value, int) else [int(v) for v in value]


def onnx_node(record: dict) -> dict | None:
    """The 2-D ConvTranspose node the check converted, as onnx2keras reads it:
    the native call's attributes, else the node the ONNX adapters build for a
    spec (its pads and output_padding as the plan states them); pads flat in
    ONNX's order [top, left, bottom, right] (None where not given). None for
    another rank or where the record states no node."""
    if record_rank(record) != 2:
        return None
    native, case = record.get("native"), record.get("case") or {}
    if native:
        if native.get("language") != "onnx":
            return None
        explicit = native.get("explicit")
        return {"size": list(native["input_size"]), "kernel": _axes(native["kernel"], 2),
                "strides": _axes(native["stride"], 2), "dilations": _axes(native.get("dilation"), 2),
                "group": native.get("groups") or 1, "output_padding": _axes(native.get("output_padding"), 2),
                "pads": None if explicit is None else [p[0] for p in explicit] + [p[1] for p in explicit],
                "auto_pad": native.get("padding"), "output_shape": native.get("output_size")}
    spec, call = case.get("spec"), plan_of(record).get("call") or {}
    if not spec or "pads" not in call:
        return None
    return {"size": list(case["input_shape"][2:]), "kernel": list(spec["kernel_size"]),
            "strides": list(spec["stride"]), "dilations": list(spec["dilation"]), "group": spec["groups"],
            "output_padding": _axes(call.get("output_padding"), 2),
            "pads": [p[0] for p in call["pads"]] + [p[1] for p in call["pads"]],
            "auto_pad": None, "output_shape": None}


def converted_output(node: dict) -> list[int] | None:
    """The spatial output onnx2keras's pads rule gives (auto_pad unread): the
    full output, cropped by (top, top) and (left, left) where the top pad is
    positive (None where uneven pads then fail its assert)."""
    full = [full_length(i, k, s, 1) for i, k, s in zip(node["size"], node["kernel"], node["strides"])]
    pads = node["pads"] or [0, 0, 0, 0]
    if pads[0] <= 0:
        return full
    if pads[2] != pads[0] or pads[3] != pads[1]:
        return None
    return [full[0] - 2 * pads[0], full[1] - 2 * pads[1]]


def output_shape_output(node: dict) -> list[int] | None:
    """The spatial output onnx2keras gives a node with output_shape O: with
    pads, the pads' (output_shape unread); without, pads t = (S·(I - 1) +
    (K_h - 1) - O) per axis, the kernel's height on both, cropped from both
    ends where the height's t is positive."""
    if node["pads"] is not None:
        return converted_output(node)
    full = [full_length(i, k, s, 1) for i, k, s in zip(node["size"], node["kernel"], node["strides"])]
    pads = [s * (i - 1) + (node["kernel"][0] - 1) - o
            for i, s, o in zip(node["size"], node["strides"], node["output_shape"])]
    return [length - 2 * t for length, t in zip(full, pads)] if pads[0] > 0 else full


def match(record: dict) -> bool:
    """A native 2-D node onnx2keras converts (group 1, dilation 1, no
    output_padding) with output_shape, computed as onnx2keras's rule for it
    gives (whatever the auto_pad, which it does not read)."""
    node = onnx_node(record)
    if (node is None or not record.get("native") or node["group"] != 1 or node["dilations"] != [1, 1]
            or max(node["output_padding"]) > 0 or node["output_shape"] is None):
        return False
    expected = output_shape_output(node)
    return expected is not None and list(record.get("actual_shape") or [])[2:] == expected
