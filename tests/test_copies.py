"""The ``*_copy`` functions and ``unsafe_*`` splits against real torch: values, shapes, dtypes,
grad_fn names, gradients, errors, and that results own fresh storage (no ``_base``)."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike

from .test_indexing_ops import rand, same, same_error

torch = pytest.importorskip("torch")

X = rand(3, 4).astype(np.float64)

CASES = [
    ("alias_copy", (), X),
    ("as_strided_copy", ((2, 2), (1, 2), 1), X),
    ("diagonal_copy", (), X),
    ("diagonal_copy", (1, 1, 0), X),
    ("expand_copy", ((2, 3, 4),), X),
    ("expand_copy", ((3, -1),), X),
    ("narrow_copy", (1, -3, 2), X),
    ("permute_copy", ((1, 0),), X),
    ("select_copy", (1, -1), X),
    ("slice_copy", (1, 1, None, 2), X),
    ("slice_copy", (), X),
    ("split_copy", (2, 1), X),
    ("split_with_sizes_copy", ([1, 2],), X),
    ("squeeze_copy", (), X.reshape(3, 1, 4)),
    ("squeeze_copy", (1,), X.reshape(3, 1, 4)),
    ("squeeze_copy", ((1, 0),), X.reshape(3, 1, 4)),
    ("t_copy", (), X),
    ("transpose_copy", (0, -1), X),
    ("unbind_copy", (1,), X),
    ("unfold_copy", (1, 2, 1), X),
    ("unsqueeze_copy", (-1,), X),
    ("view_copy", ((2, 6),), X),
    ("view_copy", ((-1,),), X),
    ("unsafe_split", (2, 1), X),
    ("unsafe_split_with_sizes", ([3, 1], 1), X),
    ("unsafe_chunk", (2,), X),
]


@pytest.mark.parametrize("name,args,x", CASES, ids=[c[0] for c in CASES])
def test_copy(name, args, x):
    got = same(lambda t, a: getattr(t, name)(a, *args), x, grad=(0,))
    for r in got if isinstance(got, tuple) else (got,):
        assert r._base is None


def test_methods_and_out():
    same(lambda t, a: a.narrow_copy(0, 1, 2), X, grad=(0,))
    same(lambda t, a: a.unsafe_split(2), X, grad=(0,))
    same(lambda t, a: a.unsafe_chunk(3, 1), X, grad=(0,))
    same(lambda t, a: a.unsafe_split_with_sizes([2, 2], 1), X)
    same(lambda t, a: t.t_copy(a, out=t.empty(4, 3, dtype=t.float64)), X)
    same(lambda t, a: t.detach_copy(a).requires_grad, X)


def test_fresh_storage():
    x = torchlike.arange(6.0).reshape(2, 3)
    y = torchlike.t_copy(x)
    y.add_(1)
    assert x.sum().item() == 15.0


def test_copy_errors():
    same_error(lambda t, a: t.narrow_copy(a, 0, 2, 5), X)
    same_error(lambda t, a: t.select_copy(a, 2, 0), X)
    same_error(lambda t, a: t.view_copy(a, (5, 5)), X)
    same_error(lambda t, a: t.expand_copy(a, (2,)), X)
    same_error(lambda t, a: t.permute_copy(a, (0,)), X)
    same_error(lambda t, a: t.unsafe_chunk(a, 0), X)
    same_error(lambda t, a: t.unsafe_split(a, -1, 1), X)
    same_error(lambda t, a: t.unsafe_split(a, 0, 1), X)
    same_error(lambda t, a: t.unsafe_split_with_sizes(a, [1, 2], 1), X)
    same_error(lambda t, a: t.split_with_sizes_copy(a, [-1, 5], 1), X)
    same_error(lambda t: t.unsafe_split(t.tensor(1.0), 1))


def test_split_edges():
    same(lambda t, a: t.unsafe_split(a, 4, 1), X, grad=(0,))
    same(lambda t, a: t.unsafe_chunk(a, 10, 1), X)
    same(lambda t: t.unsafe_chunk(t.ones(0), 3))
    same(lambda t: t.unsafe_split(t.ones(0), 2))
    same(lambda t: t.transpose_copy(t.tensor(1.0), 0, 0))


def test_complex_view_copies():
    z = (rand(3) + 1j * rand(3)).astype(np.complex64)
    same(lambda t, a: t.view_as_real_copy(a), z, grad=(0,))
    same(lambda t, a: t.view_as_complex_copy(a), rand(3, 2))
    same_error(lambda t, a: t.view_as_complex_copy(a.requires_grad_()), rand(3, 2))
