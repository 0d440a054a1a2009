"""convt-suite: do PyTorch, TensorFlow, Keras and JAX compute the same transposed convolution?

  convt-suite run               every check of every installed adapter (Keras on each
                                of its backends), each adapter in a worker process of
                                its own: failing examples saved earlier, the fixed
                                cases, then fresh random cases (--explore, --seed);
                                writes the results, prints a summary, renders the report
  convt-suite hunt --minutes N  only exploration, every adapter, for about N minutes
                                across the cores: what a maintainer runs overnight
  convt-suite report FILE...    re-render index.html, summary.json and junit.xml from
                                results files alone (several files merge: a version matrix)
  convt-suite summary FILE...   re-print the per-adapter summary of results files

Exit codes of `run` (as pytest's): 0 every check passed or is explained by a
known finding; 1 some check failed (values, shape, dtype, error, crash,
timeout); 2 interrupted (Ctrl-C or SIGTERM: what was recorded is kept and a
partial report, marked incomplete, is written); 4 usage error; 5 nothing ran.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path

from convt_suite.core import results
from convt_suite.runtime import probe_cache


def pytest_args(args, results_path: Path, run_id: str) -> list[str]:
    """The pytest command line of the main job: the checks shipped in the
    package, run by path (so it works from any folder and any install)."""
    from convt_suite import checks

    command = [*checks.paths(), "-c", str(checks.FOLDER / "pytest.ini"),
               "-p", "convt_suite.pytest_plugin", "-p", "no:cacheprovider",
               # the progress display and the summary below replace pytest's terminal
               "-p", "no:terminal",
               "--hypothesis-profile", args.profile, "--results", str(results_path),
               "--run-id", run_id,
               "--adapter-timeout", str(args.timeout), "--progress", "off" if args.quiet else "on",
               "--explore", str(args.explore), "--explore-seed", str(args.seed)]
    if args.examples_db:
        command += ["--examples-db", args.examples_db]
    if getattr(args, "minutes", None):
        command += ["--explore-seconds", str(hunt_seconds_per_sweep(args))]
    if args.jobs > 1:   # one xdist process per core; an adapter's checks stay in one
        command += ["-n", str(args.jobs), "--group-adapters"]
    for selector in args.adapter:
        command += ["--adapter", selector]
    chosen = [f"({expression})" for expression in
              (HUNTED if getattr(args, "minutes", None) else None, args.only) if expression]
    if chosen:
        command += ["-k", " and ".join(chosen)]
    if args.in_process:
        command.append("--in-process")
    return command


# a hunt explores the sweeps that draw cases (determinism and fixed edge shapes are the main job's)
HUNTED = "forward_matches or vjp_matches or native_matches or special_values"
HUNTED_PER_ADAPTER = 5 * 4   # those kinds (vjp_matches: vjp and native vjp) × the four dtypes


def hunt_seconds_per_sweep(args) -> float:
    """The hunt's minutes shared among the sweeps: each process works
    through its adapters' sweeps one after another."""
    from convt_suite.adapters import registry

    adapters = len(args.adapter or registry.DEFAULT)
    processes = max(1, min(args.jobs, adapters))
    return max(1.0, args.minutes * 60 * processes / (adapters * HUNTED_PER_ADAPTER))


def _interrupt(signum, frame):
    """Ctrl-C or SIGTERM: a terminal's Ctrl-C reaches the whole process group,
    a `kill` only this process, so pass SIGINT on to the xdist processes (our
    children in this session; adapter workers have sessions of their own and
    are stopped by their xdist process) and stop here as pytest does."""
    for child in _children():
        try:
            if os.getsid(child) == os.getsid(0):
                os.kill(child, signal.SIGINT)
        except ProcessLookupError:
            pass
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


def _children() -> list[int]:
    pids = []
    for listing in Path("/proc/self/task").glob("*/children"):   # Linux; elsewhere: none
        pids += [int(pid) for pid in listing.read_text().split()]
    return pids


def run(args) -> int:
    import pytest

    path = Path(args.results).resolve()   # relative to where the command was started
    if os.getcwd() not in sys.path:       # plug-ins from the current folder, as `python -m pytest`
        sys.path.insert(0, os.getcwd())
    run_id = results.new_run_id()
    if getattr(args, "fresh", False):   # the pytest processes inherit it
        os.environ[probe_cache.VARIABLE] = "off"
    started = time.perf_counter()
    previous = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        code = int(pytest.main(pytest_args(args, path, run_id)))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if code == int(pytest.ExitCode.USAGE_ERROR):
        return code
    # this run's records only: a run that never started leaves an older file alone
    records = [r for r in results.read([path]) if r.get("run") == run_id] if path.exists() else []
    outside = results.format_failures_outside_checks(records)
    if args.quiet:   # quiet, but a failure the exit status alone would not explain is named
        if outside:
            print(outside, file=sys.stderr)
        return code
    if records:
        print(results.format_summary(results.summarize(records)))
        if outside:
            print("\n" + outside)
        print(exploration_line(records, args))
        print(f"\nresults: {path}  ({time.perf_counter() - started:.0f} s)")
        print(f"report:  {path.parent / 'index.html'}")
    print(f"exit {code}: {EXIT_MEANING.get(code, 'pytest internal error')}")
    return code


def exploration_line(records: list[dict], args) -> str:
    """How much was explored, from what seed, and how to replay it."""
    phases = Counter(r.get("phase") for r in records if r.get("type") == "check")
    failed = Counter(r.get("phase") for r in records
                     if r.get("type") == "check" and r["outcome"] == "failed")
    parts = [f"{phases[p]} {p}" + (f" ({failed[p]} failed)" if failed[p] else "")
             for p in ("replay", "fixed", "explore") if phases[p]]
    return (f"\nchecks by phase: {', '.join(parts) or 'none'}; exploration seed {args.seed} "
            f"(the same cases again: --seed {args.seed})")


EXIT_MEANING = {0: "every check passed or is explained by a known finding",
                1: "some check failed", 2: "interrupted (partial results kept)",
                4: "usage error", 5: "nothing ran"}


def report(args) -> int:
    from convt_suite.findings import model as known
    from convt_suite.reporting.report import render_with_grid
    from convt_suite.reporting.version_grid import recorded_ranges

    try:
        page, grid = render_with_grid(args.files, args.out)
    except FileNotFoundError as err:
        print(f"convt-suite report: {err}", file=sys.stderr)
        return 4
    print(page)
    if args.record_versions:
        if grid is None:
            print("convt-suite report --record-versions: one version set is no evidence of a "
                  "range; give the results of several (a matrix folder)", file=sys.stderr)
            return 4
        ranges = recorded_ranges(grid, known.KNOWN)
        for finding_id, holds_in in sorted(ranges.items()):
            print(f"{finding_id}: holds_in {known.BY_ID[finding_id].holds_in} -> {holds_in}")
            known.write_holds_in(finding_id, holds_in)
        print(f"{len(ranges)} findings' holds_in rewritten from {len(grid['columns'])} version sets"
              + (" (convt-suite findings --readme docs/reference/findings.md updates the table)" if ranges else ""))
    return 0


def summary(args) -> int:
    records = results.read(args.files)
    print(results.format_summary(results.summarize(records)))
    outside = results.format_failures_outside_checks(records)
    if outside:
        print("\n" + outside)
    return 0


def findings(args) -> int:
    from convt_suite.findings import model as known

    if args.readme is None:
        print(known.markdown_table())
        return 0
    text = args.readme.read_text()
    updated = known.with_table(text)
    if updated != text:
        args.readme.write_text(updated)
    print(f"{args.readme}: findings table {'rewritten' if updated != text else 'up to date'} "
          f"({len(known.KNOWN)} findings)")
    return 0


def matrix(args) -> int:
    from convt_suite import matrix as version_matrix

    root = Path(args.noxfile).resolve().parent
    if args.list:
        print("\n".join(version_matrix.sets(root)))
        return 0
    return version_matrix.run(args.sets, root, Path(args.out), args.keep_envs)


def translate(args) -> int:
    """Exit 0 when every framework's form ran and passed on every adapter it
    names, 1 when one did not pass (a discrepancy), 2 for a call the
    translator does not read, 3 when one could not run here, 4 for a layer
    its own framework refuses, 5 for a valid layer with an argument the
    translator does not model (translate.Refused names each)."""
    from convt_suite.porting import sources
    from convt_suite.porting import translate as translator

    try:
        size = tuple(int(v) for v in args.input.lower().split("x"))
    except ValueError:
        print(f"convt-suite translate: error: --input {args.input!r}: must be HxW, e.g. 16x16",
              file=sys.stderr)
        return sources.Usage.status
    try:
        result = translator.translate(args.source, args.layer, size, args.channels, args.seed)
    except sources.Refused as err:
        print(f"convt-suite translate: error: {err}", file=sys.stderr)
        return err.status
    if args.program:
        chosen = [t for t in result["targets"] if t["framework"].lower() == args.program.lower()]
        print(chosen[0]["program"] if chosen else
              f"# {args.program}: no such framework ({', '.join(t['framework'] for t in result['targets'])})")
    else:
        print(translator.to_json(result) if args.json else translator.render(result))
    return translator.status(result)


def _unknown(command: str, only, known: list[str]) -> bool:
    """--only names outside `known`: said (usage error), True."""
    unknown = sorted(set(only or ()) - set(known))
    if unknown:
        print(f"convt-suite {command}: error: --only {', '.join(unknown)}: must be among "
              f"{', '.join(known)}", file=sys.stderr)
    return bool(unknown)


def pitfalls(args) -> int:
    """The naive mappings measured over their grids (numpy and the oracle
    alone: no framework is imported; the main job also runs each example's
    calls in the frameworks)."""
    import json

    from convt_suite.studies import pitfalls as rules

    if _unknown("pitfalls", args.only, list(rules.BY_ID)):
        return 4
    measured = rules.measure_all(args.only)
    print(json.dumps(measured, indent=2, default=str) if args.json else rules.render(measured))
    return 0


def bilinear(args) -> int:
    """FCN's bilinear layer against each framework's resize, each framework
    in a child process."""
    import json

    from convt_suite.studies import bilinear as fcn

    if _unknown("bilinear", args.only, list(dict.fromkeys(r.framework for r in fcn.RESIZES))):
        return 4
    measured = fcn.measure(args.only)
    print(json.dumps(measured, indent=2) if args.json else fcn.render(measured))
    return 1 if any(r.get("error") for r in measured) else 0


def _only_and_json(command, metavar: str, only: str, json_help: str) -> None:
    """The measurement commands' options: --only NAME... and --json."""
    command.add_argument("--only", nargs="+", metavar=metavar, help=only)
    command.add_argument("--json", action="store_true", help=json_help)


class _Parser(argparse.ArgumentParser):
    def error(self, message):   # pytest's code for a usage error, not argparse's 2
        self.print_usage(sys.stderr)
        self.exit(4, f"{self.prog}: error: {message}\n")


HUNT_RESULTS = Path("reports") / "hunt" / "results.jsonl"   # beside, not over, the main job's
EXPLORE = 10   # the main job's fresh cases per sweep (docs: explanation/performance.md, what it costs)


def _sweep_options(command) -> None:
    """What `run` and `hunt` share."""
    from convt_suite.runtime.workers import DEFAULT_TIMEOUT

    command.add_argument("--adapter", action="append", default=[], metavar="NAME|module:attr",
                         help="as pytest's --adapter (repeatable); default: every built-in, "
                              "Keras on each of its backends")
    command.add_argument("--profile", default="ci", choices=["dev", "ci", "thorough"],
                         help="hypothesis profile (default: ci, derandomised: the same cases "
                              "every run)")
    command.add_argument("--seed", type=int, default=None, metavar="SEED",
                         help="the exploration's seed (default: a new one, printed and "
                              "recorded); the same seed explores the same cases")
    command.add_argument("--examples-db", default=None, metavar="PATH|off",
                         help="the failing-example database, replayed first for every adapter "
                              "until they pass (default: $CONVT_SUITE_EXAMPLES or "
                              "~/.cache/convt-suite/examples; a folder: copy it to share it)")
    command.add_argument("--results", default=str(results.DEFAULT_PATH), metavar="PATH",
                         help="results file (default: %(default)s under the current folder); "
                              "the report is written beside it")
    command.add_argument("--only", metavar="EXPR", default=None,
                         help="run only the checks whose test ids match this pytest -k "
                              "expression, e.g. 'forward_matches and (float32 or float64)'")
    command.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                         help="adapters checked side by side (default: every core, %(default)s)")
    command.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                         help="per call of an adapter; a worker that takes longer is killed and "
                              "the check recorded as failure 'timeout' (default: %(default)g)")
    command.add_argument("--in-process", action="store_true",
                         help="adapters in this process, not in workers (for a debugger)")
    command.add_argument("-q", "--quiet", action="store_true",
                         help="no progress and no summary: the exit code and the files only")


def parser() -> argparse.ArgumentParser:
    """The command line: every subcommand and option (the docs' CLI reference
    is generated from it)."""
    parser = _Parser(prog="convt-suite", description=__doc__.split("\n\n")[0],
                     epilog=__doc__.split("\n\n", 1)[1],
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    sweep = sub.add_parser("run", help="sweep every installed adapter against the oracle",
                           epilog=__doc__.split("\n\n")[2],
                           formatter_class=argparse.RawDescriptionHelpFormatter)
    sweep.add_argument("--explore", type=int, default=EXPLORE, metavar="N",
                       help="after the fixed cases, N fresh random cases per sweep (kind, "
                            "adapter, dtype), steered toward the largest disagreements "
                            "(default: %(default)s; 0: the fixed cases alone, as CI runs)")
    sweep.add_argument("--fresh", action="store_true",
                       help="run every known finding's snippet and the error-path probes "
                            "again, even those the probe cache holds for these versions and "
                            "this machine (CONVT_SUITE_PROBE_CACHE=off does the same)")
    hunt = sub.add_parser("hunt", help="explore every adapter for N minutes",
                          epilog=__doc__.split("\n\n")[2],
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    hunt.add_argument("--minutes", type=float, required=True, metavar="N",
                      help="about how long to explore (the fixed cases and the replayed "
                           "examples come first)")
    hunt.set_defaults(explore=0)
    for command in (sweep, hunt):
        _sweep_options(command)
    sweep.set_defaults(func=run)
    hunt.set_defaults(func=run, results=str(HUNT_RESULTS))
    html = sub.add_parser("report", help="render index.html, summary.json and junit.xml "
                                         "from results files alone")
    html.add_argument("files", nargs="+", type=Path,
                      help="results files, or folders (every results.jsonl under them: "
                           "several version sets make a version grid)")
    html.add_argument("--out", type=Path, default=None,
                      help="folder to write into (default: the folder given, or beside the "
                           "first file)")
    html.add_argument("--record-versions", action="store_true",
                      help="with several version sets: write the version range each known "
                           "finding holds in, as the sets show it, into its file "
                           "(convt_suite/findings/known/<id>.toml)")
    html.set_defaults(func=report)
    show = sub.add_parser("summary", help="the per-adapter summary of results files")
    show.add_argument("files", nargs="+", type=Path)
    show.set_defaults(func=summary)
    grid = sub.add_parser("matrix", help="run the version matrix (noxfile.py) here, set by set, "
                                         "then merge it into one report led by the version grid")
    grid.add_argument("sets", nargs="*", metavar="SET",
                      help="the sets to run (default: every one; --list names them)")
    grid.add_argument("--list", action="store_true", help="name the sets and stop")
    grid.add_argument("--out", default="reports/matrix", metavar="PATH",
                      help="where each set's results go, and the merged report "
                           "(default: %(default)s)")
    grid.add_argument("--noxfile", default="noxfile.py", metavar="PATH",
                      help="the matrix (default: %(default)s in the current folder)")
    grid.add_argument("--keep-envs", action="store_true",
                      help="keep each set's environment (default: removed after its run; "
                           "uv's cache keeps the downloads)")
    grid.set_defaults(func=matrix)
    table = sub.add_parser("findings", help="the known findings (convt_suite/findings/known/) as a "
                                            "markdown table")
    table.add_argument("--readme", type=Path, default=None, metavar="PATH",
                       help="rewrite the table between the markers in this file instead")
    table.set_defaults(func=findings)
    port = sub.add_parser("translate", help="a layer in one framework's words, in every other's: "
                                            "each form run against the oracle before it is printed")
    port.add_argument("layer", help='the call, e.g. "ConvTranspose2d(16, 8, 3, stride=2, padding=1)"; '
                                    "TF's filters and output_shape, JAX's rhs and ONNX's W as their shapes")
    port.add_argument("--from", dest="source", required=True,
                      choices=("torch", "tensorflow", "keras", "jax", "onnx"), help="the layer's framework")
    port.add_argument("--input", required=True, metavar="HxW", help="the input's spatial size")
    port.add_argument("--channels", type=int, default=None,
                      help="input channels, where the layer does not state them (Keras)")
    port.add_argument("--seed", type=int, default=0, help="the random data's seed (default: 0)")
    port.add_argument("--json", action="store_true",
                      help="per framework: the code, native or composed, and each run's error/bound")
    port.add_argument("--program", choices=("pytorch", "tensorflow", "keras", "jax", "onnx"),
                      type=str.lower,
                      metavar="FRAMEWORK", help="print that framework's form as a standalone program "
                                                "(tensors, the code, a float64 reference, its error)")
    port.set_defaults(func=translate)
    naive = sub.add_parser("pitfalls", help="the naive mappings that guides and converters state, "
                                            "measured: where each holds, where and how it breaks")
    _only_and_json(naive, "ID", "these pitfalls only (default: all)",
                   "the measurements: counts per outcome and feature, and examples")
    naive.set_defaults(func=pitfalls)
    fcn = sub.add_parser("bilinear", help="FCN's bilinear upsampling layer against each framework's "
                                          "bilinear resize: where they agree, how wide a border differs")
    _only_and_json(fcn, "FRAMEWORK", "these frameworks only (torch, tensorflow, jax, keras[BACKEND])",
                   "one record per framework, mode and factor")
    fcn.set_defaults(func=bilinear)
    return parser


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "seed", "n/a") is None:
        args.seed = int.from_bytes(os.urandom(4), "big")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
