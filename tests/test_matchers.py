"""Known findings as data: the folders load (or fail naming the file and the
rule), every finding explains its examples and none of their near misses,
every generic matcher accepts the case it was written for and rejects a near
miss, snippets say their verdict by exit status and printed line alike, the
docs' findings table is the files', and `holds_in` decides where a finding
must reproduce."""

import dataclasses
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from convt_suite.adapters.base import Plan
from convt_suite.adapters.spec import Spec
from convt_suite.adapters.torch import TorchAdapter
from convt_suite.core.cases import Case
from convt_suite.core.vocabulary import Upstream
from convt_suite.findings import model as findings
from convt_suite.findings.matchers import MATCHERS
from convt_suite.findings.model import Finding, UpstreamStatus, Verdict, known, load, read_verdict
from tests.test_found_by_exploration import SPREAD, SPREAD_CASE, changed, record
from tests.test_native_sweeps import NATIVE_MATCHER_CASES

PLAIN = Case(Spec(1, 1, (2, 2), (2, 2), bias=False), (1, 1, 2, 2), 5)
SPURIOUS_NAN = dict(unexpected_nan=1, unexpected_inf=0, missing_nonfinite=0,
                    finite_error_over_bound=0.5)
NAN_IN_X = dataclasses.replace(PLAIN, specials=(("x", 0, float("nan")),))
NOWHERE = Path("/nonexistent")   # a finding made in a test: no folder, no match.py
UNREPORTED = UpstreamStatus(Upstream.NOT_REPORTED, "a finding made in a test", searched=("none",))

def torch_plan(case: Case) -> dict:
    """The torch adapter's plan for the case, as its check record holds it."""
    return TorchAdapter().plan(case.spec, "float32").to_dict()


# generic matcher -> (a record it must accept, a near miss it must reject)
SAME_UPPER_NODE = {"language": "onnx", "input_size": [3, 1], "kernel": [1, 1], "stride": [2, 1],
                   "dilation": [1, 1], "padding": "SAME_UPPER", "output_size": None, "output_padding": None}
MATCHER_CASES = {
    "dilated": (record(changed(PLAIN, dilation=[1, 2])), record(PLAIN)),
    "empty_batch": (record(changed(PLAIN, input_shape=(0, 1, 2, 2))), record(PLAIN)),
    "grouped": (record(changed(PLAIN, (1, 2, 2, 2), in_channels=2, out_channels=4, groups=2)),
                record(PLAIN)),
    "scaled": (record(dataclasses.replace(PLAIN, scale=256.0)), record(PLAIN)),
    "composed_dilation": (record(PLAIN, plan=Plan.from_reasons("kernel dilated with zeros, called with dilation 1",
                                                           dilated_kernel=True).to_dict()),
                          record(PLAIN, plan=Plan().to_dict())),
    "only_spurious_nonfinite": (record(PLAIN, **SPURIOUS_NAN),
                                record(PLAIN, **SPURIOUS_NAN | {"finite_error_over_bound": 3.0})),
    "nan_spreads": (record(NAN_IN_X, **SPURIOUS_NAN), record(PLAIN, **SPURIOUS_NAN)),
    "onednn_strided_deconv_nan_spread": (
        record(SPREAD_CASE, **SPREAD, plan=torch_plan(SPREAD_CASE)),
        record(changed(SPREAD_CASE, padding=[[0, 0], [0, 0]]), **SPREAD,
               plan=torch_plan(changed(SPREAD_CASE, padding=[[0, 0], [0, 0]])))),
    "only_grad_bias_failed": (
        record(PLAIN, kind="vjp", failed_gradient="grad_bias",
               gradients={"grad_x": {}, "grad_weight": {}, "grad_bias": {"failure": "values"}}),
        record(PLAIN, kind="vjp", failed_gradient="grad_weight",
               gradients={"grad_x": {}, "grad_weight": {"failure": "values"},
                          "grad_bias": {"failure": "values"}})),
    # SAME_UPPER, I = 3, S = 2: t = L - I·S, -1 with kernel 1 (L = 5), 1 with kernel 3 (L = 7)
    "onnx_negative_total_padding": (
        {"native": SAME_UPPER_NODE},
        {"native": SAME_UPPER_NODE | {"kernel": [3, 1]}}),
    **NATIVE_MATCHER_CASES,
}


def test_a_nan_spread_adds_no_infinity_of_either_kind():
    """An infinity where the oracle has NaN (wrong_nonfinite) is not a NaN
    spreading, though the check's other counters say only NaNs were added."""
    assert MATCHERS["nan_spreads"](record(NAN_IN_X, **SPURIOUS_NAN | {"wrong_nonfinite": 0}))
    assert not MATCHERS["nan_spreads"](record(NAN_IN_X, **SPURIOUS_NAN | {"wrong_nonfinite": 1}))


def test_every_generic_matcher_has_a_case_and_a_near_miss():
    assert set(MATCHER_CASES) == set(MATCHERS)


@pytest.mark.parametrize("name", sorted(MATCHER_CASES))
def test_matcher_accepts_its_case_and_rejects_a_near_miss(name):
    hit, near_miss = MATCHER_CASES[name]
    assert MATCHERS[name](hit)
    assert not MATCHERS[name](near_miss)


def test_every_generic_matcher_is_used_by_a_finding():
    used = {name for finding in known() for name in finding.matchers}
    assert used == set(MATCHERS), set(MATCHERS) - used


EXAMPLES = [(finding.id, n, what) for finding in known()
            for n, (what, _, _) in enumerate(finding.example_records())]


@pytest.mark.parametrize("finding_id, n, what", EXAMPLES, ids=[f"{i}: {w}" for i, _, w in EXAMPLES])
def test_a_finding_explains_its_examples_and_none_of_their_near_misses(finding_id, n, what):
    finding = findings.by_id()[finding_id]
    _, record_, explained = finding.example_records()[n]
    assert finding.explains(record_) is explained, (
        f"{finding_id}: {what} must {'' if explained else 'not '}be explained "
        f"({finding.folder / findings.TOML} [[examples]])")


# The findings that explain another's example on purpose, each with why both
# hold: `classify` names one of them (the one recorded to hold here, else the
# narrower, which load_all() puts first), so an overlap nobody meant gives a
# record the wrong name. (explained example's finding, the other): why
SHARED_EXAMPLES = {
    ("tensorflow-onednn-strided-deconv-nan-spreads", "tensorflow-bfloat16-nan-spreads"):
        "the generic bfloat16 spread explains every NaN spread in bfloat16 TF; the strided "
        "rule places those of brgconv_strided, and has more conditions, so it names them",
    ("openvino-strided-deconv-nan-spreads", "openvino-bfloat16-nan-spreads"):
        "the same pair in OpenVINO's CPU plugin: its bfloat16 spread explains every NaN spread in "
        "bfloat16 special values; the strided rule places those of brgconv_strided",
}


def test_no_finding_explains_another_findings_example_unless_declared():
    """Every explained example is run through every other finding: one it
    also explains is an overlap, which SHARED_EXAMPLES must state (so a
    matcher that reads the wrong field, the spec's crops for the call's, say,
    shows as a new overlap); and no finding's conditions may raise on a
    record they do not describe (a real check record would crash `classify`)."""
    overlaps, raised = set(), []
    for finding in findings.known():
        for what, record_, explained in finding.example_records():
            if not explained:
                continue
            for other in findings.known():
                if other is finding:
                    continue
                try:
                    if other.explains(record_):
                        overlaps.add((finding.id, other.id))
                except (KeyError, IndexError, TypeError, ValueError) as error:
                    raised.append(f"{other.id} on {finding.id}'s {what}: {type(error).__name__}: {error}")
    assert not raised, "\n".join(raised)
    assert overlaps == set(SHARED_EXAMPLES), (
        f"explained by two findings, not declared: {sorted(overlaps - set(SHARED_EXAMPLES))}; "
        f"declared, no longer seen: {sorted(set(SHARED_EXAMPLES) - overlaps)}")


def test_the_overlap_test_sees_a_matcher_that_reads_the_spec_for_the_call(monkeypatch):
    """Planted: the negative-padding finding reading the spec's crops (what it
    did before matchers.called_crops) explains the own-kernel finding's 3-D
    float16 example, whose call TF ran with other crops."""
    finding = findings.by_id()["tensorflow-conv3d-same-negative-padding-shifts-window"]
    spec_crops = lambda record: [tuple(pair) for pair in record["case"]["spec"]["padding"]]  # noqa: E731
    monkeypatch.setitem(finding.match.__globals__, "called_crops", spec_crops)
    with pytest.raises(AssertionError, match="not declared.*tensorflow-own-kernel-sums-16-bit-in-16-bit"):
        test_no_finding_explains_another_findings_example_unless_declared()


# the record fields a 2-D call fills per spatial axis (the spec's, the native
# call's, the adapter's plan's), and the tensor shapes (N, C, *spatial)
AXIS_FIELDS = {"kernel_size", "stride", "dilation", "padding", "output_padding", "output_size",
               "input_size", "explicit", "kernel", "call_crops"}
SHAPE_FIELDS = {"input_shape", "actual_shape", "expected_shape"}


def in_rank(node, rank, key=None):
    """A 2-D record as the call of another rank made of it: 3-D repeats the
    first spatial axis in every per-axis field and shape, 1-D keeps the last."""
    if isinstance(node, dict):
        return {k: in_rank(v, rank, k) for k, v in node.items()}
    if isinstance(node, list) and key in AXIS_FIELDS and len(node) == 2:
        return [node[0], *node] if rank == 3 else node[1:]
    if isinstance(node, list) and key in SHAPE_FIELDS and len(node) == 4:
        return [*node[:3], *node[2:]] if rank == 3 else [*node[:2], node[3]]
    return node


def test_a_2d_record_is_made_1d_and_3d_axis_by_axis():
    example = {"case": {"input_shape": [1, 2, 3, 4], "spec": {"kernel_size": [3, 2], "padding": [[0, 1], [2, 3]]}},
               "native": {"padding": "SAME", "output_size": [6, 8]}, "actual_shape": [1, 2, 6, 8]}
    assert in_rank(example, 3) == {
        "case": {"input_shape": [1, 2, 3, 3, 4],
                 "spec": {"kernel_size": [3, 3, 2], "padding": [[0, 1], [0, 1], [2, 3]]}},
        "native": {"padding": "SAME", "output_size": [6, 6, 8]}, "actual_shape": [1, 2, 6, 6, 8]}
    assert in_rank(example, 1) == {
        "case": {"input_shape": [1, 2, 4], "spec": {"kernel_size": [2], "padding": [[2, 3]]}},
        "native": {"padding": "SAME", "output_size": [8]}, "actual_shape": [1, 2, 8]}


MEASURED_BEYOND_2D = [(finding_id, n, what) for finding_id, n, what in EXAMPLES
                      if findings.by_id()[finding_id].ranks != (2,)]


@pytest.mark.parametrize("finding_id, n, what", MEASURED_BEYOND_2D,
                         ids=[f"{i}: {w}" for i, _, w in MEASURED_BEYOND_2D])
def test_a_finding_reads_every_rank_it_was_measured_in(finding_id, n, what):
    """A finding measured in 1-D or 3-D reads records of those ranks: its
    match.py and matchers take any number of spatial axes (each 2-D example
    made 1-D and 3-D is read without error). The 3-D example made by
    repeating an axis is the same call, so, where the finding states no 3-D
    example of its own and no special value sits at a flat position (which
    a new axis moves), it gets the 2-D verdict."""
    finding = findings.by_id()[finding_id]
    _, record_, explained = finding.example_records()[n]
    if findings.record_rank(record_) != 2:
        pytest.skip(f"{what} is a {findings.record_rank(record_)}-D example")
    for rank in set(finding.ranks) - {2}:
        verdict = finding.explains(in_rank(record_, rank))   # an error here: a reading of two axes only
        own_3d = any(findings.record_rank(other) == 3 for _, other, _ in finding.example_records())
        if rank == 3 and not own_3d and not (record_.get("case") or {}).get("specials"):
            assert verdict is explained, (
                f"{finding_id}: the 3-D twin of {what} must {'' if explained else 'not '}be explained: "
                f"does {finding.folder} read two spatial axes only?")

def test_each_finding_is_one_complete_folder():
    """Every folder under known/ is a finding that loads (finding.toml,
    reproduce.py, match.py only where it is read), with examples, and every
    snippet says both verdicts: a line and an exit status for each."""
    folders = {path.name for path in findings.FOLDER.iterdir() if path.is_dir() and path.name != "__pycache__"}
    assert folders == {finding.id for finding in known()}
    for finding in known():
        assert finding.examples and any(example.get("near_misses") for example in finding.examples)
        assert "REPRODUCED:" in finding.snippet and "NOT REPRODUCED:" in finding.snippet, finding.id
        assert "sys.exit(3)" in finding.snippet, finding.id
        assert finding.matchers or finding.match is not None, finding.id


def test_findings_load_when_first_asked_for():
    """Importing the model reads no finding; asking for them reads the TOML
    files, not a snippet or a match.py; one finding's match.py loads when
    its explains() first needs it."""
    code = ("from convt_suite.findings import model\n"
            "assert model.known.cache_info().currsize == 0\n"
            "findings = model.known()\n"
            "assert not any('match' in f.__dict__ or 'snippet' in f.__dict__ for f in findings)\n"
            "model.by_id()['jax-cpu-shifted-padding-garbage'].explains({'outcome': 'failed', 'adapter': 'jax',"
            " 'failure': 'values', 'dtype': 'float64', 'case': {'spec': {}}})\n"
            "print(sorted(f.id for f in findings if 'match' in f.__dict__))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "['jax-cpu-shifted-padding-garbage']"


@pytest.mark.parametrize("returncode, stdout, verdict", [
    (0, "x 1\nREPRODUCED: it is\n", Verdict.REPRODUCED),
    (3, "x 1\nNOT REPRODUCED: it is not\n", Verdict.NOT_REPRODUCED),
    (0, "x 1\n", Verdict.COULD_NOT_RUN),                       # exit 0, no verdict line
    (3, "REPRODUCED: it is\n", Verdict.COULD_NOT_RUN),         # the two reports disagree
    (0, "NOT REPRODUCED: it is not\n", Verdict.COULD_NOT_RUN),
    (1, "REPRODUCED: it is\n", Verdict.COULD_NOT_RUN),         # an exception after the line
    (-11, "", Verdict.COULD_NOT_RUN),                           # killed
    (0, "REPRODUCED: once\nNOT REPRODUCED: then not\n", Verdict.COULD_NOT_RUN),   # the last line counts
])
def test_a_snippet_says_its_verdict_by_exit_status_and_line_alike(returncode, stdout, verdict):
    assert read_verdict(returncode, stdout)[0] is verdict


@pytest.mark.parametrize("script, verdict", [
    ('print("REPRODUCED: yes")\n', Verdict.REPRODUCED),
    ('import sys\nprint("NOT REPRODUCED: no")\nsys.exit(3)\n', Verdict.NOT_REPRODUCED),
    ('import a_module_that_is_not_there\nprint("REPRODUCED: yes")\n', Verdict.COULD_NOT_RUN),
    ('print("computed")\n', Verdict.COULD_NOT_RUN),
])
def test_a_snippet_run_reports_its_verdict(tmp_path, script, verdict):
    folder = tmp_path / "some-finding"
    folder.mkdir()
    (folder / "finding.toml").write_text(GOOD.format(id="some-finding"))
    (folder / "reproduce.py").write_text(script)
    said, output = load(folder).reproduce(timeout=120)
    assert said is verdict, output


GOOD = '''id = "{id}"
title = "a title"
observed_on = "torch 2.13.0"
detail = """what and why"""
holds_in = {{"torch" = ">=2.13"}}

[upstream]
status = "not reported"
note = "no report"
searched = ["conv_transpose2d something"]

[explains]
adapters = ["torch"]
failures = ["values"]
matchers = ["nan_spreads"]

[[examples]]
[examples.record]
adapter = "torch"

[[examples.near_misses]]
why = "another adapter"
set = {{adapter = "jax"}}
'''


def in_explains(lines: str):
    """GOOD's text with these lines after [explains]' last."""
    return lambda text: text.replace('matchers = ["nan_spreads"]\n', 'matchers = ["nan_spreads"]\n' + lines)


@pytest.mark.parametrize("change, message", [
    (lambda text: text, None),
    (lambda text: text.replace('id = "some-finding"', 'id = "another"'), "id must be the folder's name"),
    (lambda text: text.replace('["nan_spreads"]', '["nan_spreads", "made_up"]'),
     "matchers ['made_up'] are not in convt_suite/findings/matchers.py"),
    (lambda text: text.replace('matchers = ["nan_spreads"]', 'matchers = []'),
     "matchers must list at least one, or the folder hold a match.py"),
    (lambda text: text[:text.index("[[examples]]")], "[[examples]]: must give at least one"),
    (lambda text: text[:text.index("[[examples.near_misses]]")], "some example must give a near miss"),
    (lambda text: text.replace('why = "another adapter"\n', ''), "must say why, and set or drop something"),
    (lambda text: text.replace('[examples.record]', 'what = "x"\n[examples.record]'),
     "[[examples]] 1: unknown key(s) ['what']"),
    (lambda text: text.replace('">=2.13"', '"after 2.13"'), "holds_in.torch = 'after 2.13' is not a PEP 440"),
    (lambda text: text.replace('failures = ["values"]', "failures = []"), "[explains] failures must list"),
    (in_explains('kernels = ["x"]\n'), "unknown key(s) ['kernels']"),
    (lambda text: text.replace('title = "a title"', 'title = ""'), "title must be a non-empty string"),
    # a string where a list belongs would match letter by letter
    (in_explains('error_contains = "SIGSEGV"\n'), "error_contains must be a list of strings"),
    (lambda text: text.replace('failures = ["values"]', 'failures = ["value"]'),
     "failures: ['value'] unknown"),
    (in_explains('dtypes = ["float8"]\n'), "dtypes: ['float8'] unknown"),
    (in_explains('ranks = [4]\n'), "[explains] ranks = [4]: must list the spatial ranks"),
    (in_explains('ranks = ["1"]\n'), "[explains] ranks = ['1']: must list the spatial ranks"),
    (in_explains('ranks = [2, 2]\n'), "[explains] ranks = [2, 2]: must list the spatial ranks"),
    (in_explains('\n[snippet]\nevn = {"A" = "1"}\n'), "unknown key(s) ['evn']"),
    (lambda text: text.replace('id = "some-finding"', 'id = "some-finding"\nonednn_isa = ["avx512_bf16"]'),
     "onednn_isa = ['avx512_bf16']: must list oneDNN levels"),
    # [upstream]: where it stands, and the evidence its status needs
    (lambda text: text.replace('[upstream]\nstatus = "not reported"\nnote = "no report"\n'
                               'searched = ["conv_transpose2d something"]\n', ''),
     "[upstream] must be a table: status ("),
    (lambda text: text.replace('"not reported"', '"known"'),
     "[upstream] status = 'known': must be one of 'reported', 'fixed', 'not reported'"),
    (lambda text: text.replace('searched = ["conv_transpose2d something"]', 'searched = []'),
     "status = 'not reported' needs searched: the searches tried"),
    (lambda text: text.replace('status = "not reported"', 'status = "reported"'),
     "status = 'reported' needs links: the issue, pull request or specification"),
    (lambda text: text.replace('status = "not reported"', 'status = "specified"\nlinks = ["onnx.ai/spec"]'),
     "links must be https:// addresses, not ['onnx.ai/spec']"),
    (lambda text: text.replace('status = "not reported"', 'status = "fixed"\nlinks = ["https://x.org/1"]'),
     "fixed_in = {distribution = version} is given exactly where status = 'fixed'"),
    (lambda text: text.replace('note = "no report"', 'note = ""'), "[upstream] note must be a non-empty string"),
    (lambda text: text.replace('note = "no report"', 'note = "no report"\nstate = "open"'),
     "[upstream]: unknown key(s) ['state']"),
])
def test_a_finding_file_that_breaks_a_rule_is_refused_by_name(tmp_path, change, message):
    folder = tmp_path / "some-finding"
    folder.mkdir()
    (folder / "finding.toml").write_text(change(GOOD.format(id="some-finding")))
    (folder / "reproduce.py").write_text('print("REPRODUCED: yes")\n')
    if message is None:
        finding = load(folder)
        assert finding.matchers == ("nan_spreads",) and finding.holds_in == {"torch": ">=2.13"}
        assert finding.upstream.status == "not reported" and finding.upstream.is_bug
        assert [explained for _, _, explained in finding.example_records()] == [True, False]
        return
    with pytest.raises(ValueError, match="some-finding/finding.toml") as refused:
        load(folder)
    assert message in str(refused.value)


@pytest.mark.parametrize("files, message", [
    ({}, "its snippet reproduce.py is missing"),
    ({"reproduce.py": "", "notes.md": ""}, "the folder holds ['notes.md']"),
    ({"reproduce.py": "", "match.py": "def matches(record):\n    return True\n"}, "must define match(record)"),
])
def test_a_finding_folder_that_breaks_a_rule_is_refused_by_name(tmp_path, files, message):
    folder = tmp_path / "some-finding"
    folder.mkdir()
    (folder / "finding.toml").write_text(GOOD.format(id="some-finding"))
    for name, text in files.items():
        (folder / name).write_text(text)
    with pytest.raises(ValueError, match="some-finding") as refused:
        assert load(folder).match
    assert message in str(refused.value)


def test_a_finding_with_a_match_py_needs_it_to_hold(tmp_path):
    folder = tmp_path / "some-finding"
    folder.mkdir()
    (folder / "finding.toml").write_text(GOOD.format(id="some-finding").replace('["nan_spreads"]', "[]"))
    (folder / "reproduce.py").write_text("")
    (folder / "match.py").write_text('def match(record):\n    return record.get("dtype") == "bfloat16"\n')
    finding = load(folder)
    failed = {"outcome": "failed", "adapter": "torch", "failure": "values"}
    assert finding.explains(failed | {"dtype": "bfloat16"}) and not finding.explains(failed | {"dtype": "float32"})


def test_a_finding_explains_only_the_ranks_it_was_measured_in(tmp_path):
    """A finding measured in 2-D (the default) does not explain the same
    failure of a 1-D or 3-D case: a twin in another rank is measured, not assumed."""
    folder = tmp_path / "some-finding"
    folder.mkdir()
    (folder / "finding.toml").write_text(GOOD.format(id="some-finding").replace('["nan_spreads"]', "[]"))
    (folder / "reproduce.py").write_text("")
    (folder / "match.py").write_text("def match(record):\n    return True\n")
    failed = {"outcome": "failed", "adapter": "torch", "failure": "values"}

    def of_rank(rank):
        return failed | {"case": {"spec": {"kernel_size": [3] * rank}, "input_shape": [1, 1] + [2] * rank}}

    plane = load(folder)
    assert plane.ranks == (2,)
    assert plane.explains(of_rank(2)) and plane.explains(failed)   # a record without a case: 2-D
    assert not plane.explains(of_rank(1)) and not plane.explains(of_rank(3))
    toml = folder / "finding.toml"
    toml.write_text(toml.read_text().replace("[explains]\n", "[explains]\nranks = [3, 1]\n"))
    measured = load(folder)
    assert measured.ranks == (1, 3)
    assert measured.explains(of_rank(1)) and measured.explains(of_rank(3)) and not measured.explains(of_rank(2))


def test_holds_in_says_where_a_finding_must_reproduce():
    finding = Finding("f", "t", ("torch",), ("values",), (), "torch 2.13.0", "d", NOWHERE, upstream=UNREPORTED,
                      holds_in={"torch": ">=2.9,<2.14", "jax": "==0.10.2"})
    assert finding.expected_here({"torch": "2.13.0", "jax": "0.10.2"}, None, True) is True
    assert finding.expected_here({"torch": "2.13.0+cpu", "jax": "0.10.2"}, None, True) is True
    assert finding.expected_here({"torch": "2.5.1", "jax": "0.10.2"}, None, True) is False
    assert finding.expected_here({"torch": "2.14.0", "jax": "0.10.2"}, None, True) is False
    assert finding.expected_here({"torch": "2.13.0"}, None, True) is None         # jax not installed
    on_tf = dataclasses.replace(finding, holds_in={"tensorflow-cpu": ">=2.21"})
    assert on_tf.expected_here({"tensorflow": "2.21.0"}, None, True) is True      # the same TF, another name
    assert on_tf.expected_here({"tensorflow": "2.20.0"}, None, True) is False
    assert dataclasses.replace(finding, holds_in={}).expected_here({}, None, True) is True


def test_onednn_isa_says_on_which_cpus_a_finding_must_reproduce():
    finding = Finding("f", "t", ("torch",), ("values",), (), "torch 2.13.0", "d", NOWHERE, upstream=UNREPORTED,
                      holds_in={"torch": ">=2.9"}, onednn_isa=("avx512_core_bf16", "avx512_core_fp16"))
    assert finding.expected_here({"torch": "2.13.0"}, "avx512_core_bf16", True) is True
    assert finding.expected_here({"torch": "2.13.0"}, "avx512_core_amx", True) is False
    assert finding.expected_here({"torch": "2.13.0"}, None, True) is False    # not x86, or flags unknown
    assert finding.expected_here({"torch": "2.5.1"}, "avx512_core_bf16", True) is False
    assert dataclasses.replace(finding, onednn_isa=()).expected_here({"torch": "2.13.0"}, None, True) is True


def test_tensorflow_onednn_says_whether_a_finding_of_tf_kernels_must_reproduce():
    finding = Finding("f", "t", ("tensorflow",), ("values",), (), "tensorflow-cpu 2.21.0", "d", NOWHERE,
                      upstream=UNREPORTED,
                      tensorflow_onednn=True)
    assert finding.expected_here({}, "avx512_core_amx", True) is True
    assert finding.expected_here({}, "avx512_core_amx", False) is False   # TF_ENABLE_ONEDNN_OPTS=0
    assert dataclasses.replace(finding, tensorflow_onednn=False).expected_here({}, "avx2", False) is True
    assert dataclasses.replace(finding, tensorflow_onednn=None).expected_here({}, "avx2", False) is True


def test_a_finding_this_cpu_cannot_show_is_recorded_as_not_run_except_under_thorough(monkeypatch, tmp_path):
    """A finding whose oneDNN level (or TensorFlow's kernels) this machine
    lacks is not run by default: its record and the skip say why; the
    thorough profile runs it (to see whether it spread)."""
    from types import SimpleNamespace

    from convt_suite.checks import test_known_findings as check
    from convt_suite.host import cpu

    other = "avx512_core_amx_fp16" if cpu.onednn_isa() != "avx512_core_amx_fp16" else "avx2"
    (tmp_path / "reproduce.py").write_text("print('x')\n")
    finding = Finding("elsewhere", "t", (), ("values",), (), "torch 2.13.0", "d", tmp_path, upstream=UNREPORTED,
                      onednn_isa=(other,))
    ran = []
    monkeypatch.setattr(Finding, "reproduce",
                        lambda self, timeout=300: (ran.append(self.id), (Verdict.NOT_REPRODUCED, "x"))[1])
    records = []
    writer = SimpleNamespace(write=records.append, run_id="test")
    with pytest.raises(pytest.skip.Exception, match=f"not run on this machine: it holds where oneDNN "
                                                    f"runs at {other}; here at .*thorough profile runs it"):
        check.test_known_finding_still_reproduces(finding, writer)
    assert ran == [] and len(records) == 1
    assert records[0]["reproduced"] is None and records[0]["expected"] is False
    assert records[0]["could_not_run"] and "thorough" in records[0]["not_run"]
    monkeypatch.setattr(check, "is_thorough", lambda max_examples: True)
    check.test_known_finding_still_reproduces(finding, writer)
    assert ran == ["elsewhere"] and records[1]["reproduced"] is False and records[1]["expected"] is False
    tf_only = dataclasses.replace(finding, onednn_isa=(), tensorflow_onednn=not cpu.tensorflow_onednn())
    assert "TensorFlow runs" in tf_only.machine_excludes(cpu.onednn_isa(), cpu.tensorflow_onednn())
    assert dataclasses.replace(finding, onednn_isa=()).machine_excludes("avx2", False) is None


AVX2 = {"sse4_1", "avx", "avx2", "fma"}
AVX512_CORE = AVX2 | {"avx512f", "avx512bw", "avx512vl", "avx512dq"}


@pytest.mark.parametrize("flags, setting, uses_onednn", [
    (AVX2, None, False),                                  # an AMD EPYC of this project's CI
    (AVX512_CORE, None, False),                           # Skylake-SP: avx512 without VNNI
    (AVX512_CORE | {"avx512_vnni"}, None, True),          # Cascade Lake
    (AVX2 | {"avx_vnni"}, None, True),                    # Alder Lake
    (AVX512_CORE | {"avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8"}, None, True),
    (AVX512_CORE | {"avx512_vnni"}, "0", False),          # TF_ENABLE_ONEDNN_OPTS decides where set
    (AVX2, "1", True),
    (AVX2, "True", True),
    (AVX512_CORE | {"avx512_vnni"}, "yes", True),        # a value TF cannot read: its default
])
def test_tensorflow_uses_onednn_by_its_own_rule(flags, setting, uses_onednn):
    from convt_suite.host.cpu import tensorflow_onednn_for

    assert tensorflow_onednn_for(flags, setting) is uses_onednn


@pytest.mark.slow
def test_tensorflow_onednn_agrees_with_tensorflow_here():
    """The rule, read off /proc/cpuinfo, against TF's own answer on this machine."""
    if importlib.util.find_spec("tensorflow") is None:
        pytest.skip("tensorflow is not installed")
    from convt_suite.host import cpu, quiet

    code = "from tensorflow.python.util import _pywrap_util_port as p; print(p.IsMklEnabled())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, **quiet.env_for("tensorflow")}, timeout=300)
    assert done.stdout.strip().splitlines()[-1] == str(cpu.tensorflow_onednn()), done.stderr[-2000:]


@pytest.mark.parametrize("flags, cap, level", [
    ({"sse4_1", "avx", "avx2", "fma"}, None, "avx2"),
    ({"sse4_1", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni",
      "avx512_bf16"}, None, "avx512_core_bf16"),                     # no avx_vnni: still avx512
    ({"sse4_1", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni",
      "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8"}, None, "avx512_core_amx"),
    ({"sse4_1", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512_vnni",
      "avx512_bf16", "avx512_fp16", "amx_tile", "amx_bf16", "amx_int8"}, "AVX512_CORE_BF16",
     "avx512_core_bf16"),                                            # ONEDNN_MAX_CPU_ISA caps it
    ({"sse4_1", "avx", "avx512_bf16"}, None, "avx"),                  # a level needs those below
    (set(), None, None),
])
def test_the_onednn_level_is_read_from_the_cpu_flags(flags, cap, level):
    from convt_suite.host.cpu import level_of

    assert level_of(flags, cap) == level


def test_the_findings_table_is_generated_from_the_files():
    from pathlib import Path

    page = (Path(__file__).parents[1] / "docs" / "reference" / "findings.md").read_text()
    assert findings.with_table(page) == page, "run: convt-suite findings --readme docs/reference/findings.md"
    for finding in known():
        assert f"`{finding.id}`" in page


def test_a_finding_recorded_to_hold_here_names_a_check_before_one_recorded_elsewhere():
    """The main job on an avx2 CPU: float16 overflow met the matchers of the
    avx512_fp16 phantom-row finding too, which sorted first and named it."""
    from convt_suite.findings.model import classify
    from convt_suite.host import cpu

    elsewhere = next(level for level in cpu.LEVELS if level != cpu.onednn_isa())
    recorded_elsewhere = Finding("a-elsewhere", "t", ("torch",), ("values",), ("dilated",), "o", "d", NOWHERE,
                                 upstream=UNREPORTED,
                                 onednn_isa=(elsewhere,))
    recorded_here = dataclasses.replace(recorded_elsewhere, id="b-here", onednn_isa=())
    failed = {"outcome": "failed", "adapter": "torch", "failure": "values",
              "case": {"spec": {"dilation": [2, 1]}}}
    assert classify(failed, [recorded_elsewhere, recorded_here])["finding"] == "b-here"
    # only an order: where no finding recorded here explains it, the other still does
    assert classify(failed, [recorded_elsewhere])["finding"] == "a-elsewhere"
    assert classify(failed | {"case": {"spec": {"dilation": [1, 1]}}}, [recorded_here])["outcome"] == "failed"
