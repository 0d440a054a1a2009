"""The sweeps: the properties and the phases a sweep runs in (replay, fixed,
explore), the shared example database, and hypothesis's profiles."""
