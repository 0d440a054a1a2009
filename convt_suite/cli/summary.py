"""`convt-suite summary`: the per-adapter summary of results files."""

from __future__ import annotations

import sys
from pathlib import Path

from convt_suite.core import results


def add(sub) -> None:
    show = sub.add_parser("summary", help="the per-adapter summary of results files")
    show.add_argument("files", nargs="+", type=Path)
    show.set_defaults(func=summary)


def summary(args) -> int:
    try:
        records = results.read(args.files)
    except results.NewerSchema as err:
        print(f"convt-suite summary: {err}", file=sys.stderr)
        return 4
    print(results.format_summary(results.summarize(records)))
    outside = results.format_failures_outside_checks(records)
    if outside:
        print("\n" + outside)
    return 0
