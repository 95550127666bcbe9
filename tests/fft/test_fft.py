"""torch.fft against real PyTorch: values, dtypes, shapes, grad_fn names, gradients under a
random cotangent, out=, and the errors for bad arguments."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike

F = torchlike.fft

_1D = "fft ifft rfft irfft hfft ihfft".split()
_ND = "fft2 ifft2 fftn ifftn rfft2 irfft2 rfftn irfftn hfft2 ihfft2 hfftn ihfftn".split()
_FAST_DTYPES = {"fft", "rfft", "irfft", "ihfftn"}
_REAL_ONLY = {"rfft", "ihfft", "rfft2", "rfftn", "ihfft2", "ihfftn"}


def _np(t):
    t = t.detach()
    return (t.resolve_conj() if t.is_complex() else t).numpy()


def _data(shape, kind, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    if kind == "complex":
        return x + 1j * rng.standard_normal(shape)
    if kind == "int":
        return rng.integers(-5, 6, shape)
    return x


def _edges(t):
    return [n.name().split("::")[-1] if n is not None else None
            for n, _ in t.grad_fn.next_functions]  # fmt: skip


def _cases():
    """Every transform under several option sets; one default and one full-options case per
    transform stay in the fast tier, the rest are marked slow (each case compiles kernels)."""
    cases = []
    for name in _1D:
        kinds = ("real",) if name in _REAL_ONLY else ("real", "complex")
        for kind in kinds:
            for kw in ({}, {"n": 9, "dim": 0, "norm": "ortho"}, {"n": 5}, {"norm": "forward"},
                       {"dim": -2, "norm": "backward"}):  # fmt: skip
                cases.append((name, (6, 7), kind, kw))
    for name in _ND:
        kinds = ("real",) if name in _REAL_ONLY else ("real", "complex")
        for kind in kinds:
            for kw in ({}, {"s": (3, -1), "dim": (2, 0), "norm": "forward"}, {"s": (5, 8)},
                       {"dim": (0, 2), "norm": "ortho"}):  # fmt: skip
                cases.append((name, (4, 3, 6), kind, kw))
    cases += [
        ("fftn", (3, 4, 5), "complex", {"s": (4,)}),
        ("rfftn", (2, 3, 4, 5), "real", {}),
        ("irfftn", (2, 3, 4, 5), "complex", {"s": (3, 2, 5, 7)}),
        ("hfftn", (2, 3, 4), "complex", {"dim": (1,)}),
        ("ihfftn", (2, 3, 4), "real", {"dim": (0,), "norm": "ortho"}),
        ("irfft", (4, 5), "complex", {"n": 1}),
    ]
    fast, params = set(), []
    for case in cases:
        name, _, kind, kw = case
        key = (name, bool(kw))
        slow = key in fast or (kind == "real" and bool(kw) and name not in _REAL_ONLY)
        slow = slow or (kind == "complex" and not kw)
        fast.add(key)
        params.append(pytest.param(case, marks=pytest.mark.slow) if slow else case)
    return params


def _id(case):
    name, _, kind, kw = case
    return f"{name}-{kind}-" + ",".join(f"{k}={v}" for k, v in kw.items())


def _run(lib, name, x, g, kw, grad):
    t = lib.tensor(x, requires_grad=grad)
    y = getattr(lib.fft, name)(t, **kw)
    if not grad:
        return y, None
    y.backward(lib.tensor(g))
    return y, t.grad


@pytest.mark.parametrize("case", _cases(), ids=_id)
def test_matches_torch(torch_ref, case):
    name, shape, kind, kw = case
    x = _data(shape, kind)
    ty = getattr(torch_ref.fft, name)(torch_ref.tensor(x), **kw)
    rng = np.random.default_rng(1)
    g = rng.standard_normal(ty.shape)
    if ty.is_complex():
        g = g + 1j * rng.standard_normal(ty.shape)
    grad = kind != "int"
    ty, tgrad = _run(torch_ref, name, x, g, kw, grad)
    ly, lgrad = _run(torchlike, name, x, g, kw, grad)
    assert str(ly.dtype) == str(ty.dtype)
    assert tuple(ly.shape) == tuple(ty.shape)
    np.testing.assert_allclose(_np(ly), _np(ty), rtol=1e-10, atol=1e-10)
    assert ly.grad_fn.name() == ty.grad_fn.name()
    assert _edges(ly) == _edges(ty)
    assert str(lgrad.dtype) == str(tgrad.dtype)
    np.testing.assert_allclose(_np(lgrad), _np(tgrad), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(
    "name", [n if n in _FAST_DTYPES else pytest.param(n, marks=pytest.mark.slow) for n in _1D + _ND]
)
@pytest.mark.parametrize("dtype", ["float32", "int64", "complex64", "bool"])
def test_dtypes(torch_ref, name, dtype):
    x = _data((4, 6), "complex" if dtype == "complex64" else "int")
    if dtype == "bool":
        x = x > 0

    def go(lib):
        try:
            return getattr(lib.fft, name)(lib.tensor(x, dtype=getattr(lib, dtype)))
        except RuntimeError as e:
            return f"RuntimeError: {e}".splitlines()[0]

    ty, ly = go(torch_ref), go(torchlike)
    if isinstance(ty, str):
        assert ly == ty
        return
    assert str(ly.dtype) == str(ty.dtype)
    assert ly.grad_fn is None
    np.testing.assert_allclose(_np(ly), _np(ty), rtol=2e-5, atol=2e-4)


@pytest.mark.parametrize("name", ["fft", "rfft", "ifft2", "hfftn", "ihfft", "irfftn"])
def test_out(torch_ref, name):
    kind = "real" if name in _REAL_ONLY else "complex"
    x = _data((3, 4), kind)
    ty = getattr(torch_ref.fft, name)(torch_ref.tensor(x))
    dt = str(ty.dtype).split(".")[1]
    out = torchlike.empty(0, dtype=getattr(torchlike, dt))
    res = getattr(F, name)(torchlike.tensor(x), out=out)
    assert res is out
    np.testing.assert_allclose(_np(out), _np(ty), rtol=1e-10, atol=1e-10)


def test_inverse_roundtrip():
    x = torchlike.randn(5, 8, dtype=torchlike.float64)
    np.testing.assert_allclose(_np(F.irfft(F.rfft(x), n=8)), _np(x), atol=1e-12)
    np.testing.assert_allclose(_np(F.ifftn(F.fftn(x)).real), _np(x), atol=1e-12)
    np.testing.assert_allclose(_np(F.hfft(F.ihfft(x), n=8)), _np(x), atol=1e-12)


_ERRORS = [
    "F.fft(x, norm='bad')",
    "F.fftn(x, norm='bad')",
    "F.fft(x, norm=1)",
    "F.fft(x, n=0)",
    "F.fft(x, n=-1)",
    "F.fft(x, n=2.0)",
    "F.fft(x, dim=(0,))",
    "F.fft(x, dim=3)",
    "F.irfft(c, n=0)",
    "F.irfft(c[:, :1])",
    "F.fft(torch.tensor(1.0))",
    "F.rfftn(torch.tensor(1.0))",
    "F.irfftn(torch.tensor(1.0))",
    "F.fft2(torch.ones(3))",
    "F.fftn(x, dim=(0, 0))",
    "F.fftn(x, dim=(1, -1))",
    "F.fftn(x, s=(2,), dim=(0, 1))",
    "F.fftn(x, s=(2, 2, 2))",
    "F.fftn(x, s=(0, 2))",
    "F.fftn(x, s=(-2, 2))",
    "F.fft(x.half())",
    "F.rfft(x.to(torch.bfloat16))",
    "F.rfft(c)",
    "F.ihfft(c)",
    "F.rfftn(c)",
    "F.ihfftn(c)",
    "F.ihfftn(x, dim=())",
    "F.irfftn(c, dim=())",
    "F.hfftn(c, dim=())",
    "F.rfftn(x, dim=())",
    "F.fft(torch.ones(0))",
    "F.fft([1.0, 2.0])",
    "F.fftshift(x, dim=5)",
    "F.fftfreq(-1)",
    "F.fftfreq(5, dtype=torch.int64)",
    "F.rfftfreq(5, dtype=torch.complex64)",
]


@pytest.mark.parametrize("expr", _ERRORS)
def test_errors(torch_ref, expr):
    def go(lib):
        env = {"torch": lib, "F": lib.fft, "x": lib.ones(4, 6),
               "c": lib.ones(4, 6, dtype=lib.complex64)}  # fmt: skip
        with pytest.raises(Exception) as info:
            eval(expr, env)
        return type(info.value).__name__, str(info.value).splitlines()[0]

    assert go(torchlike) == go(torch_ref)


@pytest.mark.parametrize("expr", [
    "F.fftn(torch.tensor(2.0))", "F.fftn(x, dim=())", "F.fftn(x, s=())", "F.fftn(c, dim=())",
    "F.irfft(c, n=1)", "F.hfft(x)", "F.hfftn(c, s=(3, 5))", "F.ihfft2(x, s=(3, 5))",
    "F.fftn(x, s=[-1, 3])", "F.fft(x, 3, 0, 'ortho')", "F.fftn(x, s=torch.Size([2, 2]))",
    "F.fftn(x, dim=1)", "F.fftn(x, s=3)",
])  # fmt: skip
def test_edge_calls(torch_ref, expr):
    def go(lib):
        x = lib.tensor(_data((4, 6), "real"))
        c = lib.tensor(_data((4, 6), "complex"))
        return eval(expr, {"torch": lib, "F": lib.fft, "x": x, "c": c})

    ty, ly = go(torch_ref), go(torchlike)
    assert str(ly.dtype) == str(ty.dtype)
    np.testing.assert_allclose(_np(ly), _np(ty), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("fn", ["fftshift", "ifftshift"])
@pytest.mark.parametrize("dim", [None, 0, -1, (0, 1), [1]])
def test_shift(torch_ref, fn, dim):
    x = np.arange(35.0).reshape(5, 7)

    def go(lib):
        t = lib.tensor(x, requires_grad=True)
        y = getattr(lib.fft, fn)(t, dim=dim)
        y.backward(lib.tensor(x * 2))
        return y, t.grad

    (ty, tg), (ly, lg) = go(torch_ref), go(torchlike)
    np.testing.assert_array_equal(_np(ly), _np(ty))
    np.testing.assert_array_equal(_np(lg), _np(tg))
    assert ly.grad_fn.name() == ty.grad_fn.name()


@pytest.mark.parametrize("fn", ["fftfreq", "rfftfreq"])
@pytest.mark.parametrize("n", [0, 1, 2, 5, 8, 11])
@pytest.mark.parametrize("kw", [{}, {"d": 0.1}, {"dtype": "float64", "d": 3}, {"d": 2.5}])
def test_freq(torch_ref, fn, n, kw):
    def go(lib):
        k = dict(kw)
        if "dtype" in k:
            k["dtype"] = getattr(lib, k["dtype"])
        return getattr(lib.fft, fn)(n, **k)

    ty, ly = go(torch_ref), go(torchlike)
    assert str(ly.dtype) == str(ty.dtype)
    np.testing.assert_array_equal(_np(ly), _np(ty))


def test_freq_options(torch_ref):
    t = F.fftfreq(4, requires_grad=True)
    assert t.requires_grad and t.is_leaf
    out = torchlike.empty(0, dtype=torchlike.float64)
    F.rfftfreq(6, 0.5, out=out)
    np.testing.assert_array_equal(_np(out), torch_ref.fft.rfftfreq(6, 0.5, dtype=torch_ref.float64))


def test_public_names(torch_ref):
    names = {n for n, v in vars(torch_ref.fft).items() if callable(v) and not n.startswith("_")}
    names -= {"Tensor"}
    assert names <= set(F.__all__)
