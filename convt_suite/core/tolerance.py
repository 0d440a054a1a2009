"""The data-derived error bound (docs/explanation/tolerance.md).

An output element sums at most K = (C_in / groups)·kH·kW products, plus the
bias. For any summation order, floating-point arithmetic with unit roundoff u
gives |fl(s) - s| <= γ(n)·Σ|terms| with γ(n) = n·u / (1 - n·u) (Higham,
*Accuracy and Stability of Numerical Algorithms*, §3.1), n = K + 1. Σ|terms|
is the oracle run on |x|, |w|, |b| (`oracle.magnitude`). The bound is

    |out - ref| <= C·γ_dtype(n)·mag  +  γ_float64(n)·mag  +  u_dtype·|ref|
                    +  C·(n + 1)·λ_dtype·u_dtype

- C = 2. γ(n) already covers every summation order (pairwise, blocked GEMM,
  im2col + col2im, the two-stage sums of a grouped or composed call), so an
  honest kernel stays below C = 1; the factor 2 leaves room for kernels that
  transform the data first (Winograd-style transforms carry a small constant
  on top of γ) and for an extra rounding where a framework rounds an
  intermediate (for example the bias add in the storage dtype). It is fixed
  here, before any run, and never tuned to a result.
- γ_float64(n)·mag: the oracle itself is float64, not exact; for float64
  checks its own error is of the same order as the framework's.
- u·|ref|: the result is rounded once more to the storage dtype.
- C·(n + 1)·λ·u, λ the dtype's smallest normal number: gradual underflow.
  The model above is relative; a product that lands among the subnormals is
  rounded to an absolute spacing, fl(a·b) = a·b·(1 + δ) + η with |η| <= λ·u
  (Higham §2.1; additions of subnormals are exact), so each of the n products
  and the final rounding may add λ·u, with C's room as above; only where some
  product is nonzero (mag > 0), as an output of no products is exact. It only
  matters for float16 (λ·u = 2^-25), where a correctly rounded product of
  1e-2 and 1e-5 is otherwise out of bounds; for the other dtypes it is below
  1e-37.

The 16-bit dtypes: the accumulation contract. From n·u = 1 on (bfloat16
from 256 products, float16 from 2048) γ_dtype(n) is vacuous: it allows
errors beyond the output itself. The CPU kernels the suite runs multiply
16-bit values exactly in float32 and sum there; oneDNN documents it
(docs/explanation/tolerance.md cites it). So for a 16-bit dtype the
rounding term γ_dtype(n)·mag becomes, per element, the smaller of it and

    γ_float32(n)·mag  +  γ_dtype(p)·Σ|P|        (the second only if p > 1)

with P the p partial sums a kernel may round to the storage dtype and add
there (`Sums.partials`; Σ|P| is oracle.reference_and_partials and
vjp_partials_magnitude): rounding each partial and the p - 1 adds cost at
most γ_dtype(p)·Σ|P| (Higham §4.2); with one partial, it is the result,
whose rounding is the u·|ref| term. The sums over channels and positions
are a matrix product's inner dimension in every formulation and accumulate
in float32; the kernel taps that land on one output position (col2im adds
one GEMM result per tap: PyTorch's own float16 kernel does, in float16),
the batch samples of a weight or bias gradient (one GEMM per sample) and
the bias may be rounded between. A kernel that keeps that contract stays
within C = 1; one that sums a 16-bit dtype's channels or positions in the
storage dtype fails at model scale (tests/test_model_scale.py plants two),
and a framework that does is a known finding, not a wider bound.

Every check records max(error / bound); a correct kernel typically runs at
1e-3 to 1e-1 of the bound, a wrong one at 1e3 and beyond.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from convt_suite.adapters.spec import accumulation_length

C = 2.0
UNIT_ROUNDOFF = {
    "float16": 2.0 ** -11,
    "bfloat16": 2.0 ** -8,
    "float32": 2.0 ** -24,
    "float64": 2.0 ** -53,
}


# λ: the smallest normal number of each dtype (below it, spacing is absolute)
SMALLEST_NORMAL = {
    "float16": 2.0 ** -14,
    "bfloat16": 2.0 ** -126,
    "float32": 2.0 ** -126,
    "float64": 2.0 ** -1022,
}


def gamma(n: int, u: float) -> float:
    """γ(n) = n·u / (1 - n·u) while n·u < 1; from n·u = 1 on (a 16-bit
    dtype at model scale: bfloat16 from n = 256, float16 from n = 2048),
    the exact worst case it stands for, (1 + u)^n - 1 (Higham, Lemma 3.1,
    for the products of 1 + δ a sum's roundings make), which stays finite.
    γ(n) itself is infinite there, and a check judged by an infinite bound
    could not fail on values. Below n·u = 1 the classic form stays (it is
    the larger of the two), so the small sweeps' bound is unchanged."""
    nu = n * u
    return nu / (1.0 - nu) if nu < 1.0 else float(np.expm1(n * np.log1p(u)))


# The dtype each storage dtype's products are summed in (the module's docstring)
ACCUMULATES_IN = {"float16": "float32", "bfloat16": "float32", "float32": "float32",
                  "float64": "float64"}


class Sums(NamedTuple):
    """How one element of a tensor is summed: at most `products` products,
    in at most `partials` partial sums that a kernel may round to the
    storage dtype and add there (kernel taps, batch samples, the bias);
    within a partial, products accumulate in ACCUMULATES_IN's dtype."""

    products: int
    partials: int


def forward_sums(spec, input_shape) -> Sums:
    """An output element: (C_in / groups)·kH·kW products, in one partial per
    kernel tap that can land on its position, and the bias. Per axis that
    is ceil(k / (s / gcd(s, d))) taps (tap a lands at i·s + a·d, so taps
    whose a·d agree modulo s share positions), and no more than the input's
    length (each tap there comes from another input position)."""
    overlap = math.prod(min(-(-k // (s // math.gcd(s, d))), max(length, 1))
                        for k, s, d, length in zip(spec.kernel_size, spec.stride, spec.dilation,
                                                   input_shape[2:]))
    return Sums(accumulation_length(spec), overlap + spec.bias)


def vjp_sums(spec, input_shape) -> tuple[Sums, Sums, Sums]:
    """grad_x, grad_weight, grad_bias (adapters/oracle.py vjp() derives them):
    grad_x is one matrix product over C_out/groups·∏kernel (im2col); grad_weight
    and grad_bias sum positions within each of the N samples (every rank)."""
    n, outputs = input_shape[0], spec.output_shape(input_shape)[2:]
    return (Sums(spec.out_channels // spec.groups * math.prod(spec.kernel_size), 1),
            Sums(n * math.prod(input_shape[2:]), n), Sums(n * math.prod(outputs), n))


def partials_in_storage(dtype: str, sums: Sums | int) -> bool:
    """Whether the bound for `sums` in `dtype` has a storage-rounding term,
    which scales with the partials' magnitude (oracle.reference_and_partials)."""
    return isinstance(sums, Sums) and ACCUMULATES_IN[dtype] != dtype and sums.partials > 1


def bound(reference: np.ndarray, magnitude: np.ndarray, dtype: str, terms: Sums | int,
          partials: np.ndarray | None = None) -> np.ndarray:
    """The allowed |out - ref| per element, summed as `terms` says (a bare
    count: that many products in any order, in the storage dtype), with
    `partials` the Σ|partial| per element where partials_in_storage()."""
    u = UNIT_ROUNDOFF[dtype]
    n = (terms.products if isinstance(terms, Sums) else terms) + 1  # the bias add
    # only where some product is nonzero: an output of no products is exact
    underflow = np.where(magnitude > 0, C * (n + 1) * SMALLEST_NORMAL[dtype] * u, 0.0)
    rounding = gamma(n, u) * magnitude   # any order, in the storage dtype
    wide = ACCUMULATES_IN[dtype]
    if isinstance(terms, Sums) and wide != dtype:   # the accumulation contract, never above it
        contract = gamma(n, UNIT_ROUNDOFF[wide]) * magnitude
        if partials_in_storage(dtype, terms):
            contract = contract + gamma(terms.partials, u) * (magnitude if partials is None else partials)
        rounding = np.minimum(rounding, contract)
    return (C * rounding + gamma(n, UNIT_ROUNDOFF["float64"]) * magnitude
            + u * np.abs(reference) + underflow)


def overflow_threshold(dtype: str) -> float:
    """Where an exact value rounds to ±inf in `dtype`."""
    import ml_dtypes

    from convt_suite.adapters.base import numpy_dtype

    finfo = ml_dtypes.finfo(numpy_dtype(dtype))  # numpy's finfo does not know bfloat16
    return float(finfo.max) * (1 + float(UNIT_ROUNDOFF[dtype]))


def overflow_aware(reference: np.ndarray, allowed: np.ndarray, dtype: str):
    """(expected, either): the reference with ±inf where the exact result
    overflows `dtype` (rounds beyond its largest finite value), and a mask of
    elements within the bound of that threshold, where a finite answer within
    the bound and the overflowed infinity are both right."""
    threshold = overflow_threshold(dtype)
    size = np.abs(reference)
    with np.errstate(invalid="ignore", over="ignore"):
        nearest = float(np.max(size + allowed)) if size.size else 0.0
    if nearest < threshold:   # nothing near overflow (NaN compares false: the full path)
        return reference, np.zeros(reference.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        expected = np.where(np.isfinite(reference) & (size >= threshold),
                            np.sign(reference) * np.inf, reference)
        either = np.isfinite(reference) & (size + allowed >= threshold) & (size - allowed < threshold)
    return expected, either


def error_ratio(actual: np.ndarray, reference: np.ndarray, allowed: np.ndarray,
                per_element: bool = False):
    """(max |out - ref|, max |out - ref| / bound) over elements, and with
    per_element the array of |out - ref| / bound itself.

    Matching non-finite values (NaN where ref is NaN, the same infinity) count
    as exact; any other disagreement involving a non-finite value is infinite.
    """
    actual = np.asarray(actual, dtype=np.float64)
    if actual.size == 0:
        return (0.0, 0.0, np.zeros(actual.shape)) if per_element else (0.0, 0.0)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        error = np.abs(actual - reference)
        if not np.isfinite(error).all():   # a non-finite value on either side: the rule above
            same_special = (np.isnan(actual) & np.isnan(reference)) | (
                np.isinf(reference) & (actual == reference))
            error = np.where(same_special, 0.0, error)
            error = np.where(np.isnan(error), np.inf, error)
        ratio = np.divide(error, allowed, out=np.zeros(np.shape(error)), where=error != 0)
    summary = (float(error.max()), float(ratio.max()))
    return (*summary, ratio) if per_element else summary
