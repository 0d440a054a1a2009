"""The harness: strategies, tolerance, comparison, results and the command line.

Data flows one way: strategies -> (Spec, tensors) -> adapters -> compare with
the oracle -> results.jsonl -> summary (and, later, the HTML report).
"""

from convt_suite import legacy_adapters

legacy_adapters.install()   # the former top-level name `adapters`, for one release
