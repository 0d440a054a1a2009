"""`convt-suite pitfalls`: the naive mappings guides and converters state, measured."""

from __future__ import annotations

from convt_suite.cli import _only_and_json, _unknown
from convt_suite.sweeps.options import parse_ranks, ranks_text


def add(sub) -> None:
    naive = sub.add_parser("pitfalls", help="the naive mappings that guides and converters state, "
                                            "measured: where each holds, where and how it breaks")
    _only_and_json(naive, "ID", "these pitfalls only (default: all)",
                   "the measurements: counts per outcome and feature, and examples")
    naive.add_argument("--ranks", type=ranks_text, default="1,2,3", metavar="RANKS",
                       help="the spatial ranks to measure each rule in, e.g. 2 or 1,3 (default: 1,2,3)")
    naive.set_defaults(func=pitfalls)


def pitfalls(args) -> int:
    """The naive mappings measured over their grids (numpy and the oracle
    alone: no framework is imported; the main job also runs each example's
    calls in the frameworks)."""
    import json

    from convt_suite.studies import pitfalls as rules

    if _unknown("pitfalls", args.only, list(rules.BY_ID)):
        return 4
    measured = rules.measure_all(args.only, parse_ranks(args.ranks))
    print(json.dumps(measured, indent=2, default=str) if args.json else rules.render(measured))
    return 0
