"""Error-path parity: what each framework does with an invalid combination.

For every scenario (one invalid parameter combination) the suite's own Spec
must raise a ValueError naming the parameter and the rule, and each
framework's native call is probed and its behaviour recorded: raised (which
exception, which message), returned (what shape: a result where the
definition has none is a finding), or crashed the process. Probes run in a
child process per framework that announces each scenario before running it,
so an abort is recorded as a crash of that scenario and the remaining ones
run in a fresh child; the run always completes. The child is forked from a
zygote that imported the framework already (preloaded.py), under the
environment the known findings' snippets have (quiet.script_env), so it is
the zygote they use.

    python -m convt_suite.studies.error_paths REQUEST.json   (the child, run by hand)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from convt_suite.adapters.spec import Spec
from convt_suite.host import quiet
from convt_suite.runtime import preloaded, probe_cache

SETUP = {
    "torch": "import torch\nF = torch.nn.functional\n"
             "t = lambda a: torch.from_numpy(np.asarray(a, np.float32))\n",
    "tensorflow": "import tensorflow as tf\n",
    "jax": "import jax\njax.config.update('jax_enable_x64', True)\nfrom jax import lax\n",
    "keras": "import keras\n",
}
ENV = {framework: quiet.script_env({"KERAS_BACKEND": "tensorflow"} if framework == "keras" else {})
       for framework in SETUP}


@dataclass(frozen=True)
class Scenario:
    id: str
    rule: str                              # the invalid combination, in words
    spec: Callable[[], object]             # our Spec's view: must raise ValueError
    probes: dict = field(default_factory=dict)   # framework -> code that sets `out` or raises
    not_applicable: dict = field(default_factory=dict)  # framework -> why it cannot be asked
    rank: int = 2                          # the spatial rank of its calls


# Each invalid combination is asked in every rank, with each framework's own call of that
# rank (conv_transpose1d/2d/3d, conv1d/2d/3d_transpose, lax.conv_transpose on NCH/NCHW/NCDHW,
# Conv1D/2D/3DTranspose): the checks behind them are separate code per rank. A 2-D
# scenario's id is the combination's; 1-D and 3-D ones end in ", 1-D" and ", 3-D".
TF_ENTRY = {1: "tf.nn.conv1d_transpose", 2: "tf.nn.conv2d_transpose", 3: "tf.nn.conv3d_transpose"}
JAX_LAYOUT = {1: "('NCH', 'OIH', 'NCH')", 2: "('NCHW', 'OIHW', 'NCHW')", 3: "('NCDHW', 'OIDHW', 'NCDHW')"}
TF_EXPLICIT_2D = "explicit padding pairs are conv2d_transpose's only (TF raises for a list in 1-D and 3-D)"


def scenarios_in_rank(r: int) -> list[Scenario]:
    """The invalid combinations, each asked in rank r (1, 2 or 3)."""
    def nc(channels, *sizes):   # (N, C, *spatial), the spatial sizes given or 3
        return repr((1, channels) + (sizes or (3,) * r))

    def nl(channels, *sizes):   # (N, *spatial, C): TF's and Keras's channels-last input
        return repr((1,) + (sizes or (3,) * r) + (channels,))

    def kl(size, c_out=1, c_in=1):   # (*kernel, C_out, C_in)
        return repr((size,) * r + (c_out, c_in))

    def shape(size):   # TF's output_shape
        return repr([1] + [size] * r + [1])

    def torch(x, w, args=""):
        return f"out = F.conv_transpose{r}d(t(np.ones({x})), t(np.ones({w})){args})"

    def tf(x, w, output, stride=1, padding="'VALID'"):
        return f"out = {TF_ENTRY[r]}(np.ones({x}, np.float32), np.ones({w}, np.float32), {output}, {stride}, {padding})"

    def tf_explicit(x, w, output, pads):   # TF takes explicit pairs in 2-D only: n/a elsewhere
        return {"tensorflow": tf(x, w, output, padding=pads)} if r == 2 else {}

    def jax(x, w, strides, pads="'VALID'"):
        return (f"out = lax.conv_transpose(np.ones({x}), np.ones({w}), {strides}, {pads}, "
                f"dimension_numbers={JAX_LAYOUT[r]}, transpose_kernel=True)")

    def keras(args, x):
        return f"out = keras.layers.Conv{r}DTranspose({args})(np.ones({x}, np.float32))"

    ones, zero_first = (1,) * r, (0,) + (3,) * (r - 1)
    explicit_only_2d = {} if r == 2 else {"tensorflow": TF_EXPLICIT_2D}
    return [Scenario(scenario_id if r == 2 else f"{scenario_id}, {r}-D", rule, spec, probes, not_applicable, rank=r)
            for scenario_id, rule, spec, probes, not_applicable in (
        ("output_padding >= max(stride, dilation)", "stride 2, dilation 1, output_padding 2",
         lambda: Spec.from_torch(1, 1, (3,) * r, stride=2, output_padding=2),
         {"torch": torch(nc(1), nc(1), ", stride=2, output_padding=2"),
          "keras": keras("1, 3, strides=2, output_padding=2", nl(1))},
         {"tensorflow": "no output_padding (output_shape instead: see its own scenario)",
          "jax": "no output_padding (the pads say it)"}),
        ("output size below 1", "input 1, kernel 2, stride 1 (L = 2), cropped 1 + 1",
         lambda: Spec.from_torch(1, 1, (2,) * r, padding=1).output_shape((1, 1) + ones),
         {"torch": torch(nc(1, *ones), nc(1, *(2,) * r), ", padding=1"),
          **tf_explicit(nl(1, *ones), kl(2), repr([1] + [0] * r + [1]), repr([[0, 0]] + [[1, 1]] * r + [[0, 0]])),
          "jax": jax(nc(1, *ones), nc(1, *(2,) * r), ones, repr(((0, 0),) * r)),
          # 'same' with output_padding 0 crops an even kernel's (I - 1)·S + 2 by 1 + 1
          "keras": keras("1, 2, padding='same', output_padding=0", nl(1, *ones))},
         explicit_only_2d),
        ("channels not divisible by groups", "in_channels 3, groups 2",
         lambda: Spec(3, 2, (3,) * r, groups=2),
         {"torch": torch(nc(3), repr((3, 1) + (3,) * r), ", groups=2")},
         {"tensorflow": "no groups", "jax": "no groups in conv_transpose", "keras": "no groups"}),
        ("weight shape does not fit the input", "input has 2 channels, weight expects 3",
         lambda: Spec(2, 1, (3,) * r).check_tensors((1, 2) + (3,) * r, (3, 1) + (3,) * r, (1,)),
         {"torch": torch(nc(2), repr((3, 1) + (3,) * r)),
          "tensorflow": tf(nl(2), kl(3, 1, 3), shape(5)),
          "jax": jax(nc(2), repr((3, 1) + (3,) * r), ones),
          "keras": f"layer = keras.layers.Conv{r}DTranspose(1, 3)\nlayer.build({nl(2)})\n"
                   f"layer.set_weights([np.ones({kl(3, 1, 3)}, np.float32), np.zeros(1, np.float32)])\n"
                   f"out = layer(np.ones({nl(2)}, np.float32))"},
         {}),
        ("kernel size 0", "kernel_size 0",
         lambda: Spec(1, 1, (0,) * r),
         {"torch": torch(nc(1), nc(1, *(0,) * r)),
          "tensorflow": tf(nl(1), kl(0), shape(2)),
          "jax": jax(nc(1), nc(1, *(0,) * r), ones),
          "keras": keras("1, 0", nl(1))},
         {}),
        ("stride 0", "stride 0",
         lambda: Spec(1, 1, (3,) * r, stride=0),
         {"torch": torch(nc(1), nc(1), ", stride=0"),
          "tensorflow": tf(nl(1), kl(3), shape(5), stride=0),
          "jax": jax(nc(1), nc(1), (0,) * r),
          "keras": keras("1, 3, strides=0", nl(1))},
         {}),
        ("negative padding", "PyTorch padding -1 (the native crop amount below 0)",
         lambda: Spec.from_torch(1, 1, (3,) * r, padding=-1),
         {"torch": torch(nc(1), nc(1), ", padding=-1"),
          **tf_explicit(nl(1), kl(3), shape(7), repr([[0, 0]] + [[-1, -1]] * r + [[0, 0]]))},
         {"jax": "negative pads are valid crops in JAX", "keras": "padding is 'valid' or 'same'",
          **explicit_only_2d}),
        ("zero-size input", "input height 0",
         lambda: Spec(1, 1, (3,) * r).output_shape((1, 1) + zero_first),
         {"torch": torch(nc(1, *zero_first), nc(1)),
          "tensorflow": tf(nl(1, *zero_first), kl(3), repr([1, 2] + [5] * (r - 1) + [1])),
          "jax": jax(nc(1, *zero_first), nc(1), ones),
          "keras": keras("1, 3", nl(1, *zero_first))},
         {}),
        ("inconsistent TF output_shape", "input 3, kernel 3, stride 2 ('VALID' allows 7 or 8), output_shape 9",
         lambda: Spec.from_tensorflow(1, 1, (3,) * r, (3,) * r, (9,) * r, 2, "VALID"),
         {"tensorflow": tf(nl(1), kl(3), shape(9), stride=2)},
         {"torch": "no output_shape (output_size in the module: not probed)", "jax": "no output_shape",
          "keras": "no output_shape"}),
    )]


# 2-D first: the probe cache's keys list each framework's probes in this order
SCENARIOS = [scenario for r in (2, 1, 3) for scenario in scenarios_in_rank(r)]

def spec_verdict(scenario: Scenario) -> dict:
    """Our Spec must refuse with a ValueError."""
    try:
        scenario.spec()
    except ValueError as err:
        return {"raises": "ValueError", "message": str(err)}
    except Exception as err:  # the wrong kind of refusal
        return {"raises": type(err).__name__, "message": str(err)}
    return {"raises": None, "message": "accepted"}


def child_script(setup: str) -> str:
    """The child's script: the setup's frameworks imported first (so a zygote
    that imported them runs it), then the probes from the file it is given."""
    imports = "".join(f"import {name}\n" for name in preloaded.leading_imports(setup))
    return f"{imports}import sys\nfrom convt_suite.studies.error_paths import _child\n_child(sys.argv[1])\n"


def run_probes(setup: str, probes: list, env: dict | None = None, timeout: float = 300) -> dict:
    """{scenario id: behaviour} for probes [(id, code)] run in child processes."""
    found: dict = {}
    remaining = list(probes)
    with tempfile.TemporaryDirectory(prefix="convt-suite-error-paths-") as folder:
        request = Path(folder) / "request.json"
        while remaining:
            request.write_text(json.dumps({"setup": setup, "probes": remaining}))
            found_now, remaining = _probe_once(setup, remaining, request, env, timeout)
            found.update(found_now)
    return found


def _probe_once(setup: str, remaining: list, request: Path, env, timeout: float):
    """One child's run over the remaining probes: (what it found, what is
    left to run in a fresh child: [] when done or when it cannot go on)."""
    found: dict = {}
    try:
        done = preloaded.run_script(child_script(setup), {**os.environ, **(env or {})}, timeout,
                                    args=(str(request),))
        stdout, code, stderr = done.stdout, done.returncode, done.stderr
    except subprocess.TimeoutExpired as err:
        stdout = err.stdout.decode(errors="replace") if isinstance(err.stdout, bytes) else err.stdout or ""
        code, stderr = None, "timed out"
    started = None
    for line in stdout.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        if message.get("status") == "setup-failed":
            return {scenario: {"outcome": "unavailable", "message": message["error"]}
                    for scenario, _ in remaining}, []
        if "outcome" in message:
            found[message["scenario"]] = message
        elif message.get("status") == "started":
            started = message["scenario"]
    if started is not None and started not in found:
        found[started] = {"outcome": "crashed" if code is not None else "hung",
                          "returncode": code, "message": stderr.strip()[-600:]}
    left = [(s, c) for s, c in remaining if s not in found]
    if len(left) == len(remaining):  # no progress and no crash to blame: stop
        for scenario, _ in left:
            found[scenario] = {"outcome": "crashed", "returncode": code,
                               "message": stderr.strip()[-600:]}
        return found, []
    return found, left


def probe_all(frameworks=("torch", "tensorflow", "jax", "keras"), run: str = "") -> list[dict]:
    """One record per (scenario, framework), plus the Spec's verdict per scenario.
    A framework whose probes all raised or returned before, with the same code,
    versions and machine, is read from the probe cache (its records say so)."""
    records = []
    for framework in frameworks:
        probes = [(s.id, s.probes[framework]) for s in SCENARIOS if framework in s.probes]
        verdict = probe_cache.verdict(
            "error-paths", json.dumps([SETUP[framework], probes]), ENV[framework],
            # both are called by verdict() before the loop moves on
            lambda: {"found": run_probes(SETUP[framework], probes, ENV[framework]) if probes else {}},  # noqa: B023
            lambda v: all(b["outcome"] in ("raised", "returned") for b in v["found"].values()),
            run=run)
        cached = {"cached": verdict["cached"]} if "cached" in verdict else {}
        for scenario in SCENARIOS:
            if framework in scenario.probes:
                result = verdict["found"].get(scenario.id, {"outcome": "missing"})
            else:
                result = {"outcome": "n/a", "message": scenario.not_applicable.get(framework, "")}
            records.append({"type": "error_path", "scenario": scenario.id, "rule": scenario.rule,
                            "rank": scenario.rank, "framework": framework, "spec": spec_verdict(scenario),
                            "code": scenario.probes.get(framework), **result, **cached})
    return records


def _child(request_path: str) -> None:
    """Run the probes of a request file, one JSON line before and after each, flushed."""
    import numpy as np  # noqa: F401  (the probes use it)

    request = json.loads(Path(request_path).read_text())
    namespace = {"np": np}
    try:
        exec(request["setup"], namespace)
    except Exception as err:
        print(json.dumps({"status": "setup-failed", "error": f"{type(err).__name__}: {err}"}), flush=True)
        return
    for scenario, code in request["probes"]:
        print(json.dumps({"status": "started", "scenario": scenario}), flush=True)
        local = dict(namespace)
        try:
            exec(code, local)
            out = local.get("out")
            shape = list(getattr(out, "shape", ()) or ())
            result = {"outcome": "returned", "shape": [int(v) for v in shape]}
        except BaseException as err:  # noqa: BLE001 (whatever the framework throws is the finding)
            result = {"outcome": "raised", "exception": type(err).__name__,
                      "message": str(err).strip()[:600]}
        print(json.dumps({"scenario": scenario, **result}), flush=True)


if __name__ == "__main__":
    _child(sys.argv[1])
