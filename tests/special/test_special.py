"""torch.special against real PyTorch: every name, values on a grid of edge inputs (float32,
float64, integers), result dtypes, gradients and grad_fn names where torch has them (and the lack
of them where it has none), out=, the torch.*/Tensor companions and error parity."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike
import torchlike.special as S

torch = pytest.importorskip("torch")

_INF, _NAN = np.inf, np.nan
_GRID = np.array([0.0, 1e-6, 0.3, 0.5, 1.0, 2.0, 2.09, 3.0, 4.9, 5.0, 5.1, 6.0, 8.0, 8.5, 10.0,
                  20.0, 50.0, 120.0, -0.3, -1.0, -2.0, -2.5, -5.0, -6.0, -20.0, -100.0, _INF, -_INF,
                  _NAN])  # fmt: skip
_PROB = np.array([0.0, 1e-300, 0.01, 0.3, 0.5, 0.9, 1 - 1e-12, 1.0, -0.1, 2.0, _NAN])
_INTS = np.array([0, 1, 2, 5, -3])

# name -> torch.special's differentiable? (grad_fn name, or None: no autograd in torch)
_UNARY = {
    "airy_ai": None, "bessel_j0": None, "bessel_j1": None, "bessel_y0": None, "bessel_y1": None,
    "modified_bessel_i0": None, "modified_bessel_i1": None, "modified_bessel_k0": None,
    "modified_bessel_k1": None, "scaled_modified_bessel_k0": None,
    "scaled_modified_bessel_k1": None, "spherical_bessel_j0": None,
    "i0": "I0Backward0", "i0e": "SpecialI0EBackward0", "i1": "SpecialI1Backward0",
    "i1e": "SpecialI1EBackward0", "erfcx": "SpecialErfcxBackward0", "entr": "SpecialEntrBackward0",
    "log_ndtr": "SpecialLogNdtrBackward0", "ndtr": "MulBackward1", "ndtri": "SpecialNdtriBackward0",
    "erf": "ErfBackward0", "erfc": "ErfcBackward0", "erfinv": "ErfinvBackward0",
    "exp2": "Exp2Backward0", "expm1": "Expm1Backward0", "log1p": "Log1PBackward0",
    "expit": "SigmoidBackward0", "gammaln": "LgammaBackward0", "sinc": "SincBackward0",
    "digamma": "DigammaBackward0", "psi": "DigammaBackward0", "logit": "LogitBackward0",
    "round": "RoundBackward1",
}  # fmt: skip
_POLYS = [f"{s}chebyshev_polynomial_{k}" for s in ("", "shifted_") for k in "tuvw"] + [
    "hermite_polynomial_h", "hermite_polynomial_he", "laguerre_polynomial_l",
    "legendre_polynomial_p"]  # fmt: skip
# NOTE: one core's budget: float64 (and integer inputs, which compute in float32) run in the
# suite; the float32 and bool variants are marked slow.
_DTYPES = [np.float64, pytest.param(np.float32, marks=pytest.mark.slow)]
_TOL = {np.float64: {"rtol": 1e-10, "atol": 1e-12}, np.float32: {"rtol": 2e-5, "atol": 1e-6}}


def _pair(a):
    """The same argument for torch and torchlike."""
    if isinstance(a, np.ndarray):
        return torch.tensor(a), torchlike.tensor(a)
    return a, a


def _run(name, *args, **kw):
    pairs = [_pair(a) for a in args]
    ref = getattr(torch.special, name)(*[p[0] for p in pairs], **kw)
    got = getattr(S, name)(*[p[1] for p in pairs], **kw)
    return got, ref


def _check(got, ref, atol32=None):
    assert str(got.dtype) == str(ref.dtype)
    assert tuple(got.shape) == tuple(ref.shape)
    tol = dict(_TOL[np.float64 if ref.dtype == torch.float64 else np.float32])
    if atol32 and ref.dtype != torch.float64:
        tol["atol"] = atol32
    np.testing.assert_allclose(got.detach().numpy(), ref.detach().numpy(), equal_nan=True, **tol)


def test_every_name():
    names = {n for n in dir(torch.special) if not n.startswith("_")}
    names -= {"Tensor", "torch", "common_args", "multi_dim_common"}
    assert names == set(S.__all__)


# -- values -----------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", _DTYPES)
@pytest.mark.parametrize("name", sorted(_UNARY))
def test_unary_values(name, dtype):
    x = (_PROB if name in ("ndtri", "logit") else _GRID).astype(dtype)
    if name == "round":
        x = np.array([0.5, 1.5, 2.5, -0.5, -2.5, 0.49, 3.7, _INF, _NAN], dtype)
    _check(*_run(name, x))
    if name == "round":
        return
    if dtype == np.float64:
        _check(*_run(name, _INTS))  # integers compute in the default float dtype
    else:
        _check(*_run(name, np.array([True, False])))


@pytest.mark.parametrize("dtype", _DTYPES)
@pytest.mark.parametrize("name", _POLYS)
def test_polynomial_values(name, dtype):
    # NOTE: torch's value at x = nan is undefined (its loop returns an uninitialised value)
    xs = np.array([0.0, 1.0, -1.0, 0.5, -0.5, 0.3, 0.99, 1.5, -2.0, 3.0, 0.25, 0.75, _INF])
    ns = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 20.0, 2.7, _NAN, _INF,
                   100.0] + ([600.0] if dtype == np.float64 else []))  # fmt: skip
    x, n = (a.ravel().astype(dtype) for a in np.meshgrid(xs, ns))
    # NOTE: float32 cos(n acos x) at degree 100 is only good to ~1e-5 in either library
    _check(*_run(name, x, n), atol32=1e-4)
    if dtype == np.float32:
        _check(*_run(name, x[:20], 3))  # a Python degree
        _check(*_run(name, 0.5, n[:30]))  # a Python x
        _check(*_run(name, np.array([1, 2, 3]), np.array([2, 3, 4])))  # integers: default float


@pytest.mark.slow
def test_polynomial_broadcast_and_large_degree():
    x = np.linspace(-0.9, 0.9, 5).reshape(5, 1)
    n = np.array([[0.0, 3.0, 12.0, 40.0]])
    for name in _POLYS:
        _check(*_run(name, x, n))


_AG = np.array([0.1, 0.5, 1.0, 3.0, 10.0, 100.0, 0.0, -1.0])
_XG = np.array([0.0, 0.1, 1.0, 2.5, 20.0, 200.0, _INF, -1.0])


@pytest.mark.parametrize("dtype", _DTYPES)
@pytest.mark.parametrize("name", ["gammainc", "gammaincc"])
def test_incomplete_gamma_values(name, dtype):
    a, x = (v.ravel().astype(dtype) for v in np.meshgrid(_AG, _XG))
    got, ref = _run(name, a, x)
    assert str(got.dtype) == str(ref.dtype)
    tol = {"rtol": 1e-9, "atol": 1e-14} if dtype == np.float64 else {"rtol": 1e-4, "atol": 1e-6}
    np.testing.assert_allclose(got.numpy(), ref.numpy(), equal_nan=True, **tol)
    _check(*_run(name, np.array([1.0, 2.0], np.float32), np.array([1.0, 3.0])))  # promotion


@pytest.mark.parametrize("dtype", _DTYPES)
def test_zeta_values(dtype):
    xs = np.array([1.0, 1.5, 2.0, 3.0, 4.5, 10.0, 30.0, 0.5, _NAN])
    qs = np.array([-30.5, -2.5, -2.0, -0.5, 0.0, 1e-3, 0.5, 1.0, 3.0, 100.0, _INF, _NAN])
    x, q = (v.ravel().astype(dtype) for v in np.meshgrid(xs, qs))
    _check(*_run("zeta", x, q))
    _check(*_run("zeta", x[:9], 2.0))
    _check(*_run("zeta", 2, q[:12]))
    _check(*_run("zeta", _INTS, _INTS + 4))


@pytest.mark.parametrize("name", ["xlog1py", "xlogy"])
def test_xlog1py_values(name):
    a, b = np.meshgrid(np.array([0.0, 1.0, -1.0, 2.5, _NAN]),
                       np.array([0.0, -1.0, -2.0, 0.5, 3.0, _NAN, _INF]))  # fmt: skip
    for dtype in (np.float64, np.float32):
        _check(*_run(name, a.ravel().astype(dtype), b.ravel().astype(dtype)))
    _check(*_run(name, a.ravel(), 2))
    _check(*_run(name, 3, b.ravel()))
    _check(*_run(name, _INTS, _INTS + 4))


@pytest.mark.parametrize("dtype", _DTYPES)
def test_polygamma_and_multigammaln_values(dtype):
    x = np.array([0.1, 0.5, 1.0, 2.5, 10.0, -0.5, -1.0, -1.5, 0.0, 100.0, _NAN, _INF], dtype)
    for n in (0, 1, 3):
        _check(*_run("polygamma", n, x))
    xm = np.array([0.5, 1.0, 2.5, 3.0, 10.0, 0.1, _NAN, _INF], dtype)
    for p in (1, 3):
        _check(*_run("multigammaln", xm, p))
    _check(*_run("polygamma", 2, _INTS))
    _check(*_run("multigammaln", _INTS + 3, 2))


def test_round_decimals_softmax_logsumexp():
    x = np.array([[0.125, 1.2345678, -2.675, 1234.5678], [0.35, -0.05, 7.0, _INF]])
    for d in (1, 2, -1, -2):
        _check(*_run("round", x, decimals=d))
    _check(*_run("softmax", x[:, :3], 1))
    _check(*_run("log_softmax", x[:, :3], 0))
    _check(*_softmax_int())
    _check(*_run("logsumexp", x[:, :3], 1))
    _check(*_run("logsumexp", x[:, :3], (0, 1), True))
    _check(*_run("logsumexp", _INTS, 0))


def _softmax_int():
    got = S.softmax(torchlike.tensor(_INTS), 0, dtype=torchlike.float64)
    ref = torch.special.softmax(torch.tensor(_INTS), 0, dtype=torch.float64)
    return got, ref


# -- autograd ---------------------------------------------------------------------------------
_OWN_BACKWARD = "i0 i0e i1 i1e erfcx entr log_ndtr ndtr ndtri digamma psi".split()
_GRAD_POINTS = {
    "ndtri": [0.01, 0.3, 0.5, 0.9], "logit": [0.01, 0.3, 0.5, 0.9],
    "erfinv": [-0.9, -0.3, 0.0, 0.5], "entr": [0.0, 0.3, 1.0, 4.0, -1.0],
    "i1": [0.0, 0.5, -2.0, 9.0], "i1e": [0.0, 0.5, -2.0, 9.0], "i0e": [0.0, 0.5, -2.0, 9.0],
}


@pytest.mark.parametrize("name", sorted(_UNARY))
def test_unary_grad(name):
    pts = np.array(_GRAD_POINTS.get(name, [0.3, 1.0, 2.5, 6.0, -0.7 if name != "gammaln" else 9]))
    if _UNARY[name] is None:
        pts = _GRID  # the kernel test_unary_values compiled
    xt = torch.tensor(pts, requires_grad=True)
    xl = torchlike.tensor(pts, requires_grad=True)
    ref = getattr(torch.special, name)(xt)
    got = getattr(S, name)(xl)
    _check(got, ref)
    expected = _UNARY[name]
    if expected is None:
        assert ref.grad_fn is None and got.grad_fn is None
        assert not got.requires_grad
        return
    assert type(ref.grad_fn).__name__ == expected == type(got.grad_fn).__name__
    (gt,) = torch.autograd.grad(ref.sum(), xt, create_graph=True)
    (gl,) = torchlike.autograd.grad(got.sum(), xl, create_graph=True)
    np.testing.assert_allclose(gl.detach().numpy(), gt.detach().numpy(), rtol=1e-9, atol=1e-12)
    if name in _OWN_BACKWARD:  # the last op of torch's backward formula names the gradient's node
        assert type(gl.grad_fn).__name__ == type(gt.grad_fn).__name__


@pytest.mark.parametrize("name", [*_POLYS, "bessel_j0"])
def test_no_autograd_in_torch(name):
    args = (torch.tensor([0.3], requires_grad=True),) + ((torch.tensor([2.0]),) if
                                                          name in _POLYS else ())  # fmt: skip
    largs = (torchlike.tensor([0.3], requires_grad=True),) + ((torchlike.tensor([2.0]),) if
                                                               name in _POLYS else ())  # fmt: skip
    assert getattr(torch.special, name)(*args).grad_fn is None
    got = getattr(S, name)(*largs)
    assert got.grad_fn is None and not got.requires_grad


@pytest.mark.parametrize("case", [
    ("xlog1py", [0.0, 1.0, -2.0], [-1.0, 0.5, 3.0]), ("xlogy", [0.0, 1.0, -2.0], [0.0, 0.5, 3.0]),
    ("zeta", [2.0, 3.5], [0.5, 4.0]), ("gammainc", [0.5, 3.0], [0.2, 4.0]),
    ("gammaincc", [0.5, 3.0], [0.2, 4.0]),
])  # fmt: skip
def test_binary_grad(case):
    name, a, b = case
    # the first argument of zeta/gammainc/gammaincc has no derivative in torch: only the second
    first = name in ("xlog1py", "xlogy")
    at, bt = torch.tensor(a, dtype=torch.float64, requires_grad=first), torch.tensor(
        b, dtype=torch.float64, requires_grad=True)
    al, bl = torchlike.tensor(a, dtype=torchlike.float64, requires_grad=first), torchlike.tensor(
        b, dtype=torchlike.float64, requires_grad=True)
    ref, got = getattr(torch.special, name)(at, bt), getattr(S, name)(al, bl)
    assert type(got.grad_fn).__name__ == type(ref.grad_fn).__name__
    ref.sum().backward()
    got.sum().backward()
    np.testing.assert_allclose(bl.grad.numpy(), bt.grad.numpy(), rtol=1e-8)
    if first:
        np.testing.assert_allclose(al.grad.numpy(), at.grad.numpy(), rtol=1e-8)


@pytest.mark.parametrize("case", [("xlog1py", 2.0, None), ("xlog1py", None, 2.0),
                                  ("zeta", 2.0, None), ("zeta", None, 2.0),
                                  ("xlogy", 2.0, None)])  # fmt: skip
def test_scalar_overload_grad_fn_names(case):
    name, a, b = case
    xt = torch.tensor([0.5, 1.5], dtype=torch.float64, requires_grad=True)
    xl = torchlike.tensor([0.5, 1.5], dtype=torchlike.float64, requires_grad=True)
    ref = getattr(torch.special, name)(*(xt if v is None else v for v in (a, b)))
    got = getattr(S, name)(*(xl if v is None else v for v in (a, b)))
    assert type(got.grad_fn).__name__ == type(ref.grad_fn).__name__
    _check(got, ref)


@pytest.mark.parametrize("case", [
    ("zeta", "the derivative for 'zeta' is not implemented."),
    ("gammainc", "the derivative for 'igamma: input' is not implemented."),
    ("gammaincc", "the derivative for 'igammac: input' is not implemented."),
])  # fmt: skip
def test_derivative_not_implemented(case):
    name, message = case
    for lib, mod in ((torch, torch.special), (torchlike, S)):
        x = lib.tensor([2.5], dtype=lib.float64, requires_grad=True)
        y = getattr(mod, name)(x, lib.tensor([1.5], dtype=lib.float64))
        with pytest.raises(NotImplementedError, match=message):
            y.sum().backward()


@pytest.mark.parametrize("n", [0, 1, 3])
def test_polygamma_and_mvlgamma_grads(n):
    pts = [0.7, 1.5, 4.0]
    xt, xl = torch.tensor(pts, requires_grad=True), torchlike.tensor(pts, requires_grad=True)
    ref, got = torch.polygamma(n, xt), torchlike.polygamma(n, xl)
    assert type(got.grad_fn).__name__ == "PolygammaBackward0"
    (gt,) = torch.autograd.grad(ref.sum(), xt, create_graph=True)
    (gl,) = torchlike.autograd.grad(got.sum(), xl, create_graph=True)
    np.testing.assert_allclose(gl.detach().numpy(), gt.detach().numpy(), rtol=1e-5)
    ref, got = torch.mvlgamma(xt + 2, n + 1), torchlike.mvlgamma(xl + 2, n + 1)
    assert type(got.grad_fn).__name__ == type(ref.grad_fn).__name__ == "MvlgammaBackward0"
    (gt,) = torch.autograd.grad(ref.sum(), xt)
    (gl,) = torchlike.autograd.grad(got.sum(), xl)
    np.testing.assert_allclose(gl.numpy(), gt.numpy(), rtol=1e-5)


# -- torch.* / Tensor companions, out=, in-place ----------------------------------------------
def test_torch_and_tensor_names():
    x = np.array([0.5, 1.5, 3.0])
    a = np.array([1.0, 2.0, 0.5])
    for lib in (torch, torchlike):
        assert all(hasattr(lib.Tensor, n) for n in
                   "i0 i0_ igamma igamma_ igammac igammac_ mvlgamma mvlgamma_ polygamma "
                   "polygamma_".split())  # fmt: skip
    pairs = [
        (lambda L, t: L.i0(t(x)), None), (lambda L, t: t(x).i0(), None),
        (lambda L, t: L.igamma(t(a), t(x)), None), (lambda L, t: t(a).igammac(t(x)), None),
        (lambda L, t: L.mvlgamma(t(x) + 1, 2), None), (lambda L, t: t(x).mvlgamma(p=1), None),
        (lambda L, t: L.polygamma(2, t(x)), None), (lambda L, t: t(x).polygamma(1), None),
        (lambda L, t: L.i0_(t(x)), None), (lambda L, t: t(x).i0_(), None),
        (lambda L, t: t(a).igamma_(t(x)), None), (lambda L, t: t(a).igammac_(t(x)), None),
        (lambda L, t: t(x + 1).mvlgamma_(2), None), (lambda L, t: t(x).polygamma_(1), None),
    ]
    for fn, _ in pairs:
        _check(fn(torchlike, torchlike.tensor), fn(torch, torch.tensor))


def test_out_and_inplace_semantics():
    x = np.array([0.5, 1.5, 3.0])
    for name, args in (("i0e", ()), ("bessel_j0", ()), ("zeta", (2.0,)), ("polygamma", None),
                       ("multigammaln", (1,)), ("chebyshev_polynomial_t", (3,)),
                       ("logsumexp", (0,)), ("round", ()), ("gammainc", "t")):  # fmt: skip
        outs = []
        for lib, mod in ((torch, torch.special), (torchlike, S)):
            t = lib.tensor(x)
            out = lib.empty(0, dtype=lib.float64)
            if args is None:
                res = getattr(mod, name)(1, t, out=out)
            elif args == "t":
                res = getattr(mod, name)(t, t, out=out)
            else:
                res = getattr(mod, name)(t, *args, out=out)
            assert res is out
            outs.append(out)
        _check(outs[1], outs[0])
    xl = torchlike.tensor(x)
    before = xl._version
    xl.i0_()
    assert xl._version == before + 1
    with pytest.raises(RuntimeError, match="result type Float can't be cast"):
        torchlike.tensor([1, 2]).i0_()
    for lib in (torch, torchlike):
        with pytest.raises(TypeError, match="unexpected keyword argument 'out'"):
            lib.special.softmax(lib.tensor([1.0]), 0, out=lib.tensor([1.0]))
        with pytest.raises(RuntimeError, match="don't support automatic differentiation"):
            lib.special.i0e(lib.tensor([1.0], requires_grad=True), out=lib.empty(1))


# -- errors -----------------------------------------------------------------------------------
def _raises_same(fn):
    """``fn(lib)`` raises the same exception type and first message line in both libraries."""
    errors = []
    for lib in (torch, torchlike):
        with pytest.raises(Exception) as info:
            fn(lib)
        errors.append((type(info.value), str(info.value).splitlines()[0]))
    assert errors[1] == errors[0]


@pytest.mark.parametrize("fn", [
    lambda L: L.polygamma(-1, L.tensor([1.0])),
    lambda L: L.special.polygamma(-2, L.tensor([1.0])),
    lambda L: L.polygamma(1.5, L.tensor([1.0])),
    lambda L: L.special.polygamma(1.5, L.tensor([1.0])),
    lambda L: L.tensor([1.0]).polygamma(1.5),
    lambda L: L.mvlgamma(L.tensor([1.0]), 0),
    lambda L: L.mvlgamma(L.tensor([1.0]), 1.5),
    lambda L: L.special.multigammaln(L.tensor([1.0]), 1.5),
    lambda L: L.mvlgamma(L.tensor([True]), 1),
    lambda L: L.special.gammainc(L.tensor([1.0]), 2),
    lambda L: L.special.gammaincc(1.0, L.tensor([1.0])),
    lambda L: L.igamma(L.tensor([1.0]), 2.0),
    lambda L: L.special.gammainc(L.tensor([1, 2]), L.tensor([1, 2])),
    lambda L: L.special.gammaincc(L.tensor([True]), L.tensor([True])),
    lambda L: L.special.zeta(2, 3),
    lambda L: L.special.chebyshev_polynomial_t(0.5, 3),
    lambda L: L.special.xlog1py(0.5, 3),
    lambda L: L.special.bessel_j0(L.tensor([1.0], dtype=L.float16)),
    lambda L: L.special.airy_ai(L.tensor([1.0], dtype=L.bfloat16)),
    lambda L: L.special.hermite_polynomial_h(L.tensor([1.0], dtype=L.float16), 2),
    lambda L: L.special.zeta(L.tensor([2.0], dtype=L.float16), 1.0),
    lambda L: L.special.erfcx(L.tensor([1j])),
    lambda L: L.special.i0e(L.tensor([1j])),
    lambda L: L.special.round(L.tensor([1, 2])),
    lambda L: L.special.round(L.tensor([1, 2]), decimals=1),
    lambda L: L.special.softmax(L.tensor([1, 2]), 0),
    lambda L: L.special.log_softmax(L.tensor([1, 2]), 0),
])  # fmt: skip
def test_error_parity(fn):
    _raises_same(fn)


@pytest.mark.parametrize("name", ["i0e", pytest.param("i1", marks=pytest.mark.slow),
                                  pytest.param("gammainc", marks=pytest.mark.slow),
                                  pytest.param("polygamma", marks=pytest.mark.slow), "entr"])
def test_half_precision_computes(name):
    for dt in ("float16", "bfloat16"):
        args = {"gammainc": 2, "polygamma": 1}.get(name)
        outs = []
        for lib, mod in ((torch, torch.special), (torchlike, S)):
            x = lib.tensor([0.5, 1.5, 3.0], dtype=getattr(lib, dt))
            r = (getattr(mod, name)(x, x) if args == 2 else
                 getattr(mod, name)(1, x) if args == 1 else getattr(mod, name)(x))  # fmt: skip
            outs.append(r)
        assert str(outs[1].dtype) == str(outs[0].dtype)
        np.testing.assert_allclose(outs[1].float().numpy(), outs[0].float().numpy(), rtol=2e-2)


# -- PyTorch's own sample inputs --------------------------------------------------------------
def _to_lib(v, lib):
    if isinstance(v, torch.Tensor):
        return lib.tensor(v.detach().numpy()) if lib is torchlike else v
    return v


@pytest.mark.slow
def test_op_db_samples():
    from torch.testing._internal.common_methods_invocations import op_db

    failures = []
    for op in op_db:
        if not op.name.startswith("special."):
            continue
        name = op.name.split(".", 1)[1]
        for sample in op.sample_inputs("cpu", torch.float64):
            args = (sample.input, *sample.args)
            if name == "polygamma":  # the OpInfo's op is polygamma(n, x) called as f(x, n)
                args = args[::-1]
            ref = getattr(torch.special, name)(*args, **sample.kwargs)
            got = getattr(S, name)(*[_to_lib(a, torchlike) for a in args],
                                   **{k: _to_lib(v, torchlike) for k, v in sample.kwargs.items()})
            try:
                np.testing.assert_allclose(got.numpy(), ref.detach().numpy(), rtol=1e-8,
                                           atol=1e-10, equal_nan=True)  # fmt: skip
            except AssertionError as e:
                failures.append(f"{op.name}: {str(e).splitlines()[:6]}")
    assert not failures, failures
