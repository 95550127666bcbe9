"""Factorizations against real PyTorch: cholesky, LU, QR, eigh/eig, SVD, LDL, geqrf and
Householder products — values, named tuples, info outputs, batches, gradients, errors."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from tests._ci import ci_sample
from tests._parity import assert_same
from torchlike import _warn_once

from ._helpers import check, mat, spd


def _abs_vectors(lib, out):
    """Eigen/singular vectors up to sign: compare |v| and the values."""
    return [o.abs() if o.ndim >= 2 else o for o in out]


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("batch", [(), (2,)])
def test_cholesky(upper, batch):
    check("linalg.cholesky", spd(4, batch), upper=upper)
    check("linalg.cholesky_ex", spd(3, batch), upper=upper)


def test_cholesky_reads_one_triangle():
    a = spd(3) + np.triu(np.ones((3, 3)), 1)  # garbage above the diagonal
    check("linalg.cholesky", a)
    check("linalg.cholesky", a.T.copy(), upper=True)


def test_cholesky_legacy_and_inverse_and_solve():
    low = np.linalg.cholesky(spd(3))
    check("cholesky_inverse", low)
    check("cholesky_inverse", low.T.copy(), upper=True)
    check("cholesky_solve", mat(3, 2), low)
    check("cholesky_solve", mat(2, 3, 2), low.T.copy(), upper=True)


def test_cholesky_errors_and_info():
    assert_same("""
        import warnings
        N = torch.tensor([[1., 2.], [2., 1.]], dtype=torch.float64)
        B = torch.stack([torch.eye(2, dtype=torch.float64), N])
        for f in (lambda: torch.linalg.cholesky(N), lambda: torch.linalg.cholesky(B),
                  lambda: torch.linalg.cholesky_ex(B, check_errors=True),
                  lambda: torch.linalg.cholesky(torch.ones(2, 3)),
                  lambda: torch.linalg.cholesky(torch.ones(3)),
                  lambda: torch.linalg.cholesky(torch.ones(2, 2, dtype=torch.long))):
            try:
                f()
            except RuntimeError as e:
                print(type(e).__name__, isinstance(e, torch.linalg.LinAlgError), e)
        print(torch.linalg.cholesky_ex(B).info)
        print(torch.linalg.cholesky_ex(torch.eye(2)))
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            print(torch.cholesky(torch.eye(2) * 4))
    """)


@pytest.mark.parametrize("shape", ci_sample([(4, 4), (5, 3), (3, 5), (2, 4, 4)], 2))  # CI: half
def test_lu_factor_and_lu(shape):
    a = mat(*shape)
    check("linalg.lu_factor", a)
    check("linalg.lu_factor_ex", a)
    check("linalg.lu", a)


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [False, True])
def test_lu_solve(left, adjoint):
    import torch

    a = mat(2, 4, 4)
    lu, piv = torch.linalg.lu_factor(torch.tensor(a))
    b = mat(2, 4, 3) if left else mat(2, 3, 4)
    check("linalg.lu_solve", lu.numpy(), piv.numpy(), b, left=left, adjoint=adjoint)


def test_lu_legacy_and_unpack():
    import torch

    a = mat(4, 3)
    check("lu_unpack", *map(np.asarray, torch.linalg.lu_factor(torch.tensor(a))))
    check("lu_unpack", *map(np.asarray, torch.linalg.lu_factor(torch.tensor(a))),
          unpack_data=False, grad=False)  # fmt: skip
    sq = mat(3, 3)
    lu, piv = torch.linalg.lu_factor(torch.tensor(sq))
    assert_same("""
        import warnings
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            A = torch.tensor([[2., 1.], [1., 3.]], dtype=torch.float64)
            print(torch.lu(A))
            print(torch.lu(A, get_infos=True))
            print(A.lu())
            LU, piv = torch.linalg.lu_factor(A)
            print(torch.lu_solve(torch.ones(2, 1, dtype=torch.float64), LU, piv))
            print(torch.linalg.lu_factor_ex(torch.tensor([[1., 2.], [2., 4.]])))
            try:
                torch.linalg.lu_factor(torch.tensor([[1., 2.], [2., 4.]]))
            except RuntimeError as e:
                print(e)
            try:
                torch.linalg.lu_factor(A, pivot=False)
            except RuntimeError as e:
                print(e)
    """)
    del lu, piv


@pytest.mark.parametrize("mode", ["reduced", "complete", "r"])
@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (2, 3, 3)])
def test_qr(mode, shape):
    grad = not (mode == "r" or (mode == "complete" and shape[-2] > shape[-1]))
    check("linalg.qr", mat(*shape), mode=mode, grad=grad)


def test_qr_legacy_geqrf_householder_ormqr():
    import torch

    check("qr", mat(4, 3))
    check("qr", mat(4, 3), some=False, grad=False)
    a = mat(5, 3)
    geq = torch.geqrf(torch.tensor(a))
    check("geqrf", a, grad=False)
    h, tau = geq.a.numpy(), geq.tau.numpy()
    check("linalg.householder_product", h, tau)
    check("orgqr", h, tau)
    check("ormqr", h, tau, mat(5, 2))
    check("ormqr", h, tau, mat(2, 5), left=False, transpose=True)
    assert_same("""
        A = torch.tensor([[2., 1.], [1., 3.], [0., 1.]], dtype=torch.float64)
        print(torch.linalg.qr(A))
        print(torch.geqrf(A))
        try:
            torch.linalg.qr(A, mode="x")
        except RuntimeError as e:
            print(e)
    """)


@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh(uplo):
    a = mat(2, 4, 4)
    check("linalg.eigh", a, UPLO=uplo, gauge=_abs_vectors)
    check("linalg.eigvalsh", a, UPLO=uplo)


def test_eig():
    check("linalg.eig", mat(4, 4, seed=3), gauge=_abs_vectors)
    check("linalg.eigvals", mat(2, 3, 3, seed=4))


@pytest.mark.parametrize("full", [True, False])
@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (2, 3, 3)])
def test_svd(full, shape):
    def gauge(lib, out):
        u, s, vh = out
        k = s.shape[-1]
        # U diag(S) Vh and the outer products of the singular vectors are sign free
        return [s, (u[..., :, :k] * s.unsqueeze(-2)) @ vh[..., :k, :],
                u[..., :, :1] * vh[..., :1, :]]

    check("linalg.svd", mat(*shape), full_matrices=full, gauge=gauge)
    check("linalg.svdvals", mat(*shape))


def test_svd_legacy():
    def gauge(lib, out):
        u, s, v = out
        return [s, (u * s.unsqueeze(-2)) @ v.mT]

    check("svd", mat(4, 3), gauge=gauge)
    check("svd", mat(3, 4), some=False, grad=False, gauge=lambda lib, o: [o[1]])
    check("svd", mat(4, 3), compute_uv=False)
    assert_same("""
        A = torch.tensor([[3., 1.], [1., 3.]], dtype=torch.float64)
        print(torch.linalg.svd(A).S, torch.svd(A, compute_uv=False))
        try:
            torch.linalg.svd(A, driver="gesvd")
        except RuntimeError as e:
            print(e)
        print(torch.linalg.svd(torch.ones(3, 3, dtype=torch.long)) if False else "")
    """)


def test_deprecation_warnings_once():
    from torchlike._functions import linalg as impl

    torch = pytest.importorskip("torch")
    import torchlike

    a = np.eye(2) * 4
    for name, call in [("cholesky", lambda m: m.cholesky(m.tensor(a))),
                       ("qr", lambda m: m.qr(m.tensor(a))),
                       ("lu", lambda m: m.lu(m.tensor(a))),
                       ("triangular_solve", lambda m: m.triangular_solve(m.tensor(a),
                                                                         m.tensor(a)))]:
        _warn_once._warned.discard(("linalg", name))
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            call(torchlike)
            call(torchlike)
        assert len(w) == 1 and str(w[0].message) == impl._DEPRECATED[name]
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            call(torch)
        # torch warns once per process: when it does here, the text is the same
        for x in w:
            assert str(x.message).split(" (Triggered internally")[0] == impl._DEPRECATED[name]


def test_ldl():
    a = spd(4) - 5 * np.eye(4)  # indefinite: pivoting happens
    check("linalg.ldl_factor", a, grad=False)
    check("linalg.ldl_factor_ex", a, grad=False)
    import torch

    ld, piv = torch.linalg.ldl_factor(torch.tensor(a))
    check("linalg.ldl_solve", ld.numpy(), piv.numpy(), mat(4, 2), grad=False)


EMPTY = [
    ("linalg.det", (0, 0)), ("linalg.det", (2, 0, 0)), ("linalg.cholesky", (0, 0)),
    ("linalg.cholesky_ex", (2, 0, 0)), ("linalg.householder_product", (3, 0), (0,)),
    ("linalg.householder_product", (2, 3, 2), (2, 0)), ("ormqr", (0, 0), (0,), (0, 2)),
    ("linalg.cond", (0, 0)), ("linalg.cond", (2, 0, 3)), ("linalg.tensorinv", (0, 0), 1),
    ("linalg.eig", (0, 0)), ("linalg.eigvals", (2, 0, 0)), ("linalg.matrix_norm", (2, 0, 3), 2),
    ("linalg.matrix_norm", (3, 0), math.inf), ("linalg.matrix_norm", (0, 0), 1),
]  # fmt: skip


@pytest.mark.parametrize("case", EMPTY, ids=lambda c: f"{c[0]}{c[1]}")
def test_empty_matrices(case):
    name, *args = case
    check(name, *(np.zeros(a) if isinstance(a, tuple) else a for a in args))


@pytest.mark.parametrize("shape", [(0, 0), (2, 0, 0)])
def test_ldl_empty(shape):
    import torch

    check("linalg.ldl_factor", np.zeros(shape), grad=False)
    check("linalg.ldl_factor_ex", np.zeros(shape), grad=False)
    ld, piv = torch.linalg.ldl_factor(torch.zeros(shape, dtype=torch.float64))
    check("linalg.ldl_solve", ld.numpy(), piv.numpy(), np.zeros((*shape[:-1], 5)), grad=False)


@pytest.mark.parametrize("vectors", [False, True])
def test_eig_double_backward(vectors):
    torch = pytest.importorskip("torch")
    import torchlike

    a, c, d = mat(4, 4), mat(4, seed=1), mat(4, 4, seed=2)
    grads = []
    for lib in (torch, torchlike):
        x = lib.tensor(a, requires_grad=True)
        w, v = lib.linalg.eig(x)
        out = (v.abs() @ lib.tensor(c)) if vectors else w.abs() * lib.tensor(c)
        (g,) = lib.autograd.grad(out.sum(), x, create_graph=True)
        (g * lib.tensor(d)).sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("shape", ci_sample([(4, 5), (5, 4), (4, 4)], 3))  # CI: a third
def test_lu_backward_is_torchs_formula(shape):
    # the leading block nearly singular: JAX's own LU derivative loses float32 accuracy there
    a = mat(2, *shape)
    a[..., 3, :] = a[..., 2, :] + 1e-4 * a[..., 3, :]
    f32 = dict(rtol=1e-5, atol=1e-5, grad_tol=(1e-5, 1e-5))
    check("linalg.lu_factor", a.astype(np.float32), **f32)
    check("linalg.lu", a.astype(np.float32), **f32)
    check("linalg.lu", mat(*shape) + 1j * mat(*shape, seed=1))
    assert_same(f"""
        a = torch.tensor({a[0].tolist()}, dtype=torch.float64, requires_grad=True)
        lu, piv = torch.linalg.lu_factor(a)
        g, = torch.autograd.grad((lu * lu).sum(), a, create_graph=True)
        gg, = torch.autograd.grad(g.sin().sum(), a)
        print(g.round(decimals=6), gg.round(decimals=4))
    """)
