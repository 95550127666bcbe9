"""Fill values as torch converts them (full / full_like / new_full / scalar_tensor: uint8 wraps
negative ints, overflow errors), histc of an empty tensor, square of bool; against torch."""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_indexing_ops import same, same_error

torch = pytest.importorskip("torch")

U8 = np.zeros(2, np.uint8)
FILLS = [-8, -255, -256, 300, -8.5, 2.5, True, 2**63, 2**70]


@pytest.mark.parametrize("value", FILLS)
@pytest.mark.parametrize("call", [
    lambda t, x, v: t.full_like(x, v),
    lambda t, x, v: x.new_full((2,), v),
    lambda t, x, v: t.full((2,), v, dtype=x.dtype),
    lambda t, x, v: t.scalar_tensor(v, dtype=x.dtype),
    lambda t, x, v: t.full_like(x, v, dtype=t.int8),
    lambda t, x, v: t.full_like(x, v, dtype=t.float16),
    lambda t, x, v: t.full_like(x, v, dtype=t.int64),
])  # fmt: skip
def test_fill_values(call, value):
    try:
        call(torch, torch.tensor(U8), value)
    except (RuntimeError, OverflowError):
        same_error(lambda t, x: call(t, x, value), U8)
    else:
        same(lambda t, x: call(t, x, value), U8)


def test_fill_value_float_overflow():
    same_error(lambda t, x: t.full_like(x, 1e6), np.zeros(2, np.float16))
    same(lambda t, x: t.full_like(x, float("inf")), np.zeros(2, np.float16))


@pytest.mark.parametrize("shape", [(0,), (5, 0, 5)])
def test_histc_empty(shape):
    x = np.zeros(shape, np.float32)
    same(lambda t, a: t.histc(a, bins=4), x)
    same(lambda t, a: t.histc(a, bins=3, min=1, max=2), x)


def test_square_bool():
    b = np.array([True, False])
    same(lambda t, a: t.square(a), b)
    same(lambda t, a: t.square(a, out=t.empty(2, dtype=t.int64)), b)
    same_error(lambda t, a: a.square_(), b)
    same(lambda t, a: t.square(a), np.array([3, 20], np.uint8))
