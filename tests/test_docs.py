"""The documentation: a site that builds with `mkdocs build --strict` (broken
links, unknown generated parts and pages left out of the navigation fail it),
reference parts generated from the code, and a README that stays short and
points at pages that exist."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def build(config: Path, out: Path) -> subprocess.CompletedProcess:
    mkdocs = Path(sys.executable).parent / "mkdocs"
    if not mkdocs.exists():
        pytest.fail("mkdocs is missing: install the docs extra (pip install -e '.[docs]')")
    return subprocess.run([str(mkdocs), "build", "--strict", "-f", str(config), "-d", str(out)],
                          cwd=config.parent, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


@pytest.mark.slow
def test_the_site_builds_strictly_with_its_generated_reference(tmp_path):
    done = build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert done.returncode == 0, done.stdout + done.stderr
    cli = (tmp_path / "site" / "reference" / "cli" / "index.html").read_text()
    assert "usage: convt-suite translate" in cli and "--explore" in cli
    variables = (tmp_path / "site" / "reference" / "environment" / "index.html").read_text()
    from convt_suite.host import env

    assert all(v.name in variables for v in env.VARIABLES)


@pytest.mark.slow
def test_a_broken_link_fails_the_build(tmp_path):
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    (tmp_path / "docs" / "hooks.py").unlink()   # a copy that needs no package: the hooks go too
    config = (tmp_path / "mkdocs.yml").read_text().replace("hooks:\n  - docs/hooks.py\n", "")
    (tmp_path / "mkdocs.yml").write_text(config)
    for page in (tmp_path / "docs").rglob("*.md"):
        page.write_text(re.sub(r"^<!-- generated: .* -->$", "", page.read_text(), flags=re.M))
    assert build(tmp_path / "mkdocs.yml", tmp_path / "site").returncode == 0
    index = tmp_path / "docs" / "index.md"
    index.write_text(index.read_text() + "\nSee [a page that is not there](how-to/missing.md).\n")
    done = build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert done.returncode != 0 and "missing.md" in done.stdout + done.stderr, done.stdout + done.stderr


def test_the_readme_is_short_and_links_to_pages_that_exist():
    text = README.read_text()
    assert len(text.splitlines()) <= 200, "the README is the front page: the rest belongs in docs/"
    links = re.findall(r"\]\((docs/[^)#]+)", text)
    assert len(links) > 10
    missing = [link for link in links if not (ROOT / link).exists()]
    assert missing == []
    nav = (ROOT / "mkdocs.yml").read_text()
    pages = {str(p.relative_to(ROOT / "docs")) for p in (ROOT / "docs").rglob("*.md")}
    assert {page for page in pages if page not in nav} == set(), "a page outside the navigation"
