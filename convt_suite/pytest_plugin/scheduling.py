"""One adapter, one process: an xdist scheduler that hands out each adapter's
checks as one unit of work, so its worker is started once and reused.

pytest-xdist's own `--dist loadgroup` cannot do it on pytest 9.2: it marks a
group by appending "@group" to the test id, which pytest 9.2's structured
ids ignore (pytest-dev/pytest-xdist#1386), so the tests silently spread one
by one. Here the group is read from the test id itself: the adapter is one
of the parametrize ids in its brackets. The tests whose check marker names
a script (the known findings, FCN bilinear's comparisons and the error-path
probes) are grouped by the zygote their scripts fork from
(preloaded.py: the frameworks a script imports first, and the environment
it sets), so each zygote is started in one process, not in each: spread one
by one, a cold main job started most of the fifteen in both. Other tests
without an adapter are each a unit of their own.
"""

from __future__ import annotations


def adapter_in(nodeid: str, names) -> str | None:
    """The adapter a test id names, e.g. "...::test_x[keras[jax]-float32]"
    -> "keras[jax]" (the longest matching name: "torch[nn]", not "torch");
    None for a test that takes no adapter (its check marker says which do)."""
    from convt_suite.checks import declared, test_name

    declaration = declared().get(test_name(nodeid))
    if declaration is None or not declaration.per_adapter:
        return None
    params = nodeid[nodeid.index("[") + 1: nodeid.rindex("]")]
    found = [name for name in names
             if params == name or params.startswith(name + "-") or params.endswith("-" + name)
             or f"-{name}-" in params]
    return max(found, key=len, default=None)


def script_of(nodeid: str) -> tuple[str, dict] | None:
    """The script a test runs (a known finding's, FCN bilinear's or an error
    path's, as its check marker says), and the variables it sets
    (quiet.script_env), or None for another test."""
    from convt_suite.checks import declared, test_name

    declaration = declared().get(test_name(nodeid))
    if declaration is None or declaration.script is None:
        return None
    return declaration.script(nodeid[nodeid.find("[") + 1: nodeid.rfind("]")])


def zygote_of(nodeid: str) -> str | None:
    """The zygote a test forks its script from, in words ("scripts
    importing torch, with {...}"), or None for a test that runs none."""
    from convt_suite.runtime import preloaded

    script = script_of(nodeid)
    if script is None:
        return None
    imports = ", ".join(preloaded.leading_imports(script[0])) or "nothing"
    return f"scripts importing {imports}, with {dict(sorted(script[1].items()))}"


def scheduler(config, log, names):
    from xdist.scheduler import LoadScopeScheduling

    class AdapterScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            adapter = adapter_in(nodeid, names)
            return f"adapter {adapter}" if adapter else zygote_of(nodeid) or nodeid

    return AdapterScheduling(config, log)
