"""The version grid: results of several version sets merged into behaviours
against sets, each change attributed to the one framework that differs."""

import json

from convt_suite.adapters.spec import Spec
from convt_suite.core.cases import Case
from convt_suite.reporting import report, version_grid

CASE = Case(Spec(1, 1, (2, 2), (2, 2), bias=False), (1, 1, 2, 2), 5).to_dict()
PINNED = {"torch": "2.13.0", "tensorflow-cpu": "2.21.0", "jax": "0.10.2", "jaxlib": "0.10.2",
          "keras": "3.15.1"}


def header(name, **versions):
    return {"type": "run", "run": name, "version_set": name,
            "environment": {"versions": PINNED | versions}, "adapters": ["tensorflow", "torch"],
            "selectors": {"tensorflow": "tensorflow", "torch": "torch"}}


def check(adapter, outcome="passed", kind="forward", dtype="float32", **fields):
    return {"type": "check", "adapter": adapter, "kind": kind, "dtype": dtype, "outcome": outcome,
            "case": CASE, "describe": "a case", "test": f"{adapter}-{kind}", **fields}


def a_set(name, tf_fails=False, finding=True, returns=False, keras_fails=False, **versions):
    records = [header(name, **versions),
               check("torch"),
               check("keras[tensorflow]", "failed", failure="shape", error="one short")
               if keras_fails else check("keras[tensorflow]"),
               check("tensorflow", "failed", failure="values", error="off by one",
                     max_error_over_bound=4.0) if tf_fails else check("tensorflow"),
               {"type": "finding", "id": "some-finding", "reproduced": finding},
               {"type": "error_path", "framework": "tensorflow", "scenario": "kernel size 0",
                "rule": "k >= 1", "spec": "raises",
                "outcome": "returned" if returns else "raised", "shape": [1, 1, 0, 0]}]
    return records


def sets():
    return {
        "pinned": a_set("pinned"),
        "tensorflow-2.12": a_set("tensorflow-2.12", tf_fails=True, finding=False, returns=True,
                                 **{"tensorflow-cpu": "2.12.1"}),
        "tensorflow-2.16": a_set("tensorflow-2.16", tf_fails=True, **{"tensorflow-cpu": "2.16.2"}),
        "keras-3.0": a_set("keras-3.0", tf_fails=True, keras_fails=True, keras="3.0.5",
                           **{"tensorflow-cpu": "2.16.2"}),
        "newest": a_set("newest", finding=False, **{"tensorflow-cpu": "2.22.0"}),
    }


def row(grid, what):
    return next(r for r in grid["rows"] if r["what"].startswith(what))


def test_cells_say_reproduces_absent_or_not_run():
    grid = version_grid.build(sets())
    assert [c["set"] for c in grid["columns"]][0] == "pinned"
    assert [c["set"] for c in grid["columns"]][-1] == "newest"
    values = row(grid, "tensorflow forward: fails")
    assert values["cells"] == {"pinned": "absent", "tensorflow-2.12": "reproduces",
                               "tensorflow-2.16": "reproduces", "keras-3.0": "reproduces",
                               "newest": "absent"}
    records = sets()
    records["newest"] = [r for r in records["newest"] if r.get("adapter") != "tensorflow"]
    assert row(version_grid.build(records), "tensorflow forward: fails")["cells"]["newest"] == "not run"


def test_a_change_is_attributed_to_the_one_framework_that_differs():
    grid = version_grid.build(sets())
    values = row(grid, "tensorflow forward: fails")
    # 2.12.1 -> 2.16.2 -> 2.21.0 -> 2.22.0 along the sets varying TensorFlow alone
    # the tensorflow adapter's results depend on TensorFlow alone: every set is on its chain
    assert values["changes"] == [
        "disappears in tensorflow-cpu 2.21.0 (seen in 2.16.2; sets tensorflow-2.16 → pinned)"]
    # keras[tensorflow]'s on Keras and TensorFlow: keras-3.0 and tensorflow-2.16 differ in Keras alone
    keras = row(grid, "keras[tensorflow] forward: fails")
    assert keras["changes"] == [
        "disappears in keras 3.15.1 (seen in 3.0.5; sets keras-3.0 → tensorflow-2.16)"]
    # two sets with the same TensorFlow that disagree: not attributed to it
    records = sets()
    records["keras-3.0"] = a_set("keras-3.0", keras="3.0.5", **{"tensorflow-cpu": "2.16.2"})
    assert row(version_grid.build(records), "tensorflow forward: fails")["changes"][0].startswith(
        "differs between sets keras-3.0 and tensorflow-2.16, which share tensorflow-cpu 2.16.2")
    returns = row(grid, "tensorflow: kernel size 0: returned")
    assert returns["changes"] == ["disappears in tensorflow-cpu 2.16.2 (seen in 2.12.1; sets "
                                  "tensorflow-2.12 → keras-3.0)"]   # the first 2.16.2 by name


def test_sets_run_on_different_cpus_are_not_compared():
    """oneDNN picks kernels by the CPU: a change between two sets that also
    differ in the machine's oneDNN level is not a framework's."""
    records = sets()
    for name, isa in [("pinned", "avx512_core_amx"), ("tensorflow-2.16", "avx512_core_bf16")]:
        records[name][0]["environment"]["onednn_isa"] = isa
    grid = version_grid.build(records)
    assert not any(c.startswith("disappears in tensorflow-cpu 2.21.0")
                   for c in row(grid, "tensorflow forward: fails")["changes"])
    assert grid["columns"][0]["versions"]["cpu"] == "oneDNN at avx512_core_amx"


def test_a_finding_reproduces_where_its_snippet_does_and_counts_what_it_explained():
    records = sets()
    explained = check("tensorflow", "known", finding="some-finding")
    records["tensorflow-2.12"] = records["tensorflow-2.12"] + [explained]    # snippet: absent
    records["pinned"] = records["pinned"] + [explained, explained]
    finding = row(version_grid.build(records), "known finding some-finding")
    assert finding["cells"]["tensorflow-2.12"] == "absent"
    assert finding["counts"]["tensorflow-2.12"] == 1 and finding["counts"]["pinned"] == 2


def test_the_newest_set_is_flagged_where_it_differs_from_the_pinned_set():
    grid = version_grid.build(sets())
    assert [r["what"] for r in grid["newest_differs"]] == ["known finding some-finding"]
    assert row(grid, "known finding some-finding")["changes"] == [
        # an unknown finding may depend on every framework: keras-3.0 is off this chain
        "appears in tensorflow-cpu 2.16.2 (absent in 2.12.1; sets tensorflow-2.12 → tensorflow-2.16)",
        "disappears in tensorflow-cpu 2.22.0 (seen in 2.21.0; sets pinned → newest)"]


def test_the_report_of_a_matrix_folder_leads_with_the_grid(tmp_path):
    for name, records in sets().items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    page = report.render([tmp_path])
    assert page == tmp_path / "index.html"
    html = page.read_text()
    assert html.index('id="version-grid"') < html.index('id="exploration"')
    assert "The newest set differs from the pinned set in 1 behaviours" in html
    assert "tensorflow_cpu" not in html and "off by one" in html     # the minimal example's error
    summary = json.loads((tmp_path / "summary.json").read_text())["version_grid"]
    assert [c["set"] for c in summary["columns"]] == [
        "pinned", "keras-3.0", "tensorflow-2.12", "tensorflow-2.16", "newest"]
    assert version_grid._ordered(["keras-3.10", "newest", "keras-3.3", "pinned"]) == [
        "pinned", "keras-3.3", "keras-3.10", "newest"]
    assert summary["newest_differs"] == ["known finding some-finding"]


def test_one_set_has_no_grid(tmp_path):
    (tmp_path / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in a_set("pinned")))
    html = report.render([tmp_path / "results.jsonl"]).read_text()
    assert 'id="version-grid"' not in html
    assert json.loads((tmp_path / "summary.json").read_text())["version_grid"] is None


def test_the_range_a_finding_holds_in_comes_from_the_sets(tmp_path):
    from convt_suite.findings import model as findings

    grid = version_grid.build(sets())
    cells = row(grid, "known finding some-finding")["cells"]
    assert version_grid.observed_range(cells, grid["framework_versions"], "tensorflow") == \
        ">=2.16.2,<2.22.0"
    # one torch version ran: no evidence of a range
    assert version_grid.observed_range(cells, grid["framework_versions"], "torch") is None
    # another set on the pinned version that disagrees: no range either
    versions = {**grid["framework_versions"], "pinned-again": grid["framework_versions"]["pinned"]}
    assert version_grid.observed_range({**cells, "pinned-again": "absent"}, versions,
                                       "tensorflow") is None
    assert version_grid.observed_range({**cells, "pinned": "absent"}, grid["framework_versions"],
                                       "tensorflow") is None
    # written into the finding's file, which still loads
    source = findings.FOLDER / "tensorflow-bfloat16-nan-spreads" / findings.TOML
    (tmp_path / "some-finding").mkdir()
    (tmp_path / "some-finding" / findings.TOML).write_text(
        source.read_text().replace('"tensorflow-bfloat16-nan-spreads"', '"some-finding"'))
    (tmp_path / "some-finding" / findings.SNIPPET_FILE).write_text('print("REPRODUCED: yes")\n')
    finding = findings.load(tmp_path / "some-finding")
    ranges = version_grid.recorded_ranges(grid, [finding])
    assert ranges == {"some-finding": {"tensorflow-cpu": ">=2.16.2,<2.22.0"}}
    findings.write_holds_in("some-finding", ranges["some-finding"], folder=tmp_path)
    again = findings.load(tmp_path / "some-finding")
    assert again.holds_in == {"tensorflow-cpu": ">=2.16.2,<2.22.0"}
    assert again.onednn_isa == ("avx512_core_bf16", "avx512_core_fp16")   # kept as written
    assert again.expected_here({"tensorflow-cpu": "2.21.0"}, "avx512_core_bf16", True) and not \
        again.expected_here({"tensorflow-cpu": "2.12.1"}, "avx512_core_bf16", True)


def test_an_adapter_that_cannot_load_is_a_row_and_a_capability(tmp_path):
    records = sets()
    reason = "ImportError: cannot import name 'export' from 'jax'"
    records["jax-0.4.20"] = a_set("jax-0.4.20", jax="0.4.20", jaxlib="0.4.20") + [
        {"type": "unavailable", "adapter": "keras[jax]", "reason": f"keras[jax] unavailable: {reason}"
         " (/an/environment/jax/__init__.py) (installed: keras 3.15.1, jax 0.4.20, jaxlib 0.4.20)"}]
    records["pinned"] = records["pinned"] + [{"type": "worker", "adapter": "keras[jax]"}]
    grid = version_grid.build(records)
    unavailable = row(grid, "keras[jax] unavailable")
    assert unavailable["what"] == f"keras[jax] unavailable: {reason}"   # versions aside
    assert unavailable["cells"]["jax-0.4.20"] == "reproduces"
    assert unavailable["cells"]["pinned"] == "absent"            # it loaded there
    assert unavailable["cells"]["tensorflow-2.12"] == "not run"  # not tried
    # rows that differ between sets come first
    differs = [len(set(r["cells"].values()) - {"not run"}) > 1 for r in grid["rows"]]
    assert differs == sorted(differs, reverse=True) and differs[grid["rows"].index(unavailable)]
    (tmp_path / "results.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in records["jax-0.4.20"]))
    html = report.render([tmp_path / "results.jsonl"]).read_text()
    capabilities = html[html.index('id="capabilities"'):html.index('id="discrepancies"')]
    assert "<th>keras[jax]</th>" in capabilities and "unavailable<sup>" in capabilities
    assert "installed: keras 3.15.1, jax 0.4.20" in capabilities


def test_report_refuses_an_empty_folder_and_a_range_from_one_set(tmp_path, capsys):
    from convt_suite.cli import main

    assert main(["report", str(tmp_path)]) == 4
    assert "no results.jsonl under" in capsys.readouterr().err
    (tmp_path / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in a_set("pinned")))
    assert main(["report", str(tmp_path), "--record-versions"]) == 4
    assert "one version set is no evidence of a range" in capsys.readouterr().err


def test_a_snippet_that_cannot_import_is_not_run_there_and_a_missing_adapter_declines_nothing():
    from convt_suite.findings.model import Verdict, read_verdict

    output = 'Traceback ...\n    from jax import export\nImportError: cannot import name \'export\' from \'jax\''
    assert read_verdict(1, output)[0] is Verdict.COULD_NOT_RUN
    assert read_verdict(3, "NOT REPRODUCED: the output is right")[0] is Verdict.NOT_REPRODUCED
    records = sets()
    records["jax-0.4.20"] = [
        header("jax-0.4.20", jax="0.4.20", jaxlib="0.4.20"),
        {"type": "finding", "id": "some-finding", "reproduced": False, "could_not_run": True},
        {"type": "worker", "adapter": "tensorflow"},          # tried, but no check ran
        {"type": "unavailable", "adapter": "tensorflow", "reason": "tensorflow unavailable: x"}]
    records["pinned"].append(check("tensorflow", "skipped", reason="no dilation"))
    grid = version_grid.build(records)
    assert row(grid, "known finding some-finding")["cells"]["jax-0.4.20"] == "not run"
    assert row(grid, "tensorflow declines: no dilation")["cells"]["jax-0.4.20"] == "not run"
    assert row(grid, "tensorflow unavailable: x")["cells"]["jax-0.4.20"] == "reproduces"


def test_how_an_adapter_had_to_compose_is_a_row_across_versions():
    refused = "composed: keras {} refuses output_padding 0 (Keras >= 3.12 takes it)"
    records = sets()
    records["keras-3.0"].append(check("keras[tensorflow]", plan=refused.format("3.0.5")))
    records["tensorflow-2.16"].append(check("keras[tensorflow]", plan="native"))
    composed = row(version_grid.build(records), "keras[tensorflow] composed: keras <version> refuses")
    assert composed["cells"]["keras-3.0"] == "reproduces"
    assert composed["cells"]["tensorflow-2.16"] == "absent"
    assert composed["changes"] == [
        "disappears in keras 3.15.1 (seen in 3.0.5; sets keras-3.0 → tensorflow-2.16)"]


def test_a_range_that_would_break_its_file_is_not_written(tmp_path):
    import pytest

    from convt_suite.findings import model as findings

    source = findings.FOLDER / "tensorflow-bfloat16-nan-spreads" / findings.TOML
    (tmp_path / "some-finding").mkdir()
    path = tmp_path / "some-finding" / findings.TOML
    path.write_text(source.read_text().replace('"tensorflow-bfloat16-nan-spreads"', '"some-finding"'))
    (tmp_path / "some-finding" / findings.SNIPPET_FILE).write_text('print("REPRODUCED: yes")\n')
    before = path.read_text()
    with pytest.raises(ValueError, match="not a PEP 440 specifier"):
        findings.write_holds_in("some-finding", {"torch": ">=2.13.0+cpu"}, folder=tmp_path)
    assert path.read_text() == before
    # the grid writes public versions: 2.13.0 for 2.13.0+cpu
    grid = version_grid.build({
        "pinned": a_set("pinned", torch="2.13.0+cpu"),
        "torch-2.5": a_set("torch-2.5", finding=False, torch="2.5.1")})
    cells = row(grid, "known finding some-finding")["cells"]
    assert version_grid.observed_range(cells, grid["framework_versions"], "torch") == ">=2.13.0"
