"""Reductions: sum, mean, prod, norm, max/min (full, along a dim, binary), arg-reductions, scans,
order statistics. Each declares its surface with ``@public``; several outputs come back as
``torch.return_types`` (and take a tuple ``out=``)."""

from __future__ import annotations

import builtins
import sys
import warnings

from .. import _dtype as D
from .._dispatch import call
from .._ops import TABLE as T
from .._tensor import Tensor, _wrap_dim
from ..return_types import structseq
from ._common import _dims
from ._surface import _exact_dtype_error, public
from .pointwise import maximum, minimum


# -- reductions -----------------------------------------------------------------------------------
@public(method=True, out=True)
def sum(input, dim=None, keepdim=False, *, dtype=None):
    return call(T["sum"], input, dim=_dims(dim, input.ndim), keepdim=keepdim,
                dtype=None if dtype is None else dtype._np)  # fmt: skip


@public(method=True, out=True)
def mean(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        if dtype._cat < D._FLOAT:
            raise RuntimeError(
                "mean(): could not infer output dtype. Optional dtype must be either a floating "
                f"point or complex dtype. Got: {D._LEGACY[dtype]}"
            )
        input = input.to(dtype)
    return call(T["mean"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


@public(method=True, out=True)
def prod(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is None:
        return call(T["prod"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)
    # NOTE: torch converts the input, then multiplies in ``dtype`` (an integer one wraps)
    return call(T["prod"], input.to(dtype), dim=_dims(dim, input.ndim), keepdim=keepdim,
                dtype=dtype._np)  # fmt: skip


@public(method=True, out=True)
def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """The legacy norm, which (as torch's) picks ``linalg.vector_norm`` for a number ``p`` (or
    ``'fro'`` over at most two dims) and ``linalg.matrix_norm`` otherwise (``'nuc'``)."""
    from .linalg import matrix_norm, vector_norm

    if isinstance(p, builtins.str):
        if p == "fro" and (dim is None or isinstance(dim, builtins.int) or len(dim) <= 2):
            return vector_norm(input, 2, dim, keepdim, dtype=dtype)
        dim = builtins.tuple(builtins.range(input.ndim)) if dim is None else dim
        return matrix_norm(input, p, dim, keepdim, dtype=dtype)
    if p is not None and not isinstance(p, (builtins.int, builtins.float, Tensor)):
        raise TypeError(
            "linalg_vector_norm(): argument 'ord' (position 2) must be Number, not "
            f"{builtins.type(p).__name__}"
        )
    return vector_norm(input, 2.0 if p is None else p, dim, keepdim, dtype=dtype)


_RETURN = {"max": structseq("max"), "min": structseq("min")}


def _nonempty_dims(name, input, dim, *, as_given=False):
    """``dim`` normalised (``_dims``), after torch's IndexError for a reduction without an
    identity (max, amax, median...) over a dim of size 0. The message names the dim wrapped,
    or (``as_given``: amax, amin) as the caller wrote it."""
    dims = _dims(dim, input.ndim)
    if input.ndim:
        given = dim if isinstance(dim, (list, tuple)) else (dim,)
        for g, d in zip(given, dims if isinstance(dims, tuple) else (dims,), strict=True):
            if input.shape[d] == 0:
                raise IndexError(
                    f"{name}: Expected reduction dim {g if as_given else d} to have non-zero size."
                )
    return dims


def _no_full_reduction_of_empty(name, input, error=RuntimeError):
    """torch's error for reducing every dim of an empty tensor (an IndexError, with a shorter
    message, for argmax/argmin)."""
    if input.numel() == 0:
        advice = " Specify the reduction dim with the 'dim' argument."
        raise error(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
            + (advice if error is RuntimeError else "")
        )


def _extreme(name, input, dim, keepdim, other):
    if isinstance(dim, Tensor):
        dim, other = None, dim
    if other is not None:
        return (maximum if name == "max" else minimum)(input, other)
    if dim is None:
        _no_full_reduction_of_empty(name, input)
        return call(T[name], input)
    dims = _nonempty_dims(f"{name}()", input, dim)
    vals, idx = call(T[f"{name}_dim"], input, dim=dims, keepdim=keepdim)
    return _RETURN[name](vals, idx)


@public(method=True, out=True)
def max(input, dim=None, keepdim=False, *, other=None):
    return _extreme("max", input, dim, keepdim, other)


@public(method=True, out=True)
def min(input, dim=None, keepdim=False, *, other=None):
    return _extreme("min", input, dim, keepdim, other)


def _reduce_dims(name, input, dim):
    """``amax``'s ``dim``: ``()`` (the default) reduces over every dim."""
    if isinstance(dim, (list, tuple)) and not dim:
        _no_full_reduction_of_empty(name, input)
        return None
    return _nonempty_dims(f"{name}()", input, dim, as_given=True)


def _out_of_input_dtype(out, input, *args, **kwargs):
    """``amax``/``amin``'s ``out=`` must have ``input``'s dtype (no cast, unlike most ops)."""
    if isinstance(out, Tensor) and out._dtype is not input._dtype:
        raise RuntimeError(
            "Expected the dtype for input and out to match, but got "
            f"{D._LEGACY[input._dtype]} for input's dtype and {D._LEGACY[out._dtype]} for out's "
            "dtype."
        )


@public(method=True, out=_out_of_input_dtype)
def amax(input, dim=(), keepdim=False):
    return call(T["amax"], input, dim=_reduce_dims("amax", input, dim), keepdim=keepdim)


@public(method=True, out=_out_of_input_dtype)
def amin(input, dim=(), keepdim=False):
    return call(T["amin"], input, dim=_reduce_dims("amin", input, dim), keepdim=keepdim)


def _arg_extreme(name, input, dim, keepdim):
    if dim is None:
        _no_full_reduction_of_empty(name, input, IndexError)
        return call(T[name], input, dim=None, keepdim=keepdim)
    return call(T[name], input, dim=_nonempty_dims(f"{name}()", input, dim), keepdim=keepdim)


@public(method=True, out=True)
def argmax(input, dim=None, keepdim=False):
    return _arg_extreme("argmax", input, dim, keepdim)


@public(method=True, out=True)
def argmin(input, dim=None, keepdim=False):
    return _arg_extreme("argmin", input, dim, keepdim)


@public(method=True, out=True)
def all(input, dim=None, keepdim=False):
    return call(T["all"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


@public(method=True, out=True)
def any(input, dim=None, keepdim=False):
    return call(T["any"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def _scan(name, input, dim, dtype):
    """``cumsum``/``cumprod``: ``dtype=`` is the accumulation and result dtype."""
    if dtype is D.bool:
        raise NotImplementedError(f"\"{name}_out_cpu\" not implemented for 'Bool'")
    return call(T[name], input, dim=_wrap_dim(dim, input.ndim),
                dtype=None if dtype is None else dtype._np)  # fmt: skip


@public(method=True, inplace=True, out=True)
def cumsum(input, dim, *, dtype=None):
    return _scan("cumsum", input, dim, dtype)


@public(method=True, inplace=True, out=True)
def cumprod(input, dim, *, dtype=None):
    return _scan("cumprod", input, dim, dtype)


def _user_stacklevel():
    """The ``stacklevel`` that shows a warning at the first frame outside torchlike, whichever
    wrappers (method, ``out=``) the call came through."""
    frame, level = sys._getframe(2), 2
    while frame is not None and frame.f_globals.get("__name__", "").startswith("torchlike."):
        frame, level = frame.f_back, level + 1
    return level


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
        n *= input.shape[d] if input.ndim else 1
    if n - correction <= 0:
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly "
            "less than the reduction factor (input numel divided by output numel).",
            UserWarning, stacklevel=_user_stacklevel(),
        )  # fmt: skip
    return call(T[name], input, dim=dims, correction=correction, keepdim=keepdim)


@public(method=True, out=True)
def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Variance (Bessel-corrected unless ``unbiased=False`` or ``correction=`` says otherwise)."""
    return _var_call("var", input, dim, unbiased, keepdim, correction)


@public(method=True, out=True)
def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """Standard deviation; arguments as ``var``."""
    return _var_call("std", input, dim, unbiased, keepdim, correction)


@public
def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _var_call("var_mean", input, dim, unbiased, keepdim, correction)


@public
def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    return _var_call("std_mean", input, dim, unbiased, keepdim, correction)


_MEDIAN = structseq("median")


@public(method=True, out=True)
def median(input, dim=None, keepdim=False):
    """The lower median of all values, or ``(values, indices)`` along ``dim``."""
    if dim is None:
        return call(T["median"], input)
    dim = _nonempty_dims("median()", input, dim)
    vals, idx = call(T["median_dim"], input, dim=dim, keepdim=keepdim)
    return _MEDIAN(vals, idx)


@public(method=True, out=True)
def logsumexp(input, dim, keepdim=False):
    return call(T["logsumexp"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


@public(method=True)
def count_nonzero(input, dim=None):
    return call(T["count_nonzero"], input, dim=_dims(dim, input.ndim))


@public(method=True, out=True)
def nansum(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    return call(T["nansum"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


@public(method=True, out=True)
def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    from .pointwise import div, isnan, logical_not

    if dtype is not None:
        input = input.to(dtype)
    count = sum(logical_not(isnan(input)), dim, keepdim)
    return div(nansum(input, dim, keepdim), count)


@public(method=True)
def trace(input):
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    return call(T["trace"], input)


@public(method=True)
def dist(input, other, p=2):
    """``norm(input - other, p)``."""
    return call(T["dist"], input, other, p=builtins.float(p))


# -- scans, paired extremes, nan-aware order statistics, histograms, covariance -------------------
@public(method=True, out=True)
def logcumsumexp(input, dim):
    """``log(cumsum(exp(input)))`` along ``dim``, computed stably."""
    if input._dtype._cat < D._FLOAT:
        raise NotImplementedError(
            f"\"logcumsumexp_out_cpu\" not implemented for '{D._LEGACY[input._dtype]}'"
        )
    return call(T["logcumsumexp"], input, dim=_wrap_dim(dim, input.ndim))


_AMINMAX = structseq("aminmax", ("min", "max"))


def _outs_of_input_dtype(out, input, *args, **kwargs):
    """``aminmax``'s two ``out=`` tensors must have ``input``'s dtype."""
    for o in out if isinstance(out, (list, tuple)) else ():
        if isinstance(o, Tensor) and o._dtype is not input._dtype:
            raise RuntimeError(_exact_dtype_error("aminmax", input._dtype, o._dtype))


@public(method=True, out=_outs_of_input_dtype)
def aminmax(input, *, dim=None, keepdim=False):
    """``(min, max)`` as ``torch.return_types.aminmax`` (over ``dim``, or everything)."""
    if dim is None and input.numel() == 0:
        raise RuntimeError(
            "aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
            "identity."
        )
    d = None if dim is None else _nonempty_dims("aminmax", input, dim)
    if d is not None and input.ndim == 0:
        d = None
    lo, hi = call(T["aminmax"], input, dim=d, keepdim=keepdim)
    return _AMINMAX(lo, hi)


@public(method=True)
def argwhere(input):
    """The indices of the non-zero elements, one row each (``nonzero``)."""
    from .pointwise import nonzero

    return nonzero(input)


_NANMEDIAN = structseq("nanmedian")


@public(method=True, out=True)
def nanmedian(input, dim=None, keepdim=False):
    """The median ignoring NaNs (the lower of the two middle values); ``(values, indices)``
    along ``dim``."""
    if dim is None:
        return call(T["nanmedian"], input)
    # NOTE: torch's message names median() here too
    dim = _nonempty_dims("median()", input, dim)
    vals, idx = call(T["nanmedian_dim"], input, dim=dim, keepdim=keepdim)
    return _NANMEDIAN(vals, idx)


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile_call(name, input, q, dim, keepdim, interpolation, ignore_nan):
    from .._creation import tensor

    if isinstance(q, Tensor) and input.numel() == 0:
        raise RuntimeError("quantile() input tensor must be non-empty")
    if input._dtype not in (D.float32, D.float64):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    scalar_q = not isinstance(q, Tensor)
    if scalar_q:
        if not 0 <= q <= 1:
            raise RuntimeError(f"{name}() q must be in the range [0, 1] but got {q:g}")
        if input.numel() == 0:
            raise RuntimeError("quantile() input tensor must be non-empty")
        q = tensor([builtins.float(q)], dtype=input._dtype)
    else:
        if q.ndim > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        if q._dtype is not input._dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
        scalar_q = q.ndim == 0
        # NOTE: only linear interpolation reads q differentiably (its weight); torch's other
        # modes round the rank, leaving q out of the graph.
        q = (q if interpolation == "linear" else q.detach()).reshape(-1)
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(
            f"{name}() interpolation must be one of linear, lower, higher, midpoint or nearest, "
            f"but got {interpolation}"
        )
    d = None if dim is None else _wrap_dim(dim, input.ndim)
    return call(T["quantile"], input, q, dim=d, keepdim=keepdim, interpolation=interpolation,
                ignore_nan=ignore_nan, scalar_q=scalar_q)  # fmt: skip


@public(method=True, out=True)
def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """The ``q``-th quantiles (a number, or a 1-D tensor: stacked first) along ``dim``."""
    return _quantile_call("quantile", input, q, dim, keepdim, interpolation, False)


@public(method=True, out=True)
def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """``quantile`` ignoring NaNs."""
    return _quantile_call("nanquantile", input, q, dim, keepdim, interpolation, True)


@public(method=True, out=True)
def histc(input, bins=100, min=0, max=0):
    """Counts in ``bins`` equal bins over ``[min, max]`` (the data's range when equal)."""
    if input._dtype._cat < D._FLOAT:
        raise NotImplementedError(
            f"\"histogram_cpu\" not implemented for '{D._LEGACY[input._dtype]}'"
        )
    if min > max:
        raise RuntimeError("torch.histc: max must be larger than min")
    return call(T["histc"], input, bins=builtins.int(bins), min=builtins.float(min),
                max=builtins.float(max))  # fmt: skip


@public(method=True)
def bincount(input, weights=None, minlength=0):
    """Occurrences of each non-negative integer (summed ``weights`` when given)."""
    import numpy as np

    if input._dtype._cat >= D._FLOAT:
        raise NotImplementedError(
            f"\"bincount_cpu\" not implemented for '{D._LEGACY[input._dtype]}'"
        )
    v = np.asarray(input._array)
    if input.ndim != 1 or (v.size and v.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    length = builtins.max(builtins.int(v.max()) + 1 if v.size else 0, builtins.int(minlength))
    if weights is None:
        return call(T["bincount"], input, length=length, dtype="int64")
    dt = weights._dtype if weights._dtype in (D.float32, D.float64) else D.float64
    return call(T["bincount"], input, weights, length=length, dtype=dt._np.name)


def _check_cov_weights(name, w, n_obs, cat):
    """torch's checks of ``cov``'s ``fweights`` (integers) or ``aweights`` (floats); as torch,
    the sign check reads the values."""
    if w is None:
        return
    if w.ndim > 1:
        raise RuntimeError(
            f"cov(): expected {name} to have one or fewer dimensions but got {name} with "
            f"{w.ndim} dimensions"
        )
    if w._dtype._cat != cat:
        kind = "integral" if cat == D._INT else "floating point"
        raise RuntimeError(
            f"cov(): expected {name} to have {kind} dtype but got {name} with "
            f"{D._LEGACY[w._dtype]} dtype"
        )
    if w.numel() != n_obs:
        raise RuntimeError(
            f"cov(): expected {name} to have the same numel as there are observations in the "
            f"input but got {w.numel()} != {n_obs}"
        )
    if n_obs and builtins.bool((w.min() < 0).item()):
        raise RuntimeError(f"cov(): {name} cannot be negative")


def _weights_sum_to_zero(ws):
    w = ws[0] if len(ws) == 1 else ws[0] * ws[1]
    return builtins.bool((w.sum() == 0).item())


@public(method=True)
def cov(input, *, correction=1, fweights=None, aweights=None):
    """The covariance matrix of the rows of ``input`` (variables) over its columns."""
    if input.ndim > 2:
        raise RuntimeError(
            "cov(): expected input to have two or fewer dimensions but got an input with "
            f"{input.ndim} dimensions"
        )
    if input._dtype is D.bool:
        raise RuntimeError("cov(): bool dtype is not supported for input")
    n_obs = input.shape[-1] if input.ndim == 2 else input.numel()
    _check_cov_weights("fweights", fweights, n_obs, D._INT)
    _check_cov_weights("aweights", aweights, n_obs, D._FLOAT)
    ws = [w for w in (fweights, aweights) if w is not None]
    if ws and _weights_sum_to_zero(ws):
        raise RuntimeError("cov(): weights sum to zero, can't be normalized")
    if not ws and n_obs - correction <= 0:
        warnings.warn(
            "cov(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "number of observations.", UserWarning, stacklevel=_user_stacklevel(),
        )  # fmt: skip
    return call(T["cov"], input, *ws, correction=builtins.int(correction),
                has_f=fweights is not None, has_a=aweights is not None)  # fmt: skip


@public(method=True)
def corrcoef(input):
    """Pearson correlation coefficients of the rows of ``input``."""
    return call(T["corrcoef"], input)
