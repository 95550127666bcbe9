"""dtype objects and PyTorch's type promotion, as a table over all dtype pairs against torch."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import torchlike
from tests._ci import ci_sample
from torchlike import _dtype as D

NAMES = [d._name for d in D._ALL]
# bfloat16/float16 arithmetic between dimensioned tensors is covered by promote_types; the
# operand kinds below are what promotion distinguishes.
KINDS = ["dim", "zero_dim", "scalar"]
SCALARS = {"bool": True, "int": 3, "float": 2.5, "complex": 1 + 2j}


def test_dtype_objects_print_and_alias():
    assert repr(torchlike.float32) == "torch.float32"
    assert torchlike.float is torchlike.float32 and torchlike.double is torchlike.float64
    assert torchlike.long is torchlike.int64 and torchlike.int is torchlike.int32
    assert torchlike.half is torchlike.float16
    assert torchlike.float32.is_floating_point and not torchlike.int64.is_floating_point
    assert torchlike.complex64.is_complex and torchlike.float64.itemsize == 8


@pytest.mark.parametrize("a,b", list(itertools.product(NAMES, NAMES)))
def test_promote_types_matches_torch(a, b):
    torch = pytest.importorskip("torch")
    expected = str(torch.promote_types(getattr(torch, a), getattr(torch, b)))
    assert repr(torchlike.promote_types(getattr(torchlike, a), getattr(torchlike, b))) == expected


def _operand(lib, kind, name_or_scalar):
    if kind == "scalar":
        return name_or_scalar
    dt = getattr(lib, name_or_scalar)
    shape = (2,) if kind == "dim" else ()
    return lib.ones(shape, dtype=dt)


ARITH = [n for n in NAMES if n not in ("bfloat16", "float16", "complex128")]
CASES = (
    [(("dim", a), ("zero_dim", b)) for a in ARITH for b in ARITH]
    + [(("dim", a), ("scalar", s)) for a in ARITH for s in SCALARS]
    + [(("zero_dim", a), ("scalar", s)) for a in ARITH for s in SCALARS]
)


@pytest.mark.parametrize("lhs,rhs", CASES, ids=[f"{a[0]}-{a[1]}+{b[0]}-{b[1]}" for a, b in CASES])
def test_add_result_dtype_matches_torch(lhs, rhs):
    torch = pytest.importorskip("torch")
    vals = []
    for lib in (torch, torchlike):
        a = _operand(lib, lhs[0], lhs[1])
        b = _operand(lib, rhs[0], SCALARS[rhs[1]] if rhs[0] == "scalar" else rhs[1])
        rt = lib.result_type(a, b)
        try:
            out = str((a + b).dtype)
        except RuntimeError as e:  # e.g. bool + bool subtraction rules; keep the message
            out = str(e)
        vals.append((str(rt), out))
    assert vals[1] == vals[0]


@pytest.mark.parametrize("name", ["int64", "int32", "bool", "uint8"])
def test_true_division_of_integers_is_float(name):
    torch = pytest.importorskip("torch")
    for lib in (torch, torchlike):
        a = lib.tensor([3, 4], dtype=getattr(lib, name)) if name != "bool" else lib.tensor(
            [True, False]
        )
        assert str((a / 2).dtype) == "torch.float32"
        assert str(lib.true_divide(a, a).dtype) == "torch.float32"


def test_default_dtype_change_reaches_promotion():
    try:
        torchlike.set_default_dtype(torchlike.float64)
        assert torchlike.tensor([1.0]).dtype is torchlike.float64
        assert (torchlike.tensor([1, 2]) * 0.5).dtype is torchlike.float64
    finally:
        torchlike.set_default_dtype(torchlike.float32)
    assert (torchlike.tensor([1, 2]) * 0.5).dtype is torchlike.float32


def test_numpy_dtype_round_trip():
    for d in D._ALL:
        assert D.from_numpy_dtype(d._np) is d
    with pytest.raises(TypeError, match=r"can't convert np\.ndarray of type"):
        D.from_numpy_dtype(np.dtype("U3"))


@pytest.mark.parametrize("a", NAMES)
def test_can_cast_matches_torch(a):
    torch = pytest.importorskip("torch")
    expected = [torch.can_cast(getattr(torch, a), getattr(torch, b)) for b in NAMES]
    got = [torchlike.can_cast(getattr(torchlike, a), getattr(torchlike, b)) for b in NAMES]
    assert got == expected


# Ops whose result dtype or error has rules of its own (integer division, bool arithmetic),
# over dimensioned operands of every arithmetic dtype pair.
_GRID = ["bool", "uint8", "int32", "int64", "float32", "float64"]
_OPS = {
    "sub": lambda m, a, b: a - b, "mul": lambda m, a, b: a * b, "div": lambda m, a, b: a / b,
    "true_divide": lambda m, a, b: m.true_divide(a, b),
    "floor_divide": lambda m, a, b: a // b, "remainder": lambda m, a, b: a % b,
    "div_floor": lambda m, a, b: m.div(a, b, rounding_mode="floor"),
    "div_trunc": lambda m, a, b: m.div(a, b, rounding_mode="trunc"),
    "pow": lambda m, a, b: a**b, "bitwise_and": lambda m, a, b: a & b,
    "maximum": lambda m, a, b: m.maximum(a, b), "eq": lambda m, a, b: a == b,
}


def _outcome(lib, op, a, b):
    x = lib.tensor([1, 2], dtype=getattr(lib, a))
    y = lib.tensor([1, 1], dtype=getattr(lib, b))
    try:
        out = _OPS[op](lib, x, y)
        return str(out.dtype), out.tolist()
    except (RuntimeError, TypeError, NotImplementedError, ZeroDivisionError) as e:
        return type(e).__name__, str(e).split("\n")[0]


@pytest.mark.parametrize("op", ci_sample(list(_OPS), 2))  # CI: half the ops, nox -s slow: all
def test_op_result_dtypes_match_torch(op):
    torch = pytest.importorskip("torch")
    pairs = list(itertools.product(_GRID, _GRID))
    expected = [_outcome(torch, op, a, b) for a, b in pairs]
    got = [_outcome(torchlike, op, a, b) for a, b in pairs]
    bad = [(p, e, g) for p, e, g in zip(pairs, expected, got) if e != g]
    assert not bad, bad[:5]
