"""`convt-suite findings report ID` and the upstream reports kept in the docs."""

from pathlib import Path

import pytest

from convt_suite.cli import main
from convt_suite.findings import upstream_report as report
from convt_suite.findings.model import by_id

PAGES = sorted((Path(__file__).parents[1] / "docs" / "reference" / "upstream-reports").glob("*.md"))


def test_some_reports_are_kept():
    assert len(PAGES) >= 5


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_a_kept_report_is_what_its_finding_renders_today(page):
    """Re-rendered from the finding's files and the evidence the page
    recorded: a changed detail, snippet, link or control makes it stale
    (`convt-suite findings report ID --out PAGE` refreshes it). Its
    reproducer is the finding's snippet, which the main job runs."""
    finding = by_id()[page.stem]
    text = page.read_text()
    evidence = report.evidence_of(text)
    assert report.render(finding, evidence) == text, f"stale: convt-suite findings report {page.stem} --out {page}"
    assert report.reproduced(evidence), "a kept report shows the finding reproduced"
    assert finding.upstream.is_bug and finding.upstream.title and finding.upstream.expected


def test_a_report_holds_what_an_upstream_maintainer_asks_for():
    finding = by_id()["torch-onednn-strided-deconv-nan-spreads"]
    evidence = report.Evidence(verdict="reproduced", output="REPRODUCED: 2 NaN",
                               onednn=["onednn_verbose,v1,primitive,exec,cpu,deconvolution,x"],
                               environment=["torch 2.13.0+cpu"])
    text = report.render(finding, evidence)
    assert text.startswith(f"# {finding.upstream.title}\n")
    assert "https://github.com/pytorch/pytorch/issues/new" in text
    for heading in ("## What happens", "## What should happen", "## Reproducer", "## Controls",
                    "## Environment", "## Versions", "## Related"):
        assert heading in text
    assert f"```python\n{finding.snippet.rstrip()}\n```" in text
    assert "onednn_verbose,v1,primitive,exec,cpu,deconvolution,x" in text
    assert all(f"- {why}" in text for why in report.controls(finding))
    assert report.evidence_of(text) == evidence


CREATE = "onednn_verbose,v1,primitive,create:cache_miss,cpu,"
EXEC = "onednn_verbose,v1,primitive,exec,cpu,"


def test_a_crash_report_names_the_primitive_the_process_died_in():
    """A crash leaves no execution line for the primitive it died in: the one
    created and never finished is it (reorders only when nothing else)."""
    lines = [CREATE + "reorder,jit:uni,src:bf16,1x1,0.04", EXEC + "reorder,jit:uni,src:bf16,1x1,0.004",
             CREATE + "convolution,brg:avx512_core,f32,pw11,0.3", EXEC + "convolution,brg:avx512_core,f32,pw11,0.01",
             CREATE + "convolution,brg:avx512_core_bf16,bf16,pw27,0.32", "killed by SIGSEGV"]
    assert report.unfinished(lines) == [lines[4]]
    assert report.unfinished(lines[:4]) == []
    assert report.unfinished([CREATE + "reorder,jit:uni,x,1x1,0.04"]) == [CREATE + "reorder,jit:uni,x,1x1,0.04"]
    finding = by_id()["tensorflow-bfloat16-wide-padding-crash"]
    evidence = report.Evidence(verdict="reproduced", output="killed by SIGSEGV", died_in=[lines[4]],
                               environment=["tensorflow-cpu 2.21.0"], onednn_verbose="2")
    text = report.render(finding, evidence)
    assert f"created and never finished when the process died (`ONEDNN_VERBOSE=2`):\n\n```\n{lines[4]}\n```" in text
    assert report.evidence_of(text) == evidence


def test_an_unknown_id_is_refused_by_name(capsys):
    assert main(["findings", "report", "no-such-finding"]) == 2
    assert "id='no-such-finding': must be a known finding's id" in capsys.readouterr().err


def test_the_command_runs_the_reproducer_and_says_its_verdict(tmp_path, capsys):
    out = tmp_path / "report.md"
    assert main(["findings", "report", "keras-same-empty-output", "--out", str(out)]) == 0
    assert "(reproduced here)" in capsys.readouterr().out
    assert "REPRODUCED" in report.evidence_of(out.read_text()).output
