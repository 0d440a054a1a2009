"""`convt-suite matrix`: the version matrix (noxfile.py), set by set, merged into one report."""

from __future__ import annotations

from pathlib import Path


def add(sub) -> None:
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


def matrix(args) -> int:
    from convt_suite import matrix as version_matrix

    root = Path(args.noxfile).resolve().parent
    if args.list:
        print("\n".join(version_matrix.sets(root)))
        return 0
    return version_matrix.run(args.sets, root, Path(args.out), args.keep_envs)
