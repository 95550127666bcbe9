"""Sessions: ``nox -s tests`` (the suite without the ``slow``-marked tests, reference tests
against torch 2.13, two workers), ``nox -s slow`` (the ``slow``-marked tests: full OpInfo
conformance, every dtype of the fft/special/linalg sweeps), ``nox -s conformance`` (the full
OpInfo conformance run alone),
``nox -s examples`` (run every example through ``torchlike run``), ``nox -s bench``."""

from __future__ import annotations

import os

import nox

nox.options.sessions = ["tests"]
nox.options.reuse_existing_virtualenvs = True

# torch 2.13.0's CPU wheel is available for 3.11 here; other Pythons would pull a CUDA build.
REFERENCE_PYTHON = "3.11"


@nox.session(python=REFERENCE_PYTHON)
def tests(session: nox.Session) -> None:
    """The test suite. Under CI (CI=true) tests that need real torch are mandatory."""
    session.install("-e", ".[test]")
    env = {"TORCHLIKE_REQUIRE_TORCH": "1"} if os.environ.get("CI") else {}
    # two workers; one file per worker at a time (tests of a file share module state)
    args = session.posargs or ["-q", "-n", "2", "--dist", "loadfile", "-m", "not slow"]
    session.run("pytest", *args, env=env)


@nox.session(python=REFERENCE_PYTHON)
def slow(session: nox.Session) -> None:
    """The ``slow``-marked tests that CI's suite leaves out: the full OpInfo conformance run
    and gradcheck sweep, every dtype of the fft/special/linalg sweeps."""
    session.install("-e", ".[test]")
    env = {"TORCHLIKE_CONFORMANCE": "full", "TORCHLIKE_REQUIRE_TORCH": "1"}
    session.run("pytest", "-q", "-n", "2", "--dist", "loadfile", "-m", "slow", *session.posargs,
                env=env)  # fmt: skip


@nox.session(python=REFERENCE_PYTHON)
def conformance(session: nox.Session) -> None:
    """PyTorch's OpInfo database in full (every op, sample and supported dtype, gradcheck):
    tests/conformance/README.md. ``nox -s conformance -- --write-expected-failures`` rewrites
    the expected-failure list instead (one in-process run, no pytest)."""
    session.install("-e", ".[test]")
    if "--write-expected-failures" in session.posargs:
        session.run("python", "-m", "tests.conformance", *session.posargs)
        return
    env = {"TORCHLIKE_CONFORMANCE": "full", "TORCHLIKE_REQUIRE_TORCH": "1"}
    session.run("pytest", "-q", "tests/conformance", *session.posargs, env=env)


@nox.session(python=["3.12", "3.13"])
def tests_without_torch(session: nox.Session) -> None:
    """The suite on other Pythons, reference tests skipped (no torch wheel is pinned there)."""
    session.install("-e", ".", "pytest", "hypothesis", "matplotlib", "tqdm")
    session.run("pytest", *(session.posargs or ["-q"]))


@nox.session(python=REFERENCE_PYTHON)
def examples(session: nox.Session) -> None:
    """Run every example script through ``torchlike run``."""
    session.install("-e", ".[examples]")
    for path in sorted(os.listdir("examples")):
        if path.endswith(".py") and not path.startswith("_"):
            session.run("torchlike", "run", f"examples/{path}")


@nox.session(python=REFERENCE_PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks W1-W7: torchlike eager and compiled against PyTorch eager, torch.compile and
    hand-written JAX, one run, one thread. ``nox -s bench -- --ops`` for the per-op table,
    ``-- --only W5 --threads 2`` for a subset or another thread count (benchmarks/README.md)."""
    session.install("-e", ".[bench]")
    session.run("python", "-m", "benchmarks", *session.posargs)
