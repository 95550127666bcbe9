"""Elementwise functions: arithmetic, unary math, clamp/where/lerp, comparisons, logic."""

from __future__ import annotations

import builtins
import warnings

import jax
import numpy as np

from .. import _dtype as D
from .._dispatch import call, wrap
from .._ops import TABLE as T
from .._tensor import Tensor
from ._common import _arg


# -- arithmetic -----------------------------------------------------------------------------------
def add(input, other, *, alpha=1, out=None):
    if out is not None:
        return _out("add", out, lambda: add(input, other, alpha=alpha), (input, other))
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
    if out is not None:
        return _out("sub", out, lambda: sub(input, other, alpha=alpha), (input, other))
    _check_bool_sub(input, other)
    return call(T["sub"], _arg(input), _arg(other), alpha=alpha)


subtract = sub


def rsub(input, other, *, alpha=1):
    _check_bool_sub(input, other)
    return call(T["rsub"], _arg(input), _arg(other), alpha=alpha)


def mul(input, other, *, out=None):
    if out is not None:
        return _out("mul", out, lambda: mul(input, other), (input, other))
    return call(T["mul"], _arg(input), _arg(other))


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    if out is not None:
        return _out("div", out, lambda: div(input, other, rounding_mode=rounding_mode),
                    (input, other))  # fmt: skip
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
        if out is not None:
            return _out(name, out, lambda: call(op, input), (input,))
        return call(op, input)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Elementwise ``{name}`` (``torch.{name}``)."
    return f


_UNARY = ("neg exp sigmoid tanh sqrt relu rsqrt exp2 log log2 log10 log1p expm1 sin cos tan "
          "asin acos atan sinh cosh reciprocal square abs sign floor ceil round trunc "
          "logical_not isnan isinf isfinite erf erfc erfinv lgamma digamma asinh acosh atanh "
          "frac sgn").split()  # fmt: skip
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
arcsinh, arccosh, arctanh = asinh, acosh, atanh  # noqa: F821


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


# -- out= -----------------------------------------------------------------------------------------
def _out(name, out, compute, inputs, resize_warning=True):
    """Run ``compute`` and write its result into ``out`` with torch's rules: no autograd through
    ``out=``, a safe cast to ``out``'s dtype, and a resize (warned unless ``out`` is empty)."""
    from ..autograd import grad_mode
    from .inplace import _inplace

    if not isinstance(out, Tensor):
        raise TypeError(
            f"{name}(): argument 'out' must be Tensor, not {builtins.type(out).__name__}"
        )
    flat = []
    for a in (*inputs, out):
        flat.extend(a if isinstance(a, (list, tuple)) else (a,))
    if grad_mode._state.enabled and builtins.any(
        isinstance(a, Tensor) and a.requires_grad for a in flat
    ):
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad."
        )
    result = compute()
    if result._dtype._cat > out._dtype._cat:
        raise RuntimeError(
            f"result type {D._LEGACY[result._dtype]} can't be cast to the desired output type "
            f"{D._LEGACY[out._dtype]}"
        )
    if result.shape != out.shape and out.numel() and resize_warning:
        warnings.warn(
            "An output with one or more elements was resized since it had shape "
            f"{list(out.shape)}, which does not match the required output shape "
            f"{list(result.shape)}. This behavior is deprecated, and in a future PyTorch "
            "release outputs will not be resized unless they have zero elements. You can "
            "explicitly reuse an out tensor t by resizing it, inplace, to zero elements with "
            "t.resize_(0).", UserWarning, stacklevel=3,
        )  # fmt: skip
    return _inplace(out, result)


# -- more binary math and special functions -------------------------------------------------------
def _binary(name, tensor_first=False):
    op = T[name]

    def f(input, other, *, out=None):
        if out is not None:
            return _out(name, out, lambda: f(input, other), (input, other))
        return call(op, _arg(input), _arg(other))

    f.__name__ = f.__qualname__ = name
    return f


atan2 = arctan2 = _binary("atan2")
hypot = _binary("hypot")
logaddexp = _binary("logaddexp")
logaddexp2 = _binary("logaddexp2")
logical_xor = _binary("logical_xor")


def xlogy(input, other, *, out=None):
    return call(T["xlogy"], _arg(input), _arg(other))


def logit(input, eps=None, *, out=None):
    return call(T["logit"], input, eps=None if eps is None else builtins.float(eps))


def heaviside(input, values, *, out=None):
    if input._dtype is not values._dtype:
        raise RuntimeError(
            "heaviside is not yet implemented for tensors with different dtypes"
        )
    return call(T["heaviside"], input, values)


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise ``|input - other| <= atol + rtol * |other|`` (NaNs equal if ``equal_nan``)."""
    if isinstance(other, Tensor) and input._dtype is not other._dtype:
        raise RuntimeError(
            f"{D._LEGACY[input._dtype]} did not match {D._LEGACY[other._dtype]}"
        )
    return call(T["isclose"], input, _arg(other), rtol=builtins.float(rtol),
                atol=builtins.float(atol), equal_nan=builtins.bool(equal_nan))  # fmt: skip


def clamp_min(input, min):
    if isinstance(min, Tensor):
        return call(T["clamp_min_tensor"], input, min)
    return call(T["clamp_min"], input, min)


def clamp_max(input, max):
    if isinstance(max, Tensor):
        return call(T["clamp_max_tensor"], input, max)
    return call(T["clamp_max"], input, max)


# -- fused multiply-adds --------------------------------------------------------------------------
def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """``input + value * tensor1 * tensor2``."""
    return call(T["addcmul"], input, tensor1, tensor2, value=value)


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """``input + value * tensor1 / tensor2`` (integer ``tensor1``/``tensor2`` are refused)."""
    if tensor1._dtype._cat <= D._INT and tensor2._dtype._cat <= D._INT:
        raise RuntimeError(
            "Integer division with addcdiv is no longer supported, and in a future  release "
            "addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv "
            "behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))"
            ".to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for "
            "float inputs. The future addcdiv behavior is just the latter implementation: "
            "(input + value * tensor1 / tensor2), for all dtypes."
        )
    return call(T["addcdiv"], input, tensor1, tensor2, value=value)


# -- more elementwise math ------------------------------------------------------------------------
def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """NaN, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf`` (by default the
    dtype's largest and lowest finite values)."""
    return call(T["nan_to_num"], input, nan=builtins.float(nan),
                posinf=None if posinf is None else builtins.float(posinf),
                neginf=None if neginf is None else builtins.float(neginf))  # fmt: skip


def float_power(input, exponent, *, out=None):
    """``pow`` computed in double precision (complex128 for complex operands)."""
    return call(T["float_power"], _arg(input), _arg(exponent))


fmax, fmin, copysign = _binary("fmax"), _binary("fmin"), _binary("copysign")
bitwise_left_shift = _binary("bitwise_left_shift")
bitwise_right_shift = _binary("bitwise_right_shift")
gcd, lcm = _binary("gcd"), _binary("lcm")
signbit, deg2rad, rad2deg, sinc = (_unary(n) for n in ("signbit", "deg2rad", "rad2deg", "sinc"))
isneginf, isposinf, isreal = (_unary(n) for n in ("isneginf", "isposinf", "isreal"))
bitwise_not = _unary("bitwise_not")


def positive(input):
    """``input`` itself (``+x``); bool tensors are refused, as in torch."""
    if input._dtype is D.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


def float_power_(self, exponent):
    """In-place ``float_power``: only a double (or complex double) tensor can hold the result."""
    from .inplace import _make_inplace

    want = D.complex128 if self.is_complex() or isinstance(exponent, builtins.complex) or (
        isinstance(exponent, Tensor) and exponent.is_complex()) else D.float64
    if self._dtype is not want:
        raise RuntimeError(
            f"the base given to float_power_ has dtype {D._LEGACY[self._dtype]} but the "
            f"operation's result requires dtype {D._LEGACY[want]}"
        )
    return _make_inplace(float_power)(self, exponent)
