"""The pitfalls' measurement (convt_suite/studies/pitfalls.py): a correct mapping is
never called wrong, planted misreadings are measured as what they are, the
rules are the sources' own (Keras's function, JAX's unflipped kernel), the
cited failures are reproduced, and the report and the command show it."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import warnings

import numpy as np
import pytest

from convt_suite import cli
from convt_suite.adapters import oracle
from convt_suite.core.native import NativeCase
from convt_suite.porting import translate as translator
from convt_suite.reporting import report
from convt_suite.studies import pitfalls

HAVE = {name: importlib.util.find_spec(name) is not None for name in ("keras", "jax")}


def torch_layer(input_size, seed=0, **params) -> NativeCase:
    call = dict(in_channels=2, out_channels=3, kernel=3, stride=1, padding=0, output_padding=0,
                groups=1, bias=True, dilation=1) | params
    return NativeCase("torch.nn", tuple(call.items()), (1, 2, *input_size), seed)


def planted(naive) -> pitfalls.Pitfall:
    return pitfalls.Pitfall("planted", "planted", "planted", "torch.nn", "PyTorch", (), naive)


def _same_call(call, size, **steps):
    return pitfalls.Naive("torch.nn", {**call, "bias": False}, **steps)


# ------------------------------------------------------------ self-tests
@pytest.mark.parametrize("target", ["keras", "jax", "tensorflow", "torch.nn"])
def test_a_correct_mapping_is_never_called_wrong(target):
    """The translator's mappings (the adapters' proven inverse maps), measured
    as a pitfall: every layer a target can state holds."""
    maps = {"keras": translator._keras_target, "jax": translator._jax_target,
            "tensorflow": translator._tensorflow_target, "torch.nn": translator._torch_target}

    def correct(call, size):
        spec = NativeCase("torch.nn", tuple(call.items()), (1, call["in_channels"], *size), 0).spec()
        # the rule's call without bias: the measurement adds the bias after its steps
        params = maps[target](dataclasses.replace(spec, bias=False), size)
        return None if params is None else pitfalls.Naive(target, params)

    result = pitfalls.measure(planted(correct))
    assert result["cases"] > 300, result["cases"]
    assert result["outcomes"] == {"holds": result["cases"]}, pitfalls.describe(result)


def test_a_one_row_shift_is_measured_as_a_shift_of_one_row():
    # crop one row more at the top and append one at the bottom: got[y - 1] == truth[y]
    result = pitfalls.measure(planted(lambda call, size: _same_call(
        call, size, crop_output=((1, -1), (0, 0)))))
    assert set(result["shifts"]) == {"(-1, 0)"}, result["shifts"]
    assert result["outcomes"]["shift"] > result["cases"] * 0.8
    # the rest: outputs too short for a shift to show (values), and a few that
    # carry no signal at all (every tap cropped or dilated away: bias only), which
    # a shift leaves as they are
    assert set(result["outcomes"]) <= {"shift", "values", "holds"}
    assert result["outcomes"].get("holds", 0) < result["cases"] * 0.05
    held = next(e for e in result["examples"] if e["outcome"] == "holds")
    case = NativeCase.from_dict(held["source_case"])
    x, w, _ = pitfalls.Case(case.spec(), case.input_shape, case.seed).tensors("float64")
    assert not oracle.conv_transpose2d(x, w, None, dataclasses.replace(case.spec(), bias=False)).any()


def test_a_short_output_is_a_shape_off_by_one_with_the_rest_in_place():
    rule = planted(lambda call, size: _same_call(call, size, crop_output=((0, 1), (0, 0))))
    result = pitfalls.measure(rule)
    assert set(result["outcomes"]) == {"shape"}
    assert set(result["shape_deltas"]) == {"(-1, 0)"}
    # got is the truth's first rows
    one = pitfalls.judge(rule, torch_layer((4, 4), stride=2, padding=1))[0]
    assert one == {"outcome": "shape", "delta": (-1, 0), "offset": (0, 0)}


def test_an_unflipped_kernel_differs_wherever_the_kernel_has_two_taps():
    result = pitfalls.measure(planted(lambda call, size: _same_call(call, size, flip_kernel=True)))
    holds, wrong = pitfalls.always(result)
    assert "kernel 1" in holds
    assert result["wrong"] == result["cases"] - result["outcomes"]["holds"]
    kernel_1 = next(f for f in result["features"] if f["feature"] == "kernel 1")
    # beyond 1x1 kernels, only layers whose cropped output keeps the middle tap
    # alone (or no tap: bias only), where a flip changes nothing
    assert kernel_1["cases"] <= result["outcomes"]["holds"] < kernel_1["cases"] + result["cases"] * 0.05


def test_a_refused_target_and_a_converter_refusal_are_refusals_not_results():
    def rule(call, size):
        if max(pitfalls._axes(call, "dilation", size)) > 1:
            raise pitfalls.Unsupported("no dilation")
        return pitfalls.Naive("torch.nn", {**call, "bias": False, "output_padding": 9})

    result = pitfalls.measure(planted(rule))
    assert set(result["outcomes"]) == {"refused", "unsupported"}
    assert result["wrong"] == 0 and result["refused"] == result["cases"]


# ------------------------------------------------------ the rules' sources
@pytest.mark.skipif(not HAVE["keras"], reason="keras is not installed")
def test_the_keras_rule_is_keras_own_function():
    from keras.src.backend.common.backend_utils import (
        _convert_conv_transpose_padding_args_from_keras_to_torch as keras_rule,
    )

    compared = 0
    for k, s, d in [(k, s, d) for k in range(1, 6) for s in range(1, 5) for d in (1, 2)]:
        for padding in ("valid", "same"):
            for op in (None, *range(s + 1)):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    expected = keras_rule(k, s, d, padding, op)
                assert pitfalls.keras_to_torch_axis(k, s, d, padding, op) == tuple(expected), \
                    (k, s, d, padding, op)
                compared += 1
    assert compared == 360


@pytest.mark.skipif(not HAVE["jax"], reason="jax is not installed")
def test_a_torch_kernel_copied_into_transpose_kernel_false_is_the_flipped_layer():
    """What the flax rule's pipeline assumes, in JAX itself: lax.conv_transpose
    with transpose_kernel=False and the torch weight as HWIO computes the
    layer with the kernel flipped (so it is the layer only for 1x1 kernels)."""
    import jax

    jax.config.update("jax_enable_x64", True)
    case = torch_layer((4, 5), seed=3, kernel=(3, 2), stride=2, padding=1, output_padding=1)
    spec = case.spec()
    x, w, b = pitfalls.Case(spec, case.input_shape, case.seed).tensors("float64")
    padding = pitfalls._jax_padding(case.call, case.input_size)
    got = np.asarray(jax.lax.conv_transpose(x, w.transpose(2, 3, 0, 1), (2, 2), padding,
                                            dimension_numbers=("NCHW", "HWIO", "NCHW"),
                                            transpose_kernel=False))
    unbiased = dataclasses.replace(spec, bias=False)
    flipped = oracle.conv_transpose2d(x, w[..., ::-1, ::-1], None, unbiased)
    right = oracle.conv_transpose2d(x, w, None, unbiased)
    np.testing.assert_allclose(got, flipped, rtol=1e-12, atol=1e-12)
    assert not np.allclose(got, right)


def judged(pitfall_id, case):
    return pitfalls.judge(pitfalls.BY_ID[pitfall_id], case)[0]


def test_the_cited_failures_are_measured_as_their_reports_say():
    # onnx2tf#56's layer holds under the plain 'SAME' rule (TF crops 1 before, as
    # torch): the converter's failure was the output shape it passed (PR 68)...
    assert judged("same-for-any-padding", torch_layer((224, 224), kernel=3, stride=3, padding=1)) \
        == {"outcome": "holds"}
    # ...while the rule shifts by a pixel where TF's 'SAME' crop is not p
    result = judged("same-for-any-padding", torch_layer((4, 4), kernel=3, stride=2, padding=1,
                                                        output_padding=1))
    assert result["outcome"] == "shift", result
    # Keras PR 22876: one-pixel shift for 'same', stride > 1, odd kernel; shapes right
    result = judged("same-for-half-kernel", torch_layer((5, 5), kernel=3, stride=2, padding=1,
                                                        output_padding=1))
    assert result["outcome"] == "shift" and max(map(abs, result["shift"])) == 1, result
    # samuela/torch2jax#3: Keras 'valid' fills to (i-1)*s + max(k, s)
    result = judged("valid-fills-to-stride", torch_layer((4, 4), kernel=2, stride=3))
    assert result == {"outcome": "shape", "delta": (1, 1), "offset": (0, 0)}
    # onnx2keras skips the crop when the height's pad is 0
    result = judged("onnx2keras-crop", torch_layer((4, 4), padding=(0, 1)))
    assert result["outcome"] == "shape" and result["delta"] == (0, 2), result
    # and where each rule is right, it holds
    assert judged("onnx2keras-crop", torch_layer((4, 4), padding=1))["outcome"] == "holds"
    assert judged("output-padding-as-zeros", torch_layer((4, 4), stride=2, output_padding=1)) \
        == {"outcome": "holds"}


def test_the_rules_break_in_1d_and_3d_as_in_2d():
    """The same rules on ConvTranspose1d and ConvTranspose3d: Keras PR 22876's
    one-position shift, 'valid' filling to the stride, and onnx2keras's
    refusal of every 1-D and 3-D weight (its convert_convtranspose's first branches)."""
    result = judged("same-for-half-kernel", torch_layer((5,), kernel=(3,), stride=2, padding=1, output_padding=1))
    assert result["outcome"] == "shift" and max(map(abs, result["shift"])) == 1 and len(result["shift"]) == 1
    result = judged("valid-fills-to-stride", torch_layer((4, 4, 4), kernel=(2, 2, 2), stride=3))
    assert result == {"outcome": "shape", "delta": (1, 1, 1), "offset": (0, 0, 0)}
    result = judged("same-for-half-kernel", torch_layer((3, 4, 5), kernel=(3, 3, 3), stride=2, padding=1,
                                                        output_padding=1))
    assert result["outcome"] == "shift" and len(result["shift"]) == 3, result
    for size, error in (((4,), "AttributeError"), ((4, 4, 4), "NotImplementedError")):
        kernel = (3,) * len(size)
        result = judged("onnx2keras-crop", torch_layer(size, kernel=kernel, padding=1))
        assert result["outcome"] == "unsupported" and result["reason"].startswith(error), result


def test_every_pitfall_meets_layers_it_breaks_and_cites_its_source():
    for result in pitfalls.measure_all():
        if result["id"] == "onnx2keras-crop" and result["rank"] != 2:   # it converts 2-D layers only
            assert result["refused"] == result["cases"] > 0, result
        else:
            assert result["cases"] > 0 and result["wrong"] > 0, (result["id"], result["rank"])
        assert result["cited"], result["id"]
        outcomes = [e["outcome"] for e in result["examples"]]
        assert len(outcomes) == len(set(outcomes)) == len(result["outcomes"])


# ------------------------------------------------- the report, the command
def test_the_report_shows_each_pitfall_with_its_runs_in_the_frameworks(tmp_path):
    measured = pitfalls.measure_all(["onnx2keras-crop"], ranks=(2,))
    example = next(e for e in measured[0]["examples"] if e["outcome"] == "shape")
    runs = [{"type": "check", "kind": "native", "adapter": "keras[jax]", "dtype": "float64",
             "outcome": "passed", "case": example["naive_case"], "pitfall_example": True,
             "describe": example["naive"]},
            {"type": "check", "kind": "native", "adapter": "torch[nn]", "dtype": "float64",
             "outcome": "failed", "case": example["source_case"], "pitfall_example": True,
             "describe": example["source"]}]
    rows = report.pitfall_rows(measured, runs)
    assert rows[0]["ran"] == {"passed": 1, "failed": 1}
    shape = next(e for e in rows[0]["examples"] if e["outcome"] == "shape")
    assert shape["ran"]["the rule's call"] == [{"adapter": "keras[jax]", "outcome": "passed", "finding": None}]
    path = tmp_path / "results.jsonl"
    path.write_text("\n".join(json.dumps(r, default=str) for r in (*measured, *runs)) + "\n")
    page = report.render([path]).read_text()
    assert 'id="pitfall-onnx2keras-crop"' in page
    assert f"wrong on {measured[0]['wrong']} of {measured[0]['cases']} layers" in page


def test_the_command_prints_and_refuses_an_unknown_pitfall(capsys):
    assert cli.main(["pitfalls", "--only", "pad-input-by-p", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["rank"]) for r in printed] == [("pad-input-by-p", rank) for rank in (1, 2, 3)]
    assert cli.main(["pitfalls", "--only", "pad-input-by-p", "--ranks", "3", "--json"]) == 0
    assert [r["rank"] for r in json.loads(capsys.readouterr().out)] == [3]
    with pytest.raises(SystemExit):
        cli.main(["pitfalls", "--ranks", "4"])
    assert "ranks='4': must be one or more of 1, 2, 3" in capsys.readouterr().err
    assert cli.main(["pitfalls", "--only", "no-such-rule"]) == 4
    assert "--only no-such-rule: must be among pad-input-by-p" in capsys.readouterr().err


from convt_suite.checks.test_pitfalls import *  # noqa: E402,F401,F403  the checks themselves
