"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import onednn_strided_deconv_nan_spread


def match(record: dict) -> bool:
    """oneDNN's strided rule (matchers.onednn_strided_deconv_nan_spread); the
    CPU plugin runs a float16 model in float32 (its kernel: brgconv f32), so a
    float16 record is judged by the float32 rule."""
    as_run = dict(record, dtype="float32") if record.get("dtype") == "float16" else record
    return onednn_strided_deconv_nan_spread(as_run)
