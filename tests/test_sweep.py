"""Entry point: the check ships in the package (convt_suite/checks/test_sweep.py)."""

from convt_suite.checks.test_sweep import *  # noqa: F401,F403
