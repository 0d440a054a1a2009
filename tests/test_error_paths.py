"""Entry point: the check ships in the package (convt_suite/checks/test_error_paths.py)."""

from convt_suite.checks.test_error_paths import *  # noqa: F401,F403
