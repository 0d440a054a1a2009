"""`convt-suite bilinear`: FCN's bilinear upsampling layer against each framework's resize."""

from __future__ import annotations

from convt_suite.cli import _only_and_json, _unknown


def add(sub) -> None:
    fcn = sub.add_parser("bilinear", help="FCN's bilinear upsampling layer against each framework's "
                                          "bilinear resize: where they agree, how wide a border differs")
    _only_and_json(fcn, "FRAMEWORK", "these frameworks only (torch, tensorflow, jax, keras[BACKEND])",
                   "one record per framework, mode and factor")
    fcn.set_defaults(func=bilinear)


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
