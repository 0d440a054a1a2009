"""Hypothesis profiles. `dev` is the default at a desk, `ci` whenever the CI
environment variable is set (derandomised: the same examples every run), and
`thorough` for a long look. Pick one with --hypothesis-profile NAME.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, settings

from convt_suite.host import env

# frameworks compile or warm up on a first call; timing per example is not a property
_common: dict[str, Any] = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

settings.register_profile("dev", max_examples=30, **_common)
# 25 per test: every adapter still gets some 350 derandomised checks a run (4
# dtypes × forward, vjp, special values, plus determinism and edge shapes), and
# the compiling adapters set the pace (docs, performance). `thorough` is the deep look.
settings.register_profile("ci", max_examples=25, derandomize=True, database=None,
                          print_blob=True, **_common)
settings.register_profile("thorough", max_examples=1000, **_common)


def default_profile() -> str:
    return "ci" if env.CI.get() else "dev"
