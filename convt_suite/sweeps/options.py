"""The options of a run of the checks, declared once and rendered twice: as
the plugin's pytest options and as `convt-suite run` and `hunt` arguments,
with the translation from the one to the other (the main job is a pytest
run), so the two cannot drift apart. tests/test_options.py checks each shared
option's help and its translation.

Where a name differs, the reason is pytest's: pytest-timeout owns
`--timeout`, hypothesis owns `--hypothesis-profile` (and declares it itself).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from convt_suite.adapters.spec import RANKS
from convt_suite.core import results
from convt_suite.runtime.workers import DEFAULT_TIMEOUT

PROFILES = ("dev", "ci", "thorough")
ALL_RANKS = ",".join(map(str, RANKS))


def parse_ranks(text: str) -> tuple[int, ...]:
    """"1,3" -> (1, 3): the ranks --ranks names, sorted, each once."""
    try:
        ranks = {int(part) for part in str(text).split(",") if part.strip()}
    except ValueError:
        ranks = set()
    if not ranks or not ranks <= set(RANKS):
        raise ValueError(f"ranks={text!r}: must be one or more of 1, 2, 3, comma-separated (e.g. 1,2,3)")
    return tuple(sorted(ranks))


def ranks_text(text: str) -> str:
    """--ranks as argparse reads it: checked, written back as "1,2,3"."""
    import argparse

    try:
        return ",".join(map(str, parse_ranks(text)))
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


@dataclass(frozen=True)
class Option:
    """One option: its name in pytest (`dest`, and the flag) and in the
    command (None: pytest only), how it parses, and what it means."""

    dest: str                          # config.getoption(dest) in pytest
    pytest_flag: str
    cli_flag: str | None               # None: pytest only
    help: str
    kwargs: dict[str, Any] = field(default_factory=dict)   # argparse's: type, action, default, metavar...
    cli_default: Any = None            # the command's default, where it is not pytest's
    declared_by_pytest_plugin: bool = True   # False: another plugin declares it (hypothesis)

    @property
    def cli_dest(self) -> str | None:
        return None if self.cli_flag is None else self.cli_flag.lstrip("-").replace("-", "_")

    def add_to_pytest(self, group) -> None:
        if self.declared_by_pytest_plugin:
            group.addoption(self.pytest_flag, dest=self.dest, help=self.help, **self.kwargs)

    def add_to_command(self, parser) -> None:
        assert self.cli_flag is not None, self.dest
        kwargs = dict(self.kwargs)
        if self.cli_default is not None:
            kwargs["default"] = self.cli_default
        parser.add_argument(self.cli_flag, dest=self.cli_dest, help=self.help, **kwargs)

    def translate(self, value) -> list[str]:
        """The pytest arguments for the command's value (none for the default of none)."""
        if value is None or value is False or value == []:
            return []
        if value is True:
            return [self.pytest_flag]
        if isinstance(value, list):
            return [part for item in value for part in (self.pytest_flag, str(item))]
        return [self.pytest_flag, str(value)]


def declared() -> tuple[Option, ...]:
    """Every option, the shared ones first (the registry is read when asked:
    the built-ins' names go into --adapter's help)."""
    from convt_suite.adapters import registry

    return (
        Option("adapter", "--adapter", "--adapter",
               f"adapter to check (repeatable): a built-in ({', '.join(registry.BUILTINS)}) or "
               f"package.module:attribute (default: every built-in, Keras on each of its backends)",
               dict(action="append", default=[], metavar="NAME|module:attr")),
        Option("hypothesis_profile", "--hypothesis-profile", "--profile",
               "hypothesis profile: dev, ci (derandomised: the same cases every run) or thorough "
               "(every dtype, every case)",
               dict(choices=PROFILES), cli_default="ci", declared_by_pytest_plugin=False),
        Option("explore", "--explore", "--explore",
               "after the profile's fixed cases, N fresh random cases per sweep (kind, adapter, "
               "dtype), steered toward the largest disagreements (default: %(default)s; 0: the "
               "fixed cases alone, as CI runs)",
               dict(type=int, default=0, metavar="N")),
        Option("ranks", "--ranks", "--ranks",
               "the spatial ranks the sweeps draw, comma-separated: 1 (NCW), 2 (NCHW), 3 (NCDHW) "
               "(default: %(default)s; 2: the 2-D sweeps alone)",
               dict(type=ranks_text, default=ALL_RANKS, metavar="R[,R...]")),
        Option("explore_seed", "--explore-seed", "--seed",
               "the exploration's seed (default: a new one, printed and recorded); the same seed "
               "explores the same cases",
               dict(type=int, default=None, metavar="SEED")),
        Option("examples_db", "--examples-db", "--examples-db",
               "the failing-example database, replayed first for every adapter until they pass "
               "(hypothesis's directory format; default: $CONVT_SUITE_EXAMPLES or "
               "~/.cache/convt-suite/examples; a folder: copy it to share it; off: none)",
               dict(default=None, metavar="PATH|off")),
        Option("results", "--results", "--results",
               "results file, one JSON line per record (default: %(default)s under the current "
               "folder); the report is written beside it",
               dict(default=str(results.DEFAULT_PATH), metavar="PATH")),
        # not --timeout in pytest: pytest-timeout owns that name, and two plugins cannot share it
        Option("adapter_timeout", "--adapter-timeout", "--timeout",
               "per call of an adapter: a worker that takes longer is killed, the check recorded "
               "as failure 'timeout' (default: %(default)g)",
               dict(type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS")),
        Option("in_process", "--in-process", "--in-process",
               "run adapters in this process, not in workers (for a debugger; a crash or hang "
               "then ends the run; one Keras backend per process)",
               dict(action="store_true")),
        # pytest only: the command sets them itself
        Option("group_adapters", "--group-adapters", None,
               "with -n: each adapter's checks in one xdist process (one worker per adapter, "
               "started once); other tests spread one by one",
               dict(action="store_true")),
        Option("run_id", "--run-id", None,
               "this run's id in the results file (default: a new one; convt-suite run passes "
               "its own)",
               dict(default=None, metavar="ID")),
        Option("explore_seconds", "--explore-seconds", None,
               "a hunt: keep exploring each sweep for S seconds, in rounds",
               dict(type=float, default=0.0, metavar="S")),
        Option("progress", "--progress", None,
               "live progress per adapter: checks done of planned, failures, time left (a "
               "display on a terminal, plain lines in a log; convt-suite run turns it on)",
               dict(choices=("on", "off"), default="off")),
    )


def shared() -> tuple[Option, ...]:
    """The options a command takes and passes on to pytest."""
    return tuple(option for option in declared() if option.cli_flag is not None)


def add_to_pytest(parser) -> None:
    group = parser.getgroup("convt-suite", "transposed-convolution equivalence")
    for option in declared():
        option.add_to_pytest(group)


def add_to_command(parser, leave: tuple[str, ...] = ()) -> None:
    """The shared options as the command's arguments, less those it `leave`s
    to itself (by dest: `hunt` sets its own exploration)."""
    for option in shared():
        if option.dest not in leave:
            option.add_to_command(parser)


def translate(values: dict) -> list[str]:
    """The pytest arguments for a command's parsed arguments (its shared
    options; one it left to itself may still be among them, set by default)."""
    return [part for option in shared() if option.cli_dest in values
            for part in option.translate(values[option.cli_dest])]
