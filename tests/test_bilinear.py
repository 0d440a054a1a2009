"""FCN's bilinear layer (convt_suite/studies/bilinear.py): the kernel is FCN's, the
layer upsamples by its factor and reproduces constants, the agreement
measure tells a border from a shift or another convention, and in the
frameworks the half-pixel resizes agree inside while align_corners=True and
TF1's asymmetric resize do not."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest

from convt_suite import cli
from convt_suite.reporting import report
from convt_suite.studies import bilinear


def test_the_kernel_is_the_seeds_worked_example():
    # the seed (make_bilinear_weights, size 4): center 1.5, factor 2, weights 0.25 and 0.75
    np.testing.assert_allclose(bilinear.fcn_kernel(2), np.outer([0.25, 0.75, 0.75, 0.25],
                                                                [0.25, 0.75, 0.75, 0.25]))
    assert bilinear.fcn_kernel(3).shape == (5, 5) and bilinear.fcn_kernel(3)[2, 2] == 1


@pytest.mark.parametrize("factor", range(1, 7))
def test_the_layer_upsamples_by_its_factor_and_keeps_a_constant_inside(factor):
    x = np.ones((1, 3, 5, 6))
    out = bilinear.upsample(x, factor)
    assert out.shape == (1, 3, 5 * factor, 6 * factor)
    # the kernel's phases each sum to 1 (bilinear interpolation of a constant)
    edge = -(-(factor - 1) // 2)
    inside = out[..., edge: out.shape[2] - edge, edge: out.shape[3] - edge]
    np.testing.assert_allclose(inside, 1.0, rtol=0, atol=1e-12)


def _half_pixel_resize(x, factor):
    """A half-pixel bilinear resize with the edge repeated (numpy): the
    reference the self-tests plant things in."""
    def axis(n):
        source = np.clip((np.arange(n * factor) + 0.5) / factor - 0.5, 0, n - 1)
        low = np.floor(source).astype(int)
        high = np.minimum(low + 1, n - 1)
        return low, high, source - low
    (hl, hh, hw), (wl, wh, ww) = axis(x.shape[2]), axis(x.shape[3])
    rows = x[:, :, hl] * (1 - hw)[:, None] + x[:, :, hh] * hw[:, None]
    return rows[..., wl] * (1 - ww) + rows[..., wh] * ww


@pytest.mark.parametrize("factor", [2, 3, 4])
def test_the_agreement_measure_tells_a_border_from_a_shift(factor):
    x = np.random.default_rng(1).standard_normal((1, 2, 8, 9))
    conv, resized = bilinear.upsample(x, factor), _half_pixel_resize(x, factor)
    found = bilinear.agreement(conv, resized, factor, float(np.abs(x).max()))
    assert found["agrees_inside"] and 1 <= found["border"] <= -(-factor // 2), found
    shifted = np.roll(resized, 1, axis=2)
    assert not bilinear.agreement(conv, shifted, factor, 1.0)["agrees_inside"]
    assert bilinear.agreement(conv, conv, factor, 1.0) == {
        "agrees_inside": True, "border": 0, "inside_difference": 0.0, "border_difference": 0.0,
        "max_difference": 0.0}
    assert bilinear.agreement(conv, resized[..., :-1, :], factor, 1.0)["agrees_inside"] is False


def test_a_framework_that_cannot_run_is_recorded_not_measured():
    def broken(framework, x):
        return {(r.mode, f): "child exited -11: Segmentation fault"
                for r in bilinear.RESIZES if r.framework == framework for f in bilinear.FACTORS}

    records = bilinear.measure(["torch"], run=broken)
    assert records and all(r["agrees_inside"] is None for r in records)
    assert bilinear.describe(records[0]).startswith("not run: child exited -11")


def test_the_report_and_the_command_show_the_comparison(tmp_path, capsys):
    def fake(framework, x):
        return {(r.mode, f): _half_pixel_resize(x, f) if "half-pixel" in r.mode else np.zeros(1)
                for r in bilinear.RESIZES if r.framework == framework for f in bilinear.FACTORS}

    records = bilinear.measure(["torch"], run=fake)
    table = report.bilinear_table(records)
    assert table["factors"] == list(bilinear.FACTORS) and len(table["rows"]) == 2
    assert table["rows"][0]["cells"][0]["text"].startswith("equal inside; the outer 1 px differ")
    assert table["rows"][1]["cells"][0]["text"].startswith("another shape")
    path = tmp_path / "results.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    assert "FCN bilinear upsampling" in report.render([path]).read_text()
    assert cli.main(["bilinear", "--only", "caffe"]) == 4
    assert "--only caffe" in capsys.readouterr().err


@pytest.mark.skipif(any(importlib.util.find_spec(m) is None for m in ("torch", "tensorflow")),
                    reason="torch and tensorflow are needed")
def test_in_the_frameworks_half_pixel_agrees_inside_and_the_other_conventions_do_not():
    records = bilinear.measure(["torch", "tensorflow"])
    assert len(records) == 5 * len(bilinear.FACTORS)
    for r in records:
        if "half-pixel" in r["mode"]:
            assert r["agrees_inside"] and 1 <= r["border"] <= -(-r["factor"] // 2), r
        else:   # align_corners=True, TF1's asymmetric: other coordinates everywhere
            assert r["agrees_inside"] is False and r["max_difference"] > 0.1, r


from convt_suite.checks.test_bilinear import *  # noqa: E402,F401,F403  the check itself
