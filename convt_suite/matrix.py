"""`convt-suite matrix`: run the version matrix here, one set after another,
then merge the sets into one report that leads with the version grid.

The sets are noxfile.py's (its sessions tagged "matrix"); each runs in its
own environment made by nox (uv, under .nox-matrix/<set>), the main job's
fixed cases in it, results in reports/matrix/<set>/ (a set's old results are
removed before it runs). Environments are removed after their set unless
--keep-envs (they are rebuilt from uv's cache, which keeps every download, in
seconds); the wall time of each set is printed and kept in
reports/matrix/timings.json.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from convt_suite.host import env

SESSION = re.compile(r"^matrix\((.+)\)$")


def nox(*args: str, root: Path, **run) -> subprocess.CompletedProcess:
    run = run or {"text": True, "capture_output": True}
    return subprocess.run([sys.executable, "-m", "nox", "-f", str(root / "noxfile.py"), *args],
                          cwd=root, **run)


def sets(root: Path) -> list[str]:
    """The matrix's sets, as nox lists them (the noxfile is the one source)."""
    listed = nox("-l", "--json", "-t", "matrix", root=root)
    if listed.returncode != 0:
        raise SystemExit(f"nox could not list the matrix:\n{listed.stderr[-2000:]}")
    return [found.group(1) for s in json.loads(listed.stdout)
            if (found := SESSION.match(s["session"]))]


def run(selected: list[str], root: Path, out: Path, keep_envs: bool) -> int:
    known = sets(root)
    unknown = [name for name in selected if name not in known]
    if unknown:
        print(f"convt-suite matrix: no set {', '.join(unknown)}; the sets are: {', '.join(known)}",
              file=sys.stderr)
        return 4
    chosen = selected or known
    out.mkdir(parents=True, exist_ok=True)
    timings_path = out / "timings.json"
    timings = json.loads(timings_path.read_text()) if timings_path.exists() else {}
    started = time.monotonic()
    failed = []
    for number, name in enumerate(chosen, 1):
        print(f"[{number}/{len(chosen)}] {name}: installing and running ...", flush=True)
        began = time.monotonic()
        folder = out / name
        shutil.rmtree(folder, ignore_errors=True)   # a set that fails now keeps no old results
        folder.mkdir(parents=True)
        envs = root / ".nox-matrix" / name          # this set's environments, and only them
        with (folder / "nox.log").open("w") as log:
            code = nox("--envdir", str(envs), "-s", f"matrix({name})", root=root, stdout=log,
                       stderr=subprocess.STDOUT,
                       env={**os.environ, env.MATRIX_OUT.name: str(out.resolve())}).returncode
        seconds = time.monotonic() - began
        timings[name] = {"seconds": round(seconds, 1), "exit": code}
        timings_path.write_text(json.dumps(timings, indent=2))
        verdict = "done" if code == 0 else f"FAILED (exit {code}; see {folder / 'nox.log'})"
        print(f"[{number}/{len(chosen)}] {name}: {verdict} in {seconds:.0f} s", flush=True)
        if code != 0:
            failed.append(name)
        if not keep_envs:
            shutil.rmtree(envs, ignore_errors=True)
    total = time.monotonic() - started
    print(f"{len(chosen)} sets in {total / 60:.1f} min; merging ...", flush=True)
    from convt_suite.reporting.report import render

    if failed:
        print(f"sets whose run did not finish: {', '.join(failed)}", file=sys.stderr)
    if not list(out.glob("*/results.jsonl")):
        print("no set wrote results: nothing to merge", file=sys.stderr)
        return 1
    page = render([out], out)
    print(f"version grid: {page}")
    return 1 if failed else 0
