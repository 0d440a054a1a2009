"""Entry point: the check ships in the package (convt_suite/checks/test_known_findings.py)."""

from convt_suite.checks.test_known_findings import *  # noqa: F401,F403
