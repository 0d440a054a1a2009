"""Hypothesis's private API, in one place. The sweeps need four things that
hypothesis does not publish; each is wrapped here, with why, and
`check_supported()` (run at import) refuses a hypothesis that lacks one with
a message naming it, instead of an AttributeError deep in a sweep.
tests/test_hypothesis_compat.py removes each in turn and checks the message.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import hypothesis

# (module, attribute): what the wrappers below reach for
PRIVATE = (
    ("hypothesis.database", "choices_to_bytes"),
    ("hypothesis.configuration", "set_hypothesis_home_dir"),
    ("hypothesis.internal.conjecture.data", "ConjectureData.choices"),
)


class UnsupportedHypothesis(RuntimeError):
    """The installed hypothesis lacks a private name the sweeps use."""


def check_supported() -> None:
    for module_name, attribute in PRIVATE:
        try:
            found: object = importlib.import_module(module_name)
            for part in attribute.split("."):
                found = getattr(found, part)
        except (ImportError, AttributeError):
            raise UnsupportedHypothesis(
                f"hypothesis=={hypothesis.__version__}: must provide {module_name}.{attribute}, "
                f"which convt_suite/sweeps/hypothesis_compat.py uses; install the version "
                f"constraints.txt pins (pip install -c constraints.txt -e .)") from None


def add_digest(function, key: bytes) -> None:
    """Hash `key` into the function's database key and its derandomised
    random generator (how hypothesis tells apart tests of one source): the
    sweeps give one key to every adapter, so derandomised runs draw the same
    cases for each framework."""
    function._hypothesis_internal_add_digest = key


def use_seed(test, seed: int) -> None:
    """What @seed does, without the database=None that @seed adds (so that
    explored failures are saved); tests/test_discovery.py shows that a seed
    replays the same cases."""
    test._hypothesis_internal_use_seed = seed


def choices_to_bytes(choices) -> bytes:
    """A choice sequence as the example database stores it: the fixed cases are
    replayed from these bytes. The one private use outside this module is
    `data.conjecture_data.choices` in sweeps/phases.py's `collect`, whose
    source text hypothesis hashes into the derandomised seed of every fixed
    case: rewriting it would change the cases, so it stays as written."""
    from hypothesis.database import choices_to_bytes as encode

    return encode(choices)


def set_home(folder: Path) -> None:
    """Where hypothesis keeps its files (the constants it mines from source)."""
    from hypothesis.configuration import set_hypothesis_home_dir

    set_hypothesis_home_dir(folder)


def mine_no_local_constants() -> None:
    """Stop hypothesis drawing the constants it mines from local modules (the
    suite's own source): then a seed draws the same cases from two versions of
    the suite, which benchmarks/same_checks.py needs to compare them. Only
    that script asks for it; a hypothesis without the hook is refused by name."""
    try:
        from hypothesis.internal.conjecture import providers

        getattr(providers, "_get_local_constants")   # noqa: B009  (its absence is what is asked)
    except (ImportError, AttributeError):
        raise UnsupportedHypothesis(
            f"hypothesis=={hypothesis.__version__}: must provide hypothesis.internal.conjecture."
            f"providers._get_local_constants for mine_no_local_constants()") from None
    providers._get_local_constants = lambda: providers._local_constants


check_supported()
