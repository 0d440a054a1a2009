"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.records import plan_of, record_rank


def _axes(value, rank: int) -> list[int]:
    if value is None:
        return [0] * rank
    return [int(value)] * rank if isinstance(value, int) else [int(v) for v in value]


def onnx_node(record: dict) -> dict | None:
    """The ConvTranspose node the check converted (the native call's
    attributes, else the one the ONNX adapters build for a spec: its group,
    dilations, and the plan's output_padding); None where the record states none."""
    rank = record_rank(record)
    native = record.get("native")
    if native:
        if native.get("language") != "onnx":
            return None
        return {"group": native.get("groups") or 1, "dilations": _axes(native.get("dilation"), rank),
                "output_padding": _axes(native.get("output_padding"), rank)}
    spec, call = (record.get("case") or {}).get("spec"), plan_of(record).get("call") or {}
    if not spec or "pads" not in call:
        return None
    return {"group": spec["groups"], "dilations": _axes(spec["dilation"], rank),
            "output_padding": _axes(call.get("output_padding"), rank)}


# convert_convtranspose's refusals, in its order: a weight of 5 axes (3-D), then for 4 axes
# group, dilations[0] (the height's only) and output_padding; any other weight (1-D) last
RULES = (
    ("NotImplementedError: Not implemented", lambda node, rank: rank == 3),
    ("Cannot convert ConvTranspose2d with groups != 1", lambda node, rank: rank == 2 and node["group"] > 1),
    ("Cannot convert ConvTranspose2d with dilation_rate != 1",
     lambda node, rank: rank == 2 and node["group"] == 1 and node["dilations"][0] > 1),
    ("Cannot convert ConvTranspose2d with output_padding != 0",
     lambda node, rank: rank == 2 and node["group"] == 1 and node["dilations"][0] == 1
     and max(node["output_padding"][:2]) > 0),
    ("AttributeError: Layer is not supported for now", lambda node, rank: rank == 1),
)


def match(record: dict) -> bool:
    """The error is the refusal whose condition the converted node meets."""
    node, error = onnx_node(record), record.get("error") or ""
    if node is None:
        return False
    rank = record_rank(record)
    return any(text in error and holds(node, rank) for text, holds in RULES)
