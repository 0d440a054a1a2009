"""Where the suite keeps things between runs: under the user's cache folder
(XDG_CACHE_HOME or ~/.cache), never inside a repository."""

from __future__ import annotations

import os
from pathlib import Path

EXAMPLES_VARIABLE = "CONVT_SUITE_EXAMPLES"


def user_cache(name: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "convt-suite" / name


def examples_database(choice: str | None = None) -> Path | None:
    """The example database folder: --examples-db PATH, else
    $CONVT_SUITE_EXAMPLES, else the user cache; "off" for none."""
    choice = choice or os.environ.get(EXAMPLES_VARIABLE) or str(user_cache("examples"))
    return None if choice == "off" else Path(choice).expanduser().resolve()
