"""The report as a user sees it: rendered from results files alone, opened in
headless Chromium, with real failures from a planted bug, escaped framework
text, and the machine-readable files beside it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import settings

from convt_suite.adapters.spec import Spec
from convt_suite.core import results
from convt_suite.core.cases import Case
from convt_suite.reporting import report
from convt_suite.studies.overlap import overlap
from convt_suite.sweeps.phases import forward_sweep
from examples.zero_insertion import ZeroInsertionAdapter

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "<script>alert('x')</script><b>bold</b> & <img src=x onerror=alert(1)>"


def write_run(path: Path, adapters, extra=()) -> Path:
    """Run the real sweep on the adapters into a results file, as pytest would."""
    writer = results.ResultsWriter(path, "test-run")
    writer.write({"type": "run", "environment": results.environment(), "hypothesis_profile": "test",
                  "adapters": [a.name for a in adapters],
                  "selectors": {"planted:dilation-ignored": "tests.planted_bugs:DilationIgnored"}})
    for adapter in adapters:
        for dtype in ("float32", "float64"):
            sweep = settings(max_examples=40, derandomize=True, database=None, deadline=None)(
                forward_sweep(adapter, dtype, lambda r: writer.write({"type": "check", **r})))
            try:
                sweep()
            except AssertionError:
                pass  # the planted bug fails, as it should: its records are the point
    for record in extra:
        writer.write(record)
    writer.write({"type": "end", "seconds": 1.0, "exitstatus": 1})
    writer.close()
    return path


@pytest.fixture(scope="module")
def broken_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    hostile_error = {
        "type": "check", "kind": "forward", "adapter": "hostile", "dtype": "float32",
        "case": Case(Spec(1, 1, (2, 2)), (1, 1, 2, 2), 0).to_dict(), "describe": "hostile case",
        "expected_shape": [1, 1, 3, 3], "outcome": "failed", "failure": "error",
        "plan": "native", "error": f"RuntimeError: {HOSTILE}",
    }
    stale = {"type": "finding", "id": "tensorflow-cpu-dilation", "reproduced": False,
             "output": "computed"}
    # the run in a process of its own, as a user's is: in the full suite (two
    # fresh-clone CI runs, never alone) something other tests left in this
    # process made the shrunk example come out unshrunk
    path = folder / "results.jsonl"
    code = ("import json, sys; from pathlib import Path; from tests.test_report import write_run; "
            "from tests.planted_bugs import DilationIgnored; "
            "from examples.zero_insertion import ZeroInsertionAdapter; "
            "write_run(Path(sys.argv[1]), [DilationIgnored(), ZeroInsertionAdapter()], "
            "json.loads(sys.argv[2]))")
    subprocess.run([sys.executable, "-c", code, str(path), json.dumps([hostile_error, stale])],
                   cwd=ROOT, check=True, timeout=600)
    return report.render([path])


@pytest.mark.slow
def test_report_groups_and_minimises_the_planted_bug(broken_report):
    html = broken_report.read_text()
    model = report.build(results.read([broken_report.parent / "results.jsonl"]))
    planted = [d for d in model["discrepancies"] if d["adapter"] == "planted:dilation-ignored"]
    assert len(planted) == 1 and planted[0]["failure"] == "values"
    assert "dilation > 1" in planted[0]["pattern"]
    assert planted[0]["heatmap"].startswith("data:image/png;base64,")
    minimal = planted[0]["minimal"]["case"]
    assert max(minimal["spec"]["dilation"]) == 2 and minimal["input_shape"][2:] in ([1, 1], [1, 2], [2, 1])
    # next to it, the checkerboard of its minimal case, as overlap.py counts it
    shown = overlap(Spec.from_dict(minimal["spec"]), minimal["input_shape"][2:]).describe()
    assert planted[0]["overlap"].describe() == shown and shown in html
    # the hostile error (a framework "raising") sorts before the values failure
    assert model["discrepancies"][0]["adapter"] == "hostile"
    for section in ('id="environment"', 'id="summary"', 'id="capabilities"', 'id="discrepancies"',
                    'id="findings"', "tests.planted_bugs import DilationIgnored"):
        assert section in html


def test_framework_text_is_escaped(broken_report):
    html = broken_report.read_text()
    assert "<script>" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html


def test_a_finding_that_no_longer_reproduces_is_flagged(broken_report):
    html = broken_report.read_text()
    flagged = html.split('<h3 id="finding-tensorflow-cpu-dilation">tensorflow-cpu-dilation')[1].split("</h3>")[0]
    assert "NO LONGER REPRODUCES" in flagged


def test_findings_say_where_they_stand_upstream_and_bugs_come_first(broken_report):
    """Each finding states its upstream status; specified behaviour and the
    suite's own limits are listed apart from the framework bugs."""
    html = broken_report.read_text()
    bugs, specified = html.index('id="findings-bugs"'), html.index('id="findings-specified"')
    assert bugs < html.index('id="finding-torch-float16-intermediate-overflow"') < specified
    assert specified < html.index('id="finding-onnx-shape-inference-refuses-negative-pads"')
    assert specified < html.index('id="finding-tensorflow-composed-dilation-spreads-nan"')
    entry = html.split('id="finding-torch-float16-intermediate-overflow"')[1].split("</div>")[0]
    assert "Upstream: <strong>reported</strong>" in entry
    assert '<a href="https://github.com/pytorch/pytorch/issues/153700">' in entry
    unreported = html.split('id="finding-tensorflow-onednn-width-one-grad-x"')[1].split("</div>")[0]
    assert "Upstream: <strong>not reported</strong>" in unreported and "Searched: &ldquo;" in unreported


def test_machine_readable_outputs(broken_report):
    summary = json.loads((broken_report.parent / "summary.json").read_text())
    assert summary["failed"] > 0
    assert {d["adapter"] for d in summary["discrepancies"]} == {"hostile", "planted:dilation-ignored"}
    suites = ET.parse(broken_report.parent / "junit.xml").getroot()
    by_name = {s.get("name"): s for s in suites}
    assert int(by_name["planted:dilation-ignored"].get("failures")) > 0
    assert by_name["numpy-zero-insertion"].get("failures") == "0"


@pytest.mark.slow
def test_clean_run_still_shows_environment_grid_and_matrix(tmp_path):
    page = report.render([write_run(tmp_path / "results.jsonl", [ZeroInsertionAdapter()])])
    html = page.read_text()
    assert "no unexplained discrepancy" in html
    assert "numpy-zero-insertion" in html.split('id="summary"')[1].split("</section>")[0]
    assert "native" in html.split('id="capabilities"')[1].split("</section>")[0]
    assert "3.11" in html.split('id="environment"')[1].split("</section>")[0]


def test_report_renders_with_no_framework_installed(broken_report, tmp_path):
    """Block every framework import, then render from the results file alone."""
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('torch', 'tensorflow', 'jax', 'jaxlib', 'keras'):\n"
        "            raise ImportError('blocked: ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "from convt_suite.reporting import report\n"
        f"print(report.render([{str(broken_report.parent / 'results.jsonl')!r}], {str(tmp_path)!r}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "index.html").read_text().count('class="discrepancy"') == 2


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have Debian's chromium (.ci/run installs it)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def test_report_in_headless_chromium(broken_report):
    """Loads from disk with no error and no network request, and shows the
    summary, the matrix, the discrepancy with a decoded heatmap, and the
    framework's HTML as text."""
    playwright = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    problems, requests = [], []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("requestfailed", lambda r: problems.append(f"failed {r.url}"))
        page.on("request", lambda r: requests.append(r.url))
        page.on("dialog", lambda d: problems.append(f"dialog {d.message}"))
        page.goto(broken_report.as_uri())
        assert page.locator("#summary table").is_visible()
        assert page.locator("#capabilities table").is_visible()
        planted = page.locator(".discrepancy", has_text="planted:dilation-ignored")
        assert planted.is_visible()
        heatmap = planted.locator("img.heatmap")
        assert heatmap.evaluate("img => img.complete && img.naturalWidth > 0")
        error = page.locator(".discrepancy", has_text="hostile").locator("pre.error")
        assert HOSTILE in error.inner_text()
        assert error.locator("b, script, img").count() == 0
        # every table fits the 1400-pixel window: a wide one scrolls inside its own box
        overflowing = page.evaluate("""() => [...document.querySelectorAll('table')]
            .filter(t => t.getBoundingClientRect().right > window.innerWidth + 1)
            .map(t => (t.id || t.closest('section, div')?.id || '?')
                      + ' ' + Math.round(t.getBoundingClientRect().right))""")
        assert overflowing == [], overflowing
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.screenshot(path=str(broken_report.parent / "screenshot.png"), full_page=True)
        browser.close()
    assert problems == []
    assert all(url.startswith(("file:", "data:")) for url in requests), requests


# ------------------------------------------- partial runs and environments
# Records built by hand: what a killed, an interrupted or a multi-worker run
# leaves in the results file, without running one.
CASE = Case(Spec(1, 1, (2, 2)), (1, 1, 2, 2), 0).to_dict()
ENVIRONMENT = {"python": "3.11.7", "platform": "Linux-6.1-x86_64", "machine": "x86_64",
               "processor": "x86_64", "cpu_count": 2, "versions": {"numpy": "2.4.6"},
               "keras_backend": "tensorflow", "started": "2026-01-01T00:00:00+00:00"}


def header(adapters, run="r1", **environment):
    return {"run": run, "type": "run", "environment": {**ENVIRONMENT, **environment},
            "hypothesis_profile": "test", "adapters": list(adapters)}


def worker(adapter, run="r1", **environment):
    return {"run": run, "type": "worker", "adapter": adapter,
            "environment": {**ENVIRONMENT, **environment}}


def check(adapter, run="r1"):
    return {"run": run, "type": "check", "test": f"tests/test_sweep.py::test_forward[{adapter}]",
            "kind": "forward", "adapter": adapter, "dtype": "float32", "case": CASE,
            "describe": "small case", "expected_shape": [1, 1, 3, 3], "outcome": "passed",
            "plan": "native", "max_error_over_bound": 0.1}


def end(run="r1", **fields):
    return {"run": run, "type": "end", "seconds": 2.0, "exitstatus": 0, **fields}


def write_records(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def banner(html: str) -> str | None:
    if 'id="incomplete"' not in html:
        return None
    return html.split('id="incomplete"')[1].split("</div>")[0]


def test_a_torn_last_line_keeps_the_records_before_it_and_says_so(tmp_path):
    path = write_records(tmp_path / "results.jsonl",
                         [header(["torch"]), check("torch"), check("torch"), check("torch"), end()])
    text = path.read_text()
    path.write_text(text[:-len(text.splitlines()[-1]) // 2])  # kill -9 halfway through the end record
    with pytest.warns(results.ResultsWarning, match=r"results\.jsonl: line 5 is incomplete.*kept the 4 records"):
        page = report.render([path])
    with pytest.warns(results.ResultsWarning):
        assert len(results.read([path])) == 4
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["checks"] == 3 and summary["runs"][0]["complete"] is False
    assert any(f"{path}: line 5 is incomplete" in note for note in summary["notes"])
    text = banner(page.read_text())
    assert text is not None and f"{path}: line 5 is incomplete" in text
    assert "Incomplete run r1" in text and "no end record" in text  # the torn line was the end


def test_a_corrupted_line_in_the_middle_is_skipped_and_named(tmp_path):
    path = write_records(tmp_path / "results.jsonl", [header(["torch"]), check("torch"), end()])
    lines = path.read_text().splitlines(keepends=True)
    path.write_bytes("".join(lines[:1]).encode() + b'{"run": "r1", "ty\xff\n' + "".join(lines[1:]).encode())
    with pytest.warns(results.ResultsWarning, match="line 2 is not a JSON record") as caught:
        assert [r["type"] for r in results.read([path])] == ["run", "check", "end"]
    assert len(caught) == 1


@pytest.mark.parametrize("ending, expected", [
    ([], "it has no end record: it was killed or is still running; 2 checks recorded, "
         "last from adapters jax, torch; none from keras[jax]"),
    ([end(exitstatus=2, interrupted=True, unfinished=["tests/test_sweep.py::test_forward[jax]", HOSTILE])],
     "interrupted; unfinished: tests/test_sweep.py::test_forward[jax], " + HOSTILE),
    ([end(exitstatus=2)], "interrupted; its end record does not name the unfinished tests"),
    ([end(exitstatus=1, interrupted=False, unfinished=[])], None),
], ids=["killed", "interrupted", "exit-status-2", "complete"])
def test_an_incomplete_run_gets_a_banner(tmp_path, ending, expected):
    path = write_records(tmp_path / "results.jsonl", [
        header(["torch", "jax", "keras[jax]"]), check("torch"), check("jax"), *ending])
    html = report.render([path]).read_text()
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["runs"][0]["complete"] is (expected is None)
    if expected is None:
        assert banner(html) is None
    else:
        from markupsafe import escape

        assert f"<strong>Incomplete run r1</strong>: {escape(expected)}." in banner(html)
        assert "<script>" not in html


def environment_tables(tmp_path, records) -> list[str]:
    html = report.render([write_records(tmp_path / "results.jsonl", records)]).read_text()
    section = html.split('id="environment"')[1].split("</section>")[0]
    return section.split('<table class="environment">')[1:]


def test_one_environment_table_per_distinct_environment(tmp_path):
    # three workers alike but for when (and as which process) they started: one table
    workers = [worker(name, started=f"2026-01-01T00:00:0{i}+00:00", pid=100 + i)
               for i, name in enumerate(["torch", "jax", "tensorflow"])]
    checks = [check(name) for name in ("torch", "jax", "tensorflow")]
    tables = environment_tables(tmp_path, [header(["torch", "jax", "tensorflow"]), *workers, *checks, end()])
    assert len(tables) == 1
    assert "torch, jax, tensorflow" in tables[0] and "r1: started" in tables[0]
    # a Keras worker on another backend is another environment
    tables = environment_tables(tmp_path, [header(["torch", "jax", "tensorflow", "keras[jax]"]), *workers,
                                           worker("keras[jax]", keras_backend="jax"), *checks, end()])
    assert len(tables) == 2
    assert "torch, jax, tensorflow" in tables[0] and "keras[jax]" in tables[1] and "keras[jax]" not in tables[0]


def test_older_files_merge_identical_run_headers(tmp_path):
    """Before workers, each process wrote its own run header (and end): identical
    environments still make one table, listing every process's adapters."""
    tables = environment_tables(tmp_path, [
        header(["torch"]), header(["jax"], started="2026-01-01T00:01:00+00:00"),
        header(["keras[torch]"], keras_backend="torch"),
        check("torch"), check("jax"), check("keras[torch]"), end(), end(), end()])
    assert len(tables) == 2
    assert "torch, jax" in tables[0] and "keras[torch]" in tables[1]


def test_verdicts_from_the_probe_cache_say_so(tmp_path):
    where = {"run": "20261125T120000-1", "at": "2026-11-25T12:00:00+0000"}
    records = [header(["torch"]), check("torch"),
               {"run": "r1", "type": "finding", "id": "tensorflow-cpu-dilation",
                "reproduced": True, "output": "REPRODUCED", "cached": where},
               {"run": "r1", "type": "finding", "id": "torch-float16-intermediate-overflow",
                "reproduced": True, "output": "REPRODUCED"},
               {"run": "r1", "type": "error_path", "scenario": "stride 0", "rule": "stride 0",
                "framework": "jax", "spec": {"raises": "ValueError", "message": "stride"},
                "outcome": "raised", "exception": "TypeError", "cached": where},
               end()]
    html = Path(report.render([write_records(tmp_path / "r.jsonl", records)])).read_text()
    cached = html.split('id="finding-tensorflow-cpu-dilation"')[1].split("</div>")[0]
    fresh = html.split('id="finding-torch-float16-intermediate-overflow"')[1].split("</div>")[0]
    assert "from the probe cache (run 20261125T120000-1" in cached
    assert "reproduced in this run" in fresh and "probe cache" not in fresh
    assert "jax (run 20261125T120000-1" in html.split('id="error-paths-cached"')[1].split("</p>")[0]


@pytest.mark.slow
def test_a_report_of_every_adapter_fits_a_1400_pixel_window(tmp_path):
    """The main job's report has every built-in adapter as a column of the
    summary grid and a row of the capability matrix: at 1400 pixels its wide
    tables scroll inside their own boxes and the page does not scroll sideways
    (it did before: the grid's last columns were cut off)."""
    from convt_suite.adapters.base import DTYPES
    from convt_suite.adapters.registry import BUILTINS

    playwright = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    kinds = ("forward", "vjp", "special", "determinism", "native", "native vjp", "declared shape",
             "in model", "round trip")
    records = [header(BUILTINS)] + [
        check(adapter) | {"kind": kind, "dtype": dtype,
                          "test": f"tests/test_sweep.py::test_{kind.replace(' ', '_')}[{adapter}-{dtype}]"}
        for adapter in BUILTINS for kind in kinds for dtype in DTYPES] + [end()]
    page_path = report.render([write_records(tmp_path / "results.jsonl", records)])
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(page_path.as_uri())
        widths = page.evaluate("""() => [...document.querySelectorAll('table')].map(t =>
            [t.getBoundingClientRect().right, t.scrollWidth, t.clientWidth])""")
        page_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        browser.close()
    assert all(right <= 1401 for right, _, _ in widths), widths
    assert page_width[0] <= page_width[1], page_width
    assert any(scroll > 1400 for _, scroll, _ in widths), "no table was wider than the window"


def test_a_results_file_of_a_newer_schema_is_refused_naming_both_versions(tmp_path):
    from convt_suite.core.vocabulary import SCHEMA_VERSION

    newer = tmp_path / "results.jsonl"
    newer.write_text(json.dumps({"type": "run", "run": "r1", "schema_version": SCHEMA_VERSION + 1}) + "\n")
    with pytest.raises(results.NewerSchema, match=rf"schema_version={SCHEMA_VERSION + 1}: this convt-suite "
                                                  rf"reads schema_version={SCHEMA_VERSION} and older"):
        results.read([newer])
    from convt_suite.cli import main

    assert main(["report", str(newer), "--out", str(tmp_path / "out")]) == 4
    # a file from before schema_version (its run header has none) reads as it is
    older = tmp_path / "older.jsonl"
    older.write_text(json.dumps({"type": "run", "run": "r0"}) + "\n")
    assert results.read([older])[0]["run"] == "r0"


def test_a_3d_discrepancy_is_reported_with_its_rank(tmp_path):
    """A bug of the 3-D path alone, swept in 1-D and 3-D: the report counts the
    checks per rank, the capability matrix has the rank's column, and the
    discrepancy's pattern, checkerboard and heat map are those of a 3-D case."""
    from convt_suite.sweeps.phases import drawer, sweep
    from tests.planted_bugs import DepthKernelNotFlipped, OracleEveryRank

    path = tmp_path / "results.jsonl"
    writer = results.ResultsWriter(path, "ranks")
    writer.write({"type": "run", "environment": results.environment(), "hypothesis_profile": "test",
                  "adapters": ["planted:3d-depth-kernel-not-flipped", "oracle-every-rank"],
                  "selectors": {"planted:3d-depth-kernel-not-flipped": "tests.planted_bugs:DepthKernelNotFlipped"}})
    for adapter in (DepthKernelNotFlipped(), OracleEveryRank()):
        test = settings(max_examples=40, derandomize=True, database=None, deadline=None)(
            sweep("forward", adapter, "float64", lambda r: writer.write({"type": "check", **r}),
                  draw=drawer("forward", adapter, (1, 3))))
        try:
            test()
        except AssertionError:
            pass   # the planted bug fails, as it should
    writer.write({"type": "end", "seconds": 1.0, "exitstatus": 1})
    writer.close()
    html = report.render([path]).read_text()
    model = report.build(results.read([path]))
    assert model["ranks"] == ["1-D", "3-D"]
    assert model["by_rank"]["oracle-every-rank"]["1-D"]["passed"] > 0
    assert model["by_rank"]["planted:3d-depth-kernel-not-flipped"]["3-D"]["failed"] > 0
    planted_1d = model["by_rank"]["planted:3d-depth-kernel-not-flipped"]["1-D"]
    assert planted_1d["passed"] > 0 and not planted_1d["failed"]   # its 1-D path is right
    assert "3-D" in model["capabilities"]["columns"]
    (found,) = [d for d in model["discrepancies"] if d["adapter"] == "planted:3d-depth-kernel-not-flipped"]
    assert "3-D" in found["pattern"] and found["overlap"].describe().startswith("taps per plane")
    assert found["heatmap"].startswith("data:image/png;base64,")
    summary = html[html.index('<section id="summary">'):html.index('<section id="capabilities">')]
    assert "<th>1-D</th><th>3-D</th>" in summary and "tests.planted_bugs import DepthKernelNotFlipped" in html
