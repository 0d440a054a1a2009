"""The checkerboard map (convt_suite/studies/overlap.py): counted from the definition,
checked against the oracle run on ones, and shown to fail on planted
miscounts."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convt_suite.adapters import oracle
from convt_suite.adapters.spec import Spec
from convt_suite.core.strategies import draw_case
from convt_suite.studies import overlap as overlap_module
from convt_suite.studies.overlap import Overlap, overlap


def ones_through_the_oracle(spec: Spec, size) -> np.ndarray:
    """Ones in, ones as the kernel, one channel: each output is the number of
    products that reach it (exact in float64)."""
    single = dataclasses.replace(spec, in_channels=1, out_channels=1, groups=1, bias=False)
    x = np.ones((1, 1, *size))
    weight = np.ones(single.weight_shape)
    return oracle.conv_transpose(x, weight, None, single)[0, 0]


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(data=st.data())
def test_tap_counts_are_what_the_oracle_sums_on_ones(data):
    case = draw_case(data, ranks=(1, 2, 3))
    size = case.input_shape[2:]
    np.testing.assert_array_equal(overlap(case.spec, size).counts,
                                  ones_through_the_oracle(case.spec, size))


# (spec, input size) pairs on which a miscount shows: odd and even kernels, crops of each sign
CASES = [
    (Spec.from_torch(1, 1, 3, stride=2, padding=1, output_padding=1), (4, 4)),
    (Spec(1, 1, (3, 2), (2, 3), ((-2, 1), (1, -2)), (1, 2)), (3, 2)),
    (Spec(1, 1, (1, 4), (3, 1), ((0, 0), (2, 0))), (2, 5)),
    (Spec(1, 1, (3,), (2,), ((1, -1),), (2,)), (4,)),
    (Spec(1, 1, (2, 3, 1), (2, 1, 3), ((0, 1), (-1, 0), (0, 0))), (2, 3, 2)),
]


def shifted(size, kernel, stride, dilation, crops):
    """Planted: the crop before taken off the end instead (counts shifted)."""
    return REAL(size, kernel, stride, dilation, (0, crops[0] + crops[1]))


def without_dilation(size, kernel, stride, dilation, crops):
    """Planted: taps one apart whatever the dilation (then cut to the right length)."""
    length = len(REAL(size, kernel, stride, dilation, crops))
    return np.resize(REAL(size, kernel, stride, 1, (0, 0)), length)


def ceil_everywhere(size, kernel, stride, dilation, crops):
    """Planted: the textbook ceil(K / S) at every position, borders and all."""
    return np.full(len(REAL(size, kernel, stride, dilation, crops)), -(-kernel // stride))


REAL = overlap_module.axis_counts


@pytest.mark.parametrize("planted", [shifted, without_dilation, ceil_everywhere])
def test_a_miscount_disagrees_with_the_oracle(planted, monkeypatch):
    monkeypatch.setattr(overlap_module, "axis_counts", planted)
    assert any(not np.array_equal(overlap(spec, size).counts, ones_through_the_oracle(spec, size))
               for spec, size in CASES), planted.__doc__


def test_uneven_where_the_kernel_is_not_a_multiple_of_the_stride():
    checker = overlap(Spec.from_torch(1, 1, 3, stride=2, padding=1, output_padding=1), (4, 4))
    assert checker.axes[0] == (1, 2, 1, 2, 1, 2, 1, 1) and not checker.even
    assert overlap(Spec.from_torch(1, 1, 4, stride=2, padding=1), (4, 4)).even   # 4 = 2·2
    assert not overlap(Spec(1, 1, (1, 1), (2, 2)), (3, 3)).even                  # gaps: zeros
    assert overlap(Spec(1, 1, (3, 3), (1, 1)), (5, 5)).even                      # stride 1
    assert "uneven (checkerboard)" in checker.describe()


def test_counts_are_the_outer_product_of_the_axes():
    assert np.array_equal(Overlap(((1, 2), (3, 1, 0))).counts, [[3, 1, 0], [6, 2, 0]])
    assert np.array_equal(Overlap(((1, 2, 1),)).counts, [1, 2, 1])
    assert Overlap(((1, 2), (1,), (2, 2))).counts.tolist() == [[[2, 2]], [[4, 4]]]


def test_every_rank_is_described_by_its_own_axes():
    vocoder = overlap(Spec.from_torch(1, 1, 16, stride=8, padding=4, rank=1), (3,))
    assert vocoder.describe().startswith("taps per position: ") and vocoder.even
    unet = overlap(Spec.from_torch(1, 1, 3, stride=2, rank=3), (4, 4, 4))
    assert [part.split(":")[0] for part in unet.describe().split("; ")[:3]] == \
        ["taps per plane", "taps per row", "taps per column"]
    assert not unet.even
