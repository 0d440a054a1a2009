"""The machine and the process: CPU facts, the frameworks' log silencing, the
user's cache and scratch folders. The bottom layer: it imports nothing else
from the suite, and the adapters may import it."""
