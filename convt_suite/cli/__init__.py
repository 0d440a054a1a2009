"""The command line, one module per subcommand: each `add(subparsers)`
registers its parser and the function that runs it. `parser()` is the whole
command line (the documentation's CLI reference is generated from it)."""

from __future__ import annotations

import argparse
import os
import sys

DESCRIPTION = 'convt-suite: do PyTorch, TensorFlow, Keras and JAX compute the same transposed convolution?'
COMMANDS = """\
  convt-suite run               every check of every installed adapter (Keras on each
                                of its backends), each adapter in a worker process of
                                its own: failing examples saved earlier, the fixed
                                cases, then fresh random cases (--explore, --seed);
                                writes the results, prints a summary, renders the report
  convt-suite hunt --minutes N  only exploration, every adapter, for about N minutes
                                across the cores: what a maintainer runs overnight
  convt-suite report FILE...    re-render index.html, summary.json and junit.xml from
                                results files alone (several files merge: a version matrix)
  convt-suite summary FILE...   re-print the per-adapter summary of results files"""
EXIT_CODES = """\
Exit codes of `run` (as pytest's): 0 every check passed or is explained by a
known finding; 1 some check failed (values, shape, dtype, error, crash,
timeout); 2 interrupted (Ctrl-C or SIGTERM: what was recorded is kept and a
partial report, marked incomplete, is written); 4 usage error; 5 nothing ran.
"""
EPILOG = COMMANDS + "\n\n" + EXIT_CODES


class _Parser(argparse.ArgumentParser):
    def error(self, message):   # pytest's code for a usage error, not argparse's 2
        self.print_usage(sys.stderr)
        self.exit(4, f"{self.prog}: error: {message}\n")


def _only_and_json(command, metavar: str, only: str, json_help: str) -> None:
    """The measurement commands' options: --only NAME... and --json."""
    command.add_argument("--only", nargs="+", metavar=metavar, help=only)
    command.add_argument("--json", action="store_true", help=json_help)


def _unknown(command: str, only, known: list[str]) -> bool:
    """--only names outside `known`: said (usage error), True."""
    unknown = sorted(set(only or ()) - set(known))
    if unknown:
        print(f"convt-suite {command}: error: --only {', '.join(unknown)}: must be among "
              f"{', '.join(known)}", file=sys.stderr)
    return bool(unknown)


def parser() -> argparse.ArgumentParser:
    """The command line: every subcommand and option."""
    from convt_suite.cli import bilinear, findings, matrix, pitfalls, report, run, summary, translate

    parser = _Parser(prog="convt-suite", description=DESCRIPTION, epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for command in (run, report, summary, matrix, findings, translate, pitfalls, bilinear):
        command.add(sub)
    return parser


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "seed", "n/a") is None:
        args.seed = int.from_bytes(os.urandom(4), "big")
    return args.func(args)
