"""Joins, repeats, flips, triangles, gather/scatter, masked fills, sorting and selection,
grids and diagonals: argument handling and PyTorch's errors, then one op call each."""

from __future__ import annotations

import builtins
import warnings

import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._dispatch import call, wrap
from .._ops import TABLE as T
from .._tensor import Tensor, _wrap_dim
from .._warn_once import warn_once
from ..return_types import structseq
from ._common import _arg, _dims
from ._surface import public
from .inplace import _check_inplace, _inplace


def _values(t) -> np.ndarray:
    return np.asarray(t._array)


# -- joins ----------------------------------------------------------------------------------------
def _tensor_list(tensors, name):
    if isinstance(tensors, Tensor):
        raise TypeError(
            f"{name}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor"
        )
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            kind = builtins.type(t)
            name = kind.__name__ if kind.__module__ == "builtins" else \
                f"{kind.__module__}.{kind.__qualname__}"  # fmt: skip
            raise TypeError(f"expected Tensor as element {i} in argument 0, but got {name}")
    return list(tensors)


@public(out=True, aliases=("concat", "concatenate"))
def cat(tensors, dim=0):
    """Concatenate along ``dim`` (``torch.cat``); dtypes promote."""
    ts = _tensor_list(tensors, "cat")
    if not ts:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(ts):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    # NOTE: torch skips 1-D empty tensors (a legacy rule) when joining.
    keep = [t for t in ts if not (t.ndim == 1 and t.shape[0] == 0)] or ts[:1]
    ref = keep[0]
    d = _wrap_dim(dim, ref.ndim)
    for i, t in enumerate(ts):
        if (t.ndim == 1 and t.shape[0] == 0) or t is ref:
            continue
        if t.ndim != ref.ndim:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {ref.ndim} and {t.ndim}"
            )
        for k in range(ref.ndim):
            if k != d and t.shape[k] != ref.shape[k]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size "
                    f"{ref.shape[k]} but got size {t.shape[k]} for tensor number "
                    f"{i} in the list."
                )
    return call(T["cat"], *keep, dim=d)


@public(out=True)
def stack(tensors, dim=0):
    ts = _tensor_list(tensors, "stack")
    if not ts:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(ts[1:], 1):
        if t.shape != ts[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(ts[0].shape)} at "
                f"entry 0 and {list(t.shape)} at entry {i}"
            )
    d = _wrap_dim(dim, ts[0].ndim + 1)
    return call(T["stack"], *ts, dim=d)


def _join(name, tensors, kind, dim_of):
    ts = _tensor_list(tensors, name)
    if not ts:
        raise RuntimeError(f"{name} expects a non-empty TensorList")
    # NOTE: torch promotes (atleast_<k>d) then cats: ranks must agree after promotion, except
    # the legacy empty 1-D tensor cat skips
    least = {"1d": 1, "2d": 2, "3d": 3, "col": 2}[kind]
    skip = least == 1  # hstack: an empty 1-D tensor
    ranks = [builtins.max(t.ndim, least) for t in ts if not (skip and tuple(t.shape) == (0,))]
    for r in ranks[1:]:
        if r != ranks[0]:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {ranks[0]} and {r}"
            )
    return call(T["cat"], *ts, dim=dim_of(ts), kind=kind)


@public(out=True)
def hstack(tensors):
    return _join("hstack", tensors, "1d", lambda ts: 0 if builtins.all(
        t.ndim <= 1 for t in ts) else 1)  # fmt: skip


@public(out=True)
def vstack(tensors):
    return _join("vstack", tensors, "2d", lambda ts: 0)


@public(out=True)
def dstack(tensors):
    return _join("dstack", tensors, "3d", lambda ts: 2)


@public(out=True)
def column_stack(tensors):
    return _join("column_stack", tensors, "col", lambda ts: 1)


# -- repeats, flips, triangles --------------------------------------------------------------------
def _sizes(args):
    if len(args) == 1 and isinstance(args[0], (list, tuple, Tensor)):
        args = args[0]
    return tuple(builtins.int(a) for a in args)


@public(method=True)
def repeat(input, *sizes):
    """``x.repeat(2, 1)``: tile ``x`` (the method only, as in torch)."""
    reps = _sizes(sizes)
    if len(reps) < input.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions "
            "of tensor"
        )
    return call(T["repeat"], input, reps=reps)


@public(method=True)
def tile(input, dims):
    reps = _sizes((dims,))
    reps = (1,) * (input.ndim - len(reps)) + reps
    return call(T["repeat"], input, reps=reps)


@public(method=True)
def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Repeat each element ``repeats`` times (an int or a tensor of counts) along ``dim`` (the
    flattened input if None). ``repeat_interleave(counts)`` gives the repeated indices."""
    if repeats is None:
        counts = _values(input)
        return wrap(jnp.asarray(np.repeat(np.arange(counts.size), counts).astype(np.int64)))
    if dim is not None:
        dim = _wrap_dim(dim, input.ndim)
    if isinstance(repeats, Tensor) and repeats.numel() != 1:
        counts = _values(repeats).reshape(-1)
        size = input.numel() if dim is None else input.shape[dim]
        if counts.size != size:
            raise RuntimeError("repeats must have the same size as input along dim")
        if (counts < 0).any():
            raise RuntimeError("repeats can not be negative")
        idx = wrap(jnp.asarray(np.repeat(np.arange(size), counts).astype(np.int64)))
        return call(T["index_select"], input, idx, dim=0 if dim is None else dim,
                    flat=dim is None)  # fmt: skip
    n = builtins.int(repeats.item() if isinstance(repeats, Tensor) else repeats)
    if n < 0:
        raise RuntimeError("repeats can not be negative")
    return call(T["repeat_interleave"], input, repeats=n, dim=dim)


def _int_tuple(dims, position):
    """``flip``'s ``dims`` checked as torch's argument parser does (``position`` when given
    positionally)."""
    if isinstance(dims, (list, tuple)) and builtins.all(isinstance(d, builtins.int) for d in dims):
        return tuple(dims)
    where = "" if position is None else f" (position {position})"
    raise TypeError(
        f"flip(): argument 'dims'{where} must be tuple of ints, not {builtins.type(dims).__name__}"
    )


def _flip_method(self, *dims, **kwargs):
    """``x.flip(0, 1)``, ``x.flip((0, 1))`` or ``x.flip(dims=(0, 1))``."""
    for key in kwargs:
        if key != "dims":
            raise TypeError(f"flip() got an unexpected keyword argument '{key}'")
    if "dims" in kwargs:
        if dims:
            raise TypeError("flip() got multiple values for argument 'dims'")
        return flip(self, _int_tuple(kwargs["dims"], None))
    if not dims:
        raise TypeError('flip() missing 1 required positional arguments: "dims"')
    if len(dims) == 1 and not isinstance(dims[0], builtins.int):
        return flip(self, _int_tuple(dims[0], 1))
    if not builtins.all(isinstance(d, builtins.int) for d in dims):
        raise TypeError(f"flip() takes 1 positional argument but {len(dims)} were given")
    return flip(self, dims)


@public(method=_flip_method)
def flip(input, dims):
    """Reverse the order of the elements along each of ``dims``."""
    dims = _dims(_int_tuple(dims, 2), input.ndim)
    # NOTE: a 0-d tensor's only dim is its one element: flipping it changes nothing.
    return call(T["flip"], input, dims=dims if input.ndim else ())


@public(method=True)
def fliplr(input):
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


@public(method=True)
def flipud(input):
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


@public(method=True)
def roll(input, shifts, dims=None):
    if isinstance(shifts, (list, tuple)) and len(shifts) == 0:
        raise RuntimeError("`shifts` required")
    if dims is not None and not isinstance(dims, builtins.int) and len(dims) == 0:
        dims = None  # torch: no dims is the flattened roll
    if dims is None and isinstance(shifts, (list, tuple)) and len(shifts) > 1:
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
    if dims is None:
        shifts = builtins.int(shifts[0] if isinstance(shifts, (list, tuple)) else shifts)
        return call(T["roll"], input, shifts=shifts, dims=None)
    shifts = (shifts,) if isinstance(shifts, builtins.int) else tuple(shifts)
    dims = (dims,) if isinstance(dims, builtins.int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(
            f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}"
        )
    if input.ndim == 0 and dims:
        raise IndexError(f"Dimension specified as {dims[0]} but tensor has no dimensions")
    return call(T["roll"], input, shifts=shifts,
                dims=tuple(_wrap_dim(d, input.ndim) for d in dims))  # fmt: skip


def _triangle(name, input, diagonal):
    if input.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return call(T[name], input, diagonal=builtins.int(diagonal))


@public(method=True, inplace=True, out=True)
def tril(input, diagonal=0):
    return _triangle("tril", input, diagonal)


@public(method=True, inplace=True, out=True)
def triu(input, diagonal=0):
    return _triangle("triu", input, diagonal)


# -- gather / scatter / index_* -------------------------------------------------------------------
_LONG_OR_INT = (D.int64, D.int32)
# torch's index-dtype check per op: message (``{}``: the dtype's legacy name), the dtypes it
# accepts, the exception type.
_INDEX_DTYPE = {
    "gather": ("gather(): Expected dtype int32/int64 for index", _LONG_OR_INT, RuntimeError),
    "scatter": ("scatter(): Expected dtype int32/int64 for index", _LONG_OR_INT, RuntimeError),
    "index_add": ("index_add_(): Expected dtype int32/int64 for index but got: {}", _LONG_OR_INT,
                  RuntimeError),
    "index_fill": ("index_fill_(): Expected dtype int64 for index.", (D.int64,), IndexError),
    "index_copy": ("index_copy_(): Expected a long tensor for index, but got {}", (D.int64,),
                   RuntimeError),
    "index_select": ("index_select(): Expected dtype int32 or int64 for index", _LONG_OR_INT,
                     RuntimeError),
    "take": ("take(): Expected a long tensor for index, but got {}", (D.int64,), RuntimeError),
}  # fmt: skip


def _check_index(name, index, kind=None):
    if not isinstance(index, Tensor):
        raise TypeError(
            f"{name}(): argument 'index' must be Tensor, not {builtins.type(index).__name__}"
        )
    msg, accepted, error = _INDEX_DTYPE[kind or name]
    if index._dtype not in accepted:
        raise error(msg.format(D._LEGACY[index._dtype]))


def _check_bounds(index, size, dim):
    v = _values(index)
    bad = v[(v < 0) | (v >= size)] if v.size else v[:0]
    if bad.size:
        raise RuntimeError(f"index {bad.flat[0]} is out of bounds for dimension {dim} with size "
                           f"{size}")  # fmt: skip


def _size_at(t, i):
    return t.shape[i] if t.ndim else 1


def _check_gather_like(name, input, dim, index, src=None):
    """torch's checks of gather and the scatter family, in its order: index dtype (of a
    non-empty index), src dtype, ranks and sizes of index against input (and src), then the
    index values' bounds. Returns the wrapped dim and the index (an empty one as int64)."""
    if index.numel() or not isinstance(index, Tensor):
        _check_index(name, index, "gather" if name == "gather" else "scatter")
    elif index._dtype not in _LONG_OR_INT:
        index = index.to(D.int64)
    d = _wrap_dim(dim, input.ndim)
    if isinstance(src, Tensor) and src._dtype is not input._dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    nd = builtins.max(input.ndim, 1)
    if index.numel():
        gather = name == "gather"
        if builtins.max(index.ndim, 1) != nd:
            raise RuntimeError(
                "Index tensor must have the same number of dimensions as "
                f"{'input' if gather else 'self'} tensor"
            )
        if gather:
            for i in range(nd):
                if i != d and _size_at(index, i) > _size_at(input, i):
                    raise RuntimeError(
                        f"Size does not match at dimension {i} expected index "
                        f"{list(index.shape)} to be no larger than self {list(input.shape)} "
                        f"apart from dimension {d}"
                    )
        else:
            wrong = builtins.any(
                i != d
                and (_size_at(index, i) > _size_at(input, i)
                     or (isinstance(src, Tensor) and _size_at(index, i) > _size_at(src, i)))
                for i in range(nd)
            )  # fmt: skip
            if isinstance(src, Tensor):
                if builtins.max(src.ndim, 1) != nd:
                    raise RuntimeError(
                        "Index tensor must have the same number of dimensions as src tensor"
                    )
                if wrong:
                    raise RuntimeError(
                        f"Expected index {list(index.shape)} to be no larger than self "
                        f"{list(input.shape)} apart from dimension {d} and to be no larger size "
                        f"than src {list(src.shape)}"
                    )
            elif wrong:
                raise RuntimeError(
                    f"Expected index {list(index.shape)} to be no larger than self "
                    f"{list(input.shape)} apart from dimension {d}"
                )
    _check_bounds(index, input.shape[d] if input.ndim else 1, d)
    return d, index


@public(method=True, out=True)
def gather(input, dim, index, *, sparse_grad=False):
    d, index = _check_gather_like("gather", input, dim, index)
    return call(T["gather"], input, index, dim=d)


@public(method=True, out=True)
def take_along_dim(input, indices, dim=None):
    """``gather`` along ``dim`` after broadcasting ``input`` and ``indices`` over every other
    dim (over the flattened input when ``dim`` is None)."""
    from .numeric import _broadcast_pair_error

    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    if indices._dtype is not D.int64:
        raise RuntimeError(
            "torch.take_along_dim(): dtype of indices should be Long but got "
            f"{D._LEGACY[indices._dtype]}"
        )
    if input.ndim != indices.ndim:
        raise RuntimeError(
            "torch.take_along_dim(): input and indices should have the same number of "
            f"dimensions, but got {input.ndim} dimensions for input, and {indices.ndim} "
            "dimensions for indices"
        )
    if input.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    d = _wrap_dim(dim, input.ndim)
    sizes = list(input.shape)
    sizes[d] = indices.shape[d]
    shape = list(_broadcast_pair_error([sizes, indices.shape]))
    indices = indices.expand(*shape)
    shape[d] = input.shape[d]
    if shape[d]:
        # NOTE: torch wraps every index into range here (modulo the size), not only negatives.
        indices = indices % shape[d]
    return gather(input.expand(*shape), d, indices)


@public(method=True, inplace=True, out=True)
def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """Write ``src`` (a tensor, or a number as ``value``) into ``input`` at ``index`` along
    ``dim``; ``reduce='add'|'multiply'`` combines instead."""
    if src is None:
        src = value
    d, index = _check_gather_like("scatter", input, dim, index, src)
    if reduce is not None and isinstance(src, Tensor):
        warn_once("scatter_reduce_src", "The reduce argument of torch.scatter with Tensor src is "
                  "deprecated and will be removed in a future PyTorch release. Use "
                  "torch.scatter_reduce instead for more reduction options.")  # fmt: skip
    return call(T["scatter"], input, index, _arg(src), dim=d, reduce=reduce)


@public(method=True, inplace=True, out=True)
def scatter_add(input, dim, index, src):
    d, index = _check_gather_like("scatter_add", input, dim, index, src)
    return call(T["scatter_add"], input, index, src, dim=d)


@public(method=True, inplace=True, out=True)
def scatter_reduce(input, dim, index, src, reduce, *, include_self=True):
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError(
            "reduce argument must be either sum, prod, mean, amax or amin, got " + reduce
        )
    d, index = _check_gather_like("scatter_reduce", input, dim, index, src)
    return call(T["scatter_reduce"], input, index, src, dim=d, reduce=reduce,
                include_self=include_self)  # fmt: skip


def _index_1d(name, input, dim, index):
    _check_index(name, index)
    if index.ndim > 1:
        raise IndexError(f"{name}(): Index is supposed to be a vector")
    d = _wrap_dim(dim, input.ndim)
    _check_bounds(index, input.shape[d] if input.ndim else 1, d)
    return d, index.reshape(-1) if index.ndim == 0 else index


@public(method=True, out=True)
def index_select(input, dim, index):
    _check_index("index_select", index)
    if index.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    d = _wrap_dim(dim, input.ndim)
    if input.ndim == 0 and index.numel() != 1:
        raise RuntimeError(
            f"index_select(): Index to scalar can have only 1 value, got {index.numel()} value(s)"
        )
    size = input.shape[d] if input.ndim else 1
    v = _values(index).reshape(-1)
    bad = v[(v < 0) | (v >= size)]
    if bad.size:
        # NOTE: torch's CPU kernel has its own path (and message) for dim 1.
        if input.ndim > 1 and d == 1:
            raise RuntimeError(
                f"INDICES element is out of DATA bounds, id={bad[0]} axis_dim={size}"
            )
        raise IndexError("index out of range in self")
    return call(T["index_select"], input, index.reshape(-1) if index.ndim == 0 else index, dim=d)


@public(method=True, inplace=True, out=True)
def index_add(input, dim, index, source, *, alpha=1):
    d, index = _index_1d("index_add", input, dim, index)
    if source._dtype is not input._dtype:
        raise RuntimeError(
            f"index_add_(): self ({D._LEGACY[input._dtype]}) and source "
            f"({D._LEGACY[source._dtype]}) must have the same scalar type"
        )
    n = builtins.max(source.ndim, 1)
    if source.ndim and d < n and index.numel() != source.shape[d]:
        raise RuntimeError(
            f"index_add_(): Number of indices ({index.numel()}) should be equal to "
            f"source.size(dim): ({source.shape[d]}), for dim: {d}"
        )
    sliced = [list(t.shape[:d]) + list(t.shape[d + 1 :]) for t in (input, source)]
    if input.ndim != source.ndim or sliced[0] != sliced[1]:
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified "
            f"dimension. Got self.shape = {list(input.shape)} source.shape = "
            f"{list(source.shape)}"
        )
    return call(T["index_add"], input, index, source, alpha, dim=d)


@public(method=True, inplace=True)
def index_fill(input, dim, index, value):
    d, index = _index_1d("index_fill", input, dim, index)
    return call(T["index_fill"], input, index, _arg(value), dim=d)


@public(method=True, inplace=True, out=True)
def index_copy(input, dim, index, source):
    d, index = _index_1d("index_copy", input, dim, index)
    return call(T["index_copy"], input, index, source, dim=d)


_C_TYPE = {
    "float16": "c10::Half", "bfloat16": "c10::BFloat16", "float32": "float", "float64": "double",
    "int8": "int8_t", "int16": "int16_t", "int32": "int", "int64": "int64_t", "uint8": "uint8_t",
    "complex64": "c10::complex<float>", "complex128": "c10::complex<double>",
}  # fmt: skip
_REAL = {"complex64": "float32", "complex128": "float64"}


def _limits(name):
    if name == "bfloat16":
        return -3.3895313892515355e38, 3.3895313892515355e38
    if name.startswith("float"):
        info = np.finfo(name)
        return builtins.float(info.min), builtins.float(info.max)
    info = np.iinfo(name)
    return builtins.int(info.min), builtins.int(info.max)


def check_scalar_fits(value, dtype):
    """torch's ``value cannot be converted to type <T> without overflow`` for a fill value (a
    number or a 0-d tensor): an imaginary part for a real dtype, a finite value past the
    dtype's range, NaN or infinity for an integer dtype (negative integers wrap for uint8)."""
    name = dtype._name
    if name not in _C_TYPE:
        return
    v = value.item() if isinstance(value, Tensor) else value
    if isinstance(v, builtins.bool):
        return
    bad = False
    if isinstance(v, builtins.complex):
        bad = not dtype.is_complex and v.imag != 0
        v = v.real
    real = _REAL.get(name, name)
    lo, hi = _limits(real)
    if not bad and isinstance(v, builtins.float):
        if "float" in real:
            bad = v == v and abs(v) != float("inf") and not lo <= v <= hi
        else:
            bad = v != v or not lo <= v <= hi
    elif not bad and isinstance(v, builtins.int):
        if real == "uint8" and v < 0:
            bad = -v > hi
        else:
            bad = not lo <= v <= hi
    if bad:
        raise RuntimeError(f"value cannot be converted to type {_C_TYPE[name]} without overflow")


@public(method=True, inplace=True)
def masked_fill(input, mask, value):
    """``input`` with ``value`` where ``mask`` (a bool tensor) is True."""
    if mask._dtype is not D.bool:
        raise RuntimeError(
            "masked_fill_ only supports boolean masks, but got mask with dtype "
            f"{_CPP.get(mask._dtype, mask._dtype._name)}"
        )
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(
            "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value.ndim} dimension(s)."
        )
    check_scalar_fits(value, input._dtype)
    return call(T["masked_fill"], input, mask, _arg(value))


_CPP = {D.int64: "long int", D.int32: "int", D.uint8: "unsigned char", D.float32: "float",
        D.float64: "double", D.int16: "short int", D.int8: "signed char"}  # fmt: skip


@public(method=True, out=True)
def masked_select(input, mask):
    if mask._dtype is not D.bool:
        raise RuntimeError("masked_select: expected BoolTensor for mask")
    shape = tuple(np.broadcast_shapes(input.shape, mask.shape))
    idx = np.flatnonzero(np.broadcast_to(_values(mask), shape))
    return call(T["masked_select"], input, wrap(jnp.asarray(idx.astype(np.int64))), shape=shape)


@public(method=True, out=True)
def take(input, index):
    _check_index("take", index)
    n = input.numel()
    v = _values(index)
    bad = v[(v < -n) | (v >= n)]
    if bad.size:
        raise IndexError(
            f"out of range: tried to access index {bad.flat[0]} on a tensor of {n} elements."
        )
    return call(T["take"], input, index)


# -- sorting and selection ------------------------------------------------------------------------
_SORT = structseq("sort")


_DEFAULT = type("_Default", (), {"__repr__": lambda self: "<default>"})()


@public(method=True, out=True)
def sort(input, dim=-1, descending=False, stable=_DEFAULT):
    """``(values, indices)`` sorted along ``dim`` (ties keep their order: a stable sort)."""
    if isinstance(dim, builtins.bool):
        dim, descending = -1, dim
    # NOTE: passing ``stable=`` at all (even None) picks torch's sort.stable overload, whose
    # node is SortBackward1.
    vals, idx = call(T["sort"], input, dim=_wrap_dim(dim, input.ndim), descending=descending,
                     stable_overload=stable is not _DEFAULT)  # fmt: skip
    return _SORT(vals, idx)


@public(method=True, out=True)
def argsort(input, dim=-1, descending=False, stable=False):
    return call(T["argsort"], input, dim=_wrap_dim(dim, input.ndim), descending=descending)


@public(method=True, out=True)
def msort(input):
    return sort(input, 0).values


_TOPK = structseq("topk")


@public(method=True, out=True)
def topk(input, k, dim=-1, largest=True, sorted=True):
    d = _wrap_dim(dim, input.ndim)
    size = input.shape[d] if input.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    # NOTE: torch's topk of a 0-d tensor gives its one element for k=0 too.
    k = builtins.int(k) if input.ndim else 1
    vals, idx = call(T["topk"], input, k=k, dim=d, largest=largest, sorted=builtins.bool(sorted))
    return _TOPK(vals, idx)


_KTHVALUE = structseq("kthvalue")


@public(method=True, out=True)
def kthvalue(input, k, dim=-1, keepdim=False):
    from .reduction import _nonempty_dims

    d = _nonempty_dims("kthvalue()", input, dim) if input.ndim else _wrap_dim(dim, 0)
    size = input.shape[d] if input.ndim else 1
    if not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
    vals, idx = call(T["kthvalue"], input, k=builtins.int(k), dim=d, keepdim=keepdim)
    return _KTHVALUE(vals, idx)


_MODE = structseq("mode")


@public(method=True, out=True)
def mode(input, dim=-1, keepdim=False):
    from .reduction import _nonempty_dims

    d = _nonempty_dims("mode()", input, dim) if input.ndim else _wrap_dim(dim, 0)
    vals, idx = call(T["mode"], input, dim=d, keepdim=keepdim)
    return _MODE(vals, idx)


_CUMMAX = structseq("cummax")


def _scan_dim(name, dim, ndim):
    if ndim == 0 and dim not in (0, -1):
        raise IndexError(f"{name}(): Expected reduction dim -1 or 0 for scalar but got {dim}")
    return _wrap_dim(dim, ndim)


@public(method=True, out=True)
def cummax(input, dim):
    vals, idx = call(T["cummax"], input, dim=_scan_dim("cummax", dim, input.ndim))
    return _CUMMAX(vals, idx)


_CUMMIN = structseq("cummin")


@public(method=True, out=True)
def cummin(input, dim):
    vals, idx = call(T["cummin"], input, dim=_scan_dim("cummin", dim, input.ndim))
    return _CUMMIN(vals, idx)


# -- grids and diagonals --------------------------------------------------------------------------
@public
def meshgrid(*tensors, indexing=None):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        warnings.warn(
            "torch.meshgrid: in an upcoming release, it will be required to pass the indexing "
            "argument.", UserWarning, stacklevel=2,
        )  # fmt: skip
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(
            f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}'
        )
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError(
                f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t}"
            )
    ts = [t.reshape(1) if t.ndim == 0 else t for t in tensors]
    shape = [t.shape[0] for t in ts]
    axes = list(range(len(ts)))
    if indexing == "xy" and len(ts) >= 2:
        shape[0], shape[1] = shape[1], shape[0]
        axes[0], axes[1] = 1, 0
    return tuple(call(T["meshgrid"], t, shape=tuple(shape), axis=a)
                 for t, a in zip(ts, axes, strict=True))  # fmt: skip


@public(method=True, out=True)
def diag(input, diagonal=0):
    if input.ndim not in (1, 2):
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{input.ndim}D")
    return call(T["diag"], input, diagonal=builtins.int(diagonal))


@public(method=True)
def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    n = input.ndim + 1
    d1, d2 = _wrap_dim(dim1, n), _wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return call(T["diag_embed"], input, offset=builtins.int(offset), dim1=d1, dim2=d2)


@public(method=True, out=True)
def cross(input, other, dim=None):
    if dim is None:
        warnings.warn(
            "Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass "
            "the dim explicitly or simply use torch.linalg.cross.\nThe default value of dim will "
            "change to agree with that of linalg.cross in a future release.", UserWarning,
            stacklevel=2,
        )  # fmt: skip
        shape = np.broadcast_shapes(input.shape, other.shape)
        dim = next((i for i, s in enumerate(shape) if s == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = _wrap_dim(dim, input.ndim)
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. Got "
            f"{input.shape[d]} and {other.shape[d]}"
        )
    return call(T["cross"], input, other, dim=d)


def _sparse_only(name, layout):
    """``Tensor.values``/``Tensor.indices``: sparse tensors only (torch's error for a dense one)."""

    def f(self):
        raise RuntimeError(f"{name} expected sparse {layout}layout but got Strided")

    f.__name__ = f.__qualname__ = name
    return public(f, function=False, method=True)


values = _sparse_only("values", "tensor ")
indices = _sparse_only("indices", "coordinate tensor ")


@public(function=False, method=True)
def fill_diagonal_(self, fill_value, wrap=False):
    """Fill the main diagonal (of a 2-D tensor, or every dim equal) in place."""
    if self.ndim < 2:
        raise RuntimeError("dimensions must larger than 1")
    if self.ndim > 2 and len(set(self.shape)) != 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    _check_inplace(self)
    return _inplace(self, call(T["fill_diagonal"], self, _arg(fill_value), wrap=wrap))


@public(method=True, out=True)
def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The ``n``-th forward difference along ``dim`` (after joining ``prepend``/``append``)."""
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    d = _wrap_dim(dim, input.ndim)
    ends = []
    for e in (prepend, append):
        if e is None:
            continue
        if e.ndim != input.ndim:
            raise RuntimeError("diff expects prepend or append to be the same dimension as input")
        ends.append(e)
    if n == 0:
        # NOTE: torch returns a copy of the input, prepend and append left out.
        ends, prepend = [], None
    return call(T["diff"], input, *ends, n=builtins.int(n), dim=d,
                has_prepend=prepend is not None)  # fmt: skip


@public(method=True)
def rot90(input, k=1, dims=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane of ``dims`` (from the first towards the
    second)."""
    dims = tuple(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input.ndim}")
    d0, d1 = (_wrap_dim(d, input.ndim) for d in dims)
    if d0 == d1:
        raise RuntimeError(
            f"expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}"
        )
    return call(T["rot90"], input, k=builtins.int(k) % 4, dims=(d0, d1))


@public(method=True)
def diagflat(input, offset=0):
    """A 2-D tensor with the flattened ``input`` on diagonal ``offset``."""
    return call(T["diagflat"], input, offset=builtins.int(offset))
