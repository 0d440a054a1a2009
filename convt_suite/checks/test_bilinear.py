"""FCN's bilinear upsampling layer (convt_suite/studies/bilinear.py) against each
framework's bilinear resize, per coordinate convention: recorded for the
report. Whether they agree is the measurement, not the verdict: a check
fails only when a framework's resize could not run."""

import importlib.util

import pytest

from convt_suite.adapters.registry import keras_backend
from convt_suite.checks import check
from convt_suite.studies import bilinear

FRAMEWORKS = list(dict.fromkeys(r.framework for r in bilinear.RESIZES))


def script(framework: str) -> tuple[str, dict] | None:
    """The script a comparison runs (its resizes in a child process), for the scheduler."""
    return bilinear.child(framework) if framework in FRAMEWORKS else None


@check(script=script)
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_fcn_bilinear_is_compared_with_each_resize(framework, record):
    needs = [keras_backend(framework) or framework] + (["keras"] if keras_backend(framework) else [])
    missing = [name for name in needs if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"{framework}: {', '.join(missing)} not installed")
    records = bilinear.measure([framework])
    for result in records:
        record(result)
    failed = [(r["mode"], r["factor"], r["error"]) for r in records if r.get("error")]
    assert not failed, failed
