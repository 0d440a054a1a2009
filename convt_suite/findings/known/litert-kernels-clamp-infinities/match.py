"""Which failed checks the finding explains, beside finding.toml's [explains]."""

from __future__ import annotations

from convt_suite.core.records import plan_of, record_rank


def match(record: dict) -> bool:
    """Infinities lost to finite values, none added, the finite outputs
    right, where LiteRT's own kernels ran: litert[reference] always; litert
    (XNNPACK by default) in 3-D, whose CONV_3D_TRANSPOSE XNNPACK never takes,
    or where the record says no delegate was in the graph. Where the adapter
    composed the dilation, its inserted zeros times an infinity also add NaNs
    (finding tensorflow-composed-dilation-spreads-nan): those may come with it."""
    composed = bool(plan_of(record).get("dilated_kernel"))
    if not ((record.get("missing_nonfinite") or 0) > 0 and (composed or not record.get("unexpected_nan"))
            and not record.get("unexpected_inf") and (record.get("finite_error_over_bound") or 0) <= 1):
        return False
    own = any(not (kernel.get("implementation") or "").startswith("XNNPACK") for kernel in record.get("kernels") or [])
    return record["adapter"] == "litert[reference]" or record_rank(record) == 3 or own
