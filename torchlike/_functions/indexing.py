"""Search, scatter-into and index functions: ``searchsorted``, ``bucketize``, ``isin``, ``put``,
``index_reduce``, ``masked_scatter``, the ``*_scatter`` family, index grids, ``histogram(dd)``,
``unique``, ``unique_consecutive``: argument handling and PyTorch's errors, then one op call
each."""

from __future__ import annotations

import builtins
import math

import numpy as np

from .. import _dtype as D
from .._dispatch import call, wrap
from .._ops import TABLE as T
from .._tensor import Tensor, _wrap_dim
from .._warn_once import warn_once
from ..return_types import structseq
from ._surface import public

__all__ = [
    "searchsorted", "bucketize", "isin", "put", "index_reduce", "masked_scatter",
    "diagonal_scatter", "select_scatter", "slice_scatter", "as_strided_scatter", "unravel_index",
    "tril_indices", "triu_indices", "nonzero_static", "histogram", "histogramdd",
    "unique", "unique_consecutive",
]  # fmt: skip

_histogram = structseq("histogram", ("hist", "bin_edges"))
_histogramdd = structseq("histogramdd", ("hist", "bin_edges"))


def _values(t) -> np.ndarray:
    return np.asarray(t._array)


def _name(dt) -> str:
    return D._LEGACY[dt]


def _tensor(data, dtype) -> Tensor:
    from .._creation import tensor

    return tensor(data, dtype=dtype)


# -- search ---------------------------------------------------------------------------------------
_SS = "torch.searchsorted(): "


def _search_side(side, right):
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"{_SS}side can only be 'left' or 'right' but got {side}")
        if right and side == "left":
            raise RuntimeError(
                f"{_SS}side and right can't be set to opposites, got side of left while right "
                "was True"
            )
        return side
    return "right" if right else "left"


@public(out=True)
def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None):  # fmt: skip
    """Indices into the innermost dim of ``sorted_sequence`` where ``input`` keeps it sorted."""
    side = _search_side(side, right)
    seq = sorted_sequence
    if seq.ndim == 0:
        raise RuntimeError(
            f"{_SS}boundaries tensor should have positive dimension, but got 0 dimension"
        )
    scalar = not isinstance(input, Tensor)
    x = _tensor(input, None) if scalar else input
    if not scalar and seq.ndim != 1 and (seq.shape[:-1] != x.shape[:-1] or x.ndim != seq.ndim):
        raise RuntimeError(
            f"{_SS}boundaries tensor should be 1 dimension or the first N-1 dimensions of "
            f"boundaries tensor and input value tensor must match, but we got boundaries tensor "
            f"{list(seq.shape)} and input value tensor {list(x.shape)}"
        )
    opts = dict(side=side, out_int32=builtins.bool(out_int32), scalar=scalar)
    if sorter is None:
        return call(T["searchsorted"], seq, x, **opts)
    if sorter._dtype is not D.int64:
        raise RuntimeError(
            f"{_SS}sorter must be a tensor of long dtype but got dtype {_name(sorter._dtype)}"
        )
    if sorter.shape != seq.shape:
        raise RuntimeError(
            f"{_SS}boundary and sorter must have the same size, but got boundary tensor "
            f"{list(seq.shape)}and got sorter tensor {list(sorter.shape)}"
        )
    s = _values(sorter)
    if s.size and (s.min() < 0 or s.max() >= seq.shape[-1]):
        raise RuntimeError(f"{_SS}sorter index out of range")
    return call(T["searchsorted_sorter"], seq, x, sorter, **opts)


@public(out=True)
def bucketize(input, boundaries, *, out_int32=False, right=False):
    """The bucket of each value of ``input`` among the 1-D sorted ``boundaries``."""
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


@public(out=True)
def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """Whether each of ``elements`` is in ``test_elements`` (either may be a scalar)."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError(
            f"isin() received an invalid combination of arguments - got "
            f"({builtins.type(elements).__name__}, {builtins.type(test_elements).__name__}), "
            "but expected one of:"
        )
    x = elements if isinstance(elements, Tensor) else _tensor(elements, None)
    test = test_elements if isinstance(test_elements, Tensor) else _tensor(test_elements, None)
    return call(T["isin"], x, test, invert=builtins.bool(invert))


# -- put, index_reduce, masked_scatter -------------------------------------------------------------
def _put_inplace(input, index, source, accumulate=False):
    from .inplace import _check_inplace, _inplace, _snapshot

    _check_inplace(input)
    return _inplace(input, put(_snapshot(input), index, source, accumulate))


@public(method=True, inplace=_put_inplace)
def put(input, index, source, accumulate=False):
    """``input`` with the flat positions ``index`` set to (or, with ``accumulate``, increased
    by) the values of ``source``."""
    if index._dtype is not D.int64:
        raise RuntimeError(
            f"put_(): Expected a long tensor for index, but got {_name(index._dtype)}"
        )
    if source._dtype is not input._dtype:
        raise RuntimeError(
            f"put_(): self and source expected to have the same dtype, but got self.dtype = "
            f"{_name(input._dtype)} and source.dtype = {_name(source._dtype)}"
        )
    if index.numel() != source.numel():
        raise IndexError(
            f"put_(): Expected source and index to have the same number of elements, but got "
            f"source.numel() = {source.numel()}, index.numel() = {index.numel()}"
        )
    n = input.numel()
    for i in _values(index).reshape(-1):
        if i >= n or i < -n:
            raise IndexError(
                f"out of range: tried to access index {i} on a tensor of {n} elements."
            )
    return call(T["put"], input, index, source, accumulate=builtins.bool(accumulate))


_REDUCES = ("prod", "mean", "amax", "amin")


def _index_reduce_inplace(input, dim, index, source, reduce, *, include_self=True):
    from .inplace import _check_inplace, _inplace, _snapshot

    _check_inplace(input)
    result = index_reduce(_snapshot(input), dim, index, source, reduce, include_self=include_self)
    return _inplace(input, result)


@public(method=True, inplace=_index_reduce_inplace)
def index_reduce(input, dim, index, source, reduce, *, include_self=True):
    """Reduce the slices of ``source`` into the slices ``index`` of ``input`` along ``dim``
    (``"prod"``, ``"mean"``, ``"amax"``, ``"amin"``; ``include_self`` counts ``input``'s own)."""
    warn_once("index_reduce beta", "index_reduce() is in beta and the API may change at any time.",
              UserWarning, stacklevel=2)  # fmt: skip
    if reduce not in _REDUCES:
        raise RuntimeError(
            f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got "
            f"{reduce}."
        )
    d = _wrap_dim(dim, builtins.max(input.ndim, 1))
    if index.ndim > 1:
        raise IndexError(
            f"index_reduce_(): Index is supposed to be a vector, but got dim: {index.ndim} with "
            f"type: {_name(index._dtype)} and size: {list(index.shape)}"
        )
    if index._dtype not in (D.int64, D.int32):
        raise RuntimeError(
            f"index_reduce_(): Expected dtype int32/int64 for index but got: {_name(index._dtype)}"
        )
    if source._dtype is not input._dtype:
        raise RuntimeError(
            f"index_reduce_(): self ({_name(input._dtype)}) and source ({_name(source._dtype)}) "
            "must have the same scalar type"
        )
    src_n = source.shape[d] if source.ndim else 1
    if index.numel() != src_n:
        raise RuntimeError(
            f"index_reduce_(): Number of indices ({index.numel()}) should be equal to "
            f"source.size(dim): ({src_n}), for dim: {dim}"
        )
    if (
        input.ndim
        and source.ndim
        and any(
            a != b
            for k, (a, b) in enumerate(zip(input.shape, source.shape, strict=False))
            if k != d
        )
    ) or (input.ndim != source.ndim and input.ndim and source.ndim):
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified "
            f"dimension. Got self.shape = {list(input.shape)} source.shape = "
            f"{list(source.shape)}"
        )
    n = input.shape[d] if input.ndim else 1
    idx = _values(index).reshape(-1)
    if idx.size and (idx.min() < -n or idx.max() >= n):
        raise IndexError("index out of range in self")
    index = wrap(np.where(idx < 0, idx + n, idx).astype(np.int64)) if idx.size else index
    return call(T["index_reduce"], input, index.reshape(-1), source, dim=d, reduce=reduce,
                include_self=builtins.bool(include_self))  # fmt: skip


def _broadcast_shape(a, b):
    from .numeric import _broadcast_pair_error

    return _broadcast_pair_error([a, b])


def _masked_scatter_checks(input, mask, source):
    if mask._dtype is not D.bool:
        raise RuntimeError(
            f"masked_scatter_ only supports boolean masks, but got mask with dtype "
            f"{_name(mask._dtype)}"
        )
    if source._dtype is not input._dtype:
        raise RuntimeError(
            f"masked_scatter: expected self and source to have same dtypes but got"
            f"{_name(input._dtype)} and {_name(source._dtype)}"
        )


def _masked_scatter_inplace(input, mask, source):
    from .inplace import _check_inplace, _inplace, _snapshot

    _masked_scatter_checks(input, mask, source)
    if mask.ndim > input.ndim:
        raise RuntimeError(
            f"expand({D._LEGACY[mask._dtype].replace('Bool', 'CPUBool')}Type{{{list(mask.shape)}}}"
            f", size={list(input.shape)}): the number of sizes provided ({input.ndim}) must be "
            f"greater or equal to the number of dimensions in the tensor ({mask.ndim})"
        )
    _broadcast_shape(mask.shape, input.shape)
    _check_inplace(input)
    return _inplace(input, masked_scatter(_snapshot(input), mask, source))


@public(method=True, inplace=_masked_scatter_inplace)
def masked_scatter(input, mask, source):
    """``input`` (broadcast with ``mask``) with its ``True`` positions filled, in order, by the
    leading elements of ``source``."""
    _masked_scatter_checks(input, mask, source)
    shape = _broadcast_shape(mask.shape, input.shape)
    if int(_values(mask).sum()) and np.broadcast_to(_values(mask), shape).sum() > source.numel():
        raise RuntimeError("Number of elements of source < number of ones in mask")
    return call(T["masked_scatter"], input, mask, source, shape=shape)


# -- the *_scatter family -------------------------------------------------------------------------
def _check_src(src, window):
    if tuple(src.shape) != tuple(window):
        raise RuntimeError(
            f"expected src to have a size equal to the slice of self. src size = "
            f"{list(src.shape)}, slice size = {list(window)}"
        )


def diagonal_shape(shape, offset, dim1, dim2):
    """``(dim1, dim2)`` wrapped and the shape of ``diagonal(offset, dim1, dim2)``, with torch's
    errors."""
    d1, d2 = _wrap_dim(dim1, len(shape)), _wrap_dim(dim2, len(shape))
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    n1, n2 = shape[d1], shape[d2]
    n = builtins.min(n1, n2 - offset) if offset >= 0 else builtins.min(n1 + offset, n2)
    rest = [s for k, s in enumerate(shape) if k not in (d1, d2)]
    return d1, d2, (*rest, builtins.max(n, 0))


@public(method=True)
def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    """A copy of ``input`` whose ``diagonal(offset, dim1, dim2)`` is ``src``."""
    d1, d2, window = diagonal_shape(tuple(input.shape), offset, dim1, dim2)
    _check_src(src, window)
    return call(T["diagonal_scatter"], input, src, offset=builtins.int(offset), dim1=d1, dim2=d2)


@public(method=True)
def select_scatter(input, src, dim, index):
    """A copy of ``input`` whose ``select(dim, index)`` is ``src``."""
    window = input.select(dim, index).shape
    _check_src(src, window)
    d = _wrap_dim(dim, input.ndim)
    i = builtins.int(index)
    return call(T["select_scatter"], input, src, dim=d, index=i + input.shape[d] if i < 0 else i)


@public(method=True)
def slice_scatter(input, src, dim=0, start=None, end=None, step=1):
    """A copy of ``input`` whose slice ``start:end:step`` along ``dim`` is ``src``."""
    d = _wrap_dim(dim, input.ndim)
    n = input.shape[d]
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    lo, hi, _ = slice(start, end, step).indices(n)
    hi = builtins.max(hi, lo)
    window = list(input.shape)
    window[d] = len(builtins.range(lo, hi, step))
    _check_src(src, window)
    return call(T["slice_scatter"], input, src, dim=d, start=lo, end=hi, step=builtins.int(step))


@public(method=True)
def as_strided_scatter(input, src, size, stride, storage_offset=None):
    """A copy of (contiguous) ``input`` whose ``as_strided(size, stride, storage_offset)``
    window is ``src``."""
    size, stride = tuple(builtins.int(s) for s in size), tuple(builtins.int(s) for s in stride)
    _check_src(src, size)
    offset = builtins.int(storage_offset or 0)
    need = offset + builtins.sum((n - 1) * s for n, s in zip(size, stride, strict=True)) + 1
    if builtins.all(size) and need > input.numel():
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, "
            f"and itemsize {input._dtype.itemsize} requiring a storage size of "
            f"{need * input._dtype.itemsize} are out of bounds for storage of size "
            f"{input.numel() * input._dtype.itemsize}"
        )
    return call(T["as_strided_scatter"], input.contiguous(), src, size=size, stride=stride,
                offset=offset)  # fmt: skip


# -- index grids ----------------------------------------------------------------------------------
@public
def unravel_index(indices, shape):
    """The coordinates, one tensor per dim of ``shape``, of flat ``indices``."""
    if not isinstance(indices, Tensor):
        raise AttributeError(f"'{builtins.type(indices).__name__}' object has no attribute "
                             "'is_complex'")  # fmt: skip
    if indices._dtype._cat != D._INT:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices._dtype}")
    shape = (builtins.int(shape),) if isinstance(shape, builtins.int) else tuple(shape)
    if builtins.any(s < 0 for s in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {tuple(shape)}")
    idx = indices.to(D.int64)
    out, stride = [], 1
    for s in reversed(shape):
        out.append((idx // stride) % s if s else idx * 0)
        stride *= s
    return tuple(reversed(out))


def _tri_indices(name, row, col, offset, dtype, keep):
    from .._creation import tensor

    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    dtype = dtype or D.int64
    if dtype not in (D.int64, D.int32):
        raise RuntimeError(f"\"{name}\" not implemented for '{_name(dtype)}'")
    r, c = np.indices((row, col)).reshape(2, -1)
    sel = keep(c - r, offset)
    return tensor(np.stack([r[sel], c[sel]]), dtype=dtype)


@public
def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The (2, N) coordinates of the lower triangle of a ``row`` x ``col`` matrix."""
    return _tri_indices("tril_indices_cpu", row, col, offset, dtype, lambda k, o: k <= o)


@public
def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """The (2, N) coordinates of the upper triangle of a ``row`` x ``col`` matrix."""
    return _tri_indices("triu_indices_cpu", row, col, offset, dtype, lambda k, o: k >= o)


@public(method=True, out=True)
def nonzero_static(input, *, size, fill_value=-1):
    """``nonzero()`` padded with ``fill_value`` (or cut) to exactly ``size`` rows."""
    if not isinstance(size, builtins.int) or size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")
    nz = np.argwhere(_values(input))[:size]
    out = np.full((size, input.ndim), fill_value, np.int64)
    out[: len(nz)] = nz
    return wrap(_device_put(out))


def _device_put(a):
    import jax.numpy as jnp

    return jnp.asarray(a)


# -- histograms -----------------------------------------------------------------------------------
def _hist_checks(name, input, weight):
    if input._dtype._cat != D._FLOAT:
        raise NotImplementedError(f"\"histogramdd\" not implemented for '{_name(input._dtype)}'")
    if weight is not None and weight._dtype is not input._dtype:
        raise RuntimeError(
            f"torch.{name}: if weight tensor is provided, it should have the same dtype as the "
            "input tensor"
        )


def _edges(samples, bins, range_, dims, dtype):
    """The bin edges of each of ``dims`` columns, as torch: linear between the data's (or
    ``range``'s) ends, an empty span widened by 0.5 each side."""
    out = []
    for d in builtins.range(dims):
        b = bins[d]
        if isinstance(b, Tensor):
            if b.ndim != 1:
                raise RuntimeError(
                    f"torch.histogramdd(): bins tensor should have one dimension, but got "
                    f"{b.ndim} dimensions in the bins tensor for dimension {d}"
                )
            out.append(b)
            continue
        if b <= 0:
            raise RuntimeError(
                f"torch.histogram(): bins must be > 0, but got {b} for dimension {d}"
            )
        if range_ is not None:
            lo, hi = builtins.float(range_[2 * d]), builtins.float(range_[2 * d + 1])
        elif samples.shape[0]:
            col = samples[:, d]
            lo, hi = builtins.float(col.min()), builtins.float(col.max())
        else:
            lo, hi = 0.0, 1.0  # NOTE: torch's span for an empty input
        if lo > hi:
            raise RuntimeError(
                f"torch.histogramdd: min should not exceed max, but got min {_fmt(lo)} max "
                f"{_fmt(hi)} for dimension {d}"
            )
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise RuntimeError(
                f"torch.histogramdd: dimension {d}'s range [{_fmt(lo)}, {_fmt(hi)}] is not finite"
            )
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
        from .._creation import linspace

        out.append(linspace(lo, hi, b + 1, dtype=dtype))
    return out


def _fmt(v):
    return repr(builtins.int(v)) if builtins.float(v).is_integer() else repr(v)


def _histdd(name, input, bins, range_, weight, density):
    _hist_checks(name, input, weight)
    dims = input.shape[-1] if input.ndim else 1
    samples = input.reshape(-1, dims)
    if weight is not None and tuple(weight.shape) != tuple(input.shape[:-1]):
        raise RuntimeError(
            "torch.histogramdd: if weight tensor is provided it should have the same shape as the "
            f"input tensor excluding its innermost dimension, but got input with shape "
            f"{list(samples.shape)} and weight with shape {list(weight.shape)}"
        )
    if isinstance(bins, (builtins.int, Tensor)):
        bins = [bins] * dims
    if range_ is not None and len(range_) != 2 * dims:
        raise RuntimeError(
            f"torch.{name}: for a {dims}-dimensional histogram range should have {2 * dims} "
            f"elements, but got {len(range_)}"
        )
    if name == "histogramdd" and len(bins) != dims:
        if bins and isinstance(bins[0], Tensor):
            raise RuntimeError(
                f"torch.histogramdd: expected {dims} sequences of bin edges for a {dims}-"
                f"dimensional histogram but got {len(bins)}"
            )
        raise RuntimeError(
            "histogramdd: The size of bins must be equal to the innermost dimension of the input."
        )
    edges = _edges(_values(samples), list(bins), range_, dims, input._dtype)
    w = 1.0 if weight is None else weight.reshape(-1)
    hist = call(T["histogramdd"], samples, w, *edges, density=builtins.bool(density))
    return hist, edges


@public(method=True, out=True)
def histogram(input, bins=100, *, range=None, weight=None, density=False):
    """A histogram of ``input``'s values in ``bins`` equal bins (or between the given edges):
    ``(hist, bin_edges)``."""
    if isinstance(bins, Tensor) and bins.ndim != 1:
        raise RuntimeError(
            f"torch.histogram(): bins tensor should have one dimension, but got {bins.ndim} "
            "dimensions in the bins tensor"
        )
    flat = input.reshape(-1, 1)
    w = weight
    if weight is not None and weight.shape == input.shape:
        w = weight.reshape(-1)
    hist, edges = _histdd("histogram", flat, bins, range, w, density)
    return _histogram(hist, edges[0])


@public
def histogramdd(input, bins=10, *, range=None, weight=None, density=False):
    """A D-dimensional histogram of the (N, D) samples in ``input``:
    ``(hist, bin_edges)`` with one edges tensor per dim."""
    if isinstance(bins, (list, tuple)) and bins and isinstance(bins[0], Tensor):
        bins = list(bins)
    hist, edges = _histdd("histogramdd", input, bins, range, weight, density)
    return _histogramdd(hist, edges)


# -- uniques --------------------------------------------------------------------------------------
def _unique_rows(input, dim):
    """``(rows, d)``: the input as a matrix with one row per element (``dim`` None) or per slice
    along ``dim``, and ``dim`` wrapped; with torch's errors for a dim or empty sizes it refuses."""
    v = _values(input)
    if dim is None:
        return v.reshape(-1, 1), None
    if v.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = _wrap_dim(dim, v.ndim)
    zeros = v.shape.count(0)
    if v.shape[d] == 0 and zeros > 1:
        raise RuntimeError(
            "Number of zero sized dimensions is more than one, so unique cannot be applied "
        )
    if v.shape[d] != 0 and zeros:
        raise RuntimeError(
            "There are 0 sized dimensions, and they aren't selected, so unique cannot be applied"
        )
    return np.moveaxis(v, d, 0).reshape(v.shape[d], math.prod(v.shape) // max(v.shape[d], 1)), d


def _uniques(op, input, dim, sort, return_inverse, return_counts):
    """Rows equal to the previous one (after a lexicographic sort when ``sort``) join its run;
    ``op`` picks each run's first row; the inverse maps every row to its run. NaN equals
    nothing, as in torch."""
    rows, d = _unique_rows(input, dim)
    n = rows.shape[0]
    order = np.lexsort(rows.T[::-1]) if sort and n else np.arange(n)
    ordered = rows[order]
    new = np.ones(n, bool)
    new[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    starts = np.flatnonzero(new)
    outs = [call(op, input, wrap(_device_put(order[starts].astype(np.int64))), dim=d)]
    if return_inverse:
        inverse = np.empty(n, np.int64)
        inverse[order] = np.cumsum(new) - 1
        shape = input.shape if d is None else (n,)
        outs.append(wrap(_device_put(inverse.reshape(shape))))
    if return_counts:
        outs.append(wrap(_device_put(np.diff(np.append(starts, n)).astype(np.int64))))
    return outs[0] if len(outs) == 1 else tuple(outs)


@public(method=True)
def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values (or slices along ``dim``) in ascending (lexicographic) order; with
    ``return_inverse`` where each element (slice) went, with ``return_counts`` how often each
    occurs. As torch on CPU, the result is sorted whatever ``sorted`` says."""
    return _uniques(T["unique"], input, dim, True, return_inverse, return_counts)


@public(method=True)
def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """Each run of equal consecutive values (or slices along ``dim``) kept once; optionally
    the run each element falls in and the runs' lengths."""
    return _uniques(T["unique_consecutive"], input, dim, False, return_inverse, return_counts)
