"""Hand-written derivative rules (linalg, numerics) against real torch: forward mode, reverse
mode and double backward of the same expression, with edge inputs."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike

torch = pytest.importorskip("torch")
# NOTE: importing torch.func's transforms warns that torch.jit.script is deprecated
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:torch.*")


def _np(t):
    return t.detach().resolve_conj().numpy()


def _pair(*arrays):
    """The same float64/complex128 arrays as torch and torchlike tensors."""
    return [torch.tensor(a) for a in arrays], [torchlike.tensor(a) for a in arrays]


def _close(got, expected, rtol=1e-9, atol=1e-11):
    np.testing.assert_allclose(_np(got), _np(expected), rtol=rtol, atol=atol)


@pytest.mark.parametrize("dtype", [np.float64, pytest.param(np.complex128, marks=pytest.mark.slow)])
def test_matrix_exp_jvp_vjp_double_backward(dtype):
    rng = np.random.default_rng(0)

    def draw():
        x = rng.standard_normal((2, 3, 3))
        return x + 1j * rng.standard_normal(x.shape) if dtype is np.complex128 else x

    (a, t, g), (la, lt, lg) = _pair(draw(), draw(), draw())
    out, tan = torch.func.jvp(torch.linalg.matrix_exp, (a,), (t,))
    l_out, l_tan = torchlike.func.jvp(torchlike.linalg.matrix_exp, (la,), (lt,))
    _close(l_out, out)
    _close(l_tan, tan)

    grads = []
    for lib, x, ct in ((torch, a, g), (torchlike, la, lg)):
        x = x.clone().requires_grad_()
        (gx,) = lib.autograd.grad(lib.linalg.matrix_exp(x), x, ct, create_graph=True)
        (ggx,) = lib.autograd.grad((gx.abs() ** 2).sum(), x)
        grads.append((gx, ggx, gx.grad_fn.name()))
    (gx, ggx, name), (l_gx, l_ggx, l_name) = grads
    _close(l_gx, gx)
    _close(l_ggx, ggx, rtol=1e-8)
    assert l_name == name


@pytest.mark.slow
def test_matrix_exp_forward_over_reverse():
    (a,), (la,) = _pair(np.random.default_rng(1).standard_normal((2, 2, 2)))
    h = torch.func.hessian(lambda x: torch.linalg.matrix_exp(x).sin().sum())(a)
    l_h = torchlike.func.hessian(lambda x: torchlike.linalg.matrix_exp(x).sin().sum())(la)
    _close(l_h, h, rtol=1e-8)


def test_nextafter_grad_broadcasts_and_double_backward():
    rng = np.random.default_rng(2)
    grads = []
    for lib in (torch, torchlike):
        x = lib.tensor(rng.standard_normal((4, 1))).requires_grad_()
        y = lib.tensor(rng.standard_normal((4, 3))).requires_grad_()
        out = lib.nextafter(x, y)
        gx, gy = lib.autograd.grad((out * out).sum(), (x, y), create_graph=True)
        (ggx,) = lib.autograd.grad(gx.sum(), x)
        grads.append((out, gx, gy, ggx))
        rng = np.random.default_rng(2)
    for got, expected in zip(*grads, strict=True):
        _close(got, expected, rtol=0, atol=0)


@pytest.mark.parametrize("include_self", [True, pytest.param(False, marks=pytest.mark.slow)])
def test_scatter_reduce_prod_double_backward(include_self):
    rng = np.random.default_rng(3)
    x, src = rng.uniform(0.5, 2, (3, 4)), rng.uniform(0.5, 2, (3, 5))
    x[0, 1] = src[1, 2] = 0.0  # a zero self and a zero that is alone at its position
    index = np.array([[0, 1, 1, 3, 1], [2, 2, 0, 0, 2], [3, 3, 3, 1, 0]])
    results = []
    for lib in (torch, torchlike):
        a, b = (lib.tensor(v).requires_grad_() for v in (x, src))
        out = a.scatter_reduce(1, lib.tensor(index), b, "prod", include_self=include_self)
        ga, gb = lib.autograd.grad((out * out).sum(), (a, b), create_graph=True)
        results.append((out, ga, gb, *lib.autograd.grad(ga.sin().sum() + gb.cos().sum(), (a, b))))
    for got, expected in zip(results[1], results[0], strict=True):
        _close(got, expected)


def test_gradients_torch_gradcheck_rejects_too():
    # NOTE: torch's own gradcheck fails on op_db's first samples of these (its OpInfos skip or
    # xfail the gradient tests): a negative base gives nan, and as_strided_scatter's backward
    # sends the gradient to the overwritten region of ``input``. Torch's values are the contract.
    results = []
    for lib in (torch, torchlike):
        x = lib.tensor([-1.5, 0.5, 2.0], dtype=lib.float64).requires_grad_()
        base = lib.tensor(-2.0, dtype=lib.float64).requires_grad_()
        out = x.__rpow__(base)
        results.append((out, *lib.autograd.grad(out.sum(), (x, base))))
        a = lib.arange(9.0, dtype=lib.float64).reshape(3, 3).requires_grad_()
        src = lib.ones(2, 2, dtype=lib.float64).requires_grad_()
        out = lib.as_strided_scatter(a, src, (2, 2), (1, 2), 1)
        ct = lib.arange(9.0, dtype=lib.float64).reshape(3, 3) + 1
        results.append((out, *lib.autograd.grad(out, (a, src), ct)))
    for got, expected in zip(results[2:], results[:2], strict=True):
        for g, e in zip(got, expected, strict=True):
            _close(g, e, rtol=0, atol=0)
