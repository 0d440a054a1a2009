"""The translator tried as a new user tries it: every layer of
tests/translator_layers.py (taken from the frameworks' own test suites, each
with where it came from) translated, each printed program run standalone.

    python benchmarks/translate_corpus.py               # every layer, every program
    python benchmarks/translate_corpus.py --no-programs # the translations only
    python benchmarks/translate_corpus.py --ranks 1,3   # the 1-D and 3-D layers only

Per layer: the exit status `convt-suite translate` gives it (translate.status,
or the refusal's), then per framework the form (native, or composed with its
steps), whether it verified, and the max |error| its program printed against
the float64 reference (the program run with `python -c`, as pasted). The
workers are started once and shared by every layer (the command starts seven
for each). Ends with the counts of each status and of the programs that did
not print an error below 1e-4.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from convt_suite.porting import sources, translate
from convt_suite.runtime import workers  # noqa: E402
from convt_suite.sweeps.options import parse_ranks  # noqa: E402
from tests.translator_layers import LAYERS  # noqa: E402


class Shared:
    """A worker kept for every layer: translate() closes each adapter after its plan."""

    def __init__(self, adapter):
        self.adapter = adapter

    def __getattr__(self, name):
        return getattr(self.adapter, name)

    def close(self):
        pass


def run_program(program: str) -> str:
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=600)
    found = re.search(r"max \|error\| (\S+)", done.stdout)
    if found:
        return found.group(1)
    return "FAILED: " + (done.stdout + done.stderr).strip().splitlines()[-1][:200] if (
        done.stdout + done.stderr).strip() else "FAILED: no output"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-programs", action="store_true", help="do not run the programs")
    parser.add_argument("--ranks", default="1,2,3", help="the layers of these spatial ranks (default: 1,2,3)")
    args = parser.parse_args(argv)
    ranks = parse_ranks(args.ranks)
    layers = [layer for layer in LAYERS if len(layer.input.split("x")) in ranks]
    started: dict = {}

    def adapter_for(selector):
        if selector not in started:
            started[selector] = workers.WorkerAdapter(selector)
        return Shared(started[selector])

    statuses = collections.Counter()
    bad_programs = []
    pool = ThreadPoolExecutor(2)
    try:
        for layer in layers:
            size = tuple(int(v) for v in layer.input.split("x"))
            try:
                result = translate.translate(layer.language, layer.call, size, layer.channels,
                                             adapter_for=adapter_for)
            except sources.Refused as refused:
                statuses[refused.status] += 1
                print(f"[{refused.status}] {layer.language}: {layer.call}  ({layer.origin})\n"
                      f"    refused ({type(refused).__name__}): {refused}")
                continue
            status = translate.status(result)
            statuses[status] += 1
            print(f"[{status}] {layer.language}: {layer.call} --input {layer.input}  ({layer.origin})")
            errors = ([None] * len(result["targets"]) if args.no_programs else
                      list(pool.map(run_program, [t["program"] for t in result["targets"]])))
            for target, error in zip(result["targets"], errors):
                form = "native" if target["native"] else "composed " + str(target["composed"])
                state = "verified" if target["verified"] else "NOT VERIFIED"
                printed = "" if error is None else f"; program: max |error| {error}"
                print(f"    {target['framework']}: {form}; {state}{printed}")
                if error is not None and (error.startswith("FAILED") or float(error) >= 1e-4):
                    bad_programs.append((layer.call, target["framework"], error))
    finally:
        for adapter in started.values():
            adapter.close()
    print(f"\n{len(layers)} layers; exit status counts: {dict(sorted(statuses.items()))}")
    if not args.no_programs:
        print(f"programs that did not reproduce the reference (max |error| >= 1e-4 or failed): "
              f"{len(bad_programs)}")
        for call, framework, error in bad_programs:
            print(f"    {framework}: {call}: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
