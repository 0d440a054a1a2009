"""The suite's own tests import frameworks in this process (the native-semantics
proofs): quiet their logging and point JAX at its compilation cache first.
Failing examples the suite's own tests provoke (planted bugs, hostile
adapters) go to a database of this session's own, never the user's, and the
probe cache starts empty, so every finding's snippet runs."""

import atexit
import os
import shutil
import tempfile

from convt_suite.host import quiet
from convt_suite.host.folders import EXAMPLES_VARIABLE
from convt_suite.runtime import jax_cache, probe_cache

quiet.silence_all()
jax_cache.enable()
# one pair of folders per session: xdist's processes inherit the controller's
for variable, prefix in ((EXAMPLES_VARIABLE, "convt-suite-examples-"),
                         (probe_cache.VARIABLE, "convt-suite-probes-")):
    if not os.environ.get(variable, "").startswith(tempfile.gettempdir()):
        os.environ[variable] = folder = tempfile.mkdtemp(prefix=prefix)
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
