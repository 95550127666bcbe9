"""Elementwise functions: arithmetic, unary math, clamp/where/lerp, comparisons, logic."""

from __future__ import annotations

import builtins

import jax
import numpy as np

from .. import _dtype as D
from .._dispatch import call, wrap
from .._ops import TABLE as T
from .._tensor import Tensor
from ._common import _arg


# -- arithmetic -----------------------------------------------------------------------------------
def add(input, other, *, alpha=1, out=None):
    return call(T["add"], _arg(input), _arg(other), alpha=alpha)


def _is_bool(x):
    return x.__class__ is builtins.bool or (isinstance(x, Tensor) and x._dtype is D.bool)


def _check_bool_sub(input, other):
    if _is_bool(input) and _is_bool(other):
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead."
        )
    if _is_bool(input) or _is_bool(other):
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


def sub(input, other, *, alpha=1, out=None):
    _check_bool_sub(input, other)
    return call(T["sub"], _arg(input), _arg(other), alpha=alpha)


subtract = sub


def rsub(input, other, *, alpha=1):
    _check_bool_sub(input, other)
    return call(T["rsub"], _arg(input), _arg(other), alpha=alpha)


def mul(input, other, *, out=None):
    return call(T["mul"], _arg(input), _arg(other))


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    if rounding_mode is None:
        return call(T["div"], _arg(input), _arg(other))
    if rounding_mode not in ("floor", "trunc"):
        raise RuntimeError(
            "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'"
        )
    return call(T["div_mode"], _arg(input), _arg(other), rounding_mode=rounding_mode)


divide = true_divide = div


def floor_divide(input, other):
    return call(T["floor_divide"], _arg(input), _arg(other))


def remainder(input, other):
    if not isinstance(input, Tensor):
        return call(T["rremainder"], _arg(input), _arg(other))
    return call(T["remainder"], _arg(input), _arg(other))


def fmod(input, other):
    return call(T["fmod"], _arg(input), _arg(other))


def pow(input, exponent):
    return call(T["pow"], _arg(input), _arg(exponent))


def maximum(input, other):
    return call(T["maximum"], input, other)


def minimum(input, other):
    return call(T["minimum"], input, other)


def _unary(name):
    op = T[name]

    def f(input, *, out=None):
        return call(op, input)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Elementwise ``{name}`` (``torch.{name}``)."
    return f


_UNARY = ("neg exp sigmoid tanh sqrt relu rsqrt exp2 log log2 log10 log1p expm1 sin cos tan "
          "asin acos atan sinh cosh reciprocal square abs sign floor ceil round trunc "
          "logical_not isnan isinf isfinite").split()  # fmt: skip
for _name in _UNARY:
    globals()[_name] = _unary(_name)


def neg(input, *, out=None):
    """Elementwise ``neg`` (``torch.neg``)."""
    if input._dtype is D.bool:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
            "invert a mask, use the `~` or `logical_not()` operator instead."
        )
    return call(T["neg"], input)


negative, arcsin, arccos, arctan, absolute = neg, asin, acos, atan, abs  # noqa: F821


def clamp(input, min=None, max=None, *, out=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        bounds = [b for b in (min, max) if b is not None]
        return call(T["clamp_tensor"], input, *bounds, has_min=min is not None,
                    has_max=max is not None)  # fmt: skip
    return call(T["clamp"], input, min=min, max=max)


clip = clamp


def where(condition, input=None, other=None):
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    return call(T["where"], condition, _arg(input), _arg(other))


def _where_method(self, condition, other):
    """``x.where(c, y)`` is ``where(c, x, y)``."""
    return where(condition, self, other)


def lerp(input, end, weight):
    return call(T["lerp"], input, end, _arg(weight))


# -- comparisons and logic ------------------------------------------------------------------------
def _cmp(name):
    op = T[name]

    def f(input, other, *, out=None):
        return call(op, _arg(input), _arg(other))

    f.__name__ = f.__qualname__ = name
    return f


eq, ne, lt, le, gt, ge = (_cmp(n) for n in ("eq", "ne", "lt", "le", "gt", "ge"))
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne
logical_and, logical_or = _cmp("logical_and"), _cmp("logical_or")
bitwise_and, bitwise_or, bitwise_xor = (_cmp(n) for n in ("bitwise_and", "bitwise_or",
                                                          "bitwise_xor"))  # fmt: skip


def equal(input, other) -> bool:
    return input.shape == other.shape and builtins.bool(eq(input, other).all())


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    return builtins.bool(np.allclose(np.asarray(input._array), np.asarray(other._array), rtol,
                                     atol, equal_nan))  # fmt: skip


def nonzero(input, *, as_tuple=False):
    idx = np.nonzero(np.asarray(input._array))
    if as_tuple:
        return tuple(wrap(jax.numpy.asarray(i.astype(np.int64))) for i in idx)
    return wrap(jax.numpy.asarray(np.stack(idx, axis=1).astype(np.int64)))
