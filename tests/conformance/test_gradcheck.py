"""``torchlike.autograd.gradcheck`` / ``gradgradcheck`` (torch's signatures) on the first
float64 sample of every op that supports autograd (gradgrad: ``supports_gradgrad``). Part of the
full run (``TORCHLIKE_CONFORMANCE=full``, ``nox -s conformance``): numerical Jacobians cost one
op call per input element. Failures go in expected_failures.txt as ``gradcheck:<op>`` and
``gradgradcheck:<op>``."""

from __future__ import annotations

import pytest

import torchlike
from tests.conformance import _driver as D
from tests.conformance.test_conformance import FULL


def _params():
    if not D.torch_available():
        return [pytest.param(None, marks=pytest.mark.skip(reason="torch is not installed"))]
    if not FULL:
        return [pytest.param(None, marks=pytest.mark.skip(
            reason="the full run: TORCHLIKE_CONFORMANCE=full (nox -s conformance)"))]  # fmt: skip
    return [pytest.param(op, id=D.op_id(op)) for op in D.ops_in_scope("full")
            if op.supports_autograd]  # fmt: skip


def _check(op, kind: str):
    if not hasattr(torchlike.autograd, kind):
        pytest.skip(f"torchlike.autograd.{kind} does not exist yet")
    if kind == "gradgradcheck" and not op.supports_gradgrad:
        pytest.skip("op_db: no gradgrad support")
    case = f"{kind}:{D.op_id(op)}"
    reason = D.gradcheck_op(op, second_order=kind == "gradgradcheck")
    problems = D.verdict({case: reason}, D.read_expected(), case)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("op", _params())
def test_gradcheck(op):
    _check(op, "gradcheck")


@pytest.mark.slow
@pytest.mark.parametrize("op", _params())
def test_gradgradcheck(op):
    _check(op, "gradgradcheck")
