"""`convt-suite report`: the report, summary.json and junit.xml from results files alone."""

from __future__ import annotations

import sys
from pathlib import Path


def add(sub) -> None:
    html = sub.add_parser("report", help="render index.html, summary.json and junit.xml "
                                         "from results files alone")
    html.add_argument("files", nargs="+", type=Path,
                      help="results files, or folders (every results.jsonl under them: "
                           "several version sets make a version grid)")
    html.add_argument("--out", type=Path, default=None,
                      help="folder to write into (default: the folder given, or beside the "
                           "first file)")
    html.add_argument("--record-versions", action="store_true",
                      help="with several version sets: write the version range each known "
                           "finding holds in, as the sets show it, into its file "
                           "(convt_suite/findings/known/<id>/finding.toml)")
    html.set_defaults(func=report)


def report(args) -> int:
    from convt_suite.core.results import NewerSchema
    from convt_suite.findings import model as known
    from convt_suite.reporting.report import render_with_grid
    from convt_suite.reporting.version_grid import recorded_ranges

    try:
        page, grid = render_with_grid(args.files, args.out)
    except (FileNotFoundError, NewerSchema) as err:
        print(f"convt-suite report: {err}", file=sys.stderr)
        return 4
    print(page)
    if args.record_versions:
        if grid is None:
            print("convt-suite report --record-versions: one version set is no evidence of a "
                  "range; give the results of several (a matrix folder)", file=sys.stderr)
            return 4
        ranges = recorded_ranges(grid, known.known())
        for finding_id, holds_in in sorted(ranges.items()):
            print(f"{finding_id}: holds_in {known.by_id()[finding_id].holds_in} -> {holds_in}")
            known.write_holds_in(finding_id, holds_in)
        print(f"{len(ranges)} findings' holds_in rewritten from {len(grid['columns'])} version sets"
              + (" (convt-suite findings --readme docs/reference/findings.md updates the table)" if ranges else ""))
    return 0
