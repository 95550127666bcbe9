"""torch.unique / unique_consecutive, flat and along a dim, against real torch: values, inverse,
counts, dtypes, grad_fn names, empty inputs, NaN, and errors."""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_indexing_ops import same, same_error

torch = pytest.importorskip("torch")

ROWS = np.array([[[1, 2], [1, 2]], [[0, 2], [1, 2]], [[1, 2], [1, 2]], [[0, 2], [0, 2]]])
BOTH = {"return_inverse": True, "return_counts": True}


@pytest.mark.parametrize(("dim", "dtype"), [(0, np.int64), (1, np.float32), (-1, np.uint8),
                                           (0, np.bool_)])  # fmt: skip
def test_unique_dim(dim, dtype):
    x = (ROWS % 2 if dtype is np.bool_ else ROWS).astype(dtype)
    same(lambda t, a: t.unique(a, dim=dim, **BOTH), x)
    same(lambda t, a: a.unique(sorted=False, dim=dim), x)
    same(lambda t, a: t.unique_consecutive(a, dim=dim, **BOTH), x)


def test_unique_dim_grad_fn_and_no_derivative():
    x = np.array([[1.0, 2.0], [0.0, 5.0], [1.0, 2.0]], np.float32)
    same(lambda t, a: t.unique(a.requires_grad_(), dim=1, **BOTH), x)
    same(lambda t, a: t.unique(a.requires_grad_()), x)
    for kw in ({"dim": 0}, {}):
        same_error(lambda t, a, kw=kw: t.unique(a.requires_grad_(), **kw).sum().backward(), x)
        same_error(lambda t, a, kw=kw: t.unique_consecutive(a.requires_grad_(), **kw)
                   .sum().backward(), x)  # fmt: skip


def test_unique_nan_and_scalars():
    nan = np.float32("nan")
    same(lambda t, a: t.unique(a, **BOTH), np.array([nan, 1.0, nan, 1.0], np.float32))
    same(lambda t, a: t.unique(a, dim=0, **BOTH), np.array([[1.0, nan], [1.0, nan]], np.float32))
    same(lambda t, a: t.unique(a, **BOTH), np.array(5))
    same(lambda t, a: t.unique_consecutive(a, **BOTH), np.array(5))
    for f in (lambda t, a: t.unique(a, dim=0), lambda t, a: t.unique_consecutive(a, dim=-1)):
        same_error(f, np.array(5.0, np.float32))


@pytest.mark.parametrize("op", ["unique", "unique_consecutive"])
def test_unique_dim_empty(op):
    f = lambda t, a, d: getattr(t, op)(a, dim=d, **BOTH)
    same(lambda t, a: f(t, a, 0), np.zeros((0, 3), np.float32))
    same(lambda t, a: f(t, a, 1), np.zeros((2, 0, 3), np.float32))
    same(lambda t, a: getattr(t, op)(a, **BOTH), np.zeros((2, 0), np.float32))
    same_error(lambda t, a: f(t, a, 1), np.zeros((0, 3), np.float32))
    same_error(lambda t, a: f(t, a, 0), np.zeros((0, 0), np.float32))
    same_error(lambda t, a: f(t, a, 2), np.zeros((2, 3), np.float32))
