"""Processes and what they keep: the worker processes that run an adapter
(a crash or a hang costs one check, not the run), the zygotes they fork from,
the caches of probes and of JAX's compilations."""
