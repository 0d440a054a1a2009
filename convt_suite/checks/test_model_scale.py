"""The model-scale family (convt_suite/core/model_scale.py): layers from
well-known models at their real sizes, then drawn cases past the native
kernels' channel blocks, forward and gradients, in every dtype, judged by
the same bound as every check.

Its budget is its own (sweeps/budget.py model_layer_indices): in the main
job each named layer runs once per kind, in one dtype, the dtypes in turn,
plus a quarter of a sweep's exploration (none for a costly adapter); under
the thorough profile every layer in every dtype. Test ids: `pytest -k "model_scale and vjp and bfloat16"`.
"""

import dataclasses
import math

import pytest
from hypothesis import settings

from convt_suite.adapters.base import DTYPES
from convt_suite.checks import check
from convt_suite.core.model_scale import LAYERS, MODEL_SCALE
from convt_suite.sweeps.budget import (
    MODEL_SCALE_EXPLORE_DIVISOR,
    is_thorough,
    model_layer_indices,
    model_scale_checks,
    model_scale_explore,
    model_scale_share_of,
)
from convt_suite.sweeps.phases import run_sweep


def model_scale_budget_note(adapter, share: int) -> str:
    """How a costly adapter's share of the family is taken."""
    reason = (getattr(adapter, "model_scale_share_reason", "") if share == getattr(adapter, "model_scale_share", 1)
              else getattr(adapter, "case_share_reason", ""))
    return (f"1/{share} of the model-scale named layers (each in one dtype a kind) and of its "
            f"exploration: {reason}")


@check(checks=lambda share: math.ceil(model_scale_checks(len(LAYERS), share)))
@pytest.mark.parametrize("kind", ["forward", "vjp"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_model_scale_matches_oracle(adapter, kind, dtype, record, exploration):
    """Named layers (the fixed phase, each record naming its layer), then
    model-scale cases drawn (explore) and the family's saved failures
    (replay), every record tagged `scale: "model scale"`."""
    max_examples = settings().max_examples
    share = model_scale_share_of(adapter, max_examples)
    thorough = is_thorough(max_examples)
    chosen = tuple(LAYERS[i] for i in model_layer_indices(kind, dtype, len(LAYERS), share, thorough))
    tags = {"scale": MODEL_SCALE}
    if share > 1:
        tags["budget"] = model_scale_budget_note(adapter, share)
    divisor = MODEL_SCALE_EXPLORE_DIVISOR * share
    explore = dataclasses.replace(exploration, examples=model_scale_explore(exploration.examples, share),
                                  seconds=exploration.seconds / divisor)
    # a costly adapter replays as many of the family's saved cases as it runs layers (its own: all)
    stats = run_sweep(kind, adapter, dtype, lambda result: record({**result, **tags}), explore,
                      family_limit=len(chosen) if share > 1 else None, layers=chosen)
    if stats["passed"] + stats["failed"] + stats["known"] == 0:
        reasons = sorted(k[len("reason: "):] for k in stats if k.startswith("reason: "))
        pytest.skip(f"{adapter.name} {kind} {dtype}: no model-scale case ran here"
                    + (f" ({stats['skipped']} unsupported: " + "; ".join(reasons) + ")" if reasons else
                       " (its budget: named layers in other dtypes, no exploration)"))
