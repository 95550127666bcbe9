"""PyTorch's OpInfo database against torchlike, one test per op (see README.md).

``test_ci`` (the default run): the first CI_SAMPLES samples of every non-``nn`` op in float32
and one integer dtype. ``test_full`` (``TORCHLIKE_CONFORMANCE=full``, ``nox -s
conformance``): every sample, every op, every supported dtype. A case failing and not in
``expected_failures.txt`` fails; a listed case that passes fails too ("now passes")."""

from __future__ import annotations

import os

import pytest

from tests.conformance import _driver as D

FULL = os.environ.get("TORCHLIKE_CONFORMANCE") == "full"
# The samples' pass rate may only rise (a ratchet, like test_coverage's FLOORS): raise these to
# the measured figure when work lands. The target is 0.99 in both modes. Full: 61834 of
# 61927 samples over 645 of the 647 op ids (all but max_pool2d/3d), merged per-op logs, 2026-12-03.
PASS_RATE_FLOORS = {"ci": 0.998, "full": 0.998}
_RUNS: dict = {}  # (mode, op id) -> OpRun, shared with test_pass_rate


def _params(mode: str):
    if not D.torch_available():
        return [pytest.param(None, marks=pytest.mark.skip(reason="torch is not installed"))]
    if mode == "full" and not FULL:
        return [pytest.param(None, marks=pytest.mark.skip(
            reason="the full run: TORCHLIKE_CONFORMANCE=full (nox -s conformance)"))]  # fmt: skip
    return [pytest.param(op, id=D.op_id(op)) for op in D.ops_in_scope(mode)]


def _run(op, mode: str):
    key = (mode, D.op_id(op))
    if key not in _RUNS:
        _RUNS[key] = D.run_op(op, mode)
    return _RUNS[key]


def _check(op, mode: str):
    run = _run(op, mode)
    results = run.cases(mode, D.ci_dtypes(op))
    problems = D.verdict(results, D.read_expected(), f"{mode}:{run.op_id}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("op", _params("ci"))
def test_ci(op):
    _check(op, "ci")


@pytest.mark.slow
@pytest.mark.parametrize("op", _params("full"))
def test_full(op):
    _check(op, "full")


def test_pass_rate():
    """Prints the samples' pass rate (every check of a sample passes), over all samples and over
    the samples of cases not listed as expected failures (a sample of an op+dtype with a listed
    case is left out), and holds the first to its floor. Reuses the runs of the tests above."""
    if not D.torch_available():
        pytest.skip("torch is not installed")
    expected = D.read_expected()
    for mode in ("ci", "full") if FULL else ("ci",):
        run_all = ok_all = run_clean = ok_clean = cases = failing = 0
        for op in D.ops_in_scope(mode):
            run = _run(op, mode)
            results = run.cases(mode, D.ci_dtypes(op))
            cases += len(results)
            failing += sum(r is not None for r in results.values())
            n, ok = run.sample_counts(mode, D.ci_dtypes(op))
            run_all, ok_all = run_all + n, ok_all + ok
            n, ok = run.sample_counts(mode, D.ci_dtypes(op), skip=expected)
            run_clean, ok_clean = run_clean + n, ok_clean + ok
        print(
            f"\nconformance ({mode}): {cases} cases, {cases - failing} pass "
            f"({(cases - failing) / max(cases, 1):.1%}); samples run {run_all}, pass "
            f"{ok_all} ({ok_all / max(run_all, 1):.1%}); excluding expected failures: "
            f"samples run {run_clean}, pass {ok_clean} ({ok_clean / max(run_clean, 1):.1%})"
        )
        rate = ok_all / max(run_all, 1)
        if mode in PASS_RATE_FLOORS:
            assert rate >= PASS_RATE_FLOORS[mode], f"{mode} pass rate {rate:.1%} below its floor"
