"""Reductions, scans, sorting and indexing ops on the cases PyTorch's OpInfo samples found
apart: dtypes of scans and of all/any, bool scans, gradients w.r.t. quantile's q, overload
node names, 0-d masks, broadcasting in take_along_dim, empty inputs and torch's errors."""

from __future__ import annotations

import pytest

from tests._parity import assert_same


@pytest.mark.parametrize("op", ["cumsum", "cumprod"])
def test_scan_dtype_argument(op):
    assert_same(f"""
        x = torch.tensor([[1, 2, 100], [3, -4, 5]], dtype=torch.int8)
        for dt in (torch.int8, torch.int16, torch.uint8, torch.float32, None):
            y = torch.{op}(x, 1, dtype=dt)
            print(y.dtype, y)
        print(torch.{op}(x, 0).dtype)
        out = torch.empty(2, 3, dtype=torch.int16)
        torch.{op}(x, 1, out=out)
        print(out.dtype, out)
        f = torch.tensor([1.5, 2.0, -3.0], dtype=torch.float64, requires_grad=True)
        y = torch.{op}(f, 0, dtype=torch.float32)
        print(y.dtype, y.grad_fn.name(), [n[0].name() for n in y.grad_fn.next_functions])
        y.sum().backward()
        print(f.grad)
        torch.{op}(x, 0, dtype=torch.bool)
    """)


@pytest.mark.parametrize("op", ["all", "any"])
def test_all_any_of_uint8_give_uint8(op):
    assert_same(f"""
        x = torch.tensor([[1, 0, 7], [2, 3, 4]], dtype=torch.uint8)
        print(torch.{op}(x), torch.{op}(x, 1), torch.{op}(x, 0, keepdim=True))
        print(torch.{op}(torch.tensor(5, dtype=torch.uint8)))
        print(torch.{op}(torch.tensor([1, 0], dtype=torch.int8)).dtype)
    """)


@pytest.mark.parametrize("op", ["cummax", "cummin"])
def test_bool_cumulative_extremes(op):
    assert_same(f"""
        x = torch.tensor([[True, False, True, False], [False, False, True, True]])
        print(torch.{op}(x, 1))
        print(torch.{op}(x, 0))
        print(torch.{op}(torch.tensor(True), 0))
    """)


@pytest.mark.parametrize("op", ["quantile", "nanquantile"])
@pytest.mark.parametrize("interpolation", ["linear", "lower", "midpoint", "nearest"])
def test_quantile_gradient_wrt_q(op, interpolation):
    assert_same(f"""
        x = torch.tensor([[-4.8, -7.5, 1.0, 1.0], [2.0, float('nan'), 3.0, 0.5]],
                         dtype=torch.float64, requires_grad=True)
        for dim in (None, 1):
            q = torch.tensor([0.23, 0.07, 0.5], dtype=torch.float64, requires_grad=True)
            y = torch.{op}(x, q, dim=dim, interpolation="{interpolation}")
            y.sum().backward()
            print(y.grad_fn.name(), q.grad)
        q = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
        y = torch.{op}(x.detach(), q, interpolation="{interpolation}")
        print(y.requires_grad)
    """)


def test_sort_stable_overload_node():
    assert_same("""
        x = torch.tensor([[3.0, 1.0, 2.0], [0.5, 0.5, -1.0]], requires_grad=True)
        for kw in ({}, {"stable": True}, {"stable": False}, {"stable": None}):
            print(torch.sort(x, **kw).values.grad_fn.name(), x.sort(**kw).values.grad_fn.name())
        print(torch.sort(x, 0, True).values.grad_fn.name())
        r = torch.sort(x, dim=0, descending=True, stable=True)
        r.values.sum().backward()
        print(r, x.grad)
    """)


def test_diff_of_order_zero_ignores_prepend_and_append():
    assert_same("""
        x = torch.arange(10.0).reshape(5, 2).requires_grad_()
        y = torch.diff(x, 0, 0, prepend=torch.ones(1, 2), append=torch.zeros(2, 2))
        print(y.shape, y.grad_fn.name())
        y = torch.diff(x, 1, 0, prepend=torch.ones(1, 2), append=torch.zeros(2, 2))
        print(y.shape, y.grad_fn.name())
        print(torch.diff(torch.tensor([True, False]), 0))
        torch.diff(x, 0, 0, prepend=torch.ones(2))
    """)


def test_masked_select_of_0d():
    assert_same("""
        x = torch.tensor(3.0, requires_grad=True)
        y = torch.masked_select(x, torch.tensor(True))
        y.sum().backward()
        print(y, x.grad)
        print(torch.masked_select(x, torch.tensor(False)))
        print(torch.masked_select(torch.tensor(2), torch.tensor([True, False, True])))
        print(torch.masked_select(torch.tensor([[1, 2], [3, 4]]), torch.tensor([True, False])))
    """)


def test_take_along_dim_broadcasts_other_dims():
    assert_same("""
        x = torch.arange(5.0).reshape(1, 5).requires_grad_()
        i = torch.tensor([[0, 1], [2, 3], [4, 0], [1, 1], [2, 2]])
        y = torch.take_along_dim(x, i, 1)
        y.sum().backward()
        print(y, y.grad_fn.name(), x.grad)
        y = torch.take_along_dim(x, i)
        print(y, y.grad_fn.name())
        print(torch.take_along_dim(torch.arange(6).reshape(3, 2), torch.tensor([[1]]), 0))
        print(torch.take_along_dim(x, torch.tensor([[-1, -5, 0, -7, 9, 5]]), 1))
        for args in ((x, i.float(), 1), (x, i[0], 1), (x, i[0].float()), (x, torch.tensor([9])),
                     (torch.zeros(3, 2), torch.zeros(4, 1, dtype=torch.long), 1),
                     (x, i.int(), 1), (torch.tensor(1.0), torch.tensor(0), 0)):
            try:
                torch.take_along_dim(*args)
            except Exception as e:
                print(type(e).__name__, e)
    """)


def test_combinations_keep_the_graph():
    assert_same("""
        for n, r, w in ((1, 2, False), (0, 2, False), (3, 0, False), (1, 1, False),
                        (3, 2, False), (2, 3, False), (2, 2, True)):
            x = torch.arange(float(n), requires_grad=True)
            y = torch.combinations(x, r, w)
            print(y.shape, y.grad_fn and y.grad_fn.name())
            if y.requires_grad:
                (y * torch.arange(float(y.numel())).reshape(y.shape)).sum().backward()
                print(x.grad)
    """)


@pytest.mark.parametrize(
    "call",
    [
        "torch.index_select(torch.zeros(3, 4), 0, torch.tensor([5]))",
        "torch.index_select(torch.zeros(3, 4), 0, torch.tensor([-1]))",
        "torch.index_select(torch.zeros(3), 0, torch.tensor([0, 3], dtype=torch.int32))",
        "torch.index_select(torch.zeros(3, 4), 1, torch.tensor([1, 9, -5]))",
        "torch.index_select(torch.zeros(3, 4, 5), 2, torch.tensor([5]))",
        "torch.index_select(torch.tensor(1.0), 0, torch.tensor([1]))",
        "torch.kthvalue(torch.empty(0), 1)",
        "torch.kthvalue(torch.empty(3, 0), 1, 1)",
        "torch.kthvalue(torch.empty(3, 0), 1, 0)",
        "torch.mode(torch.empty(0))",
        "torch.mode(torch.empty(3, 0), 1)",
        "torch.mode(torch.empty(3, 0), 0)",
        "torch.quantile(torch.empty(0), 0.5)",
        "torch.quantile(torch.empty(0), 2.0)",
        "torch.nanquantile(torch.empty(3, 0, dtype=torch.int64), torch.tensor([0.5]), 1)",
    ],
)
def test_errors_on_bad_index_and_empty_dims(call):
    assert_same(f"print({call})")


def test_median_of_empty():
    assert_same("""
        for dt in (torch.float32, torch.float64, torch.uint8, torch.int8, torch.int16,
                   torch.int32, torch.int64, torch.bool):
            e = torch.empty(0, 2, dtype=dt)
            print(torch.median(e), torch.nanmedian(e))
        x = torch.empty(0, requires_grad=True)
        y = torch.median(x)
        y.backward()
        print(y, x.grad)
    """)


def test_kthvalue_picks_torchs_index_among_ties():
    # torch's CPU kthvalue runs a quickselect: which of equal values it returns follows that
    # algorithm's swaps, not the first or last occurrence.
    assert_same("""
        x = ((torch.arange(35) * 37 + 11) % 17 % 3).reshape(5, 7)
        print(torch.kthvalue(x, 2, 1))
        print(torch.kthvalue(x.to(torch.int8), 3, 0, keepdim=True))
        f = torch.tensor([[1.0, float('nan'), 1.0, 0.0, 1.0, 2.0, 1.0, 0.0]], requires_grad=True)
        r = torch.kthvalue(f, 4)
        r.values.sum().backward()
        print(r, f.grad)
    """)


def test_topk_picks_torchs_indices_among_ties():
    # torch's CPU topk runs std::nth_element then sorts the first k - 1: equal values come out
    # in the order those leave them (sorted=False shows nth_element's order itself).
    assert_same("""
        x = ((torch.arange(150) * 37 + 11) % 17 % 4).reshape(5, 30)
        print(torch.topk(x, 12, 1))
        print(torch.topk(x.to(torch.uint8), 5, 1, largest=False, sorted=False))
        f = x[:, :6].T.double().requires_grad_()
        r = torch.topk(f, 3, 0)
        r.values.sum().backward()
        print(r, f.grad)
    """)


def test_mode_of_bool():
    assert_same("""
        x = torch.tensor([[True, False, True], [False, False, True], [True, True, False]])
        print(torch.mode(x), torch.mode(x, 0))
    """)
