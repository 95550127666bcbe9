"""Reductions: sum, mean, prod, norm, max/min (full, along a dim, binary), arg-reductions."""

from __future__ import annotations

import builtins
import collections
import warnings

from .. import _dtype as D
from .._dispatch import call
from .._ops import TABLE as T
from .._tensor import Tensor, _wrap_dim
from ._common import _dims
from .pointwise import maximum, minimum


# -- reductions -----------------------------------------------------------------------------------
def sum(input, dim=None, keepdim=False, *, dtype=None):
    return call(T["sum"], input, dim=_dims(dim, input.ndim), keepdim=keepdim,
                dtype=None if dtype is None else dtype._np)  # fmt: skip


def mean(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    return call(T["mean"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def prod(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    return call(T["prod"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    if p == "fro" or p is None:
        p = 2
    if p == "nuc":
        raise NotImplementedError("torchlike does not implement the nuclear norm yet")
    if dtype is not None:
        input = input.to(dtype)
    if input._dtype._cat < D._FLOAT:
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{D._LEGACY[input._dtype]}"
        )
    return call(T["norm"], input, p=builtins.float(p), dim=_dims(dim, input.ndim), keepdim=keepdim)


def _return_type(name, fields=("values", "indices")):
    """A ``torch.return_types.<name>`` structseq: a named tuple printed as torch prints it."""
    base = collections.namedtuple(name, fields)

    class R(base):
        __slots__ = ()

        def __repr__(self):
            body = ",\n".join(f"{f}={v!r}" for f, v in zip(fields, self, strict=True))
            return f"torch.return_types.{name}(\n{body})"

    R.__name__ = R.__qualname__ = name
    R.__module__ = "torch.return_types"
    return R


_ReturnTypes = {n: _return_type(n) for n in (
    "max", "min", "sort", "topk", "kthvalue", "median", "mode", "cummax", "cummin",
    "aminmax")}  # fmt: skip
_ReturnTypes["aminmax"] = _return_type("aminmax", ("min", "max"))


def _extreme(name, input, dim, keepdim, other):
    if isinstance(dim, Tensor):
        dim, other = None, dim
    if other is not None:
        return (maximum if name == "max" else minimum)(input, other)
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        return call(T[name], input)
    vals, idx = call(T[f"{name}_dim"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)
    return _ReturnTypes[name](vals, idx)


def max(input, dim=None, keepdim=False, *, other=None):
    return _extreme("max", input, dim, keepdim, other)


def min(input, dim=None, keepdim=False, *, other=None):
    return _extreme("min", input, dim, keepdim, other)


def _reduce_dims(dim, ndim):
    """``amax``'s ``dim``: ``()`` (the default) reduces over every dim."""
    return None if isinstance(dim, (list, tuple)) and not dim else _dims(dim, ndim)


def amax(input, dim=(), keepdim=False):
    return call(T["amax"], input, dim=_reduce_dims(dim, input.ndim), keepdim=keepdim)


def amin(input, dim=(), keepdim=False):
    return call(T["amin"], input, dim=_reduce_dims(dim, input.ndim), keepdim=keepdim)


def argmax(input, dim=None, keepdim=False):
    return call(T["argmax"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def argmin(input, dim=None, keepdim=False):
    return call(T["argmin"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def all(input, dim=None, keepdim=False):
    return call(T["all"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def any(input, dim=None, keepdim=False):
    return call(T["any"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def cumsum(input, dim, *, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    return call(T["cumsum"], input, dim=_wrap_dim(dim, input.ndim))


def cumprod(input, dim, *, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    return call(T["cumprod"], input, dim=_wrap_dim(dim, input.ndim))


# -- variance family, order statistics, more reductions -------------------------------------------
def _var_call(name, input, dim, unbiased, keepdim, correction):
    if isinstance(dim, builtins.bool):
        dim, unbiased = None, dim
    if input._dtype._cat < D._FLOAT:
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if correction is None:
        correction = 0 if unbiased is False else 1
    dims = _dims(dim, input.ndim)
    axes = (range(input.ndim) if dims is None or dims == () else
            dims if isinstance(dims, tuple) else (dims,))  # fmt: skip
    n = 1
    for d in axes:
        n *= input.shape[d]
    if n - correction <= 0:
        warnings.warn(
            f"{name.split('_')[0]}(): degrees of freedom is <= 0. Correction should be strictly "
            "less than the reduction factor (input numel divided by output numel).",
            UserWarning, stacklevel=3,
        )  # fmt: skip
    return call(T[name], input, dim=dims, correction=correction, keepdim=keepdim)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance (Bessel-corrected unless ``unbiased=False`` or ``correction=`` says otherwise)."""
    return _var_call("var", input, dim, unbiased, keepdim, correction)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation; arguments as ``var``."""
    return _var_call("std", input, dim, unbiased, keepdim, correction)


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _var_call("var_mean", input, dim, unbiased, keepdim, correction)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _var_call("std_mean", input, dim, unbiased, keepdim, correction)


def median(input, dim=None, keepdim=False):
    """The lower median of all values, or ``(values, indices)`` along ``dim``."""
    if dim is None:
        return call(T["median"], input)
    vals, idx = call(T["median_dim"], input, dim=_wrap_dim(dim, input.ndim), keepdim=keepdim)
    return _ReturnTypes["median"](vals, idx)


def logsumexp(input, dim, keepdim=False):
    return call(T["logsumexp"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def count_nonzero(input, dim=None):
    return call(T["count_nonzero"], input, dim=_dims(dim, input.ndim))


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    return call(T["nansum"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    from .pointwise import div, isnan, logical_not

    if dtype is not None:
        input = input.to(dtype)
    count = sum(logical_not(isnan(input)), dim, keepdim)
    return div(nansum(input, dim, keepdim), count)


def trace(input):
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    return call(T["trace"], input)


def dist(input, other, p=2):
    """``norm(input - other, p)``."""
    return call(T["dist"], input, other, p=builtins.float(p))
