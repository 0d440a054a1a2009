"""The suite's own tests import frameworks in this process (the native-semantics
proofs): quiet their logging and point JAX at its compilation cache first.
Failing examples the suite's own tests provoke (planted bugs, hostile
adapters) go to a database of this session's own, never the user's, and the
probe cache starts empty, so every finding's snippet runs."""

import os
import tempfile

from convt_suite import jax_cache, probe_cache, quiet
from convt_suite.folders import EXAMPLES_VARIABLE

quiet.silence_all()
jax_cache.enable()
os.environ[EXAMPLES_VARIABLE] = tempfile.mkdtemp(prefix="convt-suite-examples-")
os.environ[probe_cache.VARIABLE] = tempfile.mkdtemp(prefix="convt-suite-probes-")
