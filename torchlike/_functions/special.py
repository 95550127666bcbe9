"""torch.special: PyTorch's signatures over the op table,
declared with ``@public(function="special")``; and the torch.* / Tensor names that go with them
(``torch.i0``, ``igamma``, ``igammac``, ``mvlgamma``, ``polygamma``)."""

from __future__ import annotations

import builtins
import operator

from .. import _dtype as D
from .._dispatch import call
from .._ops import TABLE as T
from .._tensor import Tensor, _wrap_dim
from ._common import _arg, _dims
from ._surface import make_inplace, public

_SPECIAL = {"function": "special", "out": True}


def _unary(name, op=None):
    """``torch.special.<name>(input, *, out=None)``: one op-table call."""
    entry = T[op or name]

    def f(input):
        return call(entry, input)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Elementwise ``torch.special.{name}``."
    return public(f, **_SPECIAL)


for _name in ("airy_ai bessel_j0 bessel_j1 bessel_y0 bessel_y1 modified_bessel_i0 "
              "modified_bessel_i1 modified_bessel_k0 modified_bessel_k1 scaled_modified_bessel_k0 "
              "scaled_modified_bessel_k1 spherical_bessel_j0 entr erfcx i0e i1 i1e log_ndtr ndtr "
              "ndtri erf erfc erfinv exp2 expm1 log1p sinc").split():  # fmt: skip
    globals()[_name] = _unary(_name)
_unary("i0")
digamma = _unary("digamma")
psi = _unary("psi", "digamma")
gammaln = _unary("gammaln", "lgamma")
expit = _unary("expit", "sigmoid")


def _check_operands(name, input, other):
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got "
            f"({builtins.type(input).__name__}, {builtins.type(other).__name__}), but expected "
            "one of:"
        )


def _binary(name, op=None):
    """``torch.special.<name>(input, other, *, out=None)``: tensors or numbers (not both
    numbers)."""
    entry = T[op or name]

    def f(input, other):
        _check_operands(f"special_{name}", input, other)
        return call(entry, _arg(input), _arg(other))

    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Elementwise ``torch.special.{name}``."
    return public(f, **_SPECIAL)


for _name in ("xlog1py zeta chebyshev_polynomial_t chebyshev_polynomial_u chebyshev_polynomial_v "
              "chebyshev_polynomial_w shifted_chebyshev_polynomial_t "
              "shifted_chebyshev_polynomial_u shifted_chebyshev_polynomial_v "
              "shifted_chebyshev_polynomial_w hermite_polynomial_h hermite_polynomial_he "
              "laguerre_polynomial_l legendre_polynomial_p").split():  # fmt: skip
    globals()[_name] = _binary(_name)
_binary("xlogy", "special_xlogy")


def _tensors_only(fname, **args):
    for pos, (arg, value) in enumerate(args.items(), 1):
        if not isinstance(value, Tensor):
            raise TypeError(
                f"{fname}(): argument '{arg}' (position {pos}) must be Tensor, not "
                f"{builtins.type(value).__name__}"
            )


def _int_arg(fname, arg, pos, value):
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(
            f"{fname}(): argument '{arg}' (position {pos}) must be int, not "
            f"{builtins.type(value).__name__}"
        ) from None


# -- torch.* and Tensor names ---------------------------------------------------------------------
@public(method=True, inplace=True, torch_inplace=True, out=True)
def i0(input):
    """The modified Bessel function of the first kind of order 0, elementwise."""
    return call(T["i0"], input)


@public(method=True, inplace=True, out=True)
def igamma(input, other):
    """The regularized lower incomplete gamma function P(input, other)."""
    _tensors_only("igamma", input=input, other=other)
    return call(T["igamma"], input, other)


@public(method=True, inplace=True, out=True)
def igammac(input, other):
    """The regularized upper incomplete gamma function Q(input, other)."""
    _tensors_only("igammac", input=input, other=other)
    return call(T["igammac"], input, other)


def _mvlgamma(fname, input, p):
    p = _int_arg(fname, "p", 2, p)
    if input._dtype is D.bool:
        raise RuntimeError("The input tensor may not be a boolean tensor.")
    return call(T["mvlgamma"], input, p=p)


@public(method=True, inplace=True, out=True)
def mvlgamma(input, p):
    """The multivariate log-gamma function of dimension ``p``, elementwise."""
    return _mvlgamma("mvlgamma", input, p)


def _polygamma(fname, n, input):
    return call(T["polygamma"], input, n=_int_arg(fname, "n", 1, n))


def _polygamma_method(self, n):
    return _polygamma("polygamma", n, self)


@public(method=_polygamma_method, inplace=make_inplace(_polygamma_method, "polygamma"), out=True)
def polygamma(n, input):
    """The ``n``-th derivative of the digamma function, elementwise."""
    return _polygamma("polygamma", n, input)


# -- torch.special functions with options ---------------------------------------------------------
@public(name="gammainc", **_SPECIAL)
def gammainc(input, other):
    """``torch.special.gammainc``: the regularized lower incomplete gamma function."""
    _tensors_only("special_gammainc", input=input, other=other)
    return call(T["igamma"], input, other)


@public(name="gammaincc", **_SPECIAL)
def gammaincc(input, other):
    """``torch.special.gammaincc``: the regularized upper incomplete gamma function."""
    _tensors_only("special_gammaincc", input=input, other=other)
    return call(T["igammac"], input, other)


@public(name="polygamma", **_SPECIAL)
def _special_polygamma(n, input):
    return _polygamma("special_polygamma", n, input)


@public(**_SPECIAL)
def multigammaln(input, p):
    """``torch.special.multigammaln``: ``torch.mvlgamma``."""
    return _mvlgamma("special_multigammaln", input, p)


@public(name="logit", **_SPECIAL)
def _special_logit(input, eps=None):
    return call(T["logit"], input, eps=None if eps is None else builtins.float(eps))


@public(name="round", **_SPECIAL)
def _special_round(input, *, decimals=0):
    return call(T["round_decimals"], input, decimals=operator.index(decimals))


@public(name="logsumexp", **_SPECIAL)
def _special_logsumexp(input, dim, keepdim=False):
    return call(T["logsumexp"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def _softmax(name, input, dim, dtype):
    dim = None if input.ndim == 0 else _wrap_dim(dim, input.ndim)
    if dtype is None and input._dtype._cat < D._FLOAT:
        raise NotImplementedError(
            f'"{name}_lastdim_kernel_impl" not implemented for \'{D._LEGACY[input._dtype]}\''
        )
    return call(T[name], input, dim=dim, dtype=None if dtype is None else dtype._np)


@public(name="softmax", function="special")
def _special_softmax(input, dim, *, dtype=None):
    return _softmax("softmax", input, dim, dtype)


@public(name="log_softmax", function="special")
def _special_log_softmax(input, dim, *, dtype=None):
    return _softmax("log_softmax", input, dim, dtype)
