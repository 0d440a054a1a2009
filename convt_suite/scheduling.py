"""One adapter, one process: an xdist scheduler that hands out each adapter's
checks as one unit of work, so its worker is started once and reused.

pytest-xdist's own `--dist loadgroup` cannot do it on pytest 9.2: it marks a
group by appending "@group" to the test id, which pytest 9.2's structured
ids ignore (pytest-dev/pytest-xdist#1386), so the tests silently spread one
by one. Here the group is read from the test id itself: the adapter is one
of the parametrize ids in its brackets. Tests without an adapter (error
paths, known findings) are each a unit of their own.
"""

from __future__ import annotations


def adapter_in(nodeid: str, names) -> str | None:
    """The adapter a test id names, e.g. "...::test_x[keras[jax]-float32]"
    -> "keras[jax]" (the longest matching name: "torch[nn]", not "torch");
    None for a test that takes no adapter."""
    from .checks import ADAPTER_TESTS, test_name

    if test_name(nodeid) not in ADAPTER_TESTS:
        return None
    params = nodeid[nodeid.index("[") + 1: nodeid.rindex("]")]
    found = [name for name in names
             if params == name or params.startswith(name + "-") or params.endswith("-" + name)
             or f"-{name}-" in params]
    return max(found, key=len, default=None)


def scheduler(config, log, names):
    from xdist.scheduler import LoadScopeScheduling

    class AdapterScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            adapter = adapter_in(nodeid, names)
            return f"adapter {adapter}" if adapter else nodeid

    return AdapterScheduling(config, log)
