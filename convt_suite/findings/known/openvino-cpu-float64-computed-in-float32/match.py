"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.findings.matchers import within_float32_bound


def match(record: dict) -> bool:
    """A float64 result off as a float32 computation is: within float32's
    error, or, with special values, every non-finite result it lost came
    back finite (an infinity saturated to +-3.4e38, times 0 no NaN), none
    added, and the finite ones within float32's error."""
    if within_float32_bound(record):
        return True
    return (record.get("dtype") == "float64" and (record.get("missing_nonfinite") or 0) > 0
            and not record.get("unexpected_nan") and not record.get("unexpected_inf")
            and (record.get("finite_error_over_bound") or 0) <= 2.0 ** 29)
