"""Search, scatter-into and index functions against real torch: values, dtypes, shapes, grad_fn
names, gradients under a random cotangent, and error types and first message lines."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike

torch = pytest.importorskip("torch")

_rng = np.random.default_rng(0)


def rand(*shape, dtype=np.float32):
    return _rng.standard_normal(shape).astype(dtype)


def _flat(r):
    if isinstance(r, (tuple, list)):
        out = []
        for x in r:
            out += _flat(x)
        return out
    return [r]


def _compare(ref, got, rtol, atol, path="out"):
    if isinstance(ref, (tuple, list)):
        assert isinstance(got, (tuple, list)), f"{path}: {type(got)}"
        assert len(ref) == len(got), f"{path}: {len(ref)} vs {len(got)}"
        if hasattr(ref, "_fields"):
            assert type(ref).__name__ == type(got).__name__
            assert ref._fields == got._fields
        for i, (a, b) in enumerate(zip(ref, got, strict=True)):
            _compare(a, b, rtol, atol, f"{path}[{i}]")
        return
    if isinstance(ref, torch.Tensor):
        assert isinstance(got, torchlike.Tensor), f"{path}: {type(got)}"
        assert tuple(ref.shape) == tuple(got.shape), f"{path}: {ref.shape} vs {got.shape}"
        assert str(ref.dtype) == str(got.dtype), f"{path}: {ref.dtype} vs {got.dtype}"
        rn = None if ref.grad_fn is None else ref.grad_fn.name()
        gn = None if got.grad_fn is None else got.grad_fn.name()
        assert rn == gn, f"{path}: grad_fn {rn} vs {gn}"
        a = ref.detach().numpy()
        b = got.detach().numpy()
        if a.dtype.kind in "fc":
            np.testing.assert_allclose(b, a, rtol=rtol, atol=atol, err_msg=path)
        else:
            np.testing.assert_array_equal(b, a, err_msg=path)
        return
    assert type(ref).__name__ == type(got).__name__ or isinstance(ref, (int, float, bool)), path
    assert ref == got, f"{path}: {ref} vs {got}"


def _inputs(lib, arrays, grad):
    out = []
    for i, a in enumerate(arrays):
        if isinstance(a, np.ndarray):
            t = lib.tensor(a)
            if i in grad:
                t.requires_grad_(True)
            out.append(t)
        else:
            out.append(a)
    return out


def same(fn, *arrays, grad=(), rtol=1e-5, atol=1e-6):
    """``fn(lib, *inputs)`` on torch and torchlike (numpy arrays become tensors; those at the
    positions in ``grad`` require grad): same results, and the same input gradients for a
    random cotangent on every differentiable output."""
    results = {}
    for lib in (torch, torchlike):
        ins = _inputs(lib, arrays, grad)
        results[lib] = (fn(lib, *ins), ins)
    (ref, rins), (got, gins) = results[torch], results[torchlike]
    _compare(ref, got, rtol, atol)
    if not grad:
        return got
    seed = np.random.default_rng(1)
    pairs = [(a, b) for a, b in zip(_flat(ref), _flat(got), strict=True)
             if isinstance(a, torch.Tensor) and a.requires_grad]  # fmt: skip
    if not pairs:
        return got
    lt = rt = 0
    for a, b in pairs:
        ct = seed.standard_normal(tuple(a.shape)).astype(a.detach().numpy().dtype)
        rt = rt + (a * torch.tensor(ct)).sum()
        lt = lt + (b * torchlike.tensor(ct)).sum()
    rt.backward()
    lt.backward()
    for i in grad:
        ra, ga = rins[i].grad, gins[i].grad
        if ra is None:
            assert ga is None or not ga.detach().numpy().any(), f"grad {i}"
            continue
        np.testing.assert_allclose(ga.numpy(), ra.numpy(), rtol=1e-4, atol=1e-5,
                                   err_msg=f"grad of input {i}")  # fmt: skip
    return got


def same_error(fn, *arrays):
    """``fn`` raises the same exception type with the same first message line in both."""
    seen = []
    for lib in (torch, torchlike):
        ins = _inputs(lib, arrays, ())
        with pytest.raises(Exception) as info:
            fn(lib, *ins)
        seen.append((type(info.value).__name__, str(info.value).split("\n")[0]))
    assert seen[1] == seen[0]


# -- searchsorted, bucketize, isin -----------------------------------------------------------------
SEQ = np.array([1.0, 2.0, 2.0, 3.0, 5.0], np.float32)
VALS = np.array([[0.5, 2.0, 4.0], [5.0, 6.0, 2.5]], np.float32)


@pytest.mark.parametrize("kw", [{}, {"right": True}, {"side": "right"}, {"side": "left"},
                                {"out_int32": True}])  # fmt: skip
def test_searchsorted(kw):
    same(lambda t, s, v: t.searchsorted(s, v, **kw), SEQ, VALS)
    same(lambda t, s: t.searchsorted(s, 2.0, **kw), SEQ)
    s2 = np.sort(rand(2, 6), axis=1)
    same(lambda t, s, v: t.searchsorted(s, v, **kw), s2, rand(2, 3))


def test_searchsorted_sorter_and_out():
    seq = np.array([3.0, 1.0, 2.0], np.float32)
    sorter = np.array([1, 2, 0])
    same(lambda t, s, v, so: t.searchsorted(s, v, sorter=so), seq, VALS, sorter)
    same(lambda t, s, v: t.searchsorted(s, v, out=t.empty(2, 3, dtype=t.int64)), SEQ, VALS)


def test_searchsorted_errors():
    same_error(lambda t, s, v: t.searchsorted(s, v, side="left", right=True), SEQ, VALS)
    same_error(lambda t, s, v: t.searchsorted(s, v, side="x"), SEQ, VALS)
    same_error(lambda t, s, v: t.searchsorted(s, v), rand(2, 3), rand(3, 3))
    same_error(lambda t, s, v: t.searchsorted(s, v, sorter=t.tensor([0, 1])), SEQ, VALS)
    same_error(lambda t, s, v: t.searchsorted(s, v, sorter=t.ones(5)), SEQ, VALS)
    same_error(lambda t, s, v: t.searchsorted(s, v, sorter=t.tensor([0, 1, 2, 3, 9])), SEQ,
               VALS)  # fmt: skip
    same_error(lambda t, v: t.searchsorted(t.tensor(1.0), v), VALS)


def test_bucketize_and_isin():
    same(lambda t, v, s: t.bucketize(v, s), VALS, SEQ)
    same(lambda t, v, s: t.bucketize(v, s, right=True, out_int32=True), VALS, SEQ)
    same(lambda t, s: t.bucketize(2, s), SEQ)
    same_error(lambda t, v: t.bucketize(v, t.ones(2, 2)), VALS)
    a, b = np.array([1, 2, 3, 4]), np.array([2.0, 4.0])
    same(lambda t, x, y: t.isin(x, y), a, b)
    same(lambda t, x, y: t.isin(x, y, invert=True), a, b)
    same(lambda t, x: t.isin(x, 2), a)
    same(lambda t, y: t.isin(2, y), b)
    same_error(lambda t: t.isin(1, 2))


# -- put, index_reduce, masked_scatter -------------------------------------------------------------
def test_put():
    idx = np.array([1, -1, 4])
    same(lambda t, x, i, s: x.put(i, s), rand(3, 4), idx, rand(3), grad=(0, 2))
    same(lambda t, x, i, s: t.put(x, i, s, accumulate=True), rand(3, 4), np.array([1, 1, 2]),
         rand(3), grad=(0, 2))  # fmt: skip

    def inplace(t, x, i, s):
        y = x * 1
        y.put_(i, s, accumulate=True)
        return y

    same(inplace, rand(3, 4), idx, rand(3), grad=(0, 2))
    same_error(lambda t, x: x.put(t.tensor([12]), t.tensor([1.0])), rand(3, 4))
    same_error(lambda t, x: x.put(t.tensor([1, 2]), t.tensor([1.0])), rand(3, 4))
    same_error(lambda t, x: x.put(t.tensor([1.0]), t.tensor([1.0])), rand(3, 4))
    same_error(lambda t, x: x.put(t.tensor([1]), t.tensor([1.0], dtype=t.float64)), rand(3, 4))


@pytest.fixture(autouse=False)
def quiet_beta():
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "index_reduce", UserWarning)
        yield


@pytest.mark.usefixtures("quiet_beta")
@pytest.mark.parametrize("reduce", ["prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_index_reduce(reduce, include_self):
    idx = np.array([0, 2, 0, 3])
    x = rand(3, 5).astype(np.float64)
    src = rand(3, 4).astype(np.float64)
    src[0, 0] = src[0, 2]  # a tie for amax/amin
    same(lambda t, a, i, s: a.index_reduce(1, i, s, reduce, include_self=include_self), x, idx,
         src, grad=(0, 2))  # fmt: skip
    xi = _rng.integers(-5, 5, (3, 5))
    same(lambda t, a, i, s: t.index_reduce(a, 1, i, s, reduce, include_self=include_self), xi,
         idx, _rng.integers(-5, 5, (3, 4)))  # fmt: skip

    def inplace(t, a, i, s):
        y = a.clone()
        return y.index_reduce_(0, i, s, reduce, include_self=include_self)

    same(inplace, x, np.array([1, 1, 0]), rand(3, 5).astype(np.float64), grad=(0, 2))


@pytest.mark.usefixtures("quiet_beta")
def test_index_reduce_errors():
    x = rand(3, 4)
    same_error(lambda t, a: a.index_reduce(0, t.tensor([0]), t.ones(1, 4), "sum"), x)
    same_error(lambda t, a: a.index_reduce(0, t.tensor([3]), t.ones(1, 4), "prod"), x)
    same_error(lambda t, a: a.index_reduce(0, t.tensor([0, 1]), t.ones(1, 4), "prod"), x)
    same_error(lambda t, a: a.index_reduce(0, t.tensor([0]), t.ones(1, 3), "prod"), x)
    same_error(lambda t, a: a.index_reduce(0, t.tensor([0.0]), t.ones(1, 4), "prod"), x)
    same_error(lambda t, a: a.index_reduce(0, t.tensor([[0]]), t.ones(1, 4), "prod"), x)
    same_error(lambda t, a: a.index_reduce(0, t.tensor([0]), t.ones(1, 4, dtype=t.float64),
                                           "prod"), x)  # fmt: skip


def test_masked_scatter():
    mask = rand(3, 4) > 0
    same(lambda t, x, m, s: x.masked_scatter(m, s), rand(3, 4), mask, rand(12), grad=(0, 2))
    same(lambda t, x, m, s: t.masked_scatter(x, m, s), rand(4), mask, rand(3, 5), grad=(0, 2))

    def inplace(t, x, m, s):
        y = x * 1
        y.masked_scatter_(m, s)
        return y

    same(inplace, rand(3, 4), mask[0], rand(12), grad=(0, 2))
    full = np.ones((3, 4), bool)
    same_error(lambda t, x, m: x.masked_scatter(m, t.ones(5)), rand(3, 4), full)
    same_error(lambda t, x: x.masked_scatter(t.ones(3, 4), t.ones(12)), rand(3, 4))
    same_error(lambda t, x, m: x.masked_scatter(m, t.ones(12, dtype=t.float64)), rand(3, 4), full)
    same_error(lambda t, x: x.masked_scatter(t.ones(2, 4, dtype=t.bool), t.ones(12)), rand(3, 4))
    same_error(lambda t, x, m: x[0].masked_scatter_(m, t.ones(12)), rand(3, 4), full)


# -- the *_scatter family --------------------------------------------------------------------------
def test_scatter_family():
    x = rand(3, 4)
    same(lambda t, a, s: t.diagonal_scatter(a, s), x, rand(3), grad=(0, 1))
    same(lambda t, a, s: a.diagonal_scatter(s, 1), x, rand(3), grad=(0, 1))
    same(lambda t, a, s: t.diagonal_scatter(a, s, -1, 1, 0), x, rand(3), grad=(0, 1))
    same(lambda t, a, s: t.diagonal_scatter(a, s, 0, 0, 2), rand(2, 3, 2), rand(3, 2),
         grad=(0, 1))  # fmt: skip
    same(lambda t, a, s: t.select_scatter(a, s, 0, -1), x, rand(4), grad=(0, 1))
    same(lambda t, a, s: a.select_scatter(s, 1, 2), x, rand(3), grad=(0, 1))
    same(lambda t, a, s: t.slice_scatter(a, s, 0, 0, 1), x, rand(1, 4), grad=(0, 1))
    same(lambda t, a, s: t.slice_scatter(a, s, 1, 1, None, 2), x, rand(3, 2), grad=(0, 1))
    same(lambda t, a, s: a.slice_scatter(s), x, rand(3, 4), grad=(0, 1))
    same(lambda t, a, s: t.slice_scatter(a, s.int(), 0, 0, 4, 2), x, rand(2, 4))
    # NOTE: torch 2.13's gradient for self keeps the overwritten window and drops the rest
    # (the reverse of the math); torch is the specification, so both gradients are compared.
    same(lambda t, a, s: t.as_strided_scatter(a, s, (2, 2), (1, 2), 1), x, rand(2, 2))
    same(lambda t, a, s: a.as_strided_scatter(s, (3,), (4,)), x, rand(3))


def test_scatter_reduce_prod_and_bool():
    # torch's prod backward treats zeros in self and src apart (JAX's scatter-multiply VJP
    # needs unique indices): one zero at a position gets the product of the others
    x = np.array([0.0, 2.0, 3.0, 0.0], np.float32)
    i = np.array([0, 0, 1, 1, 2, 3, 3])
    s = np.array([1.0, 0.0, 2.0, 0.0, 5.0, 0.0, 0.0], np.float32)
    for include_self in (True, False):
        same(lambda t, a, i, b, inc=include_self: a.scatter_reduce(0, i, b, "prod",
             include_self=inc), x, i, s, grad=(0, 2))  # fmt: skip
    same(lambda t, a, i, b: t.scatter_reduce(a, 1, i, b, "prod"), rand(2, 3),
         np.array([[0, 0, 2], [1, 1, 1]]), rand(2, 3), grad=(0, 2))  # fmt: skip
    for r in ("sum", "prod", "amax", "amin"):
        same(lambda t, a, i, b, r=r: a.scatter_reduce(0, i, b, r), np.array([True, False, True]),
             np.array([0, 0, 2, 1]), np.array([False, True, False, False]))  # fmt: skip


def test_scatter_family_errors():
    x = rand(3, 4)
    same_error(lambda t, a: t.diagonal_scatter(a, t.ones(4)), x)
    same_error(lambda t, a: t.diagonal_scatter(a, t.ones(3), 0, 0, 0), x)
    same_error(lambda t, a: t.diagonal_scatter(a, t.ones(3), 0, 0, 2), x)
    same_error(lambda t, a: t.select_scatter(a, t.ones(3), 0, 0), x)
    same_error(lambda t, a: t.select_scatter(a, t.ones(4), 0, 5), x)
    same_error(lambda t, a: t.slice_scatter(a, t.ones(2, 4), 0, 0, 1), x)
    same_error(lambda t, a: t.as_strided_scatter(a, t.ones(3), (2,), (1,)), x)


# -- index grids -----------------------------------------------------------------------------------
def test_unravel_index():
    same(lambda t, i: t.unravel_index(i, (3, 4)), np.array([0, 5, 11, 12, -1]))
    same(lambda t, i: t.unravel_index(i, (2, 3, 4)), np.array([[7, 23], [0, 1]]))
    same(lambda t, i: t.unravel_index(i, 6), np.array(4))
    same_error(lambda t: t.unravel_index(t.tensor([1.0]), (3, 4)))
    same_error(lambda t: t.unravel_index(t.tensor([1]), (3, -4)))


@pytest.mark.parametrize("args", [(3, 3), (4, 3, 1), (3, 5, -2), (0, 3), (3, 4, 10)])
def test_tri_indices(args):
    same(lambda t: t.tril_indices(*args))
    same(lambda t: t.triu_indices(*args))
    same(lambda t: t.triu_indices(*args, dtype=t.int32))
    same_error(lambda t: t.tril_indices(3, -1))


def test_nonzero_static():
    x = np.array([[0, 1, 0], [2, 0, 3]])
    for size in (0, 2, 3, 5):
        same(lambda t, a, size=size: t.nonzero_static(a, size=size), x)
    same(lambda t, a: a.nonzero_static(size=4, fill_value=7), x)
    same_error(lambda t, a: t.nonzero_static(a, size=-1), x)


# -- histograms ------------------------------------------------------------------------------------
def test_histogram():
    x = rand(50).astype(np.float64)
    same(lambda t, a: t.histogram(a, 7), x)
    same(lambda t, a: a.histogram(4, range=(-1.0, 1.0), density=True), x)
    same(lambda t, a, w: t.histogram(a, 5, weight=w), x, np.abs(rand(50)).astype(np.float64))
    same(lambda t, a: t.histogram(a, t.tensor([-2.0, 0.0, 0.5, 3.0], dtype=t.float64)), x)
    same(lambda t, a: t.histogram(a, 3), np.full(4, 2.0, np.float32))
    same(lambda t, a: t.histogram(a, 3), np.zeros(0, np.float32))
    same(lambda t, a: t.histogram(a, 4, out=(t.empty(0), t.empty(0))), rand(10))
    same_error(lambda t: t.histogram(t.tensor([1, 2]), 3))
    same_error(lambda t, a: t.histogram(a, -1), rand(3))
    same_error(lambda t, a: t.histogram(a, 3, range=(2.0, 1.0)), rand(3))
    same_error(lambda t, a: t.histogram(a, 3, weight=t.ones(2)), rand(3))


def test_histogramdd():
    x = rand(40, 2).astype(np.float64)
    same(lambda t, a: t.histogramdd(a, [3, 4]), x)
    same(lambda t, a: t.histogramdd(a, 3, range=[-1.0, 1.0, -2.0, 2.0], density=True), x)
    same(lambda t, a, w: t.histogramdd(a, [2, 3], weight=w), x, np.abs(rand(40)).astype(np.float64))
    edges = [np.array([-3.0, 0.0, 3.0]), np.array([-1.0, 0.0, 1.0, 2.0])]
    same(lambda t, a: t.histogramdd(a, [t.tensor(e) for e in edges]), x)


# -- consecutive uniques -------------------------------------------------------------------------
def test_unique_consecutive():
    x = np.array([1, 1, 2, 2, 3, 1, 1, 2])
    for kw in ({}, {"return_inverse": True}, {"return_counts": True},
               {"return_inverse": True, "return_counts": True}):  # fmt: skip
        same(lambda t, a, kw=kw: t.unique_consecutive(a, **kw), x)
        same(lambda t, a, kw=kw: a.unique_consecutive(**kw), x.reshape(2, 4))
    m = np.array([[1, 1, 2], [1, 1, 2], [0, 1, 2], [1, 1, 2]])
    same(lambda t, a: t.unique_consecutive(a, return_inverse=True, return_counts=True, dim=0), m)
    same(lambda t, a: t.unique_consecutive(a, return_counts=True, dim=1), m)
    same(lambda t, a: t.unique_consecutive(a), rand(5))
    same_error(lambda t, a: t.unique_consecutive(a, dim=3), m)


def test_empty_inputs():
    same(lambda t, s, v: t.searchsorted(s, v), np.zeros((0, 0), np.float32),
         np.zeros((0, 0), np.float32))  # fmt: skip
    same(lambda t, s, v: t.searchsorted(s, v), np.zeros(0, np.float32), rand(3))
    same(lambda t, a: t.unique_consecutive(a, dim=1), np.zeros((5, 0, 5), np.float32))
