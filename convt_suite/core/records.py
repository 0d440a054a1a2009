"""The records of a results file, typed: one TypedDict per record type (the
line's `type`) and per nested object, each field with what it means. They
are the results schema: `json_schema()` makes its JSON Schema (published in
docs/reference/results.md, and the schema the tests check a main job's
records against), and `SCHEMA_VERSION` (core/vocabulary.py) is its version,
recorded in every run header.

What a reader should know (docs/reference/results.md says it for users):
every line is written by `ResultsWriter.write` as `{"run": <run id>, **record}`
with `allow_nan=True`, so a float field may hold NaN, Infinity or -Infinity,
and `explore_seed` is an unsigned 64-bit integer (it can exceed 2**63). A line
without `type` is a `check` (the oldest files). A field without NotRequired is
on every record of its type. Enum-valued fields use the string enums of
core/vocabulary.py; the `outcome` of precision, error_path and pitfall
records is not `Outcome`, but words of their own (Literals here).

Records of files of an older schema are brought to this one as they are
read, where they can be (`upgrade`).
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired

# pydantic, which makes the JSON Schema, reads TypedDicts of typing_extensions on Python < 3.12
from typing_extensions import TypedDict

from convt_suite.core.vocabulary import SCHEMA_VERSION, Failure, Kind, Outcome, RecordType
from convt_suite.host.kernels import Kernel  # defined once, where kernels are read

# adapters/base.py DTYPES
Dtype = Literal["float16", "bfloat16", "float32", "float64"]
# the check's phase (convt_suite/sweeps/phases.py); absent for edge cases and pitfall examples
Phase = Literal["replay", "fixed", "explore"]
# the gradients a vjp check compares (convt_suite/core/compare.py GRADIENTS)
GradientName = Literal["grad_x", "grad_weight", "grad_bias"]
# a native case's parameter language (convt_suite/core/native.py LANGUAGES)
Language = Literal["torch", "torch.nn", "tensorflow", "keras", "jax", "onnx"]


# ----------------------------------------------------------- shared nested objects

class Environment(TypedDict):
    """Where a process ran (core/results.py environment()); run header and worker records."""

    python: str
    """Python version, e.g. '3.11.7'"""
    platform: str
    """platform.platform()"""
    machine: str
    """platform.machine(), e.g. 'x86_64'"""
    processor: str
    """platform.processor(), else machine"""
    cpu_count: int | None
    """os.cpu_count() (None where unknown)"""
    onednn_isa: str | None
    """oneDNN's instruction-set level here, capped by ONEDNN_MAX_CPU_ISA; None off x86"""
    tensorflow_onednn: bool
    """whether TensorFlow uses its oneDNN kernels on this CPU"""
    versions: dict[str, str]
    """installed distribution -> version (frameworks, numpy, ml_dtypes, hypothesis, pytest)"""
    keras_backend: str
    """KERAS_BACKEND, default 'tensorflow'"""
    started: str
    """ISO-8601 UTC, seconds, e.g. '2026-12-06T16:12:11+00:00'"""


class Exploration(TypedDict):
    """The run's exploration budget (sweeps/phases.py Exploration.describe())."""

    examples: int
    """fresh random cases per sweep (--explore)"""
    seed: int
    """the run's exploration seed"""
    seconds: float
    """hunt time per sweep (--explore-seconds), 0.0 for none"""
    database: str | None
    """example database folder, None when off"""


class Spec(TypedDict):
    """The canonical layer (adapters/spec.py Spec.to_dict())."""

    in_channels: int
    """input channels C_in"""
    out_channels: int
    """output channels C_out"""
    kernel_size: list[int]
    """[kh, kw]"""
    stride: list[int]
    """[sh, sw]"""
    padding: list[list[int]]
    """per spatial axis [before, after] crop of the full output (may be negative)"""
    dilation: list[int]
    """[dh, dw]"""
    groups: int
    """channel groups"""
    bias: bool
    """whether the layer has a bias"""


class Case(TypedDict):
    """A canonical case (core/cases.py Case.to_dict()): forward, vjp, special, determinism."""

    spec: Spec
    """the layer"""
    input_shape: list[int]
    """NCHW"""
    seed: int
    """seeds x, weight, bias (and grad_out)"""
    scale: NotRequired[float]
    """x and weight multiplied by it; only when != 1.0 (overflow cases)"""
    specials: NotRequired[list[list[str | int]]]
    """[["x"|"weight", flat index, "nan"|"inf"|"-inf"], ...]"""


class NativeParams(TypedDict):
    """A native call's parameters as drawn (core/native.py draw_*); keys depend on the language."""

    in_channels: int
    """input channels"""
    out_channels: int
    """output channels"""
    kernel: int | list[int]
    """int or [h, w]"""
    stride: int | list[int]
    """int or [h, w]"""
    dilation: int | list[int]
    """int or [h, w] (TF/Keras dilation_rate, ONNX dilations)"""
    bias: bool
    """whether a bias is passed"""
    padding: int | list[int] | list[list[int]] | str | None
    """torch int/pair; a mode; JAX pairs; ONNX auto_pad"""
    groups: NotRequired[int]
    """torch, torch.nn, onnx"""
    output_padding: NotRequired[int | list[int] | None]
    """torch, torch.nn, keras, onnx"""
    output_size: NotRequired[list[int] | None]
    """torch.nn ([N, C, H, W] or [H, W]), TF/ONNX output_shape"""
    explicit: NotRequired[list[list[int]] | None]
    """TF 'EXPLICIT' / ONNX pads: [[top, bottom], [left, right]]"""
    entry: NotRequired[str]
    """TF 'conv2d_transpose'|'conv_transpose'; Keras 'layer'|'ops'"""
    pairs_as: NotRequired[Literal["tuples", "lists"]]
    """jax: how padding pairs are passed"""
    use_consistent_padding: NotRequired[bool]
    """jax: the argument, where drawn"""
    kernel_shape_given: NotRequired[bool]
    """onnx: kernel_shape attribute given"""


class NativeCaseData(TypedDict):
    """A native case (core/native.py NativeCase.to_dict()): native kinds, pitfall examples."""

    language: Language
    """the parameter language"""
    params: NativeParams
    """the call as drawn"""
    input_shape: list[int]
    """NCHW"""
    seed: int
    """tensor values' seed"""
    spec: Spec
    """the spec it means, or its tensors' probe where it must be refused"""


class Native(NativeParams):
    """A native call normalized (core/native.py NativeCase.normalized()): pairs as lists, with input size."""

    language: Language
    """the parameter language"""
    input_size: list[int]
    """[H, W] of the input"""
    # kernel, stride, dilation: always [h, w] lists here; output_padding a list or None;
    # torch padding a list; output_size the last two sizes or None


class ErrorMeasures(TypedDict):
    """How far what came back is from the oracle: a check's measures, and each
    tensor's of a vjp or round-trip check (core/compare.py compare_tensor(), judge())."""

    actual_dtype: NotRequired[str]
    """numpy dtype name of what came back"""
    max_abs_error: NotRequired[float]
    """max |error| against the oracle (a vjp or round-trip check: its worst part; may be
    NaN/Infinity); absent on a shape mismatch"""
    max_error_over_bound: NotRequired[float]
    """max error / tolerance bound (> 1 fails; may be NaN/Infinity)"""
    unexpected_inf: NotRequired[int]
    """infinities where the oracle is finite"""
    unexpected_nan: NotRequired[int]
    """NaNs where the oracle is not NaN"""
    missing_nonfinite: NotRequired[int]
    """finite values where the oracle is NaN/inf"""
    wrong_nonfinite: NotRequired[int]
    """infinities where the oracle has NaN or the other infinity (a NaN where it has an
    infinity counts as unexpected_nan); absent in files before it was recorded"""
    finite_error_over_bound: NotRequired[float]
    """max error/bound over elements finite on both sides"""
    bound_over_output: NotRequired[float]
    """the bound's median over the oracle's median |value| (an evenly spaced sample): how
    large an error passes, relative to the output; near 1 or above only gross errors fail
    (a 16-bit dtype at model scale); absent in files before it was recorded"""
    failure: NotRequired[Failure]
    """how it failed (a check: when failed or known; a tensor: shape, dtype or values)"""


class TensorComparison(ErrorMeasures):
    """One tensor against the oracle (core/compare.py compare_tensor(), judge())."""

    expected_shape: NotRequired[list[int]]
    """the oracle's shape (absent only for an unexpected gradient)"""
    actual_shape: NotRequired[list[int]]
    """what came back"""


class Gradients(TypedDict):
    """Per-gradient comparisons of a vjp check (core/compare.py judge_gradients())."""

    grad_x: TensorComparison
    """gradient w.r.t. the input"""
    grad_weight: TensorComparison
    """gradient w.r.t. the weight"""
    grad_bias: NotRequired[TensorComparison]
    """only where the layer has a bias (or an unexpected one came back)"""


class RoundTripWay(TensorComparison):
    """One save/load way of a round-trip check (core/compare.py judge_trips())."""

    outcome: Outcome
    """passed or failed only (no known/skipped here)"""
    same_bits_as_eager: NotRequired[bool]
    """output bitwise equal to the eager call's"""
    error: NotRequired[str]
    """the way raised (failure "error")"""


class PlanRecord(TypedDict):
    """How the adapter computed a check (adapters/base.py Plan.to_dict()): facts matchers read."""

    words: str
    """'native', 'composed: <how and why>'; native kinds: 'native: <the call as code>',
    then ' run in <machinery>' (in model) or ' saved and loaded: <ways>' (round trip);
    a plug-in's own words"""
    native: bool
    """one native call computes the spec as given"""
    call: NotRequired[dict[str, Any] | None]
    """the native call's parameters per group, in the framework's own names (None: not
    stated, as for native kinds, whose call is `native`); absent in files of
    schema_version < 2"""
    call_crops: NotRequired[list[list[int]] | None]
    """per spatial axis [before, after]: the crops the native call does; the rest of the
    spec's are done outside it (None: not stated)"""
    per_group: NotRequired[bool]
    """one call per group, the outputs concatenated"""
    dilated_kernel: NotRequired[bool]
    """the kernel dilated with zeros and called with dilation 1"""


class Cached(TypedDict):
    """Where a probe-cache verdict came from (runtime/probe_cache.py:87)."""

    run: str
    """the run id that computed it ("" when unknown)"""
    at: str
    """when, '%Y-%m-%dT%H:%M:%S%z', e.g. '2026-12-06T16:09:05+0000'"""


# ----------------------------------------------------------------------- records

class RunRecord(TypedDict):
    """The run header, first line of a run (pytest_plugin/__init__.py start_run())."""

    run: str
    """run id, 'YYYYmmddTHHMMSS-pid'"""
    type: Literal["run"]
    """record type (RecordType.RUN)"""
    schema_version: int
    """the record layout (core/vocabulary.py SCHEMA_VERSION; files before version 1 lack it: 0)"""
    environment: Environment
    """the owning process's environment"""
    version_set: str | None
    """CONVT_SUITE_VERSION_SET (the matrix's name for this environment)"""
    variables: dict[str, str]
    """the suite's environment variables that are set (host/env.py)"""
    hypothesis_profile: str
    """"dev", "ci", "thorough" or one given"""
    hypothesis_seed: str | None
    """--hypothesis-seed as given (a string), else None"""
    exploration: Exploration
    """the exploration budget"""
    ranks: NotRequired[list[int]]
    """the spatial ranks the sweeps drew (--ranks; absent: 2-D only, the runs before 1-D and 3-D)"""
    adapters: list[str]
    """selected adapter names"""
    selectors: dict[str, str]
    """adapter name -> selector (for reproduction commands)"""
    timeout: float
    """--adapter-timeout, seconds per adapter call"""
    in_process: bool
    """--in-process"""
    probe_cache: str
    """the probe cache folder, or 'off'"""
    args: list[str]
    """pytest's invocation arguments"""
    cwd: str
    """pytest's invocation folder"""


class WorkerRecord(TypedDict):
    """An adapter worker's environment, once per adapter per (xdist) process (pytest_plugin _write_worker())."""

    run: str
    """run id (added by ResultsWriter.write)"""
    type: Literal["worker"]
    """record type (RecordType.WORKER)"""
    adapter: str
    """adapter name"""
    selector: str
    """its selector (built-in name or module:attr)"""
    environment: Environment
    """what the worker process reported at start"""


class UnavailableRecord(TypedDict):
    """An adapter that cannot run here, once per adapter per process (pytest_plugin adapter fixture)."""

    run: str
    """run id (added by ResultsWriter.write)"""
    type: Literal["unavailable"]
    """record type (RecordType.UNAVAILABLE)"""
    adapter: str
    """adapter name"""
    reason: str
    """why (e.g. its framework is not installed)"""


class CheckRecord(ErrorMeasures):
    """One check of one case on one adapter in one dtype (core/compare.py, via the `record` fixture)."""

    run: str
    """run id (added by ResultsWriter.write)"""
    type: Literal["check"]
    """record type (RecordType.CHECK); absent in the oldest files (read as "check")"""
    test: str
    """pytest node id of the test that ran it"""
    kind: Kind
    """what is compared with the oracle"""
    adapter: str
    """adapter name"""
    dtype: Dtype
    """the dtype it ran in"""
    case: Case | NativeCaseData
    """the case (native kinds: NativeCaseData)"""
    describe: str
    """the case in words"""
    outcome: Outcome
    """passed, failed, known, skipped"""
    # what was expected
    expected_shape: NotRequired[list[int]]
    """the spec's output shape (absent when a refusal is expected)"""
    expected_refusal: NotRequired[str]
    """why the native call must be refused"""
    native: NotRequired[Native]
    """native kinds: the call, normalized"""
    # how it ran
    plan: NotRequired[PlanRecord]
    """how the adapter computed it (the adapter's Plan); absent where it declined first"""
    versions: NotRequired[dict[str, Any]]
    """the adapter's versions (plug-in defined; {"error": msg} on failure)"""
    seconds: NotRequired[float]
    """time of the adapter call(s)"""
    kernels: NotRequired[list[Kernel]]
    """the native kernels the call ran, where the library says (host/kernels.py); absent
    where nothing says (XLA, ONNX Runtime, plug-ins) or the call did not return"""
    reason: NotRequired[str]
    """skipped: the adapter's reason"""
    # what came back
    actual_shape: NotRequired[list[int] | None]
    """output shape (None: a refused call returned nothing measurable)"""
    error_map: NotRequired[list[list[list[float]]] | None]
    """values failure: error/bound per (C, H, W), the worst over the batch (1-D: one row; 3-D:
    the worst over D); None if large"""
    refused_with: NotRequired[str]
    """passed refusal: "<Exception>: <message>" (declared shape: joined)"""
    # how it failed
    finding: NotRequired[str]
    """known: the finding id that explains it"""
    error: NotRequired[str]
    """"<Exception>: <message>" (worker crash/timeout: the worker's message)"""
    traceback: NotRequired[str]
    """failure "error": the end of the traceback"""
    stderr_tail: NotRequired[str]
    """failure crash/timeout: the worker's stderr tail"""
    # per kind
    gradients: NotRequired[Gradients]
    """vjp, native vjp: each gradient's comparison"""
    failed_gradient: NotRequired[GradientName]
    """vjp failed: the first failing gradient"""
    error_map_of: NotRequired[GradientName]
    """vjp failed: which gradient error_map shows"""
    declared: NotRequired[dict[str, list[int] | str]]
    """declared shape: facility -> shape, or its refusal"""
    declared_by: NotRequired[str]
    """declared shape failed: the facility that disagreed"""
    ways: NotRequired[dict[str, RoundTripWay]]
    """round trip: way ("torch.save/load", "SavedModel", ...) -> result"""
    failed_way: NotRequired[str]
    """round trip failed: the first failing way"""
    bitwise_identical: NotRequired[bool]
    """determinism: the two calls' bits equal"""
    max_abs_difference: NotRequired[float | None]
    """determinism failed: max |first - second| (None: shapes differ)"""
    # tags added by the callers
    phase: NotRequired[Phase]
    """sweeps: which phase ran it"""
    explore_seed: NotRequired[int]
    """explore phase: the sweep's seed (unsigned 64-bit: may exceed 2**63)"""
    round: NotRequired[int]
    """explore phase of a hunt (--explore-seconds): the round"""
    budget: NotRequired[str]
    """costly adapter: how its share of the cases was taken"""
    edge: NotRequired[str]
    """test_edge_shapes: the edge case's name"""
    scale: NotRequired[Literal["model scale"]]
    """the model-scale family (core/model_scale.py, checks/test_model_scale.py); absent on
    the small sweeps' cases"""
    model_layer: NotRequired[str]
    """model scale, fixed phase: the named layer ("model: layer (size)", core/model_scale.py LAYERS)"""
    pitfall_example: NotRequired[Literal[True]]
    """test_pitfall_examples_run_as_measured"""


class TestRecord(TypedDict):
    """One finished check test's wall time (pytest_plugin _record_test_time())."""

    run: str
    """run id (added by ResultsWriter.write)"""
    type: Literal["test"]
    """record type (RecordType.TEST)"""
    test: str
    """pytest node id"""
    adapter: str | None
    """its adapter, None for tests without one"""
    seconds: float
    """setup + call + teardown, rounded to ms"""


class TestFailureRecord(TypedDict):
    """A test that failed in any phase, checks or not (pytest_plugin _record_test_failure())."""

    run: str
    """run id (added by ResultsWriter.write)"""
    type: Literal["test-failure"]
    """record type (RecordType.TEST_FAILURE)"""
    test: str
    """pytest node id (any test of the session, collection errors too)"""
    when: Literal["setup", "call", "teardown", "collect"]
    """pytest phase that failed"""
    adapter: str | None
    """its adapter where it is a check test, else None"""
    message: str
    """the crash line ('ValueError: what'), else the report's last line, else '?'"""
    error: str
    """the last 40 lines of the failure report"""


class PrecisionRecord(TypedDict):
    """Measured rounding of float16/bfloat16 per adapter (studies/precision.py measure())."""

    run: str
    """run id (added by ResultsWriter.write)"""
    type: Literal["precision"]
    """record type (RecordType.PRECISION)"""
    test: str
    """pytest node id"""
    adapter: str
    """adapter name"""
    dtype: Literal["float16", "bfloat16"]
    """the half-precision dtype measured"""
    terms: int
    """products per output (576)"""
    outcome: Literal["measured", "declined", "error"]
    """not the Outcome enum"""
    verdict: str
    """the verdict in words (or why not measured)"""
    max_ulps: NotRequired[float]
    """measured: max error in ulps of the dtype"""
    median_ulps: NotRequired[float]
    """measured: median error in ulps"""
    correctly_rounded: NotRequired[float]
    """measured: fraction equal to the exact result rounded once"""


class ErrorPathSpec(TypedDict):
    """The suite's own Spec's verdict on a scenario (studies/error_paths.py spec_verdict())."""

    raises: str | None
    """exception name ("ValueError" expected), None if accepted"""
    message: str
    """its message, or 'accepted'"""


class ErrorPathRecord(TypedDict):
    """One framework's behaviour on one invalid layer (studies/error_paths.py probe_all())."""

    run: str
    """run id (added by ResultsWriter.write)"""
    type: Literal["error_path"]
    """record type (RecordType.ERROR_PATH)"""
    scenario: str
    """scenario id (the invalid combination; ", 1-D" or ", 3-D" ends it in those ranks)"""
    rule: str
    """the combination in words"""
    rank: NotRequired[int]
    """the spatial rank of its calls: 1, 2 or 3 (absent in files before 1-D and 3-D: 2)"""
    framework: str
    """'torch', 'tensorflow', 'jax', 'keras'"""
    spec: ErrorPathSpec
    """the suite's Spec's verdict"""
    code: str | None
    """the probe's code, None where not applicable"""
    outcome: Literal["raised", "returned", "crashed", "hung", "n/a", "unavailable", "missing"]
    """not the Outcome enum"""
    exception: NotRequired[str]
    """raised: exception class name"""
    message: NotRequired[str]
    """raised: its message; crashed/hung: stderr tail; n/a: why; unavailable: setup"""
    shape: NotRequired[list[int]]
    """returned: the output's shape"""
    returncode: NotRequired[int | None]
    """crashed: the child's exit code (None when hung)"""
    cached: NotRequired[Cached]
    """read from the probe cache"""


class FindingRecord(TypedDict):
    """Whether a known finding's snippet reproduced here (checks/test_known_findings.py)."""

    run: str
    """run id (added by ResultsWriter.write)"""
    type: Literal["finding"]
    """record type (RecordType.FINDING)"""
    id: str
    """finding id (folder under convt_suite/findings/known/)"""
    versions: dict[str, str]
    """installed versions of the distributions in its holds_in"""
    onednn_isa: str | None
    """this machine's oneDNN level"""
    tensorflow_onednn: bool
    """whether TensorFlow uses oneDNN here"""
    expected: bool | None
    """expected to reproduce here (None: a distribution it needs is missing)"""
    reproduced: bool | None
    """whether it reproduced (None: not run)"""
    output: NotRequired[str]
    """the snippet's output, last 2000 chars (absent when not run)"""
    could_not_run: NotRequired[Literal[True]]
    """the snippet could not run / was not run on this machine"""
    not_run: NotRequired[str]
    """why it was not run (machine excluded, non-thorough profile)"""
    cached: NotRequired[Cached]
    """read from the probe cache"""


class PitfallFeature(TypedDict):
    """A pitfall's outcome counts for one layer feature (studies/pitfalls.py measure())."""

    feature: str
    """e.g. 'even kernel', 'stride > 1', 'padding 'same''"""
    cases: int
    """layers with the feature"""
    wrong: int
    """of them silently wrong (shift, shape, values)"""
    refused: int
    """of them refused (refused, unsupported)"""


PitfallOutcome = Literal["holds", "shift", "shape", "values", "refused", "unsupported"]


class PitfallOutcomes(TypedDict, total=False):
    """Outcome counts of a pitfall; only non-zero outcomes are present."""

    holds: int
    """the naive mapping computes the source's output"""
    shift: int
    """same shape, values shifted"""
    shape: int
    """another output shape"""
    values: int
    """same shape, other values"""
    refused: int
    """the target framework refuses the call"""
    unsupported: int
    """the converter itself refuses the layer"""


class PitfallExample(TypedDict):
    """The first example of one outcome of a pitfall (studies/pitfalls.py _example())."""

    pitfall: str
    """pitfall id"""
    source: str
    """the source layer as code"""
    input_shape: list[int]
    """channels first: NCW, NCHW or NCDHW"""
    source_case: NativeCaseData
    """the source layer as a native case"""
    spec: str
    """the source spec in words"""
    outcome: PitfallOutcome
    """what the naive mapping did on this layer"""
    naive: NotRequired[str]
    """the naive target call as code (absent when unsupported)"""
    naive_case: NotRequired[NativeCaseData]
    """the target call as a native case"""
    steps: NotRequired[str]
    """the rule's array steps around the target call"""
    shift: NotRequired[list[int]]
    """shift: one int per axis ([dy, dx] in 2-D)"""
    relative_error: NotRequired[float]
    """shift/values: max error / the truth's largest value"""
    delta: NotRequired[list[int]]
    """shape: one int per axis ([dH, dW] in 2-D)"""
    offset: NotRequired[list[int] | None]
    """shape: where the smaller sits in the larger, or None"""
    reason: NotRequired[str]
    """refused/unsupported: why"""


class PitfallRecord(TypedDict):
    """A naive porting rule measured over its grid of layers (studies/pitfalls.py measure())."""

    run: str
    """run id (added by ResultsWriter.write)"""
    type: Literal["pitfall"]
    """record type (RecordType.PITFALL)"""
    test: str
    """pytest node id"""
    id: str
    """pitfall id"""
    rank: NotRequired[int]
    """the spatial rank its grid is in: 1, 2 or 3 (absent in files before 1-D and 3-D: 2)"""
    title: str
    """the rule's claim"""
    rule: str
    """the mapping in code words"""
    source: str
    """source language ("torch.nn", "keras")"""
    target: str
    """target framework in words ("Keras", "PyTorch", ...)"""
    cited: list[str]
    """where the rule is stated"""
    cases: int
    """grid layers the rule applies to"""
    outcomes: PitfallOutcomes
    """outcome -> count (non-zero only)"""
    wrong: int
    """shift + shape + values"""
    refused: int
    """refused + unsupported"""
    shifts: dict[str, int]
    """"(dy, dx)" (one int per axis) -> count, most common first"""
    shape_deltas: dict[str, int]
    """"(dH, dW)" (one int per axis) -> count, most common first"""
    worst_relative_error: float
    """worst relative error of a same-shape result"""
    features: list[PitfallFeature]
    """per feature counts, sorted by name"""
    examples: list[PitfallExample]
    """first example of each outcome met"""


class BilinearRecord(TypedDict):
    """FCN's bilinear layer against one framework resize (studies/bilinear.py measure())."""

    run: str
    """run id (added by ResultsWriter.write)"""
    type: Literal["bilinear"]
    """record type (RecordType.BILINEAR)"""
    test: str
    """pytest node id"""
    framework: str
    """e.g. 'torch', 'tensorflow', 'jax', 'keras[jax]'"""
    mode: str
    """the resize's coordinate convention"""
    factor: int
    """upsampling factor (2, 3, 4)"""
    input_shape: list[int]
    """NCHW input (1, 2, 8, 9)"""
    seed: int
    """input values' seed"""
    layer: str
    """the FCN layer as code"""
    resize: str
    """the resize call as code"""
    agrees_inside: bool | None
    """equal inside some border (None: the resize could not run)"""
    error: NotRequired[str]
    """the resize could not run"""
    border: NotRequired[int]
    """agrees: the border width (px) outside which they are equal"""
    inside_difference: NotRequired[float]
    """agrees: max difference inside the border (relative to max|x|)"""
    border_difference: NotRequired[float]
    """agrees: max difference overall"""
    max_difference: NotRequired[float]
    """max difference overall (absent on error or shape mismatch)"""
    shape: NotRequired[list[int]]
    """shape mismatch: the resize's [H, W]"""
    expected_shape: NotRequired[list[int]]
    """shape mismatch: the layer's [H, W]"""


class EndRecord(TypedDict):
    """The run's footer (pytest_plugin pytest_sessionfinish())."""

    run: str
    """run id (added by ResultsWriter.write)"""
    type: Literal["end"]
    """record type (RecordType.END)"""
    seconds: float
    """the run's wall time"""
    exitstatus: int
    """pytest's exit status"""
    interrupted: bool
    """exit status was INTERRUPTED (2)"""
    unfinished: NotRequired[list[str]]
    """interrupted: check tests that did not finish"""


Record = (RunRecord | WorkerRecord | UnavailableRecord | CheckRecord | TestRecord | TestFailureRecord
          | PrecisionRecord | ErrorPathRecord | FindingRecord | PitfallRecord | BilinearRecord | EndRecord)

RECORD_TYPES: dict[RecordType, type] = {
    RecordType.RUN: RunRecord, RecordType.WORKER: WorkerRecord, RecordType.UNAVAILABLE: UnavailableRecord,
    RecordType.CHECK: CheckRecord, RecordType.TEST: TestRecord, RecordType.TEST_FAILURE: TestFailureRecord,
    RecordType.PRECISION: PrecisionRecord, RecordType.ERROR_PATH: ErrorPathRecord,
    RecordType.FINDING: FindingRecord, RecordType.PITFALL: PitfallRecord, RecordType.BILINEAR: BilinearRecord,
    RecordType.END: EndRecord,
}


def json_schema() -> dict:
    """The results schema as JSON Schema (draft 2020-12): a line is one of the
    record types, told apart by `type`. Made by pydantic from the TypedDicts
    above (their docstrings become descriptions; unknown keys are refused)."""
    import functools
    import operator
    import typing

    from pydantic import Field, TypeAdapter

    for hint in _typed_dicts():
        hint.__pydantic_config__ = {"use_attribute_docstrings": True, "extra": "forbid"}  # type: ignore[attr-defined]
    one_of = functools.reduce(operator.or_, RECORD_TYPES.values())
    line: Any = typing.Annotated[one_of, Field(discriminator="type")]
    schema = TypeAdapter(line).json_schema()
    # pydantic reads a field's docstring from its own class: an inherited field's comes from its base
    for hint in _typed_dicts():
        own = schema["$defs"].get(hint.__name__, {}).get("properties", {})
        for base in _bases(hint):
            inherited = TypeAdapter(base).json_schema().get("properties", {})
            for field, prop in own.items():
                if "description" not in prop and "description" in inherited.get(field, {}):
                    prop["description"] = inherited[field]["description"]
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"https://convt-suite.invalid/results/{SCHEMA_VERSION}.schema.json",
            "title": f"convt-suite results line, schema_version {SCHEMA_VERSION}",
            "description": __doc__.split("\n\n")[0].replace("\n", " "), **schema}


def _bases(hint: type) -> list[type]:
    """A TypedDict's TypedDict bases, nearest first (typing keeps them in __orig_bases__)."""
    found = []
    for base in getattr(hint, "__orig_bases__", ()):
        if base in _typed_dicts():
            found += [base, *_bases(base)]
    return found


def _typed_dicts() -> list[type]:
    """Every TypedDict of this module."""
    from typing_extensions import is_typeddict  # typing's misses typing_extensions' on 3.11

    return [value for value in globals().values() if isinstance(value, type) and is_typeddict(value)]


def upgrade(record: dict) -> dict:
    """A record of an older schema in this one's layout, where it can be: a
    check's plan was its words alone before schema_version 2."""
    plan = record.get("plan")
    return {**record, "plan": _plan_of_words(plan)} if isinstance(plan, str) else record


def _plan_of_words(words: str) -> dict:
    return {"words": words, "native": not words.startswith("composed")}


def record_rank(record: dict) -> int:
    """The spatial rank of a check record's case: its kernel's axes (2 where it has none)."""
    spec = (record.get("case") or {}).get("spec") or {}
    kernel = spec.get("kernel_size")
    return len(kernel) if isinstance(kernel, list | tuple) else 2


def plan_of(record: dict) -> PlanRecord | dict:
    """A check record's plan, of any schema ({} where it has none: declined before planning)."""
    plan = record.get("plan")
    return _plan_of_words(plan) if isinstance(plan, str) else plan or {}


def plan_words(record: dict, none: str = "?") -> str:
    """A check record's plan in words, as the report shows it (`none` where it has none)."""
    return str(plan_of(record).get("words", none))


def composed(record: dict) -> bool:
    """The adapter composed the check's computation (not one native call)."""
    plan = plan_of(record)
    return bool(plan) and not plan.get("native", True)


