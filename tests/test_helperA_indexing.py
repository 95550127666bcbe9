"""gather / scatter / index_* / put / take against real torch: which index dtypes each accepts
(an empty index of any dtype and rank for gather and scatter), the errors' texts, and bool
accumulation (torch's logical or / and)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_indexing_ops import same, same_error

torch = pytest.importorskip("torch")

X = np.arange(5, dtype=np.float32)
CALLS = {
    "gather": lambda t, x, i: t.gather(x, 0, i),
    "scatter": lambda t, x, i: t.scatter(x, 0, i, x[: i.numel()].clone()),
    "scatter.value": lambda t, x, i: t.scatter(x, 0, i, 2.0, reduce="add"),
    "scatter_add": lambda t, x, i: t.scatter_add(x, 0, i, x[: i.numel()].clone()),
    "scatter_reduce": lambda t, x, i: t.scatter_reduce(x, 0, i, x[: i.numel()].clone(), "amax"),
    "index_add": lambda t, x, i: x.clone().index_add_(0, i, x[: i.numel()].clone()),
    "index_fill": lambda t, x, i: t.index_fill(x, 0, i, 2.0),
    "index_copy": lambda t, x, i: t.index_copy(x, 0, i, x[: i.numel()].clone()),
    "index_select": lambda t, x, i: t.index_select(x, 0, i),
    "take": lambda t, x, i: t.take(x, i),
}


@pytest.mark.parametrize("name", sorted(CALLS))
@pytest.mark.parametrize("dtype", [np.uint8, np.float32, np.int32, np.int64])
def test_index_dtypes(name, dtype):
    for n in (0, 1):
        fn, index = CALLS[name], np.zeros(n, dtype)
        try:
            fn(torch, torch.tensor(X), torch.tensor(index))
        except (RuntimeError, IndexError):
            same_error(fn, X, index)
        else:
            same(fn, X, index)


def test_gather_empty_index_any_rank():
    same(lambda t, x, i: t.gather(x, 0, i), X, np.zeros((2, 0), np.uint8))
    same(lambda t, x, i: t.gather(x, 1, i), X.reshape(5, 1), np.zeros((0, 3, 4), np.int32))
    same(lambda t, x, i: t.gather(x, 0, i), np.array(3.0, np.float32), np.zeros(1, np.int64))
    same(lambda t, x, i: t.gather(x, 0, i), np.array(3.0, np.float32), np.zeros((), np.int64))
    same(lambda t, x, i: t.gather(x, 0, i), X, np.array([4, 0], np.int32), grad=(0,))


B = np.array([True, False, False, False])
SRC = np.array([True, True, False])
IDX = np.array([0, 1, 1])


@pytest.mark.parametrize("call", [
    lambda t, x, s, i: t.index_add(x, 0, i, s),
    lambda t, x, s, i: t.index_add(x, 0, i, s, alpha=0),
    lambda t, x, s, i: t.index_put(x, (i,), s, accumulate=True),
    lambda t, x, s, i: t.put(x, i, s, accumulate=True),
    lambda t, x, s, i: t.scatter(x, 0, i, s, reduce="add"),
    lambda t, x, s, i: t.scatter(x, 0, i, s, reduce="multiply"),
    lambda t, x, s, i: t.scatter(x, 0, i, True, reduce="add"),
    lambda t, x, s, i: t.scatter_add(x, 0, i, s),
    lambda t, x, s, i: x.clone().scatter_add_(0, i, s),
])  # fmt: skip
@pytest.mark.filterwarnings("ignore:The reduce argument of torch.scatter")
def test_bool_accumulation(call):
    same(call, B, SRC, IDX)


def test_scatter_reduce_with_tensor_src_warns_as_torch():
    import torchlike

    seen = []
    for lib in (torch, torchlike):
        lib.set_warn_always(True)
        try:
            with pytest.warns(UserWarning) as record:
                x = lib.tensor(X)
                lib.scatter(x, 0, lib.tensor([0, 0]), x, reduce="add")
        finally:
            lib.set_warn_always(False)
        seen.append([str(w.message).split(" (Triggered")[0] for w in record])
    assert seen[1] == seen[0]
