"""The run's options are declared once (convt_suite/sweeps/options.py)
and rendered for pytest and for `convt-suite run`/`hunt`: each shared option
says the same in both, and what the command is given reaches pytest."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from _pytest.config.argparsing import Parser

from convt_suite.cli import parser as command_parser
from convt_suite.cli.run import pytest_args
from convt_suite.sweeps import options


def pytest_parser() -> Parser:
    """pytest's parser (its class is private: _ispytest says we know) with the
    plugin's options, and hypothesis's profile option."""
    parser = Parser(_ispytest=True)
    options.add_to_pytest(parser)
    parser.addoption("--hypothesis-profile", dest="hypothesis_profile")
    return parser


def subcommand(name: str) -> argparse.ArgumentParser:
    top = command_parser()
    chosen = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    return chosen.choices[name]


def test_every_shared_option_says_the_same_in_pytest_and_in_the_command():
    group = pytest_parser().getgroup("convt-suite")
    in_pytest = {argument.dest: argument.attrs()["help"] for argument in group.options}
    in_command = {action.dest: action.help for action in subcommand("run")._actions}
    for option in options.shared():
        if option.declared_by_pytest_plugin:
            assert in_pytest[option.dest] == option.help
        assert in_command[option.cli_dest] == option.help


# a value other than the default for each shared option of `convt-suite run`
GIVEN = ["--adapter", "torch", "--adapter", "jax", "--profile", "thorough", "--explore", "3",
         "--seed", "7", "--examples-db", "off", "--results", "elsewhere.jsonl", "--timeout", "9",
         "--in-process", "--ranks", "3,1"]


@pytest.mark.parametrize("command", ["run", "hunt"])
def test_what_the_command_is_given_reaches_pytest(command):
    extra = ["--minutes", "1"] if command == "hunt" else []
    given = [a for a in GIVEN if command == "run" or a not in ("--explore", "3")]
    args = command_parser().parse_args([command, *given, *extra])
    results_path = Path("/somewhere/elsewhere.jsonl")
    argv = pytest_args(args, results_path, "run-id")
    parsed = pytest_parser().parse_known_args(argv)
    for option in options.shared():
        expected = getattr(args, option.cli_dest)
        if option.dest == "results":
            expected = str(results_path)   # resolved where the command was started
        assert getattr(parsed, option.dest) == expected, option.dest
    assert parsed.explore == (3 if command == "run" else 0)


def test_an_option_the_translation_drops_is_noticed(monkeypatch):
    """The check above can fail: a translation that loses --seed is caught."""
    real = options.Option.translate
    monkeypatch.setattr(options.Option, "translate",
                        lambda self, value: [] if self.dest == "explore_seed" else real(self, value))
    args = command_parser().parse_args(["run", *GIVEN])
    parsed = pytest_parser().parse_known_args(pytest_args(args, Path("/r.jsonl"), "id"))
    assert parsed.explore_seed != args.seed


@pytest.mark.parametrize("given, ranks", [("1,2,3", (1, 2, 3)), ("3,1", (1, 3)), ("2", (2,)), (" 2 , 2", (2,))])
def test_ranks_are_read_sorted_and_once(given, ranks):
    assert options.parse_ranks(given) == ranks
    assert command_parser().parse_args(["run", "--ranks", given]).ranks == ",".join(map(str, ranks))


@pytest.mark.parametrize("given", ["4", "", "1,x", "0,2"])
def test_a_rank_outside_1_to_3_is_refused_naming_the_rule(given, capsys):
    with pytest.raises(SystemExit):
        command_parser().parse_args(["run", "--ranks", given])
    assert f"ranks={given!r}: must be one or more of 1, 2, 3" in capsys.readouterr().err
