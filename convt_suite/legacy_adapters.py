"""The former top-level import name `adapters`, kept for one release.

convt-suite's adapters are `convt_suite.adapters` (the repository keeps them
in its top-level `adapters/` folder, installed under that name): a
top-level `adapters` is AdapterHub's import name on the package index, and a
wheel that installed one overwrote it. Plug-ins written against the former
name (`from adapters.base import Adapter`) keep working for one release:
where nothing else on the path provides `adapters`, this finder hands out
`convt_suite.adapters` under the old name (the same module objects) with a
DeprecationWarning. Where another `adapters` is installed, that one wins.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings

OLD, NEW = "adapters", "convt_suite.adapters"


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """`adapters[.x]` is the module `convt_suite.adapters[.x]` itself (one
    module, so one Spec class), reached by the old name."""

    def __init__(self):
        self.specs: dict = {}   # each module's own spec, by its own name

    def find_spec(self, fullname, path=None, target=None):
        if fullname == OLD:   # another project's `adapters`, wherever installed, goes first
            if any(finder.find_spec(fullname, path, target) for finder in sys.meta_path
                   if finder is not self and hasattr(finder, "find_spec")):
                return None
        elif not (fullname.startswith(OLD + ".") and sys.modules.get(OLD) is sys.modules.get(NEW)):
            return None
        module = importlib.import_module(NEW + fullname[len(OLD):])
        return importlib.util.spec_from_loader(fullname, self, is_package=hasattr(module, "__path__"))

    def create_module(self, spec):
        if spec.name == OLD:
            warnings.warn(f"'import {OLD}' is deprecated: the suite's adapters are {NEW} "
                          f"(the old name goes in the next release)", DeprecationWarning, stacklevel=2)
        module = importlib.import_module(NEW + spec.name[len(OLD):])
        self.specs[module.__name__] = module.__spec__
        return module

    def exec_module(self, module):
        """Already executed as convt_suite.adapters'; give it back its own spec
        (the import system set the alias's on it)."""
        module.__spec__ = self.specs[module.__name__]


def install() -> None:
    """Put the alias first on sys.meta_path (once): it answers for `adapters`
    only where no other finder would, and then for its submodules (which the
    path finder would otherwise load a second time from the same files)."""
    if not any(isinstance(finder, _Alias) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Alias())
