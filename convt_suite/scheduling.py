"""One adapter, one process: an xdist scheduler that hands out each adapter's
checks as one unit of work, so its worker is started once and reused.

pytest-xdist's own `--dist loadgroup` cannot do it on pytest 9.2: it marks a
group by appending "@group" to the test id, which pytest 9.2's structured
ids ignore (pytest-dev/pytest-xdist#1386), so the tests silently spread one
by one. Here the group is read from the test id itself: the adapter is one
of the parametrize ids in its brackets. The known findings are grouped by
the zygote their snippets fork from (preloaded.py: the frameworks a snippet
imports first, and the environment it sets), so each zygote is started in
one process, not in each: spread one by one, a cold main job started most
of the fifteen in both. Other tests without an adapter (error paths) are
each a unit of their own.
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


def zygote_of(nodeid: str) -> str | None:
    """The zygote a known finding's test forks its snippet from, in words
    ("known findings importing torch, with {}"), or None for another test."""
    from . import preloaded
    from .checks import test_name
    from .findings import KNOWN

    if test_name(nodeid) != "test_known_finding_still_reproduces" or "[" not in nodeid:
        return None
    finding_id = nodeid[nodeid.index("[") + 1: nodeid.rindex("]")]
    finding = next((f for f in KNOWN if f.id == finding_id), None)
    if finding is None:
        return None
    imports = ", ".join(preloaded.leading_imports(finding.snippet)) or "nothing"
    return f"known findings importing {imports}, with {dict(sorted(finding.env.items()))}"


def scheduler(config, log, names):
    from xdist.scheduler import LoadScopeScheduling

    class AdapterScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            adapter = adapter_in(nodeid, names)
            return f"adapter {adapter}" if adapter else zygote_of(nodeid) or nodeid

    return AdapterScheduling(config, log)
