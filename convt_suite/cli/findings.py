"""`convt-suite findings`: the known findings as a markdown table."""

from __future__ import annotations

from pathlib import Path


def add(sub) -> None:
    table = sub.add_parser("findings", help="the known findings (convt_suite/findings/known/) as a "
                                            "markdown table")
    table.add_argument("--readme", type=Path, default=None, metavar="PATH",
                       help="rewrite the table between the markers in this file instead")
    table.set_defaults(func=findings)


def findings(args) -> int:
    from convt_suite.findings import model as known

    if args.readme is None:
        print(known.markdown_table())
        return 0
    text = args.readme.read_text()
    updated = known.with_table(text)
    if updated != text:
        args.readme.write_text(updated)
    print(f"{args.readme}: findings table {'rewritten' if updated != text else 'up to date'} "
          f"({len(known.known())} findings)")
    return 0
