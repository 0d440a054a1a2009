"""`convt-suite matrix`: the sets are the noxfile's, each runs in turn with
its progress and wall time, a set that fails does not stop the others, and
the merge leads with the version grid. A stand-in noxfile (no environments,
nothing installed) writes each set's results."""

import importlib.util
import json

import pytest

from convt_suite import matrix

pytestmark = pytest.mark.skipif(importlib.util.find_spec("nox") is None,
                                reason="nox is not installed (extra 'matrix')")

NOXFILE = '''
import json, os
from pathlib import Path
import nox

SETS = {"pinned": "2.21.0", "old": "2.16.2", "broken": None}


@nox.session(venv_backend="none", tags=["matrix"])
@nox.parametrize("name", list(SETS), ids=list(SETS))
def matrix(session, name):
    if SETS[name] is None:
        session.error("this set does not resolve")
    out = Path(os.environ["CONVT_SUITE_MATRIX_OUT"]) / name
    out.mkdir(parents=True, exist_ok=True)
    records = [
        {"type": "run", "run": name, "version_set": name,
         "environment": {"versions": {"tensorflow-cpu": SETS[name], "keras": "3.15.1"}}},
        {"type": "finding", "id": "tensorflow-cpu-dilation", "reproduced": name == "pinned"},
    ]
    (out / "results.jsonl").write_text("".join(json.dumps(r) + "\\n" for r in records))


@nox.session(venv_backend="none")
def other(session):
    pass
'''


@pytest.mark.slow
def test_every_set_runs_in_turn_then_the_grid(tmp_path, capsys):
    (tmp_path / "noxfile.py").write_text(NOXFILE)
    assert matrix.sets(tmp_path) == ["pinned", "old", "broken"]
    out = tmp_path / "reports"
    assert matrix.run([], tmp_path, out, keep_envs=False) == 1      # "broken" failed
    printed = capsys.readouterr()
    assert "[1/3] pinned: done in" in printed.out and "[3/3] broken: FAILED (exit 1" in printed.out
    assert "sets whose run did not finish: broken" in printed.err
    timings = json.loads((out / "timings.json").read_text())
    assert set(timings) == {"pinned", "old", "broken"} and timings["broken"]["exit"] == 1
    assert "this set does not resolve" in (out / "broken" / "nox.log").read_text()
    html = (out / "index.html").read_text()
    assert 'id="version-grid"' in html
    grid = json.loads((out / "summary.json").read_text())["version_grid"]
    row = next(r for r in grid["rows"] if r["what"] == "known finding tensorflow-cpu-dilation")
    assert row["cells"] == {"pinned": "reproduces", "old": "absent"}
    assert row["changes"] == ["appears in tensorflow-cpu 2.21.0 (absent in 2.16.2; sets old → pinned)"]


def test_an_unknown_set_is_refused_naming_the_sets(tmp_path, capsys):
    (tmp_path / "noxfile.py").write_text(NOXFILE)
    assert matrix.run(["nope"], tmp_path, tmp_path / "reports", keep_envs=False) == 4
    assert "no set nope; the sets are: pinned, old, broken" in capsys.readouterr().err
