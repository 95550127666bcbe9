"""Elementwise functions: arithmetic, unary math, clamp/where/lerp, comparisons, logic. Each is
declared with ``@public`` where it is defined; one-op families come from ``_unary``/``_binary``."""

from __future__ import annotations

import builtins

import jax
import numpy as np

from .. import _dtype as D
from .._dispatch import call, wrap
from .._ops import TABLE as T
from .._tensor import Tensor
from ._common import _arg, check_scalar_operands, check_tensors
from ._surface import make_inplace, public


def _unary(name, **surface):
    """``torch.<name>(input)``: one op-table call, declared with ``surface`` (see ``public``)."""
    op = T[name]

    def f(input):
        return call(op, input)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Elementwise ``{name}`` (``torch.{name}``)."
    return public(f, **surface)


def _binary(name, scalars="any", **surface):
    """``torch.<name>(input, other)``: one op-table call, declared with ``surface``. Which
    operands may be Python numbers, as torch's signatures say: ``"any"``; ``"one"`` (either, not
    both); ``"other"`` (only ``other``); ``"none"`` (tensors only)."""
    op = T[name]

    def f(input, other):
        if scalars == "none":
            check_tensors(name, input, other)
        elif scalars != "any":
            check_scalar_operands(name, input, other, input_scalar=scalars == "one")
        return call(op, _arg(input), _arg(other))

    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Elementwise ``{name}`` (``torch.{name}``)."
    return public(f, **surface)


_ALL = {"method": True, "inplace": True, "out": True}  # function, method, in-place and out=


# -- arithmetic -----------------------------------------------------------------------------------
@public(method=True, inplace=True, out=True)
def add(input, other, *, alpha=1):
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


@public(method=True, inplace=True, out=True, aliases=("subtract",))
def sub(input, other, *, alpha=1):
    _check_bool_sub(input, other)
    return call(T["sub"], _arg(input), _arg(other), alpha=alpha)


@public
def rsub(input, other, *, alpha=1):
    check_scalar_operands("rsub", input, other, input_scalar=False)
    _check_bool_sub(input, other)
    return call(T["rsub"], _arg(input), _arg(other), alpha=alpha)


@public(method=True, inplace=True, out=True, aliases=("multiply",))
def mul(input, other):
    return call(T["mul"], _arg(input), _arg(other))


@public(method=True, inplace=True, out=True, aliases=("divide", "true_divide"))
def div(input, other, *, rounding_mode=None):
    if rounding_mode is None:
        return call(T["div"], _arg(input), _arg(other))
    if rounding_mode not in ("floor", "trunc"):
        raise RuntimeError(
            "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'"
        )
    return call(T["div_mode"], _arg(input), _arg(other), rounding_mode=rounding_mode)


floor_divide = _binary("floor_divide", **_ALL)


@public(method=True, inplace=True, out=True)
def remainder(input, other):
    check_scalar_operands("remainder", input, other)
    if not isinstance(input, Tensor):
        return call(T["rremainder"], _arg(input), _arg(other))
    return call(T["remainder"], _arg(input), _arg(other))


fmod = _binary("fmod", "other", **_ALL)


@public(method=True, inplace=True, out=True)
def pow(input, exponent):
    """``input ** exponent`` elementwise; an integer tensor to a negative integer tensor power
    is 0 except for bases 1 and -1, but a negative Python-int exponent is an error."""
    check_scalar_operands("pow", input, exponent)
    integral = isinstance(input, Tensor) and not (
        input._dtype.is_floating_point or input._dtype.is_complex
    )
    if integral and exponent.__class__ is builtins.int and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    return call(T["pow"], _arg(input), _arg(exponent))


@public(method=True, out=True)
def maximum(input, other):
    check_tensors("maximum", input, other)
    return call(T["maximum"], input, other)


@public(method=True, out=True)
def minimum(input, other):
    check_tensors("minimum", input, other)
    return call(T["minimum"], input, other)


# -- unary math -----------------------------------------------------------------------------------
exp = _unary("exp", **_ALL, torch_inplace=True)
exp2 = _unary("exp2", **_ALL, torch_inplace=True)
expm1 = _unary("expm1", **_ALL, torch_inplace=True)
log = _unary("log", **_ALL, torch_inplace=True)
log2 = _unary("log2", **_ALL, torch_inplace=True)
log10 = _unary("log10", **_ALL, torch_inplace=True)
log1p = _unary("log1p", **_ALL, torch_inplace=True)
sqrt = _unary("sqrt", **_ALL, torch_inplace=True)
rsqrt = _unary("rsqrt", **_ALL, torch_inplace=True)
square = _unary("square", **_ALL, torch_inplace=True)
reciprocal = _unary("reciprocal", **_ALL, torch_inplace=True)
sigmoid = _unary("sigmoid", **_ALL, torch_inplace=True)
tanh = _unary("tanh", **_ALL, torch_inplace=True)
relu = _unary("relu", method=True, inplace=True)
sin = _unary("sin", **_ALL, torch_inplace=True)
cos = _unary("cos", **_ALL, torch_inplace=True)
tan = _unary("tan", **_ALL, torch_inplace=True)
asin = arcsin = _unary("asin", **_ALL, aliases=("arcsin",), torch_inplace=True)
acos = arccos = _unary("acos", **_ALL, aliases=("arccos",), torch_inplace=True)
atan = arctan = _unary("atan", **_ALL, aliases=("arctan",), torch_inplace=True)
sinh = _unary("sinh", **_ALL, torch_inplace=True)
cosh = _unary("cosh", **_ALL, torch_inplace=True)
asinh = arcsinh = _unary("asinh", **_ALL, aliases=("arcsinh",), torch_inplace=True)
acosh = arccosh = _unary("acosh", **_ALL, aliases=("arccosh",), torch_inplace=True)
atanh = arctanh = _unary("atanh", **_ALL, aliases=("arctanh",), torch_inplace=True)
abs = absolute = _unary("abs", **_ALL, aliases=("absolute",), torch_inplace=("abs",))
sign = _unary("sign", **_ALL)
sgn = _unary("sgn", **_ALL)
floor = _unary("floor", **_ALL, torch_inplace=True)
ceil = _unary("ceil", **_ALL, torch_inplace=True)


@public(method=True, inplace=True, out=True, torch_inplace=True)
def round(input, *, decimals=None):
    """Round to the nearest integer, or to ``decimals`` decimal places (negative: to tens,
    hundreds...), halves to even, as ``torch.round``."""
    if decimals is None:
        return call(T["round"], input)
    return call(T["round_decimals"], input, decimals=builtins.int(decimals))


trunc = _unary("trunc", **_ALL, torch_inplace=True)
frac = _unary("frac", **_ALL, torch_inplace=True)
erf = _unary("erf", **_ALL, torch_inplace=True)
erfc = _unary("erfc", **_ALL, torch_inplace=True)
erfinv = _unary("erfinv", **_ALL)
lgamma = _unary("lgamma", **_ALL)
digamma = _unary("digamma", **_ALL)
logical_not = _unary("logical_not", **_ALL)
isnan = _unary("isnan", method=True)
isinf = _unary("isinf", method=True)
isfinite = _unary("isfinite", method=True)


@public(method=True, inplace=True, out=True, aliases=("negative",), torch_inplace=True)
def neg(input):
    """Elementwise ``neg`` (``torch.neg``)."""
    if input._dtype is D.bool:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
            "invert a mask, use the `~` or `logical_not()` operator instead."
        )
    return call(T["neg"], input)


@public(method=True, inplace=True, out=True, aliases=("clip",), torch_inplace=True)
def clamp(input, min=None, max=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        bounds = [b for b in (min, max) if b is not None]
        return call(T["clamp_tensor"], input, *bounds, has_min=min is not None,
                    has_max=max is not None)  # fmt: skip
    return call(T["clamp"], input, min=min, max=max)


def _where_method(self, condition, other):
    """``x.where(c, y)`` is ``where(c, x, y)``."""
    return where(condition, self, other)


@public(method=_where_method, out=True)
def where(condition, input=None, other=None):
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    return call(T["where"], condition, _arg(input), _arg(other))


@public(method=True, inplace=True, out=True)
def lerp(input, end, weight):
    return call(T["lerp"], input, end, _arg(weight))


# -- comparisons and logic ------------------------------------------------------------------------
eq = _binary("eq", "other", **_ALL)
ne = not_equal = _binary("ne", "other", **_ALL, aliases=("not_equal",))
lt = less = _binary("lt", "other", **_ALL, aliases=("less",))
le = less_equal = _binary("le", "other", **_ALL, aliases=("less_equal",))
gt = greater = _binary("gt", "other", **_ALL, aliases=("greater",))
ge = greater_equal = _binary("ge", "other", **_ALL, aliases=("greater_equal",))
logical_and = _binary("logical_and", "none", **_ALL)
logical_or = _binary("logical_or", "none", **_ALL)
logical_xor = _binary("logical_xor", "none", **_ALL)
bitwise_and = _binary("bitwise_and", "one", **_ALL)
bitwise_or = _binary("bitwise_or", "one", **_ALL)
bitwise_xor = _binary("bitwise_xor", "one", **_ALL)


@public(method=True)
def equal(input, other) -> bool:
    return input.shape == other.shape and builtins.bool(eq(input, other).all())


@public(method=True)
def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    return builtins.bool(np.allclose(np.asarray(input._array), np.asarray(other._array), rtol,
                                     atol, equal_nan))  # fmt: skip


@public(method=True, out=True)
def nonzero(input, *, as_tuple=False):
    """The indices of the non-zero elements: one row each, or one tensor per dim (``as_tuple``).
    A 0-d tensor has 0 or 1 of them and no dims (``as_tuple``: it reads as a 1-element vector)."""
    a = np.asarray(input._array)
    if a.ndim == 0:
        n = builtins.int(a != 0)
        if as_tuple:
            return (wrap(jax.numpy.zeros(n, np.int64)),)
        return wrap(jax.numpy.zeros((n, 0), np.int64))
    idx = np.nonzero(a)
    if as_tuple:
        return tuple(wrap(jax.numpy.asarray(i.astype(np.int64))) for i in idx)
    return wrap(jax.numpy.asarray(np.stack(idx, axis=1).astype(np.int64)))


# -- more binary math and special functions -------------------------------------------------------
atan2 = arctan2 = _binary("atan2", "none", **_ALL, aliases=("arctan2",))
hypot = _binary("hypot", "none", **_ALL)
logaddexp = _binary("logaddexp", "none", method=True, out=True)
logaddexp2 = _binary("logaddexp2", "none", method=True, out=True)


@public(method=True, inplace=True, out=True, torch_inplace=True)
def xlogy(input, other):
    check_scalar_operands("xlogy", input, other)
    return call(T["xlogy"], _arg(input), _arg(other))


@public(method=True, inplace=True, out=True, torch_inplace=True)
def logit(input, eps=None):
    return call(T["logit"], input, eps=None if eps is None else builtins.float(eps))


@public(method=True, inplace=True, out=True)
def heaviside(input, values):
    if input._dtype is not values._dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes")
    return call(T["heaviside"], input, values)


@public(method=True)
def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise ``|input - other| <= atol + rtol * |other|`` (NaNs equal if ``equal_nan``)."""
    check_tensors("isclose", input, other)
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
    if isinstance(other, Tensor) and input._dtype is not other._dtype:
        raise RuntimeError(f"{D._LEGACY[input._dtype]} did not match {D._LEGACY[other._dtype]}")
    return call(T["isclose"], input, _arg(other), rtol=builtins.float(rtol),
                atol=builtins.float(atol), equal_nan=builtins.bool(equal_nan))  # fmt: skip


@public(method=True, inplace=True, out=True, torch_inplace=True)
def clamp_min(input, min):
    check_scalar_operands("clamp_min", input, min, input_scalar=False)
    if isinstance(min, Tensor):
        return call(T["clamp_min_tensor"], input, min)
    return call(T["clamp_min"], input, min)


@public(method=True, inplace=True, out=True, torch_inplace=True)
def clamp_max(input, max):
    check_scalar_operands("clamp_max", input, max, input_scalar=False)
    if isinstance(max, Tensor):
        return call(T["clamp_max_tensor"], input, max)
    return call(T["clamp_max"], input, max)


# -- fused multiply-adds --------------------------------------------------------------------------
@public(method=True, inplace=True, out=True)
def addcmul(input, tensor1, tensor2, *, value=1):
    """``input + value * tensor1 * tensor2``."""
    return call(T["addcmul"], input, tensor1, tensor2, value=value)


@public(method=True, inplace=True, out=True)
def addcdiv(input, tensor1, tensor2, *, value=1):
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
@public(method=True, inplace=True, out=True, torch_inplace=True)
def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """NaN, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf`` (by default the
    dtype's largest and lowest finite values)."""
    return call(T["nan_to_num"], input, nan=builtins.float(nan),
                posinf=None if posinf is None else builtins.float(posinf),
                neginf=None if neginf is None else builtins.float(neginf))  # fmt: skip


@public(method=True, out=True)
def float_power(input, exponent):
    check_scalar_operands("float_power", input, exponent)
    """``pow`` computed in double precision (complex128 for complex operands)."""
    return call(T["float_power"], _arg(input), _arg(exponent))


@public(function=False, method=True)
def float_power_(self, exponent):
    """In-place ``float_power``: only a double (or complex double) tensor can hold the result."""
    want = (
        D.complex128
        if self.is_complex()
        or isinstance(exponent, builtins.complex)
        or (isinstance(exponent, Tensor) and exponent.is_complex())
        else D.float64
    )
    if self._dtype is not want:
        raise RuntimeError(
            f"the base given to float_power_ has dtype {D._LEGACY[self._dtype]} but the "
            f"operation's result requires dtype {D._LEGACY[want]}"
        )
    return _float_power_inplace(self, exponent)


_float_power_inplace = make_inplace(Tensor.float_power, "float_power")
fmax = _binary("fmax", "none", method=True, out=True)
fmin = _binary("fmin", "none", method=True, out=True)
copysign = _binary("copysign", "other", **_ALL)
bitwise_left_shift = _binary("bitwise_left_shift", "one", **_ALL)
bitwise_right_shift = _binary("bitwise_right_shift", "one", **_ALL)
gcd = _binary("gcd", "none", **_ALL, torch_inplace=True)
lcm = _binary("lcm", "none", **_ALL, torch_inplace=True)
signbit = _unary("signbit", method=True, out=True)
deg2rad = _unary("deg2rad", **_ALL, torch_inplace=True)
rad2deg = _unary("rad2deg", **_ALL, torch_inplace=True)
sinc = _unary("sinc", **_ALL, torch_inplace=True)
isneginf = _unary("isneginf", method=True, out=True)
isposinf = _unary("isposinf", method=True, out=True)
isreal = _unary("isreal", method=True)
bitwise_not = _unary("bitwise_not", **_ALL)


@public(method=True)
def positive(input):
    """``input`` itself (``+x``); bool tensors are refused, as in torch."""
    if input._dtype is D.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input
