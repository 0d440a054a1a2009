"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.records import record_rank
from convt_suite.findings.matchers import onnx_node

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
