"""`convt-suite findings`: the known findings as Markdown tables, and
`convt-suite findings report ID`: one of them as an issue ready to file
upstream."""

from __future__ import annotations

import sys
from pathlib import Path


def add(sub) -> None:
    table = sub.add_parser("findings", help="the known findings (convt_suite/findings/known/) as "
                                            "markdown tables; `findings report ID`: one as an upstream issue")
    table.add_argument("--readme", type=Path, default=None, metavar="PATH",
                       help="rewrite the table between the markers in this file instead")
    table.set_defaults(func=findings)
    actions = table.add_subparsers(dest="action", metavar="report")
    report = actions.add_parser("report", help="print the finding as an issue ready to file upstream, in "
                                               "Markdown: its reproducer run here, the controls, the "
                                               "environment, the versions, the oneDNN primitive, the links")
    report.add_argument("id", help="a known finding's id (`convt-suite findings` lists them)")
    report.add_argument("--out", type=Path, default=None, metavar="PATH",
                        help="write it to this file instead of printing it")
    report.add_argument("--timeout", type=float, default=300, metavar="SECONDS",
                        help="for the reproducer's run (default: 300)")
    report.set_defaults(func=upstream_report)


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


def upstream_report(args) -> int:
    """Exit 0 where the reproducer reproduced here, 1 where it did not (the
    report still says what it printed), 2 for an unknown id."""
    from convt_suite.findings import model as known
    from convt_suite.findings import upstream_report as report

    finding = known.by_id().get(args.id)
    if finding is None:
        print(f"id={args.id!r}: must be a known finding's id (convt-suite findings lists them)", file=sys.stderr)
        return 2
    evidence = report.measure(finding, args.timeout)
    text = report.render(finding, evidence)
    if args.out is None:
        print(text)
    else:
        args.out.write_text(text)
        print(f"{args.out}: {finding.id} ({evidence.verdict} here)")
    return 0 if report.reproduced(evidence) else 1
