"""The version matrix, in one place: `nox -s tests` runs the suite against
every framework version set listed in MATRIX, `nox -s sweep` runs the main
job. Each session installs into its own virtualenv with constraints.txt for
everything MATRIX does not override.

    nox -l                     # list sessions
    nox -s "tests(pinned)"     # one entry of the matrix
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"

# name -> the framework versions installed for it. Add a set to widen the
# matrix; torch must stay a CPU build (2.13.0 here: newer pulls CUDA wheels).
MATRIX = {
    "pinned": {"torch": "2.13.0", "tensorflow-cpu": "2.21.0", "jax": "0.10.2",
               "jaxlib": "0.10.2", "keras": "3.15.1"},
}


def install(session: nox.Session, versions: dict) -> None:
    overrides = [f"{name}=={version}" for name, version in versions.items()]
    session.install("-c", "constraints.txt", "-e", ".[all]")
    session.install(*overrides)


@nox.session(python="3.11")
@nox.parametrize("versions", list(MATRIX), ids=list(MATRIX))
def tests(session: nox.Session, versions: str) -> None:
    install(session, MATRIX[versions])
    results = f"reports/matrix/{versions}/results.jsonl"
    session.run("python", "-m", "pytest", "--results", results, *session.posargs)


@nox.session(python="3.11")
@nox.parametrize("versions", list(MATRIX), ids=list(MATRIX))
def sweep(session: nox.Session, versions: str) -> None:
    install(session, MATRIX[versions])
    session.run("convt-suite", "run", "--results", f"reports/matrix/{versions}/sweep.jsonl",
                *session.posargs)
