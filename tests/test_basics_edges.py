"""Edge cases of basic ops against real torch: reductions along dim of a 0-d tensor, one-piece
splits, flip(dims=), round(decimals=), nonzero of a 0-d tensor, zero_, transposes of a 0-d
tensor, multi-output roots in autograd.grad, CopySlices edges."""

import warnings

import numpy as np
import pytest

import torchlike
from tests._parity import grad_fn_names

torch = pytest.importorskip("torch")


def _env(mod):
    return {
        "torch": mod,
        "F": mod.nn.functional,
        "t": mod.tensor(2.5),
        "z": mod.tensor(0.0),
        "ti": mod.tensor(3),
        "tb": mod.tensor(True),
        "v": mod.arange(3.0),
        "m": mod.arange(6.0).reshape(2, 3),
    }


def _run(mod, expr):
    """``(result or (error type, message), warning texts)``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = eval(expr, _env(mod))
        except Exception as e:
            out = (type(e).__name__, str(e))
    return out, [str(w.message).split(" (Triggered internally")[0] for w in caught]


def _check_same(a, b):
    if isinstance(a, torch.Tensor):
        assert isinstance(b, torchlike.Tensor), b
        assert str(a.dtype) == str(b.dtype).replace("torchlike", "torch")
        assert tuple(a.shape) == tuple(b.shape)
        if a.dtype == torch.bfloat16:  # NOTE: numpy has no bfloat16: compare as float32
            a, b = a.float(), b.float()
        np.testing.assert_array_equal(b.resolve_conj().numpy(), a.detach().resolve_conj().numpy())
        assert repr(b) == repr(a)
    elif isinstance(a, tuple):
        assert isinstance(b, tuple) and len(a) == len(b), b
        assert type(a).__name__ == type(b).__name__
        for x, y in zip(a, b, strict=True):
            _check_same(x, y)
    else:
        assert a == b


def check(expr):
    a, wa = _run(torch, expr)
    b, wb = _run(torchlike, expr)
    _check_same(a, b)
    assert wa == wb


def check_grad(expr, n_in=1, shape=(2, 3), seed=0):
    """The gradient of ``sum(expr(x) * w)`` (``expr`` may give a tensor or a sequence)."""
    x0 = np.random.default_rng(seed).standard_normal(shape)
    grads = []
    for mod in (torch, torchlike):
        x = mod.tensor(x0, requires_grad=True)
        out = eval(expr, {"torch": mod, "x": x})
        outs = [out] if isinstance(out, mod.Tensor) else list(out)
        loss = sum(((o * (i + 2)).sum() for i, o in enumerate(outs)), mod.tensor(0.0))
        (g,) = mod.autograd.grad(loss, x)
        grads.append(g.detach().numpy())
    np.testing.assert_allclose(grads[1], grads[0], rtol=1e-6, atol=1e-9)


# -- 1. reductions along dim of a 0-d tensor -------------------------------------------------------
_REDUCTIONS = [
    "sum", "mean", "amax", "amin", "max", "min", "std", "var", "argmax", "argmin", "logsumexp",
    "norm", "prod", "all", "any", "median", "nanmedian", "cumsum", "cumprod", "logcumsumexp",
    "cummax", "cummin", "softmax", "log_softmax", "mode", "sort", "argsort", "nansum",
    "count_nonzero", "nanmean", "std_mean", "var_mean",
]  # fmt: skip
_DIMS = ["0", "-1", "1", "dim=-1"]


@pytest.mark.parametrize("dim", _DIMS)
@pytest.mark.parametrize("name", _REDUCTIONS)
def test_reduction_of_0d_along_dim(name, dim):
    check(f"torch.{name}(t, {dim})")
    if name not in ("std_mean", "var_mean"):
        check(f"t.{name}({dim})")


@pytest.mark.parametrize(
    "expr",
    [
        "t.sum(0, keepdim=True)", "t.max(0, keepdim=True)", "t.std(0, keepdim=True)",
        "t.sum((0,))", "t.sum([-1])", "t.amax((0,))", "t.std((0,))", "t.count_nonzero((0,))",
        "t.sum((0, 0))", "m.sum((1, -1))", "m.amax((0, 0))", "t.sum(())",
        "ti.sum(0)", "ti.prod(0)", "ti.cumsum(0)", "tb.sum(0)", "tb.all(0)", "ti.max(0)",
        "ti.argmax(0)", "t.var(0, correction=0)", "t.std(0, unbiased=False)",
        "t.norm(p=1, dim=0)", "t.norm(p=float('inf'), dim=0)", "t.aminmax(dim=0)",
        "t.norm((0,))", "torch.norm(t, (0,))", "v.norm('abc')", "v.norm(torch.tensor(3.0))",
        "t.kthvalue(1)", "t.kthvalue(1, 0)", "t.kthvalue(1, 1)", "t.kthvalue(2)",
        "t.topk(1)", "t.topk(1, 0)", "t.topk(2)", "t.quantile(0.5, dim=0)",
        "F.softmax(t, 0)", "F.log_softmax(t, -1)", "torch.special.logsumexp(t, 0)",
        "torch.linalg.vector_norm(t, dim=0)", "torch.linalg.vector_norm(t, 1, -1, True)",
        "torch.linalg.norm(t, dim=0)", "torch.linalg.vector_norm(t, dim=1)",
    ],
)  # fmt: skip
def test_reduction_of_0d_more(expr):
    check(expr)


@pytest.mark.parametrize(
    "expr",
    [
        "x.sum(0)", "x.mean(-1)", "x.amax(0)", "x.max(0).values", "x.std(0, correction=0)",
        "x.logsumexp(0)", "x.norm(dim=0)", "x.prod(0)", "x.median(0).values", "x.cumsum(0)",
        "x.cumprod(0)", "x.logcumsumexp(0)", "x.cummax(0).values", "x.softmax(0)",
        "x.log_softmax(0)", "x.kthvalue(1).values", "x.topk(1).values", "x.nansum(0)",
        "x.sum(-1, keepdim=True)", "torch.var_mean(x, 0, correction=0)",
    ],
)  # fmt: skip
def test_reduction_of_0d_grad(expr):
    check_grad(expr, shape=())
    for mod in (torch, torchlike):
        x = mod.tensor(2.5, requires_grad=True)
        out = eval(expr, {"torch": mod, "x": x})
        out = out if isinstance(out, mod.Tensor) else out[0]
        if mod is torch:
            name = out.grad_fn.name()
        else:
            assert out.grad_fn.name() == name


# -- 2. splits giving one piece --------------------------------------------------------------------
@pytest.mark.parametrize(
    "expr",
    [
        "v.split(3)", "v.split(5)", "v.chunk(1)", "v[None].unbind(0)", "v.split([3])",
        "v.split_with_sizes([3])", "v.tensor_split(1)", "v.tensor_split([])", "torch.split(v, 3)",
        "torch.chunk(v, 1)", "torch.unbind(v[None])", "torch.tensor_split(v, 1)",
        "torch.hsplit(v, 1)", "torch.vsplit(m, 1)", "m.unbind(1)", "m.split(2, 0)",
        "m.split([2], 0)", "v.split(1)", "v.chunk(3)",
    ],
)  # fmt: skip
def test_split_one_piece(expr):
    check(expr)


@pytest.mark.parametrize(
    "expr",
    [
        "x.split(3)", "x.split(5)", "x.chunk(1)", "x[None].unbind(0)", "x.split([3])",
        "x.tensor_split(1)", "x.split(2)", "x.unbind(0)", "x.chunk(2)",
    ],
)  # fmt: skip
def test_split_one_piece_grad(expr):
    check_grad(expr, shape=(3,))
    names = []
    for mod in (torch, torchlike):
        x = mod.arange(3.0, requires_grad=True)
        names.append([o.grad_fn.name() for o in eval(expr, {"x": x})])
    assert names[0] == names[1]


# -- 3. flip(dims=) --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "expr",
    [
        "m.flip(dims=(0,))", "m.flip(dims=[0, 1])", "m.flip(0)", "m.flip(0, 1)", "m.flip((0, 1))",
        "m.flip([1])", "m.flip(())", "torch.flip(m, dims=(0,))", "torch.flip(m, (1,))",
        "torch.flip(input=m, dims=[0])", "torch.flip(m, dims=())", "torch.flip(m, 0)",
        "m.flip(dims=0)", "m.flip()", "m.flip(dims=(0,), x=1)", "m.flip(0, dims=1)",
        "m.flip((0,), 1)", "m.flip(0.0)", "m.flip(2)", "m.flip(0, 0)", "m.flip(1, -1)",
        "torch.flip(m, 0, 1)", "m.fliplr()", "m.flipud()", "t.flip(0)", "t.flip(dims=[-1])",
    ],
)  # fmt: skip
def test_flip(expr):
    check(expr)


def test_flip_grad():
    check_grad("x.flip(dims=(0, 1)) * torch.arange(6.0).reshape(2, 3)")
    check_grad("torch.flip(x, (1,)) * torch.arange(6.0).reshape(2, 3)")


# -- 6. torch.zero_ --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "expr",
    [
        "torch.zero_(v.clone())", "torch.zero_(t.clone())", "torch.zero_(ti.clone())",
        "v.clone().zero_()", "torch.zero_(torch.ones(2, requires_grad=True))",
        "torch.zero_(torch.ones(2, requires_grad=True) * 2).grad_fn.name()",
    ],
)  # fmt: skip
def test_zero_(expr):
    check(expr)


def test_zero_returns_its_input():
    v = torchlike.arange(3.0)
    assert torchlike.zero_(v) is v


# -- 4. round(decimals=) ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "expr",
    [
        "(m / 7).round(decimals=2)", "(m / 7).round(decimals=0)", "torch.round(m / 7, decimals=1)",
        "(m * 123.456).round(decimals=-1)", "(m * 123.456).round(decimals=-2)",
        "(m / 7).double().round(decimals=3)", "(m / 7).round_(decimals=2)",
        "torch.tensor([0.125, 0.375, 2.5, -0.125, 1.005, 0.285, 1e30]).round(decimals=2)",
        "torch.tensor([0.125, 0.375, 2.5, -0.125, 1.005], dtype=torch.float64).round(decimals=2)",
        "torch.tensor([15.0, 25.0, -35.0, 1234.5]).round(decimals=-1)",
        "torch.tensor([1.25, 2.35]).round(decimals=40)",
        "torch.tensor([125.0]).round(decimals=-40)",
        "torch.tensor([1.25], dtype=torch.float64).round(decimals=400)",
        "torch.tensor([1.26, 2.35], dtype=torch.float16).round(decimals=1)",
        "torch.tensor([1.26, 2.35], dtype=torch.bfloat16).round(decimals=1)",
        "torch.arange(5).round(decimals=1)", "torch.arange(5).round(decimals=0)",
        "torch.tensor([True]).round(decimals=1)", "torch.tensor([1.25 + 2.35j]).round(decimals=1)",
        "torch.round(torch.tensor([1.26]), decimals=1, out=torch.empty(1))",
        "torch.tensor([1.5, 2.5, -0.5]).round()",
    ],
)  # fmt: skip
def test_round_decimals(expr):
    check(expr)


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
def test_round_decimals_random(dtype):
    rng = np.random.default_rng(1)
    a = rng.standard_normal(1000) * 10.0 ** rng.integers(-3, 5, 1000)
    ref = torch.tensor(a).to(getattr(torch, dtype))
    x = torchlike.tensor(ref.double().numpy()).to(getattr(torchlike, dtype))
    for decimals in (-2, 1, 3, 6):
        want = ref.round(decimals=decimals).double().numpy()
        np.testing.assert_array_equal(x.round(decimals=decimals).double().numpy(), want)


def test_round_decimals_grad():
    check_grad("x.round(decimals=1) + x")
    for mod in (torch, torchlike):
        x = mod.ones(2, requires_grad=True)
        assert x.round(decimals=1).grad_fn.name() == "RoundBackward1"
        assert x.round().grad_fn.name() == "RoundBackward0"


# -- 5. nonzero of a 0-d tensor --------------------------------------------------------------------
@pytest.mark.parametrize(
    "expr",
    [
        "t.nonzero()", "z.nonzero()", "torch.nonzero(t, as_tuple=True)",
        "torch.nonzero(z, as_tuple=True)", "t.nonzero(as_tuple=True)", "tb.nonzero()",
        "torch.tensor(False).nonzero()", "torch.argwhere(t)", "torch.argwhere(z)",
        "ti.nonzero()", "m.nonzero()", "m.nonzero(as_tuple=True)",
    ],
)  # fmt: skip
def test_nonzero_0d(expr):
    check(expr)


# -- 7. transposes of a 0-d tensor -----------------------------------------------------------------
@pytest.mark.parametrize(
    "expr",
    [
        "t.transpose(0, 0)", "t.transpose(-1, 0)", "torch.transpose(t, 0, -1)", "t.swapaxes(0, 0)",
        "t.transpose(0, 1)", "t.t()", "torch.t(t)", "t.movedim(0, 0)", "t.movedim(-1, 0)",
        "t.clone().transpose_(0, 0)", "v.t()",
    ],
)  # fmt: skip
def test_transpose_0d(expr):
    check(expr)


@pytest.mark.parametrize(
    "expr", ["x.transpose(0, 0)", "x.transpose(-1, 0)", "x.t()", "x.movedim(0, -1)"]
)
def test_transpose_0d_grad(expr):
    check_grad(expr, shape=())
    names = []
    for mod in (torch, torchlike):
        x = mod.tensor(2.5, requires_grad=True)
        y = eval(expr, {"x": x})
        names.append((y.grad_fn.name(), y._base is x))
    assert names[0] == names[1]


# -- 8. several outputs of one node as roots of autograd.grad / backward ---------------------------
_MULTI = {
    "qr": lambda mod, a: list(mod.linalg.qr(a)),
    "max_values_twice": lambda mod, a: [mod.max(a, 0).values, mod.max(a, 0)[0]],
    "same_output_twice": lambda mod, a: [mod.max(a, 1)[0]] * 2,
    "split": lambda mod, a: list(a.split(1, 0)),
    "unbind": lambda mod, a: list(a.unbind(1)),
    "chunk_and_sum": lambda mod, a: [*a.chunk(2, 1), a.sum()],
    "var_mean": lambda mod, a: list(mod.var_mean(a, 1)),
    "tensor_twice": lambda mod, a: [a * 2, a * 2][:1] * 2,
}


@pytest.mark.parametrize(
    "case, how, create_graph",
    [(case, "grad", False) for case in sorted(_MULTI)]
    + [("qr", "backward", False), ("split", "backward", False), ("max_values_twice", "grad", True),
       ("var_mean", "backward", True)],
)  # fmt: skip
def test_multi_output_roots(case, how, create_graph):
    a0 = np.random.default_rng(2).standard_normal((4, 3))
    got = []
    for mod in (torch, torchlike):
        for _ in range(3):  # NOTE: the third run takes the fused (compiled) backward
            a = mod.tensor(a0, requires_grad=True)
            outs = _MULTI[case](mod, a)
            gs = [mod.ones_like(o) * (i + 1) for i, o in enumerate(outs)]
            if how == "grad":
                (g,) = mod.autograd.grad(outs, [a], grad_outputs=gs, create_graph=create_graph)
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # create_graph's reference-cycle warning
                    mod.autograd.backward(outs, gs, create_graph=create_graph)
                g = a.grad
            got.append(g.detach().numpy())
    for g in got[3:]:
        np.testing.assert_allclose(g, got[0], rtol=1e-6, atol=1e-9)


# -- 9. CopySlices edges ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "expr",
    [
        "F.pad(x.view(1, 1, 10), (2, 2), mode='circular')",
        "F.pad(x.view(1, 2, 5), (1, 3), mode='circular')",
        "F.pad(x.view(1, 2, 5), (0, 0), mode='circular')",
        "F.pad(x.view(1, 1, 2, 5), (1, 1, 1, 1), mode='circular')",
        "F.pad(x.view(1, 1, 2, 5), (-1, 2, 0, 1), mode='circular')",
        "torch.stft(x, 4, return_complex=True)",
        "_fill_diag(x.view(2, 5) * 1)",
        "_setitem(x * 1, 0, 5.0)",
        "_setitem(x * 1, 0, x[1])",
    ],
)
def test_copy_slices_next_functions(expr):
    def fill_diag(y):
        return y.fill_diagonal_(2.0)

    def setitem(y, k, v):
        y[k] = v
        return y

    walks = []
    for mod in (torch, torchlike):
        x = mod.randn(10, requires_grad=True)
        env = {"torch": mod, "F": mod.nn.functional, "x": x}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # stft's rectangular-window warning
            y = eval(expr, {**env, "_fill_diag": fill_diag, "_setitem": setitem})
        walks.append(grad_fn_names(y.grad_fn))
    assert walks[1] == walks[0]


@pytest.mark.parametrize(
    "expr",
    [
        "t.mT is t", "t.H is t", "t.mH is t", "torch.tensor(1 + 2j).H",
        "torch.tensor(1 + 2j).mH", "torch.tensor(1 + 2j).mT", "v.H", "torch.ones(2, 3, 4).H",
        "torch.ones(2, 3, 4).mH.shape", "m.H",
    ],
)  # fmt: skip
def test_matrix_transposes_0d(expr):
    # NOTE: torch warns once per process here, so only the results are compared.
    _check_same(_run(torch, expr)[0], _run(torchlike, expr)[0])


# -- 10. integer division with rounding, operands of different ndim --------------------------------
@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "int64", "uint8"])
@pytest.mark.parametrize("mode", ["trunc", "floor"])
@pytest.mark.parametrize(
    "a, b",
    [
        ("[[7, 9], [5, 3]]", "[2, 4]"), ("[7, 9]", "[[2], [4]]"), ("[[7, 9]]", "3"),
        ("5", "[[2, 3]]"),
    ],
)  # fmt: skip
def test_div_rounding_integer_broadcast(a, b, mode, dtype):
    check(
        f"torch.div(torch.tensor({a}, dtype=torch.{dtype}), torch.tensor({b}, dtype=torch.{dtype}),"
        f" rounding_mode='{mode}')"
    )


@pytest.mark.parametrize("mode", ["trunc", "floor"])
def test_div_rounding_signed_broadcast(mode):
    a, b = "torch.tensor([[-7, 7], [5, -3]])", "torch.tensor([2, -4])"
    check(f"torch.div({a}, {b}, rounding_mode='{mode}')")


# -- 11. copy_ from a source that does not broadcast to self ---------------------------------------
@pytest.mark.parametrize(
    "dst, src",
    [
        ("(2, 3)", "(4,)"), ("(2, 3)", "(3, 2)"), ("(3,)", "(2, 3)"), ("(2, 3)", "(2, 1)"),
        ("(0,)", "(2,)"), ("(2, 3)", "(1, 1, 3)"), ("(2, 3)", "(5, 1, 3)"), ("()", "(2,)"),
        ("(2, 3)", "()"), ("(4, 1, 3)", "(2, 3)"),
    ],
)  # fmt: skip
def test_copy_shape_mismatch(dst, src):
    check(f"torch.zeros({dst}).copy_(torch.ones({src}))")


# -- 12. dtypes an ATen kernel refuses: torch's NotImplementedError ------------------------------
_REFUSED_OPS = ["floor", "ceil", "trunc", "fix", "frac", "round", "bitwise_not"]
_REFUSED_VALUES = ["[True]", "[1, 2]", "[1 + 1j]", "[1.5]"]


@pytest.mark.parametrize("value", _REFUSED_VALUES)
@pytest.mark.parametrize("name", _REFUSED_OPS)
def test_unary_dtype_refused(name, value):
    check(f"torch.{name}(torch.tensor({value}))")


@pytest.mark.parametrize(
    "expr",
    [
        "torch.tensor([1., 2.]).bitwise_and(torch.tensor([1., 2.]))", "torch.tensor([True]).pow(2)",
        "torch.ones(1, dtype=torch.float16).bitwise_or(torch.ones(1, dtype=torch.float16))",
        "torch.gcd(torch.tensor([1.]), torch.tensor([2.]))",
        "torch.tensor([True]) % torch.tensor([True])", "torch.special.i0(torch.tensor([1 + 1j]))",
        "torch.special.zeta(torch.ones(1).half(), torch.ones(1).half())",
        "torch.tensor([True]).div(torch.tensor([True]), rounding_mode='trunc')",
        "torch.tensor([1 + 1j]).round(decimals=1)", "torch.tensor([3, 5]).bitwise_and(1)",
    ],
)  # fmt: skip
def test_binary_dtype_refused(expr):
    check(expr)
