"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.records import plan_of


def match(record: dict) -> bool:
    """A special-values check with an infinite weight, run from a model
    converted with float16 weights (the record's kernels say so), whose only
    wrongs are non-finite values lost (the weight stored as ±65504: x·inf
    finite, inf·0 and inf - inf finite where IEEE gives NaN): none added, the
    finite outputs right. With an infinite x as well, an output IEEE makes
    inf - inf = NaN comes out x_inf·w + x·65504 = ±inf, which no counter
    records: a values failure with nothing added, lost or off among the
    finite outputs is that."""
    specials = (record.get("case") or {}).get("specials") or ()
    half = any((kernel.get("dtype") or "").startswith("float16 weights") for kernel in record.get("kernels") or [])
    infinite = {tensor for tensor, _, value in specials if value in ("inf", "-inf")}
    lost = (record.get("missing_nonfinite") or 0) > 0
    # where the adapter composed the dilation, its inserted zeros times a NaN or an infinity also add
    # NaNs (finding tensorflow-composed-dilation-spreads-nan): those may come with it
    composed = bool(plan_of(record).get("dilated_kernel"))
    return (half and "weight" in infinite and (lost or "x" in infinite)
            and (composed or not record.get("unexpected_nan")) and not record.get("unexpected_inf")
            and (record.get("finite_error_over_bound") or 0) <= 1)
