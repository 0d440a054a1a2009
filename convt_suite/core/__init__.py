"""The domain above the adapters: cases and the strategies that draw them, the
frameworks' native parameter languages, the tolerance, the judge (one check of
one adapter against the float64 oracle) and the records a run writes. It
starts no process and imports no pytest."""
