"""A known finding as an issue ready to file upstream (`convt-suite findings
report ID`): what happens, the reproducer (its own snippet, which the main
job runs, so a report cannot go stale unnoticed), what it printed here, the
controls that compute correctly (its near misses), the environment that
matters, the versions it holds in, the oneDNN primitive that ran (for a
finding in oneDNN) and the related upstream links.

A report is `render(finding, evidence)`: the evidence (what the snippet
printed, the oneDNN lines, the environment) is measured once by `measure()`
and written into the page, so a page kept in the docs can be re-rendered
from its own evidence and compared (tests/test_upstream_reports.py).
"""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass, field

from convt_suite.findings.model import ALIASES, Finding, Verdict

# the distribution a finding's holds_in names -> its tracker
TRACKERS = {"torch": "pytorch/pytorch", "tensorflow": "tensorflow/tensorflow",
            "tensorflow-cpu": "tensorflow/tensorflow", "jax": "jax-ml/jax", "jaxlib": "jax-ml/jax",
            "keras": "keras-team/keras", "onnx": "onnx/onnx", "onnxruntime": "microsoft/onnxruntime"}
# oneDNN's verbose lines worth quoting: the primitives that ran, and those created that never
# finished (ONEDNN_VERBOSE=2 prints a primitive at creation and after each execution): where
# the process died, the one it died in, which a crash leaves no other trace of
ONEDNN_VERBOSE = "2"
ONEDNN_EXEC = re.compile(r"^onednn_verbose,.*primitive,exec,")
ONEDNN_CREATE = re.compile(r"^onednn_verbose,.*primitive,create[:,]")
MAX_ONEDNN_LINES = 6
EVIDENCE_START, EVIDENCE_END = "<!-- evidence", "-->"


@dataclass
class Evidence:
    """What a run of the snippet showed, on which machine."""

    verdict: str                                   # Verdict's value
    output: str                                    # what it printed, oneDNN's lines apart
    onednn: list[str] = field(default_factory=list)   # the primitives that ran
    environment: list[str] = field(default_factory=list)
    died_in: list[str] = field(default_factory=list)  # a crash's: created, never finished
    onednn_verbose: str = "1"                          # the level it was measured at ("": not set)


def tracker(finding: Finding) -> str | None:
    return next((TRACKERS[dist] for dist in finding.holds_in if dist in TRACKERS), None)


def measure(finding: Finding, timeout: float = 300) -> Evidence:
    """Run the snippet here in a child process, as the main job does, with
    oneDNN's verbose lines on."""
    from convt_suite.host import env as suite_env

    verbose = {suite_env.ONEDNN_VERBOSE.name: ONEDNN_VERBOSE} if runs_onednn(finding) else {}
    verdict, text = finding.reproduce(timeout, extra_env=verbose)
    lines = text.splitlines()
    primitives = list(dict.fromkeys(line for line in lines if ONEDNN_EXEC.match(line)))
    # the convolutions first: the reorders around them only show the layouts
    primitives = [p for p in primitives if ",reorder," not in p] or primitives
    output = "\n".join(line for line in lines if not line.startswith("onednn_verbose,"))
    died_in = unfinished(lines) if "crash" in finding.failures else []
    return Evidence(verdict=str(verdict), output=output.strip(), onednn=primitives[:MAX_ONEDNN_LINES],
                    environment=environment(finding), died_in=died_in[:MAX_ONEDNN_LINES],
                    onednn_verbose=ONEDNN_VERBOSE if verbose else "")


def runs_onednn(finding: Finding) -> bool:
    """Does the finding live where oneDNN computes the convolution (PyTorch's
    or TensorFlow's CPU kernels, or a CPU condition of oneDNN's)? Elsewhere
    its lines are beside the point (XLA runs its matmuls on oneDNN, not its
    convolutions)."""
    return bool(finding.onednn_isa or finding.tensorflow_onednn
                or {"torch", "tensorflow", "tensorflow-cpu"} & set(finding.holds_in))


def unfinished(lines: list[str]) -> list[str]:
    """The primitives created that no execution line follows (the problem
    alike: the fields after the kind, the time apart): the ones a process
    died in. A crash's snippet relays what its killed child printed."""
    def problem(line: str) -> str:
        return ",".join(line.split(",")[4:-1])

    finished = {problem(line) for line in lines if ONEDNN_EXEC.match(line)}
    created = [line for line in lines if ONEDNN_CREATE.match(line) and problem(line) not in finished]
    return [line for line in dict.fromkeys(created) if ",reorder," not in line] or created


def environment(finding: Finding) -> list[str]:
    """The environment that matters: the frameworks it holds in, numpy,
    Python, the OS, the CPU, oneDNN's instruction set and TensorFlow's use
    of oneDNN."""
    from convt_suite.core.results import installed_versions
    from convt_suite.host import cpu
    from convt_suite.host import env as suite_env

    # tensorflow-cpu or tensorflow, whichever is installed
    names = tuple(dict.fromkeys([*(name for dist in finding.holds_in for name in ALIASES.get(dist, (dist,))),
                                 "numpy"]))
    versions = installed_versions(names)
    lines = [f"{name} {version}" for name, version in versions.items() if version]
    lines += [f"Python {platform.python_version()}, {platform.platform()}",
              f"CPU: {cpu.cpuinfo().get('model name', platform.processor() or 'unknown')}",
              f"oneDNN instruction set: {cpu.onednn_isa() or 'unknown'}"]
    if any(name.startswith("tensorflow") for name in finding.holds_in):
        lines.append(f"TensorFlow runs oneDNN: {'yes' if cpu.tensorflow_onednn() else 'no'}"
                     f" (TF_ENABLE_ONEDNN_OPTS={suite_env.TF_ENABLE_ONEDNN_OPTS.get('unset')})")
    return lines


# what a near miss may change that says nothing about the framework (how the suite recorded
# the check, through which adapter): not a control an upstream maintainer can run
BOOKKEEPING = {"failure", "error", "adapter", "outcome", "versions", "expected_refusal", "actual_shape"}


def controls(finding: Finding) -> list[str]:
    """The near misses that change the call: the same case changed by one
    condition, which the finding does not cover."""
    return list(dict.fromkeys(near["why"] for example in finding.examples
                              for near in example.get("near_misses", ())
                              if set(near.get("set", {})) - BOOKKEEPING or near.get("drop")))


def render(finding: Finding, evidence: Evidence) -> str:
    """The issue, in Markdown."""
    up = finding.upstream
    where = tracker(finding)
    parts = [
        f"# {up.title or finding.title}",
        "",
        f"*To file at https://github.com/{where}/issues/new" if where else "*To file upstream",
        f"(upstream status: {up.status}). From convt-suite's known finding `{finding.id}`.*",
        "",
        "## What happens",
        "",
        finding.detail,
        "",
        *(["## What should happen", "", up.expected, ""] if up.expected else []),
        "## Reproducer",
        "",
        ("Only the framework and numpy; each call runs in a child process, since the crash takes the "
         "process with it; it prints what each call did, then its verdict." if "crash" in finding.failures else
         "Only the framework and numpy; it prints what it computes beside the exact result, then its verdict."),
        "",
        "```python",
        finding.snippet.rstrip(),
        "```",
        "",
        f"What it printed here ({evidence.verdict}):",
        "",
        "```",
        evidence.output,
        "```",
    ]
    if evidence.died_in:
        parts += ["", f"The oneDNN primitive created and never finished when the process died ("
                  f"`ONEDNN_VERBOSE={evidence.onednn_verbose}`):", "", "```", *evidence.died_in, "```"]
    if evidence.onednn:
        parts += ["", f"The oneDNN primitives that ran (`ONEDNN_VERBOSE={evidence.onednn_verbose}`):", "", "```",
                  *evidence.onednn, "```"]
    near = controls(finding)
    if near:
        parts += ["", "## Controls", "",
                  "The same case changed by one condition each, where the suite's checks pass:", "",
                  *(f"- {why}" for why in near)]
    parts += ["", "## Environment", "", *(f"- {line}" for line in evidence.environment),
              "", "## Versions", "",
              f"It holds in {finding.holds} (first seen on {finding.observed_on}).", ""]
    parts += ["## Related", "", up.note]
    if up.links:
        parts += ["", *(f"- {link}" for link in up.links)]
    if up.searched:
        parts += ["", "Searched for: " + "; ".join(f"\"{query}\"" for query in up.searched) + "."]
    parts += ["", EVIDENCE_START, _evidence_text(evidence), EVIDENCE_END, ""]
    return "\n".join(parts)


def _evidence_text(evidence: Evidence) -> str:
    import json

    # the fields past the first four only where they say something, so older pages read the same
    later: dict[str, object] = {"died_in": evidence.died_in} if evidence.died_in else {}
    if evidence.onednn_verbose != "1":
        later["onednn_verbose"] = evidence.onednn_verbose
    return json.dumps({"verdict": evidence.verdict, "output": evidence.output, "onednn": evidence.onednn,
                       "environment": evidence.environment, **later}, indent=1)


def evidence_of(page: str) -> Evidence:
    """The evidence a rendered page was made from."""
    import json

    text = page.rsplit(EVIDENCE_START, 1)[1].split(EVIDENCE_END, 1)[0]
    return Evidence(**json.loads(text))


def reproduced(evidence: Evidence) -> bool:
    return evidence.verdict == Verdict.REPRODUCED
