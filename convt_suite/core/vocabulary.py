"""The suite's vocabularies, defined once: the kinds of check, the ways a
check fails, a check's outcomes and the types of results records. They are
string enums whose values are the strings results files have always held, so
files stay readable and a member equals its string (`Kind.NATIVE_VJP ==
"native vjp"`). `SCHEMA_VERSION` is the results files' record layout: the run
header records it, and a reader refuses a file of a newer one by name
(core/results.py)."""

from __future__ import annotations

from enum import StrEnum

# 1: the first versioned layout (files without schema_version are 0, the same records);
# 2: a check's plan is a record of facts (core/records.py PlanRecord), no longer its words alone
SCHEMA_VERSION = 2


class Kind(StrEnum):
    """What a check compares with the oracle."""

    FORWARD = "forward"
    VJP = "vjp"
    SPECIAL = "special"
    DETERMINISM = "determinism"
    NATIVE = "native"
    NATIVE_VJP = "native vjp"
    DECLARED_SHAPE = "declared shape"
    IN_MODEL = "in model"
    ROUND_TRIP = "round trip"


# the kinds that draw native cases (a framework's own parameters), and the
# canonical kind each native kind checks
NATIVE_KINDS = (Kind.NATIVE, Kind.NATIVE_VJP, Kind.DECLARED_SHAPE, Kind.IN_MODEL, Kind.ROUND_TRIP)
BASE_KIND = {Kind.NATIVE: Kind.FORWARD, Kind.NATIVE_VJP: Kind.VJP, Kind.IN_MODEL: Kind.FORWARD,
             Kind.ROUND_TRIP: Kind.FORWARD}


class Failure(StrEnum):
    """How a failed (or known) check failed."""

    ERROR = "error"
    SHAPE = "shape"
    DTYPE = "dtype"
    VALUES = "values"
    CRASH = "crash"
    TIMEOUT = "timeout"
    ACCEPTS_INVALID = "accepts-invalid"
    NONDETERMINISTIC = "nondeterministic"
    DECLARED_SHAPE = "declared-shape"


class Outcome(StrEnum):
    """A check's verdict."""

    PASSED = "passed"
    FAILED = "failed"
    KNOWN = "known"        # failed, and explained by a known finding
    SKIPPED = "skipped"    # declined or unsupported, with the reason


class Upstream(StrEnum):
    """Where a known finding stands upstream (its finding.toml's [upstream])."""

    REPORTED = "reported"              # an upstream issue or pull request names it (open, or fixed later)
    FIXED = "fixed"                    # fixed in a release the version matrix shows (fixed_in)
    NOT_REPORTED = "not reported"      # no report found (searched: the searches tried)
    SPECIFIED = "specified"            # documented or specified behaviour (links: the citation)
    SUITE_LIMITATION = "suite limitation"   # the suite's own adapter, not the framework's result


# the statuses of a framework's bug; the others are listed apart from the bugs
BUGS = (Upstream.REPORTED, Upstream.FIXED, Upstream.NOT_REPORTED)


class RecordType(StrEnum):
    """The `type` of a line of a results file (docs/reference/results.md)."""

    RUN = "run"
    WORKER = "worker"
    CHECK = "check"
    TEST = "test"
    TEST_FAILURE = "test-failure"
    UNAVAILABLE = "unavailable"
    PRECISION = "precision"
    ERROR_PATH = "error_path"
    FINDING = "finding"
    PITFALL = "pitfall"
    BILINEAR = "bilinear"
    END = "end"
