"""Elementwise ops: arithmetic, comparisons, unary math."""

from __future__ import annotations

import jax
import jax.numpy as jnp
from jax import lax

from .. import _dtype as D
from ._registry import defop, not_for, result_dtype

_FLOATING = ("half", "float", "complex")


def _overload(stem, i, tensor_nr=1, scalar_nr=0):
    """grad_fn name chooser: one overload number when argument ``i`` is a tensor, another when
    it is a Python scalar (``x % y`` -> RemainderBackward1, ``x % 2`` -> RemainderBackward0)."""
    return lambda args, opts: (
        f"{stem}Backward{tensor_nr if hasattr(args[i], '_storage') else scalar_nr}"
    )


def _add(x, y, *, alpha=1):
    return x + y if alpha == 1 else x + alpha * y


def _sub(x, y, *, alpha=1):
    return x - y if alpha == 1 else x - alpha * y


def _true_div(x, y):
    return x / y


def _div_mode(x, y, *, rounding_mode):
    if rounding_mode == "floor":
        if jnp.issubdtype(x.dtype, jnp.integer):
            return jnp.floor_divide(x, y)
        return jnp.floor(x / y)
    if jnp.issubdtype(x.dtype, jnp.integer):
        # NOTE: lax.div truncates like C but does not broadcast.
        return lax.div(*jnp.broadcast_arrays(x, y))
    return jnp.trunc(x / y)


def _remainder(x, y):
    # Python-style modulus: the result takes the divisor's sign.
    return x - jnp.floor_divide(x, y) * y if jnp.issubdtype(x.dtype, jnp.integer) else jnp.mod(x, y)


@jax.custom_jvp
def _float_pow(x, y):
    return jnp.power(x, y)


@_float_pow.defjvp
def _float_pow_jvp(primals, tangents):
    # NOTE: torch's pow derivatives are masked where the plain formulas give nan: d/dx is 0
    # where y == 0 (0 * 0**-1), d/dy is 0 where x == 0 and y >= 0 (0 * log 0).
    x, y = primals
    dx, dy = tangents
    out = jnp.power(x, y)
    zero = jnp.zeros((), out.dtype)
    dfdx = jnp.where(y == 0, zero, y * jnp.power(x, y - 1))
    dfdy = jnp.where((x == 0) & (y >= 0), zero, out * jnp.log(x))
    return out, dfdx * dx + dfdy * dy


def _int_pow(x, y):
    # NOTE: torch's integer pow takes a negative exponent to 1 for base 1, to +-1 for base -1
    # (by the exponent's parity) and to 0 otherwise (0 included); XLA's repeated squaring
    # would run on the negative exponent's bits and return garbage.
    y = jnp.asarray(y)
    if not jnp.issubdtype(y.dtype, jnp.signedinteger):
        return jnp.power(x, y)
    negative = y < 0
    out = jnp.power(x, jnp.where(negative, 0, y))
    one = jnp.ones((), out.dtype)
    inverse = jnp.where(x == 1, one, jnp.where(x == -1, jnp.where(y % 2 == 0, one, -one), 0))
    return jnp.where(negative, inverse.astype(out.dtype), out)


def _pow(x, y):
    if jnp.issubdtype(x.dtype, jnp.floating):
        return _float_pow(x, y)
    if jnp.issubdtype(x.dtype, jnp.integer):
        return _int_pow(x, y)
    return jnp.power(x, y)


def _no_derivative(aten_name, fn):
    """``fn`` with a backward that raises PyTorch's error: torch has no formula for it (its
    grad_fn is ``NotImplemented``), so backward through it must fail the same way."""

    @jax.custom_vjp
    def f(*args):
        return fn(*args)

    def bwd(res, ct):
        raise RuntimeError(f"derivative for aten::{aten_name} is not implemented")

    f.defvjp(lambda *args: (fn(*args), None), bwd)
    return f


def _rounding_check(name):
    """torch refuses complex before dispatch, then has no bool kernel."""
    no_bool = not_for(f"{name}_vml_cpu", "bool")

    def check(x):
        if jnp.issubdtype(x.dtype, jnp.complexfloating):
            raise NotImplementedError(f"{name} is not supported for complex inputs")
        no_bool(x)

    return check


add = defop("add", _add, "AddBackward0", saves=(), scalar_edges=True)
sub = defop("sub", _sub, "SubBackward0", saves=(), scalar_edges=True)
rsub = defop("rsub", lambda x, y, *, alpha=1: _sub(y, x, alpha=alpha), _overload("Rsub", 1, 0, 1),
             saves=())  # fmt: skip


def _saves_other(mask):
    """A product's backward reads the *other* factor: check x only if y needs grad."""
    return tuple(i for i in (0, 1) if mask[1 - i])


mul = defop(
    "mul",
    lambda x, y: x * y,
    "MulBackward0",
    saves=_saves_other,
    scalar_edges=True,
    bwd_name="MulBackward0",
)
div = defop(
    "div",
    _true_div,
    "DivBackward0",
    dtypes="float",
    scalar_edges=True,
    bwd_name="DivBackward0",
    saves=lambda mask: (1,) if not mask[1] else (0, 1),
)
div_mode = defop(
    "div_mode",
    _div_mode,
    "DivBackward2",
    check=not_for(lambda o: f"div_{o['rounding_mode']}_cpu", "bool"),
)
floor_divide = defop(
    "floor_divide",
    _no_derivative("floor_divide", lambda x, y: _div_mode(x, y, rounding_mode="floor")),
    "NotImplemented",
    check=not_for("div_floor_cpu", "bool"),
)
remainder = defop(
    "remainder", _remainder, _overload("Remainder", 1), check=not_for("remainder_cpu", "bool")
)
# ``2 % x``: torch has no derivative for a scalar dividend.
rremainder = defop("rremainder", _no_derivative("remainder", _remainder), "NotImplemented")
fmod = defop("fmod", jnp.fmod, _overload("Fmod", 1))
pow = defop("pow", _pow, lambda a, o: "PowBackward2" if not hasattr(a[0], "_storage")
            else "PowBackward1" if hasattr(a[1], "_storage") else "PowBackward0",
            bwd_name="MulBackward0", check=not_for("pow", "bool"))  # fmt: skip
maximum = defop("maximum", jnp.maximum, "MaximumBackward0", scalar_edges=True)
minimum = defop("minimum", jnp.minimum, "MinimumBackward0", scalar_edges=True)

eq = defop("eq", lambda x, y: x == y, None)
ne = defop("ne", lambda x, y: x != y, None)
lt = defop("lt", lambda x, y: x < y, None)
le = defop("le", lambda x, y: x <= y, None)
gt = defop("gt", lambda x, y: x > y, None)
ge = defop("ge", lambda x, y: x >= y, None)
logical_not = defop("logical_not", lambda x: ~x.astype(bool), None, dtypes="none")
bitwise_not = defop(
    "bitwise_not", lambda x: ~x, None, dtypes="none", check=not_for("bitwise_not_cpu", *_FLOATING)
)
bitwise_and = defop(
    "bitwise_and", lambda x, y: x & y, None, check=not_for("bitwise_and_cpu", *_FLOATING)
)
bitwise_or = defop(
    "bitwise_or", lambda x, y: x | y, None, check=not_for("bitwise_or_cpu", *_FLOATING)
)
bitwise_xor = defop(
    "bitwise_xor", lambda x, y: x ^ y, None, check=not_for("bitwise_xor_cpu", *_FLOATING)
)
logical_and = defop("logical_and", lambda x, y: x.astype(bool) & y.astype(bool), None)
logical_or = defop("logical_or", lambda x, y: x.astype(bool) | y.astype(bool), None)
isnan = defop("isnan", jnp.isnan, None, dtypes="none")
isinf = defop("isinf", jnp.isinf, None, dtypes="none")
isfinite = defop("isfinite", jnp.isfinite, None, dtypes="none")

neg = defop("neg", lambda x: -x, "NegBackward0", saves=(), dtypes="none")
# NOTE: torch's backward for these reads the op's output; see STYLE.md (seed 002).
exp = defop(
    "exp",
    jnp.exp,
    "ExpBackward0",
    dtypes="float",
    saves="out",
    out_deriv=lambda y: y,
    bwd_name="MulBackward0",
)
sigmoid = defop("sigmoid", jax.nn.sigmoid, "SigmoidBackward0", dtypes="float", saves="out",
                bwd_name="SigmoidBackwardBackward0",
                out_deriv=lambda y: y * (1 - y))  # fmt: skip
tanh = defop("tanh", jnp.tanh, "TanhBackward0", dtypes="float", saves="out",
             bwd_name="TanhBackwardBackward0",
             out_deriv=lambda y: 1 - y * y)  # fmt: skip
sqrt = defop("sqrt", jnp.sqrt, "SqrtBackward0", dtypes="float", saves="out",
             bwd_name="DivBackward0",
             out_deriv=lambda y: 0.5 / y)  # fmt: skip
relu = defop("relu", lambda x: jnp.maximum(x, 0), "ReluBackward0", dtypes="none", saves="out",
             bwd_name="ThresholdBackwardBackward0",
             out_deriv=lambda y: (y > 0).astype(y.dtype))  # fmt: skip
rsqrt = defop("rsqrt", lax.rsqrt, "RsqrtBackward0", dtypes="float", saves="out",
              out_deriv=lambda y: -0.5 * y * y * y)  # fmt: skip
exp2 = defop("exp2", jnp.exp2, "Exp2Backward0", dtypes="float", saves="out",
             out_deriv=lambda y: y * jnp.log(2.0).astype(y.dtype))  # fmt: skip

log = defop("log", jnp.log, "LogBackward0", dtypes="float", bwd_name="DivBackward0")
log2 = defop("log2", jnp.log2, "Log2Backward0", dtypes="float")
log10 = defop("log10", jnp.log10, "Log10Backward0", dtypes="float")
log1p = defop("log1p", jnp.log1p, "Log1PBackward0", dtypes="float")
expm1 = defop("expm1", jnp.expm1, "Expm1Backward0", dtypes="float")
sin = defop("sin", jnp.sin, "SinBackward0", dtypes="float", bwd_name="MulBackward0")
cos = defop("cos", jnp.cos, "CosBackward0", dtypes="float", bwd_name="MulBackward0")
tan = defop("tan", jnp.tan, "TanBackward0", dtypes="float")
asin = defop("asin", jnp.arcsin, "AsinBackward0", dtypes="float")
acos = defop("acos", jnp.arccos, "AcosBackward0", dtypes="float")
atan = defop("atan", jnp.arctan, "AtanBackward0", dtypes="float")
sinh = defop("sinh", jnp.sinh, "SinhBackward0", dtypes="float")
cosh = defop("cosh", jnp.cosh, "CoshBackward0", dtypes="float")
reciprocal = defop("reciprocal", lambda x: 1 / x, "ReciprocalBackward0", dtypes="float")
# NOTE: torch squares as pow(x, 2): a bool input promotes with the int 2 to int64.
square = defop("square", lambda x: jnp.square(x.astype(jnp.int64) if x.dtype == jnp.bool_ else x),
               "PowBackward0")  # fmt: skip
# NOTE: x * sign(x) has derivative sign(x): 0 at x == 0, as torch (jnp.abs gives 1).
abs = defop("abs", lambda x: x * jnp.sign(x) if jnp.issubdtype(x.dtype, jnp.floating)
            else jnp.abs(x), "AbsBackward0", dtypes="none")  # fmt: skip
sign = defop("sign", lambda x: x if x.dtype == jnp.bool_ else jnp.sign(x), "SignBackward0",
             dtypes="none")  # fmt: skip

floor = defop("floor", jnp.floor, "FloorBackward0", dtypes="none", check=_rounding_check("floor"))
ceil = defop("ceil", jnp.ceil, "CeilBackward0", dtypes="none", check=_rounding_check("ceil"))
round = defop("round", jnp.round, "RoundBackward0", dtypes="none",
              check=not_for("round_vml_cpu", "bool", "complex"))  # fmt: skip
trunc = defop("trunc", jnp.trunc, "TruncBackward0", dtypes="none", check=_rounding_check("trunc"))


def _clamp(x, lo, hi):
    # NOTE: nested where keeps gradient 1 at the bounds themselves, as torch's clamp.
    if lo is not None:
        x = jnp.where(x < lo, lo, x)
    if hi is not None:
        x = jnp.where(x > hi, hi, x)
    return x


def _clamp_scalar(x, *, min, max):
    # Scalar bounds take part in promotion (an int tensor clamped to 0.5 becomes float).
    dt = result_dtype([x, *(b for b in (min, max) if b is not None)])._np
    return _clamp(x.astype(dt), min, max).astype(dt)


def _clamp_tensor(x, *bounds, has_min, has_max):
    it = iter(bounds)
    return _clamp(x, next(it) if has_min else None, next(it) if has_max else None)


clamp = defop("clamp", _clamp_scalar, "ClampBackward1", dtypes="none")
clamp_tensor = defop("clamp_tensor", _clamp_tensor, "ClampBackward0")
where = defop(
    "where",
    lambda c, x, y: jnp.where(c, x, y),
    "WhereBackward0",
    promote=(1, 2),
    diff_args=(1, 2),
    scalar_edges=True,
)
lerp = defop("lerp", lambda a, b, w: a + w * (b - a), _overload("Lerp", 2))

# Values written by in-place fills and copies; the gradient w.r.t. the old value is zero.
fill = defop("fill", lambda x, *, value: jnp.full_like(x, value), "FillBackward2", dtypes="none",
             saves=())  # fmt: skip
fill_tensor = defop("fill_tensor", lambda x, v: jnp.broadcast_to(v.astype(x.dtype), x.shape),
                    "FillBackward3", dtypes="none", saves=())  # fmt: skip
zero = defop("zero", lambda x: jnp.zeros_like(x), "ZeroBackward0", dtypes="none", saves=())
copy = defop("copy", lambda x, src: jnp.broadcast_to(src.astype(x.dtype), x.shape),
             "CopyBackwards", dtypes="none", saves=())  # fmt: skip

# -- special functions and more binary math -------------------------------------------------------
erf = defop("erf", jax.scipy.special.erf, "ErfBackward0", dtypes="float")
erfc = defop("erfc", jax.scipy.special.erfc, "ErfcBackward0", dtypes="float")
erfinv = defop("erfinv", jax.scipy.special.erfinv, "ErfinvBackward0", dtypes="float")
lgamma = defop("lgamma", jax.scipy.special.gammaln, "LgammaBackward0", dtypes="float")
asinh = defop("asinh", jnp.arcsinh, "AsinhBackward0", dtypes="float")
acosh = defop("acosh", jnp.arccosh, "AcoshBackward0", dtypes="float")
atanh = defop("atanh", jnp.arctanh, "AtanhBackward0", dtypes="float")
frac = defop("frac", lambda x: x - jnp.trunc(x), "FracBackward0", dtypes="none",
             check=not_for("frac_cpu", "bool", "int", "complex"))  # fmt: skip
# NOTE: torch's sgn derivative is 0 everywhere for real inputs (sign's is too).
sgn = defop("sgn", lambda x: x if x.dtype == jnp.bool_ else lax.stop_gradient(jnp.sign(x)) +
            0 * x, "SgnBackward0", dtypes="none")  # fmt: skip
atan2 = defop("atan2", jnp.arctan2, "Atan2Backward0", dtypes="float")
hypot = defop("hypot", jnp.hypot, "HypotBackward0", dtypes="float")
logaddexp = defop("logaddexp", jnp.logaddexp, "LogaddexpBackward0", dtypes="float")
logaddexp2 = defop("logaddexp2", jnp.logaddexp2, "Logaddexp2Backward0", dtypes="float")
xlogy = defop("xlogy", lambda x, y: jax.scipy.special.xlogy(x, y), _overload("Xlogy", 1, 0, 2),
              dtypes="float", scalar_edges=False)  # fmt: skip
logit = defop("logit", lambda x, *, eps: jnp.log(x / (1 - x)) if eps is None else
              jnp.log(jnp.clip(x, eps, 1 - eps) / (1 - jnp.clip(x, eps, 1 - eps))),
              "LogitBackward0", dtypes="float")  # fmt: skip
heaviside = defop("heaviside", _no_derivative("heaviside", lambda x, v: jnp.where(
    x == 0, v, (x > 0).astype(x.dtype))), "NotImplemented")  # fmt: skip
isclose = defop("isclose", lambda x, y, *, rtol, atol, equal_nan: jnp.isclose(
    x, y, rtol=rtol, atol=atol, equal_nan=equal_nan), None)  # fmt: skip
clamp_min = defop("clamp_min", lambda x, lo: _clamp(x, lo, None).astype(
    result_dtype([x, lo])._np), "ClampMinBackward0", dtypes="none")  # fmt: skip
clamp_max = defop("clamp_max", lambda x, hi: _clamp(x, None, hi).astype(
    result_dtype([x, hi])._np), "ClampMaxBackward0", dtypes="none")  # fmt: skip
clamp_min_tensor = defop("clamp_min_tensor", lambda x, lo: _clamp(x, lo, None),
                         "ClampMinBackward1")  # fmt: skip
clamp_max_tensor = defop("clamp_max_tensor", lambda x, hi: _clamp(x, None, hi),
                         "ClampMaxBackward1")  # fmt: skip
logical_xor = defop("logical_xor", lambda x, y: x.astype(bool) ^ y.astype(bool), None)

# Random draws written into a tensor (``normal_``, ``bernoulli``...): the value is the drawn
# array (last argument); no gradient flows to the tensor arguments, as in torch.
sample = defop("sample", lambda *args, name: args[-1], lambda a, o: o["name"], dtypes="none",
               saves=())  # fmt: skip

# -- fused pointwise multiply-adds ----------------------------------------------------------------
# ``value`` is an option (torch's Scalar argument): it does not take part in promotion.
addcmul = defop("addcmul", lambda x, a, b, *, value: x + value * (a * b) if value != 1
                else x + a * b, "AddcmulBackward0")  # fmt: skip
addcdiv = defop("addcdiv", lambda x, a, b, *, value: x + value * (a / b) if value != 1
                else x + a / b, "AddcdivBackward0")  # fmt: skip


# -- more elementwise math ------------------------------------------------------------------------
def _nan_to_num(x, *, nan, posinf, neginf):
    if not jnp.issubdtype(x.dtype, jnp.floating):
        return x
    info = jnp.finfo(x.dtype)
    hi = info.max if posinf is None else posinf
    lo = info.min if neginf is None else neginf
    out = jnp.where(jnp.isnan(x), jnp.asarray(nan, x.dtype), x)
    out = jnp.where(x == jnp.inf, jnp.asarray(hi, x.dtype), out)
    return jnp.where(x == -jnp.inf, jnp.asarray(lo, x.dtype), out)


def _float_power(x, y):
    cplx = any(jnp.issubdtype(jnp.result_type(a), jnp.complexfloating) for a in (x, y))
    dt = jnp.complex128 if cplx else jnp.float64
    return _float_pow(jnp.asarray(x).astype(dt), jnp.asarray(y).astype(dt))


def _copysign(x, y):
    # NOTE: |x| as x * sign(x): gradient 0 at x == 0, as torch's copysign backward.
    neg = jnp.signbit(y) if jnp.issubdtype(jnp.result_type(y), jnp.floating) else y < 0
    return jnp.where(neg, -1, 1).astype(x.dtype) * (x * jnp.sign(x))


def _sinc(x):
    # NOTE: the x == 0 branch is guarded so its gradient is 0 there, as torch's.
    zero = x == 0
    px = jnp.pi * jnp.where(zero, 1, x)
    return jnp.where(zero, 1, jnp.sin(px) / px)


def _shift(op_name, fn):
    def check(x, y):
        for a in (x, y):
            if jnp.issubdtype(jnp.result_type(a), jnp.floating):
                raise NotImplementedError(
                    f'"{op_name}_cpu" not implemented for '
                    f"'{D._LEGACY[D._FROM_NP[jnp.result_type(a)]]}'"
                )

    return fn, check


def _lshift(x, y):
    bits = jnp.iinfo(x.dtype).bits
    return jnp.where((y < 0) | (y >= bits), 0, jnp.left_shift(x, jnp.clip(y, 0, bits - 1)))


def _rshift(x, y):
    bits = jnp.iinfo(x.dtype).bits
    fill = jnp.where(x < 0, -1, 0).astype(x.dtype)
    return jnp.where((y < 0) | (y >= bits), fill, jnp.right_shift(x, jnp.clip(y, 0, bits - 1)))


def _int_only(kernel):
    return not_for(kernel, "bool", *_FLOATING)


nan_to_num = defop("nan_to_num", _nan_to_num, "NanToNumBackward0", dtypes="none")
float_power = defop("float_power", _float_power, lambda a, o: "PowBackward2" if not hasattr(
    a[0], "_storage") else "PowBackward1" if hasattr(a[1], "_storage") else "PowBackward0",
    dtypes="none")  # fmt: skip
fmax = defop("fmax", lambda x, y: jnp.where((x >= y) | jnp.isnan(y), x, y), "FmaxBackward0")
fmin = defop("fmin", lambda x, y: jnp.where((x <= y) | jnp.isnan(y), x, y), "FminBackward0")
copysign = defop("copysign", _copysign, _overload("Copysign", 1, 0, 1), dtypes="float")
signbit = defop("signbit", lambda x: jnp.signbit(x) if jnp.issubdtype(x.dtype, jnp.floating)
                else x < 0, None, dtypes="none")  # fmt: skip
deg2rad = defop("deg2rad", lambda x: x * jnp.asarray(jnp.pi / 180, x.dtype), "Deg2RadBackward0",
                dtypes="float")  # fmt: skip
rad2deg = defop("rad2deg", lambda x: x * jnp.asarray(180 / jnp.pi, x.dtype), "Rad2DegBackward0",
                dtypes="float")  # fmt: skip
sinc = defop("sinc", _sinc, "SincBackward0", dtypes="float")
isneginf = defop("isneginf", lambda x: x == -jnp.inf, None, dtypes="none")
isposinf = defop("isposinf", lambda x: x == jnp.inf, None, dtypes="none")
isreal = defop("isreal", lambda x: jnp.imag(x) == 0 if jnp.iscomplexobj(x)
               else jnp.ones(x.shape, bool), None, dtypes="none")  # fmt: skip
_ls, _ls_check = _shift("lshift", _lshift)
_rs, _rs_check = _shift("rshift", _rshift)
bitwise_left_shift = defop("bitwise_left_shift", _ls, None, check=_ls_check)
bitwise_right_shift = defop("bitwise_right_shift", _rs, None, check=_rs_check)
gcd = defop("gcd", jnp.gcd, None, check=_int_only("gcd_cpu"))
lcm = defop("lcm", jnp.lcm, None, check=_int_only("lcm_cpu"))
