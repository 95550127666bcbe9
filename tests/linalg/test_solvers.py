"""Inverses, determinants, solvers, least squares, pseudo-inverse and rank against real PyTorch:
values, named tuples, info outputs, broadcasting, gradients, out= and the errors for singular
or non-square input (``torch.linalg.LinAlgError``)."""

from __future__ import annotations

import numpy as np
import pytest

from tests._ci import ci_sample
from tests._parity import assert_same

from ._helpers import check, mat, spd


@pytest.mark.parametrize("batch", ci_sample([(), (2,)], 2))  # CI: one of the two
def test_inv_det_slogdet(batch):
    a = mat(*batch, 3, 3)
    check("linalg.inv", a)
    check("linalg.inv_ex", a)
    check("inverse", a)
    check("linalg.det", a)
    check("det", a)
    check("linalg.slogdet", a)
    check("slogdet", a)
    check("logdet", spd(3, batch))
    check("linalg.matrix_power", a, 3)
    check("linalg.matrix_power", a, -2)
    check("matrix_exp", a)


def test_singular_and_shape_errors():
    assert_same("""
        S = torch.tensor([[1., 2.], [2., 4.]], dtype=torch.float64)
        B = torch.stack([torch.eye(2, dtype=torch.float64), S])
        R = torch.ones(2, 3, dtype=torch.float64)
        cases = [
            lambda: torch.linalg.inv(S), lambda: torch.linalg.inv(B), lambda: torch.inverse(S),
            lambda: torch.linalg.inv_ex(B, check_errors=True), lambda: torch.linalg.inv(R),
            lambda: torch.linalg.inv(torch.ones(3, 3, dtype=torch.long)),
            lambda: torch.linalg.inv(torch.ones(3)), lambda: torch.linalg.det(R),
            lambda: torch.linalg.solve(S, torch.ones(2, dtype=torch.float64)),
            lambda: torch.linalg.solve(R, torch.ones(2, dtype=torch.float64)),
            lambda: torch.linalg.solve(S, torch.ones(3, dtype=torch.float64)),
            lambda: torch.linalg.solve(S, torch.ones(2)),
            lambda: torch.linalg.matrix_power(S, -1),
            lambda: torch.linalg.slogdet(R),
        ]
        for f in cases:
            try:
                print(f())
            except RuntimeError as e:
                print(type(e).__name__, isinstance(e, torch.linalg.LinAlgError), e)
        print(torch.linalg.inv_ex(B).info)
        print(torch.linalg.solve_ex(B, torch.ones(2, 2, 1, dtype=torch.float64)).info)
        print(torch.linalg.slogdet(S).logabsdet, torch.logdet(-torch.eye(3)))
    """)


@pytest.mark.parametrize("left", ci_sample([True, False], 2))  # CI: one of the two
def test_solve(left):
    a = mat(2, 3, 3)
    check("linalg.solve", a, mat(2, 3, 2) if left else mat(2, 2, 3), left=left)
    check("linalg.solve", a, mat(3, 2) if left else mat(1, 2, 3), left=left)  # broadcast B
    if left:
        check("linalg.solve", a, mat(2, 3))  # batch of vectors
        check("linalg.solve", a[0], mat(3))  # one vector
    else:
        assert_same("""
            try:
                torch.linalg.solve(torch.eye(3), torch.ones(3), left=False)
            except RuntimeError as e:
                print(e)
        """)
    check("linalg.solve_ex", a, mat(2, 3, 1) if left else mat(2, 1, 3), left=left)


@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("unit", [False, True])
def test_solve_triangular(upper, left, unit):
    a = mat(2, 3, 3) + 3 * np.eye(3)
    b = mat(2, 3, 2) if left else mat(2, 2, 3)
    check("linalg.solve_triangular", a, b, upper=upper, left=left, unitriangular=unit)


@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("transpose", [False, True])
def test_triangular_solve_legacy(upper, transpose):
    a = mat(3, 3) + 3 * np.eye(3)
    check("triangular_solve", mat(3, 2), a, upper=upper, transpose=transpose)


@pytest.mark.parametrize("driver", [None, "gels", "gelsd", "gelss", "gelsy"])
def test_lstsq(driver):
    check("linalg.lstsq", mat(5, 3), mat(5, 2), driver=driver)
    check("linalg.lstsq", mat(2, 5, 3), mat(2, 5), driver=driver, grad=False)
    check("linalg.lstsq", mat(3, 5), mat(3, 2), driver=driver, grad=False)


def test_lstsq_rank_deficient_and_errors():
    a = mat(6, 2) @ mat(2, 4)  # rank 2
    check("linalg.lstsq", a, mat(6, 2), driver="gelsd", grad=False, rtol=1e-6, atol=1e-8)
    assert_same("""
        A = torch.ones(3, 3, dtype=torch.float64)
        for f in (lambda: torch.linalg.lstsq(A, torch.ones(3, 2, 2, dtype=torch.float64)),
                  lambda: torch.linalg.lstsq(A, A, driver="foo")):
            try:
                f()
            except RuntimeError as e:
                print(e)
    """)


@pytest.mark.parametrize("hermitian", [False, True])
def test_pinv_and_rank(hermitian):
    a = spd(4) if hermitian else mat(4, 3)
    check("linalg.pinv", a, hermitian=hermitian)
    check("linalg.matrix_rank", a, hermitian=hermitian)
    low = mat(5, 2) @ mat(2, 5)
    low = low @ low.T if hermitian else low
    check("linalg.pinv", low, hermitian=hermitian, grad=False, rtol=1e-6, atol=1e-8)
    check("linalg.matrix_rank", low, hermitian=hermitian)
    check("linalg.matrix_rank", low, atol=1.0, rtol=0.1, hermitian=hermitian)
    check("pinverse", mat(3, 4))


def test_tensorinv_tensorsolve():
    check("linalg.tensorinv", mat(4, 6, 8, 3), ind=2)
    check("linalg.tensorinv", mat(6, 2, 3), ind=1)
    check("linalg.tensorsolve", mat(2, 3, 6), mat(2, 3))
    check("linalg.tensorsolve", mat(6, 2, 3), mat(2, 3), dims=(0,))


def test_out_and_printing():
    assert_same("""
        A = torch.tensor([[2., 1.], [1., 3.]], dtype=torch.float64)
        out = torch.empty(2, 2, dtype=torch.float64)
        print(torch.linalg.inv(A, out=out) is out, out)
        L, info = torch.empty(0, dtype=torch.float64), torch.empty(0, dtype=torch.int32)
        r = torch.linalg.cholesky_ex(A, out=(L, info))
        print(tuple(r), r.L is L)
        print(torch.linalg.solve_ex(A, torch.ones(2, dtype=torch.float64)))
        print(torch.linalg.lstsq(A, torch.ones(2, 1, dtype=torch.float64)))
        x = A.clone().requires_grad_()
        try:
            torch.linalg.det(x, out=out)
        except RuntimeError as e:
            print(str(e).split("(): ")[1])  # torch names its internal op (_linalg_det)
        print(torch.linalg.inv(x), torch.linalg.det(x), torch.linalg.slogdet(x))
    """)


@pytest.mark.parametrize("ord", [0.5, -0.5, -1, 1.5, 3])
@pytest.mark.parametrize("x", [[0.0, 0.0, 0.0], [0.0, 1.0, -2.0]])
def test_vector_norm_subgradient_at_zero(ord, x):
    check("linalg.vector_norm", np.array(x), ord)
