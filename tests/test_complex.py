"""Complex dtypes end to end against real PyTorch: creation and promotion, printing, the views
between complex and real tensors (they write through), conjugation, and gradients in PyTorch's
conjugate convention."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike

from ._parity import assert_same


def _np(t):
    return np.asarray(t.detach().resolve_conj().numpy() if hasattr(t, "resolve_conj") else t)


# -- printing -------------------------------------------------------------------------------------
_PRINT_DATA = [
    "[1+2j, 3-1j]", "2+0.5j", "0j", "-0.0-0.0j", "[[1+2j, 3.5-1j], [0j, -1-1j]]",
    "[1e-5+1j, 1e5-2j]", "[1e10+0j]", "[1.123456+2j, 3.0001-1e-3j]",
    "[complex('nan+1j'), complex(1, float('inf')), complex(float('-inf'), -0.0)]",
    "[complex(i, -i * 0.37) for i in range(2000)]",
    "[[[complex(i, j * k) for i in range(7)] for j in range(9)] for k in range(9)]",
]  # fmt: skip


@pytest.mark.parametrize("data", _PRINT_DATA)
def test_print(data):
    assert_same(f"""
        z = torch.tensor({data})
        print(z)
        print(z.to(torch.complex128))
        print(z.clone().requires_grad_())
        print(z.to(torch.complex128) * 1j)
    """)


def test_print_options_and_default_dtype():
    assert_same("""
        z = torch.tensor([1.5+2j, 3-1e-3j, 100j])
        for opts in (dict(precision=2), dict(sci_mode=True), dict(linewidth=20),
                     dict(threshold=2, edgeitems=1), dict(sci_mode=False)):
            torch.set_printoptions(**opts)
            try:
                print(z, z * 1e6)
            finally:
                torch.set_printoptions(profile="default")
        torch.set_default_dtype(torch.float64)
        try:
            print(z, z.to(torch.complex128), torch.tensor(1j), (torch.ones(2) * 1j).dtype)
        finally:
            torch.set_default_dtype(torch.float32)
        print(torch.tensor([], dtype=torch.complex64), torch.zeros(0, 2, dtype=torch.cdouble))
    """)


# -- creation, dtypes, promotion ------------------------------------------------------------------
def test_creation():
    assert_same("""
        print(torch.zeros(2, dtype=torch.complex64), torch.ones(2, dtype=torch.cdouble))
        print(torch.full((2,), 1+2j), torch.full((2,), 1+2j, dtype=torch.complex128))
        print(torch.tensor(1+2j), torch.tensor([1, 2+1j]))
        print(torch.tensor([1., 2.], dtype=torch.cfloat))
        print(torch.eye(2, dtype=torch.cfloat), torch.zeros_like(torch.ones(2), dtype=torch.cfloat))
        print(torch.empty(2, dtype=torch.cfloat).dtype, torch.rand(2, 3, dtype=torch.cfloat).dtype)
        print(torch.randn(2, dtype=torch.cdouble).dtype, torch.randn(4, dtype=torch.cfloat).shape)
        print(torch.tensor([1+2j]).item(), torch.tensor([1+2j, 3j]).tolist())
        print(torch.ones(2).to(torch.cfloat), torch.ones(2).cfloat(), torch.ones(2).cdouble())
        print(torch.tensor([1+2j]).numpy().dtype, torch.tensor([1+2j]) == torch.tensor([1+2j]))
        print(torch.tensor(0j).is_nonzero(), torch.tensor([1j]).is_nonzero(),
              torch.is_nonzero(torch.tensor([0j])))
        print(torch.is_complex(torch.ones(1)), torch.is_complex(torch.ones(1, dtype=torch.cfloat)),
              torch.is_floating_point(torch.ones(1, dtype=torch.cfloat)),
              torch.ones(1).is_complex(), torch.ones(1, dtype=torch.cdouble).is_complex())
        print(torch.cfloat, torch.cdouble, torch.complex64.is_complex, torch.cfloat.itemsize)
    """)


def test_random_complex_parts():
    u = torchlike.rand(4000, dtype=torchlike.cfloat)
    re, im = _np(u.real), _np(u.imag)
    assert re.min() >= 0 and re.max() < 1 and im.min() >= 0 and im.max() < 1
    assert abs(np.corrcoef(re, im)[0, 1]) < 0.1
    n = _np(torchlike.randn(4000, dtype=torchlike.cdouble))
    assert n.dtype == np.complex128 and abs(n.real.var() - 0.5) < 0.06


def test_promotion():
    assert_same("""
        print(torch.ones(2) + 1j, torch.ones(2, dtype=torch.float64) * 1j, torch.tensor(1.) * 1j)
        print(torch.ones(2, dtype=torch.int64) * 1j, torch.tensor([1j]) + torch.ones(2).double())
        print(torch.tensor(1j, dtype=torch.complex128) + torch.ones(2))
        print(torch.result_type(torch.ones(2), 1j), torch.result_type(torch.ones(2).double(), 1j))
        print(torch.result_type(torch.tensor([1j]), torch.ones(2, dtype=torch.float64)))
        print(torch.result_type(1j, 2), torch.result_type(torch.tensor(1), 1j))
        print(torch.can_cast(torch.cfloat, torch.float), torch.can_cast(torch.double, torch.cfloat))
        print(torch.can_cast(torch.cdouble, torch.cfloat), torch.can_cast(torch.int8, torch.cfloat))
        print(torch.promote_types(torch.float64, torch.complex64),
              torch.promote_types(torch.int64, torch.complex128))
    """)


def test_ops_values_and_dtypes():
    assert_same("""
        for dt in (torch.complex64, torch.complex128):
            z = torch.tensor([1+2j, 3-1j, -0.5+0.25j], dtype=dt)
            print(z.abs(), z.exp(), z.log(), z.sqrt(), z.sum(), z.mean(), z @ z, z / z[0])
            print(z * 2.5, z + 1, z.prod(), z.reciprocal(), z.sin(), z.tanh(), -z, z.sgn())
            print(z.abs().dtype, torch.abs(z).dtype, z.angle().dtype, z.real.dtype, z.imag.dtype)
            print(z.norm(), z.var(), z.std(), torch.linalg.norm(z), z.norm(p=1), torch.vdot(z, z))
        m = torch.tensor([[1+2j, 3-1j], [0.5j, 1]])
        print(m @ m, m.mm(m), m.sum(0), m.mean(1), m.T, m.mH, m.H, m.mT)
        print(torch.angle(torch.tensor([-1, 0, 2])), torch.tensor([1., -2., float('nan')]).angle())
    """)


# -- views ----------------------------------------------------------------------------------------
def test_view_as_real_writes_through():
    assert_same("""
        z = torch.tensor([1+2j, 3-1j])
        r = torch.view_as_real(z)
        r[..., 0] = 7
        print(z, r, r.stride(), r.storage_offset(), r._base is z, r.dtype)
        r.mul_(2)
        print(z)
        z.add_(1j)
        print(r)
        print(torch.view_as_complex(torch.view_as_real(z))._base is z)
    """)


def test_real_imag_write_through():
    assert_same("""
        z = torch.tensor([1+2j, 3-1j])
        z.real.mul_(2)
        z.imag[0] = 5
        print(z, z.real, z.imag, torch.real(z), torch.imag(z))
        i = z.imag
        print(i.stride(), i.storage_offset(), i._base is z, i.is_neg(), z.real.stride())
        m = torch.tensor([[1+2j, 3-1j], [5j, 2]], dtype=torch.complex128)
        r = m.t().real
        r[0, 1] = -9
        print(m, r.stride(), r.storage_offset(), r.dtype)
        z.real = torch.tensor([5., 6.])
        z.imag = torch.tensor([7., 8.])
        print(z)
        x = torch.tensor([1., -2.])
        print(x.real is x, x.conj() is x, x.resolve_conj() is x, x.conj_physical())
    """)


def test_view_as_complex_writes_through():
    assert_same("""
        x = torch.arange(8.).reshape(2, 2, 2)
        c = torch.view_as_complex(x)
        c[1] = 1j
        print(x, c, c.stride(), c._base is x)
        c.real.add_(100)
        print(x)
        y = torch.arange(10.)[:8].reshape(4, 2)
        torch.view_as_complex(y).mul_(1j)
        print(y)
        w = torch.arange(8., dtype=torch.float64).reshape(4, 2)
        c = torch.view_as_complex(w[1:])
        print(c, c.storage_offset())
    """)


def test_conj_is_lazy_view():
    assert_same("""
        z = torch.tensor([1+2j, 3-1j])
        c = z.conj()
        print(c, c.is_conj(), c[1:].is_conj(), c._base is z, c.conj().is_conj(), z.is_conj())
        c[0] = 1+1j
        print(z)
        z.mul_(2)
        print(c, c.detach().is_conj(), (c + 0).is_conj(), c.clone().is_conj())
        print(c.imag, c.imag.is_neg(), c.real, c.resolve_conj().is_conj(), c.resolve_conj())
        print(c.imag.resolve_neg(), c.imag.resolve_neg().is_neg(), torch.is_conj(c))
        n = c.imag
        n[0] = 10
        print(z, z.conj_physical(), torch.conj_physical(z).is_conj(), torch.conj(z))
        z.conj_physical_()
        print(z)
    """)


@pytest.mark.parametrize("code", [
    "torch.view_as_real(torch.tensor([1+2j]).conj())",
    "torch.view_as_complex(torch.ones(3))",
    "torch.view_as_complex(torch.ones(2, dtype=torch.int64))",
    "torch.view_as_complex(torch.ones(4, 3)[:, :2])",
    "torch.view_as_complex(torch.ones(5)[1:5].view(2, 2))",
    "torch.view_as_complex(torch.tensor(1.))",
    "torch.view_as_complex(torch.ones(2, 2)[:, :1].expand(2, 2))",
    "torch.view_as_real(torch.ones(2))",
    "torch.complex(torch.ones(2), torch.ones(2, dtype=torch.float64))",
    "torch.complex(torch.ones(2, dtype=torch.int64), torch.ones(2, dtype=torch.int64))",
    "torch.complex(torch.ones(2, dtype=torch.bfloat16), torch.ones(2, dtype=torch.bfloat16))",
    "torch.polar(torch.ones(2, dtype=torch.int64), torch.ones(2, dtype=torch.int64))",
    "torch.polar(torch.ones(2), torch.ones(2, dtype=torch.float64))",
    "torch.complex(torch.ones(2), torch.ones(3))",
    "torch.tensor([1., 2.]).imag",
    "torch.tensor([1+2j], requires_grad=True).sum().backward()",
    "torch.tensor([1+2j, 1], requires_grad=True).backward()",
    "torch.ones(2, dtype=torch.int64).requires_grad_()",
])  # fmt: skip
def test_errors(code):
    assert_same(f"print({code})")


def test_complex_and_polar():
    assert_same("""
        a = torch.tensor([1., 2.])
        b = torch.tensor([[3.], [-1.]])
        print(torch.complex(a, b), torch.polar(a, b), torch.complex(a.double(), a.double()))
        out = torch.empty(2, dtype=torch.complex64)
        torch.complex(a, a, out=out)
        print(out, torch.angle(torch.tensor([1+1j, -1, 0j])))
    """)


def test_chalf_is_refused_clearly():
    with pytest.raises(NotImplementedError, match="complex32"):
        torchlike.ones(2).chalf()


# -- gradients ------------------------------------------------------------------------------------
_GRADS = [
    "(z * z.conj()).real.sum()", "z.abs().sum()", "(z.exp() * z).abs().sum()",
    "(z * z).abs().sum()", "(z * z).real.sum()", "z.sqrt().abs().sum()", "z.log().imag.sum()",
    "(z * w).abs().sum()", "(z / w).abs().sum()", "(z @ w).abs()", "z.mean().abs()",
    "(z + 1j).abs().sum()", "z.real.sum()", "z.imag.sum()", "z.angle().sum()",
    "torch.view_as_real(z * z).sum()", "(x * (1 + 2j)).abs().sum()", "(x + z).abs().sum()",
    "(torch.polar(z.abs(), z.angle()) * w).imag.sum()", "(torch.complex(x, x * x) * z).real.sum()",
    "torch.polar(x, x * 2).imag.sum()", "(z.conj_physical() * z * w).real.sum()",
    "(torch.view_as_complex(torch.stack([x, x * 3], -1)) ** 2).abs().sum()",
    "(z.sin() * w.tanh()).abs().sum()", "(z.reciprocal() + w.sigmoid()).real.sum()",
    "(z.sum() * w.prod()).abs()", "(z.unsqueeze(1) @ w.unsqueeze(0)).abs().sum()",
    "z.norm() + z.var() + z.std() + w.norm(p=1) + w.norm(p=float('inf'))",
    "torch.linalg.norm(z * w) + (z * w).var(correction=0)",
]  # fmt: skip


def _grads(lib, expr):
    z = lib.tensor([1 + 2j, 3 - 1j, -0.5 + 0.25j], requires_grad=True)
    w = lib.tensor([0.5 - 1j, 2 + 0.3j, 1j], requires_grad=True)
    x = lib.tensor([0.7, -1.5, 2.0], requires_grad=True)
    loss = eval(expr, {"torch": lib, "z": z, "w": w, "x": x})
    loss.backward()
    return [None if t.grad is None else t.grad.numpy() for t in (z, w, x)]


@pytest.mark.parametrize("expr", _GRADS)
def test_grad_matches_torch(torch_ref, expr):
    for want, got in zip(_grads(torch_ref, expr), _grads(torchlike, expr), strict=True):
        assert (want is None) == (got is None)
        if want is not None:
            assert got.dtype == want.dtype
            np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


def test_grad_fn_names_and_edge_grads():
    assert_same("""
        z = torch.tensor([1+2j, 3-1j], requires_grad=True)
        for r in (z.real, z.imag, torch.view_as_real(z), z.conj(), z.conj_physical(), z.angle(),
                  torch.view_as_complex(torch.view_as_real(z)), z.abs(), z * z):
            print(r.grad_fn.name())
        a = torch.tensor([1., 2.], requires_grad=True)
        print(torch.complex(a, a).grad_fn.name(), torch.polar(a, a).grad_fn.name())
        y = z * 1
        y.real.mul_(3)
        y.abs().sum().backward()
        print(y.detach(), z.grad)
        z.grad = None
        y = z * 1
        y.imag[0] = 5
        (y * y).real.sum().backward()
        print(y.detach(), z.grad)
        z.grad = None
        y = torch.view_as_real(z * 2)
        y.mul_(2)
        y.sum().backward()
        print(z.grad)
        x = torch.tensor([[1., 2], [3, 4]], requires_grad=True)
        c = torch.view_as_complex(x * 1)
        c.mul_(1j)
        c.abs().sum().backward()
        print(x.grad)
        g = torch.tensor([0j, 1+1j], requires_grad=True)
        g.abs().sum().backward()
        print(g.grad)
        g = torch.tensor([1+1j, 2-1j], requires_grad=True)
        (g * g).backward(torch.tensor([1+0j, 1j]))
        print(g.grad)
    """)


def test_grad_double_backward(torch_ref):
    def second(lib):
        z = lib.tensor([1 + 2j, 3 - 1j], requires_grad=True)
        (g,) = lib.autograd.grad((z * z * z).abs().sum(), z, create_graph=True)
        (g.abs() ** 2).sum().backward()
        return g.detach().numpy(), z.grad.numpy()

    for want, got in zip(second(torch_ref), second(torchlike), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4)


def test_func_transforms_use_torch_convention():
    assert_same("""
        z = torch.tensor([1+2j, 3-1j])
        print(torch.func.grad(lambda z: z.abs().sum())(z))
        print(torch.func.grad(lambda z: (z * z).real.sum())(z))
        print(torch.func.vjp(lambda z: z * z, z)[1](torch.tensor([1+0j, 1j])))
        print(torch.func.grad(lambda x: (x * (1+2j)).abs().sum())(torch.tensor([1., 2.])))
    """)
