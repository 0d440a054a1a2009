"""The version matrix, in one place. Each set is a nox session tagged
"matrix" that installs its framework versions into an environment of its own
and runs the main job's fixed cases there; `convt-suite matrix` runs them one
after another here and merges them into one report led by the version grid;
the GitHub workflow lists the same sessions (`nox -l --json -t matrix`).

    nox -l                         # every session
    nox -s "tests(pinned)"         # the suite's own tests on the pinned set (CI)
    nox -s "matrix(keras-3.0)"     # one set of the matrix
    convt-suite matrix             # every set, then the merge (README: timings)

Sets vary one framework at a time from the pinned set. Where a framework
version cannot live beside the pinned versions of the others, the set says
what else had to move and why; the report reads every version from the
installed environment, and the grid attributes a change only across sets
that agree on every other framework the behaviour depends on.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nox

# uv, not pip: several times faster here, and its cache (~/.cache/uv) keeps
# every download (docs/how-to/run-the-matrix.md has the figures)
nox.options.default_venv_backend = "uv"
nox.options.sessions = ["tests(pinned)"]

CONSTRAINTS = Path(__file__).with_name("constraints.txt")


def canonical(name: str) -> str:
    """PEP 503: pip freeze writes tensorflow_cpu for tensorflow-cpu."""
    return re.sub(r"[-_.]+", "-", name).lower()


def constraints() -> dict[str, str]:
    """The exact pins of constraints.txt, by canonical distribution name."""
    pins = {}
    for line in CONSTRAINTS.read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[canonical(name.strip())] = version.split()[0]
    return pins


# the frameworks of the pinned set, as constraints.txt pins them
PINNED = {dist: constraints()[dist] for dist in ("torch", "tensorflow-cpu", "jax", "jaxlib", "keras")}


def jax(version: str) -> dict:
    return {"jax": version, "jaxlib": version}


# set name -> (what it pins over the pinned set, why); None: let uv choose;
# "override": requirements that win over a package's declared ones. Numpy 1.x sets: TF
# before 2.18 is built against numpy 1, and jax 0.10.2 needs numpy 2, so those
# sets let uv pick the newest jax that allows numpy 1 (recorded per run).
SETS: dict[str, tuple[dict, str]] = {
    "pinned": ({}, "the versions constraints.txt pins (CI)"),
    # TensorFlow, 2.12 to 2.20. TF < 2.16 declares keras 2.x (tf.keras); Keras 3
    # is installed over it (an override), as Keras 3 users of those TFs do.
    "tensorflow-2.12": ({"tensorflow-cpu": "2.12.1", "numpy": "1.24.3", "jax": None, "jaxlib": None,
                         "override": ["typing-extensions>=4.10"]},
                        "TF 2.12 needs numpy < 1.24.4; Keras 3.15 over its keras 2.12 pin, and "
                        "torch 2.13's typing-extensions >= 4.10 over its < 4.6 pin (an override)"),
    "tensorflow-2.14": ({"tensorflow-cpu": "2.14.1", "numpy": "1.26.4", "jax": None, "jaxlib": None},
                        "TF 2.14 needs numpy 1.x; Keras 3.15 over its keras 2.14 pin"),
    "tensorflow-2.16": ({"tensorflow-cpu": "2.16.2", "numpy": "1.26.4", "jax": None, "jaxlib": None},
                        "the first TF that depends on Keras 3; numpy 1.x"),
    "tensorflow-2.18": ({"tensorflow-cpu": "2.18.1", "numpy": "2.0.2"},
                        "the first TF on numpy 2 (< 2.1)"),
    "tensorflow-2.20": ({"tensorflow-cpu": "2.20.0"}, "the one before the pinned TF"),
    # JAX, 0.4.20 to 0.8.3 (jaxlib the same version)
    "jax-0.4.20": ({**jax("0.4.20"), "numpy": "1.26.4"},
                   "jaxlib 0.4.20 is built against numpy 1.x (fails to import with numpy 2)"),
    "jax-0.4.30": (jax("0.4.30"), "the first jaxlib built for numpy 2"),
    "jax-0.4.38": (jax("0.4.38"), "the last 0.4"),
    "jax-0.6.2": (jax("0.6.2"), ""),
    "jax-0.8.3": (jax("0.8.3"), ""),
    # Keras, 3.0 to 3.14: TF 2.21 requires keras >= 3.12, so each older Keras
    # goes with the newest TF that allows it, one that a TensorFlow set runs
    # too (so a change can be told apart from TF's)
    "keras-3.0": ({"keras": "3.0.5", "tensorflow-cpu": "2.16.2", "numpy": "1.26.4", "jax": None,
                   "jaxlib": None}, "TF 2.16 (keras >= 3.0); numpy 1.x, as tensorflow-2.16"),
    "keras-3.3": ({"keras": "3.3.3", "tensorflow-cpu": "2.16.2", "numpy": "1.26.4", "jax": None,
                   "jaxlib": None}, "TF 2.16, as keras-3.0"),
    "keras-3.6": ({"keras": "3.6.0", "tensorflow-cpu": "2.18.1", "numpy": "2.0.2"},
                  "TF 2.18 (keras >= 3.5), as tensorflow-2.18"),
    "keras-3.9": ({"keras": "3.9.2", "tensorflow-cpu": "2.18.1", "numpy": "2.0.2"},
                  "TF 2.18; TF 2.20 needs keras >= 3.10"),
    "keras-3.10": ({"keras": "3.10.0", "tensorflow-cpu": "2.20.0"},
                   "TF 2.20 (keras >= 3.10), as tensorflow-2.20"),
    "keras-3.12": ({"keras": "3.12.0"}, "the oldest Keras TF 2.21 allows"),
    "keras-3.13": ({"keras": "3.13.2"}, "the last 3.13"),
    "keras-3.14": ({"keras": "3.14.1"}, "the last 3.14, the one before the pinned Keras"),
    # PyTorch: only 2.13.0 is a CPU build here; these pull ~5 GB of CUDA wheels
    # each (uv's cache keeps them; they run on CPU)
    "torch-2.5": ({"torch": "2.5.1"}, "CUDA build, about 5 GB"),
    "torch-2.9": ({"torch": "2.9.1"}, "CUDA build, about 5 GB"),
    "torch-2.14": ({"torch": "2.14.1"}, "CUDA build; the newest torch this machine's registry mirror keeps"),
    # every framework at its oldest that can live together
    "oldest": ({"torch": "2.5.1", "tensorflow-cpu": "2.16.2", "keras": "3.0.5", **jax("0.4.20"),
                "numpy": "1.26.4"},
               "TF 2.16: the oldest TF whose own Keras is Keras 3; jax 0.4.20 with numpy 1.x"),
    # the early warning: the newest releases the registry offers, resolved now
    "newest": ({name: "newest" for name in ("torch", "tensorflow-cpu", "jax", "jaxlib", "keras")},
               "resolved at run time"),
}
# the harness's own pins (constraints.txt) that every set keeps; everything
# else a set leaves to the resolver, and the run records what it got
# (matplotlib floats: 3.11 needs a newer numpy than TF 2.12 allows)
HARNESS = ("hypothesis", "pytest", "pytest-xdist", "Jinja2", "filelock", "rich", "packaging")


# the adapters beyond the frameworks: ONNX's (onnx, onnxruntime, onnxscript) and PyTorch's
# test reference (expecttest). The pinned set pins them as constraints.txt does and `newest`
# takes their newest releases; the other sets vary a framework and leave them out (those
# adapters are unavailable there, and the grid says "not run")
COMPANIONS = ("onnx", "onnxruntime", "onnxscript", "expecttest")


def local_wheels(session: nox.Session) -> None:
    """This machine's local wheels (the CPU torch) reach uv as they reach pip."""
    links = os.environ.get("PIP_FIND_LINKS")
    if links and "UV_FIND_LINKS" not in os.environ:
        session.env["UV_FIND_LINKS"] = links


def machine_caps() -> list[str]:
    """pip's own constraint file on this machine (PIP_CONSTRAINT, else a
    pip.conf's `constraint`), as install arguments: a machine may cap what it
    can install (this one caps torch at the newest release on its disk), and
    uv does not read pip's configuration."""
    listed = subprocess.run([sys.executable, "-m", "pip", "config", "list"],
                            capture_output=True, text=True).stdout
    found = re.search(r"^(?:global|install)\.constraint='([^']+)'", listed, re.MULTILINE)
    path = os.environ.get("PIP_CONSTRAINT") or (found.group(1) if found else "")
    return ["-c", path] if path and Path(path).is_file() else []


@nox.session(python="3.11")
@nox.parametrize("versions", ["pinned"], ids=["pinned"])
def tests(session: nox.Session, versions: str) -> None:
    """The suite's own tests (what .ci/run runs), on the pinned set."""
    local_wheels(session)
    session.install("-c", "constraints.txt", "-e", ".[all]")
    session.run("python", "-m", "pytest", "-n", "auto", *session.posargs)


@nox.session(python="3.11", tags=["matrix"])
@nox.parametrize("name", list(SETS), ids=list(SETS))
def matrix(session: nox.Session, name: str) -> None:
    """One version set: install it, run the main job's fixed cases, keep the results."""
    local_wheels(session)
    overrides, _why = SETS[name]
    pinned = constraints()
    wanted = {**PINNED, **overrides}
    frameworks = [dist if version in (None, "newest") else f"{dist}=={version}"
                  for dist, version in wanted.items() if dist in PINNED]
    extra = [f"{dist}=={version}" for dist, version in overrides.items()
             if dist not in PINNED and dist != "override" and version]
    if name == "newest":
        extra += COMPANIONS
    if name == "pinned":
        session.install("-c", "constraints.txt", *machine_caps(), "-e", ".", *frameworks, *COMPANIONS)
    else:
        harness = Path(session.create_tmp()) / "harness.txt"
        harness.write_text("".join(f"{dist}=={pinned[canonical(dist)]}\n" for dist in HARNESS))
        # Keras 3 over an older TF's declared keras 2.x: an override, not a conflict
        keras = [f"keras=={wanted['keras']}"] if wanted["keras"] not in (None, "newest") else ["keras"]
        override = Path(session.create_tmp()) / "override.txt"
        override.write_text("\n".join(keras + overrides.get("override", [])) + "\n")
        session.install("-c", str(harness), *machine_caps(), "--override", str(override), "--upgrade",
                        "-e", ".", *frameworks, *extra)
    out = Path(os.environ.get("CONVT_SUITE_MATRIX_OUT", "reports/matrix")) / name
    out.mkdir(parents=True, exist_ok=True)
    # exit 1 (a check failed) is a result here, not a broken run: the grid shows it
    session.run("convt-suite", "run", "--explore", "0", "--examples-db", "off",
                "--results", str(out / "results.jsonl"), *session.posargs,
                env={"CONVT_SUITE_VERSION_SET": name}, success_codes=[0, 1])
