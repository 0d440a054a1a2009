"""The model-scale family: its check (an entry point to the packaged one),
its draws, its named layers, and planted bugs that live only past a native
kernel's channel block, which the small sweeps cannot reach and the
model-scale family must catch."""

import collections
import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convt_suite.adapters import oracle
from convt_suite.checks.test_model_scale import *  # noqa: F401,F403
from convt_suite.core.compare import compare_tensor
from convt_suite.core.model_scale import BLOCK_CHANNELS, LAYERS, MAX_PRODUCTS, draw_model_case, products
from convt_suite.sweeps.budget import BUDGET_ORDER, model_layer_indices
from convt_suite.sweeps.phases import Exploration, forward_sweep, run_sweep

DRAWS = settings(max_examples=500, derandomize=True, database=None, deadline=None)


def drawn():
    cases = []

    @DRAWS
    @given(st.data())
    def collect(data):
        cases.append(draw_model_case(data))

    collect()
    return cases


def test_drawn_cases_stay_within_the_cost_cap_and_reach_the_block_boundaries():
    cases = drawn()
    assert all(products(c) <= MAX_PRODUCTS for c in cases)
    per_group = collections.Counter(c.spec.in_channels // c.spec.groups for c in cases)
    per_group.update(c.spec.out_channels // c.spec.groups for c in cases)
    reached = {n for n in BLOCK_CHANNELS if per_group[n]}
    assert {15, 16, 17, 31, 32, 33, 64, 65}.issubset(reached), sorted(reached)
    assert any(c.spec.groups == c.spec.in_channels > 1 for c in cases), "a depthwise layer"
    assert any(1 < c.spec.groups < c.spec.in_channels for c in cases), "a grouped layer"
    assert any(c.spec.kernel_size == (64, 64) and c.spec.stride == (32, 32) for c in cases), "FCN-32s head"
    assert max(c.input_shape[2] for c in cases) > 32 and max(c.input_shape[0] for c in cases) > 4
    assert max(max(c.spec.kernel_size) for c in cases) >= 12 and max(max(c.spec.stride) for c in cases) >= 6


def test_named_layers_are_distinct_valid_and_bounded():
    assert len({layer.name for layer in LAYERS}) == len({layer.case for layer in LAYERS}) == len(LAYERS)
    for layer in LAYERS:
        assert 0 < layer.products <= 2 ** 30, layer.name
        assert layer.source and ":" in layer.name
        layer.case.spec.output_shape(layer.case.input_shape)   # a real output


def test_the_main_job_budget_meets_every_layer_kind_and_dtype():
    count = len(LAYERS)
    chosen = {(k, d): model_layer_indices(k, d, count, 1, False) for k in ("forward", "vjp") for d in BUDGET_ORDER}
    assert sorted(i for found in chosen.values() for i in found) == list(range(count)), "each layer once"
    assert all(chosen.values()), "every kind in every dtype"
    assert all(model_layer_indices(k, d, count, 1, True) == tuple(range(count)) for k, d in chosen)
    # a costly adapter runs a few, spread over kinds and dtypes; the costliest, the first layer alone
    few = {(k, d) for k, d in chosen if model_layer_indices(k, d, count, 8, False)}
    assert len(few) == 3 and {k for k, _ in few} == {"forward", "vjp"} and len({d for _, d in few}) == 3
    assert [model_layer_indices(k, d, count, 64, False) for k, d in chosen if
            model_layer_indices(k, d, count, 64, False)] == [(0,)]


class OracleAdapter:
    """The oracle itself, as an adapter, computed in float64 and rounded once."""

    name = "oracle"

    def supports(self, spec, dtype):
        return None

    def forward(self, x, weight, bias, spec):
        return oracle.conv_transpose2d(self.seen(x, spec), weight, bias, spec).astype(x.dtype)

    def seen(self, x, spec):
        return x

    def vjp(self, x, weight, bias, spec, grad_out):
        raise NotImplementedError


class InputBlockTailDropped(OracleAdapter):
    """A blocked kernel that reads input channels in blocks of 16 and skips
    the partial last block (17 channels: the 17th is never read)."""

    name = "planted:input-block-tail-dropped"

    def seen(self, x, spec):
        per_group = spec.in_channels // spec.groups
        tail = per_group % 16
        if per_group < 16 or not tail:
            return x
        x = x.copy().reshape(x.shape[0], spec.groups, per_group, *x.shape[2:])
        x[:, :, per_group - tail:] = 0
        return x.reshape(x.shape[0], -1, *x.shape[3:])


class OutputBlockRepeated(OracleAdapter):
    """Output channels past the first block of 32 copied from the block
    before (a wrong stride between output-channel blocks)."""

    name = "planted:output-block-repeated"

    def forward(self, x, weight, bias, spec):
        out = super().forward(x, weight, bias, spec)
        if out.shape[1] > 32:
            out = out.copy()
            out[:, 32:] = out[:, [c % 32 for c in range(32, out.shape[1])]]
        return out


PLANTED_BLOCK_BUGS = (InputBlockTailDropped, OutputBlockRepeated)


@pytest.mark.parametrize("planted", PLANTED_BLOCK_BUGS, ids=[p.name for p in PLANTED_BLOCK_BUGS])
def test_block_bugs_escape_the_small_sweeps(planted):
    """What makes the family necessary: 200 small cases pass these bugs."""
    sweep = settings(max_examples=200, derandomize=True, database=None, deadline=None)(
        forward_sweep(planted(), "float32"))
    sweep()
    assert sweep.stats["passed"] >= 100


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("planted", PLANTED_BLOCK_BUGS, ids=[p.name for p in PLANTED_BLOCK_BUGS])
def test_named_layers_catch_block_bugs(planted, dtype):
    records = []
    with pytest.raises(AssertionError, match="disagrees with the oracle"):
        run_sweep("forward", planted(), dtype, records.append, Exploration(), layers=LAYERS)
    failed = {r["model_layer"] for r in records if r["outcome"] == "failed"}
    assert failed and all(r["phase"] == "fixed" for r in records)
    passed = [r for r in records if r["outcome"] == "passed"]
    assert passed, "the layers the bug does not touch pass"


@pytest.mark.parametrize("planted", PLANTED_BLOCK_BUGS, ids=[p.name for p in PLANTED_BLOCK_BUGS])
def test_drawn_model_cases_catch_block_bugs(planted):
    """The explore phase alone (no named layer) finds and shrinks them too."""
    records = []
    with pytest.raises(AssertionError, match="disagrees with the oracle"):
        run_sweep("forward", planted(), "float32", records.append, Exploration(examples=30, seed=7),
                  layers=())
    assert any(r["outcome"] == "failed" and r["phase"] == "explore" for r in records)


def test_the_oracle_as_adapter_passes_every_named_layer():
    records = []
    run_sweep("forward", OracleAdapter(), "float32", records.append, Exploration(), layers=LAYERS)
    assert len(records) == len(LAYERS) and all(r["outcome"] == "passed" for r in records)
    assert all(math.isfinite(r["max_error_over_bound"]) for r in records)


class ChannelsSummedInStorageDtype(OracleAdapter):
    """A 16-bit kernel that breaks the accumulation contract: it adds each
    input channel's contribution in the storage dtype, not in float32
    (numpy rounds every 16-bit add). Its error grows with the channels."""

    name = "planted:channels-summed-in-storage-dtype"

    def forward(self, x, weight, bias, spec):
        if x.dtype.name not in ("float16", "bfloat16"):
            return super().forward(x, weight, bias, spec)
        groups, per_group = spec.groups, spec.in_channels // spec.groups
        one_each = dataclasses.replace(spec, in_channels=groups)   # channel c of every group
        out = None
        for c in range(per_group):
            picked = [group * per_group + c for group in range(groups)]
            part = oracle.conv_transpose2d(x[:, picked], weight[picked], None, one_each).astype(x.dtype)
            out = part if out is None else out + part
        return out if bias is None else out + bias.astype(x.dtype)[None, :, None, None]


class PositionsSummedInStorageDtype(OracleAdapter):
    """A 16-bit weight gradient that breaks the accumulation contract as
    TensorFlow's own kernel does (tensorflow-own-kernel-sums-16-bit-in-16-bit):
    each input position's contribution is added in the storage dtype. The
    other gradients are the oracle's, rounded once."""

    name = "planted:positions-summed-in-storage-dtype"

    def vjp(self, x, weight, bias, spec, grad_out):
        rounded = [None if g is None else g.astype(x.dtype)
                   for g in oracle.vjp(x, weight, bias, spec, grad_out)]
        if x.dtype.name in ("float16", "bfloat16"):
            rounded[1] = None
            for position in np.ndindex(x.shape[0], *x.shape[2:]):
                alone = np.zeros_like(x)
                alone[position[0], :, position[1], position[2]] = x[position[0], :, position[1], position[2]]
                part = oracle.vjp(alone, weight, None, spec, grad_out)[1].astype(x.dtype)
                rounded[1] = part if rounded[1] is None else rounded[1] + part
        return tuple(rounded)


def named(prefix: str):
    return next(layer for layer in LAYERS if layer.name.startswith(prefix))


# (planted kernel, kind, the named layer it runs, the tensor it breaks)
CONTRACT_BREAKERS = (
    (ChannelsSummedInStorageDtype, "forward", named("pix2pix U-Net: innermost up"), None),
    (PositionsSummedInStorageDtype, "vjp", named("FCN-8s: upscore2"), "grad_weight"),
)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("planted, kind, layer, gradient", CONTRACT_BREAKERS,
                         ids=[p.name for p, *_ in CONTRACT_BREAKERS])
def test_a_kernel_summing_in_its_16_bit_dtype_fails_at_model_scale(planted, kind, layer, gradient, dtype):
    """The accumulation contract (core/tolerance.py): on a model layer a
    kernel that sums channels (512 of them) or positions (49) in the
    storage dtype fails, where the classic worst-case bound, vacuous at this
    size, passed it; the oracle rounded once passes the same layer."""
    records = []
    with pytest.raises(AssertionError, match="disagrees with the oracle"):
        run_sweep(kind, planted(), dtype, records.append, Exploration(), layers=(layer,))
    (result,) = records
    assert result["outcome"] == "failed" and result.get("failed_gradient") == gradient, result
    case, spec = layer.case, layer.case.spec
    x, weight, bias = case.tensors(dtype)
    if kind == "forward":
        out = planted().forward(x, weight, bias, spec)
        reference, magnitude = oracle.conv_transpose2d(x, weight, bias, spec), oracle.magnitude(x, weight, bias, spec)
        count = products(case)
    else:
        grad_out = case.upstream_gradient(dtype)
        out = planted().vjp(x, weight, bias, spec, grad_out)[1]
        reference = oracle.vjp(x, weight, bias, spec, grad_out)[1]
        magnitude = oracle.vjp_magnitude(x, weight, bias, spec, grad_out)[1]
        count = x.shape[0] * x.shape[2] * x.shape[3]
    assert "failure" not in compare_tensor(out, reference, magnitude, dtype, count), "the classic bound passes it"
    if kind == "forward":
        kept = []
        run_sweep(kind, OracleAdapter(), dtype, kept.append, Exploration(), layers=(layer,))
        assert kept[0]["outcome"] == "passed", "rounded once: within the contract"


def test_the_bound_at_model_scale_is_measured():
    """Each check records bound_over_output, the bound relative to the
    output, which the report shows per dtype. With the accumulation
    contract the 16-bit bound on the largest named layer allows errors of
    a fraction of the output (without it: 10^5 and 10^30 times the output,
    docs/explanation/tolerance.md)."""
    layer = max(LAYERS, key=lambda layer: layer.products)
    measured = {}
    for dtype in ("bfloat16", "float16", "float32", "float64"):
        records = []
        run_sweep("forward", OracleAdapter(), dtype, records.append, Exploration(), layers=(layer,))
        (result,) = records
        assert result["max_error_over_bound"] < 1 and math.isfinite(result["bound_over_output"])
        assert dtype == "float64" or result["max_error_over_bound"] > 0   # judged, not divided by inf
        measured[dtype] = result["bound_over_output"]
    assert 0.5 > measured["bfloat16"] > measured["float16"] > measured["float32"] > 1e6 * measured["float64"]
