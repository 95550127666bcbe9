"""Reductions: sum, mean, prod, norm, max/min (full, along a dim, binary), arg-reductions."""

from __future__ import annotations

import builtins
import collections

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


_MinMax = {n: collections.namedtuple(n, ["values", "indices"]) for n in ("max", "min")}


def _return_type(name):
    base = _MinMax[name]

    class R(base):
        __slots__ = ()

        def __repr__(self):
            return f"torch.return_types.{name}(\nvalues={self.values!r},\nindices={self.indices!r})"

    R.__name__ = R.__qualname__ = name
    return R


_ReturnTypes = {n: _return_type(n) for n in ("max", "min")}


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
