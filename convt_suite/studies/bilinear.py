"""FCN's bilinear upsampling: a transposed convolution with a fixed bilinear
kernel (Long et al.; the seeds' make_bilinear_weights) against each
framework's own bilinear resize, per coordinate convention.

For a factor f the layer is ConvTranspose2d(C, C, 2f - f % 2, stride=f,
padding=ceil((f - 1) / 2), groups=C, bias=False) with the tent kernel
1 - |t - center| / f per axis (`fcn_kernel`). Its output pixel y
reads the input at (y + 0.5) / f - 0.5: the half-pixel convention. So inside
it must equal a half-pixel bilinear resize; at the border the convolution
sees zeros where a resize repeats the edge pixel, and elsewhere the
conventions (align_corners=True, TF1's asymmetric y / f) read other
coordinates. Those are the claims; `measure` checks them against the
frameworks, each run in a child process of its own (a crash there is that
framework's result, not the run's).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from convt_suite.adapters import oracle
from convt_suite.adapters.spec import Spec
from convt_suite.host import quiet
from convt_suite.runtime import preloaded

FACTORS = (2, 3, 4)
INPUT = (1, 2, 8, 9)        # NCHW: two channels, an even and an odd side
TOLERANCE = 2e-6            # relative to the input's largest value: float32 resizes


def fcn_kernel(factor: int) -> np.ndarray:
    """The bilinear kernel FCN initialises its upsampling layers with
    (surgery.upsample_filt): size 2f - f % 2, a tent centred on the kernel."""
    size = 2 * factor - factor % 2
    reach = (size + 1) // 2
    center = reach - 1 if size % 2 == 1 else reach - 0.5
    tent = 1 - np.abs(np.arange(size) - center) / reach
    return np.outer(tent, tent)


def fcn_spec(channels: int, factor: int) -> Spec:
    """Depthwise (groups = channels), no bias: each channel upsampled alone."""
    size = 2 * factor - factor % 2
    crop = -(-(factor - 1) // 2)
    return Spec(channels, channels, (size, size), (factor, factor), ((crop, crop), (crop, crop)),
                groups=channels, bias=False)


def fcn_weight(channels: int, factor: int) -> np.ndarray:
    kernel = fcn_kernel(factor)
    return np.broadcast_to(kernel, (channels, 1, *kernel.shape)).copy()


def upsample(x: np.ndarray, factor: int) -> np.ndarray:
    """What the FCN layer computes (the oracle, float64)."""
    channels = x.shape[1]
    return oracle.conv_transpose2d(x, fcn_weight(channels, factor), None, fcn_spec(channels, factor))


@dataclass(frozen=True)
class Resize:
    framework: str      # what the child imports
    mode: str           # the coordinate convention, in the framework's words
    code: str           # y from x (NCHW float32 numpy) and f, in the child
    env: tuple = ()     # (name, value) for the child


TORCH = "import torch\nimport torch.nn.functional as F\n"
TF = "import tensorflow as tf\n"
NHWC = "x.transpose(0, 2, 3, 1)"
BACK = ".transpose(0, 3, 1, 2)"
SIZE = "(x.shape[2] * f, x.shape[3] * f)"
KERAS = "import keras\n"
RESIZES = (
    Resize("torch", "align_corners=False (half-pixel)",
           "F.interpolate(torch.from_numpy(x), scale_factor=f, mode='bilinear', align_corners=False).numpy()"),
    Resize("torch", "align_corners=True",
           "F.interpolate(torch.from_numpy(x), scale_factor=f, mode='bilinear', align_corners=True).numpy()"),
    Resize("tensorflow", "tf.image.resize (half-pixel)",
           f"tf.image.resize({NHWC}, {SIZE}, method='bilinear').numpy(){BACK}"),
    Resize("tensorflow", "v1 resize_bilinear, align_corners=False (asymmetric)",
           f"tf.compat.v1.image.resize_bilinear({NHWC}, {SIZE}, align_corners=False).numpy(){BACK}"),
    Resize("tensorflow", "v1 resize_bilinear, align_corners=True",
           f"tf.compat.v1.image.resize_bilinear({NHWC}, {SIZE}, align_corners=True).numpy(){BACK}"),
    Resize("jax", "jax.image.resize (half-pixel)",
           "np.asarray(jax.image.resize(x, (*x.shape[:2], x.shape[2] * f, x.shape[3] * f), 'bilinear'))"),
    *(Resize(f"keras[{backend}]", "UpSampling2D(interpolation='bilinear')",
             f"np.asarray(keras.ops.convert_to_numpy(keras.layers.UpSampling2D(f, interpolation="
             f"'bilinear')({NHWC}))){BACK}", (("KERAS_BACKEND", backend),))
      for backend in ("tensorflow", "jax", "torch")),
)
IMPORTS = {"torch": TORCH, "tensorflow": TF, "jax": "import jax\n"}

CHILD = """
import json, sys
import numpy as np
{imports}
x = np.load(sys.argv[1]).astype(np.float32)
out = {{}}
for index, code in enumerate(json.loads(sys.argv[3])):
    for f in json.loads(sys.argv[4]):
        try:
            out[f"{{index}}_{{f}}"] = np.asarray(eval(code), dtype=np.float64)
        except Exception as err:
            out[f"{{index}}_{{f}}_error"] = np.array(f"{{type(err).__name__}}: {{err}}")
np.savez(sys.argv[2], **out)
"""


def child(framework: str) -> tuple[str, dict]:
    """The child's script for a framework, and the variables it runs with
    beyond this process's environment."""
    resizes = [r for r in RESIZES if r.framework == framework]
    return CHILD.format(imports=IMPORTS.get(framework, KERAS)), quiet.script_env(resizes[0].env)


def run_framework(framework: str, x: np.ndarray, factors=FACTORS, timeout: float = 300.0) -> dict:
    """{(mode, factor): output or error text} from one child process."""
    resizes = [r for r in RESIZES if r.framework == framework]
    script, extra = child(framework)
    env = {**os.environ, **extra}
    with tempfile.TemporaryDirectory(prefix="convt-bilinear-") as folder:
        given, answer = Path(folder) / "x.npy", Path(folder) / "y.npz"
        np.save(given, x)
        # forked from a process that imported the framework already (preloaded.py)
        done = preloaded.run_script(
            script, env, timeout,
            args=(str(given), str(answer), json.dumps([r.code for r in resizes]),
                  json.dumps(list(factors))))
        if done.returncode != 0 or not answer.exists():
            tail = "\n".join(done.stderr.strip().splitlines()[-3:])
            return {(r.mode, f): f"child exited {done.returncode}: {tail}" for r in resizes for f in factors}
        saved = np.load(answer)
        results = {}
        for index, resize in enumerate(resizes):
            for f in factors:
                key = f"{index}_{f}"
                results[(resize.mode, f)] = (saved[key] if key in saved
                                             else str(saved[f"{key}_error"]))
        return results


def agreement(conv: np.ndarray, resized: np.ndarray, factor: int, scale: float) -> dict:
    """Where the two agree: the narrowest border outside of which they are
    equal (none: they differ deeper than a quarter of the output, so that
    "inside" is always at least half of each side), and the largest
    differences inside that border and on it."""
    if conv.shape != resized.shape:
        return {"agrees_inside": False, "shape": list(resized.shape[2:]),
                "expected_shape": list(conv.shape[2:])}
    diff = np.abs(conv - resized) / scale
    h, w = diff.shape[2:]
    border = next((b for b in range(min(h, w) // 4 + 1)
                   if float(diff[..., b: h - b, b: w - b].max(initial=0.0)) <= TOLERANCE), None)
    whole = float(diff.max(initial=0.0))
    if border is None:
        return {"agrees_inside": False, "max_difference": whole}
    inside = float(diff[..., border: h - border, border: w - border].max(initial=0.0))
    return {"agrees_inside": True, "border": border, "inside_difference": inside,
            "border_difference": whole, "max_difference": whole}


def measure(frameworks=None, seed: int = 0, run=run_framework) -> list[dict]:
    """One record per (framework, mode, factor): does the FCN layer equal the
    resize inside, and how wide a border differs?"""
    x = np.random.default_rng(seed).standard_normal(INPUT).astype(np.float32).astype(np.float64)
    scale = float(np.abs(x).max())
    records = []
    for framework in dict.fromkeys(r.framework for r in RESIZES):
        if frameworks is not None and framework not in frameworks:
            continue
        got = run(framework, x)
        for resize in (r for r in RESIZES if r.framework == framework):
            for factor in FACTORS:
                out = got[(resize.mode, factor)]
                record = {"type": "bilinear", "framework": framework, "mode": resize.mode,
                          "factor": factor, "input_shape": list(INPUT), "seed": seed,
                          "layer": layer_code(factor), "resize": resize.code}
                if isinstance(out, str):
                    record.update(error=out, agrees_inside=None)
                else:
                    record.update(agreement(upsample(x, factor), out, factor, scale))
                records.append(record)
    return records


def layer_code(factor: int, channels: str = "C") -> str:
    spec = fcn_spec(1, factor)
    return (f"nn.ConvTranspose2d({channels}, {channels}, {spec.kernel_size[0]}, stride={factor}, "
            f"padding={spec.padding[0][0]}, groups={channels}, bias=False) with "
            f"weight[c, 0] = fcn_kernel({factor})")


def describe(record: dict) -> str:
    if record.get("error"):
        return f"not run: {record['error']}"
    if "expected_shape" in record:
        return f"another shape: {record['shape']} (the layer: {record['expected_shape']})"
    if not record["agrees_inside"]:
        return f"differs throughout (max {record['max_difference']:.3g} x max|x|)"
    if record["border"] == 0:
        return "equal everywhere"
    return (f"equal inside; the outer {record['border']} px differ (max {record['border_difference']:.3g} "
            f"x max|x|)")


def render(records: list[dict]) -> str:
    lines = [f"f={factor}: {layer_code(factor)}" for factor in FACTORS]
    lines += [f"input {INPUT}, float32; differences relative to max|x|", ""]
    for record in records:
        lines.append(f"{record['framework']:18} {record['mode']:52} f={record['factor']}: {describe(record)}")
    return "\n".join(lines)
