"""The suite's own tests import frameworks in this process (the native-semantics
proofs): quiet their logging and point JAX at its compilation cache first."""

from convt_suite import jax_cache, quiet

quiet.silence_all()
jax_cache.enable()
