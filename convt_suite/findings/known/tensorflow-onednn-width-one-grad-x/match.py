"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import effective


def match(record: dict) -> bool:
    """The conditions the investigation found (each needed; see the detail)."""
    spec, (n, _, h, w) = record["case"]["spec"], record["case"]["input_shape"]
    return (record.get("kind") == "vjp" and record.get("failed_gradient") == "grad_x"
            and record.get("dtype") in ("float32", "bfloat16")
            and w == 1 and h >= 2 and spec["stride"][0] == 1 and spec["stride"][1] >= 2
            and spec["out_channels"] // spec["groups"] == 1 and effective(spec, 1) >= 2
            and (n >= 2 or record["dtype"] == "bfloat16"))
