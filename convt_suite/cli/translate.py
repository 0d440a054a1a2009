"""`convt-suite translate`: a layer in one framework's words, in every other's."""

from __future__ import annotations

import sys


def add(sub) -> None:
    port = sub.add_parser("translate", help="a layer in one framework's words, in every other's: "
                                            "each form run against the oracle before it is printed")
    port.add_argument("layer", help='the call, e.g. "ConvTranspose2d(16, 8, 3, stride=2, padding=1)" or '
                                    '"ConvTranspose1d(512, 256, 16, stride=8, padding=4)"; '
                                    "TF's filters and output_shape, JAX's rhs and ONNX's W as their shapes")
    port.add_argument("--from", dest="source", required=True,
                      choices=("torch", "tensorflow", "keras", "jax", "onnx"), help="the layer's framework")
    port.add_argument("--input", required=True, metavar="SIZE",
                      help="the input's spatial size: W (1-D, e.g. 32), HxW (2-D, 16x16) or DxHxW (3-D, "
                           "8x16x16), the rank the layer states")
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
        print(f"convt-suite translate: error: --input {args.input!r}: must be W, HxW or DxHxW, "
              f"e.g. 32, 16x16 or 8x16x16",
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
