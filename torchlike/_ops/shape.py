"""Shape ops and indexing reads. Options are static (shapes, dims, index specs)."""

from __future__ import annotations

import threading

import jax.numpy as jnp
from jax import lax

from .._view import kind_of_strides, read, write
from ._registry import TABLE, defop
from .combine import accumulate as _accumulate

_multi_lock = threading.Lock()

_NONE = dict(dtypes="none", saves=())

reshape = defop("reshape", lambda x, *, shape: jnp.reshape(x, shape), "ViewBackward0", **_NONE)
unsafe_view = defop("unsafe_view", lambda x, *, shape: jnp.reshape(x, shape),
                     "UnsafeViewBackward0", **_NONE)  # fmt: skip
t = defop("t", lambda x: x.T, "TBackward0", **_NONE)
# NOTE: a 0-d tensor's transpose(0, 0) is itself (jnp.swapaxes rejects axis 0 of a 0-d array).
transpose = defop("transpose", lambda x, *, dim0, dim1: jnp.swapaxes(x, dim0, dim1) if x.ndim
                  else x, "TransposeBackward0", **_NONE)  # fmt: skip
permute = defop("permute", lambda x, *, dims: jnp.transpose(x, dims), "PermuteBackward0", **_NONE)
# ``overload``: 0 for ``squeeze()``, 1 for ``squeeze(dim)``, 2 for ``squeeze(dims)`` (``dim``
# holds the dims actually squeezed, which may be fewer).
squeeze = defop("squeeze", lambda x, *, dim, overload: jnp.squeeze(x, dim),
                lambda a, o: f"SqueezeBackward{o['overload']}", **_NONE)  # fmt: skip
unsqueeze = defop("unsqueeze", lambda x, *, dim: jnp.expand_dims(x, dim), "UnsqueezeBackward0",
                  **_NONE)  # fmt: skip
expand = defop("expand", lambda x, *, shape: jnp.broadcast_to(x, shape), "ExpandBackward0",
               **_NONE)  # fmt: skip
clone = defop("clone", lambda x: x, "CloneBackward0", **_NONE)


def _to_dtype(x, *, dtype):
    if jnp.issubdtype(x.dtype, jnp.inexact) and jnp.issubdtype(dtype, jnp.integer) and (
            jnp.dtype(dtype).itemsize < 8):  # fmt: skip
        # NOTE: torch converts through a 64-bit integer, so out-of-range values wrap
        # (-2.5 -> 254 as uint8); XLA would saturate.
        x = jnp.real(x).astype(jnp.int64)
    return x.astype(dtype)


to_dtype = defop("to_dtype", _to_dtype, "ToCopyBackward0", **_NONE)


def _index_name(args, opts):
    # The node of the last view torch applies; full slices and ``...`` apply nothing inside a
    # tuple key (a bare ``x[:]`` is a "slice" in the spec: torch slices it).
    kinds = [k for k, *_ in opts["spec"] if k not in ("full", "ellipsis")]
    if not kinds:
        return "AliasBackward0"
    if "tensor" in kinds:
        return "IndexBackward0"
    return {"int": "SelectBackward0", "slice": "SliceBackward0",
            "none": "UnsqueezeBackward0"}[kinds[-1]]  # fmt: skip


def _getitem(x, *tensors, spec):
    return x[_getitem_key(spec, tensors)]


def _getitem_key(spec, tensors):
    idx = []
    it = iter(tensors)
    for kind, *v in spec:
        if kind == "int":
            idx.append(v[0])
        elif kind in ("slice", "full"):
            idx.append(slice(*v) if v else slice(None))
        elif kind == "none":
            idx.append(None)
        elif kind == "ellipsis":
            idx.append(Ellipsis)
        else:
            idx.append(next(it))
    return tuple(idx)


getitem = defop("getitem", _getitem, _index_name, dtypes="none", saves=())


def _basic_getitem(x, *starts, spec):
    """Basic indexing with the positions as (traced) arguments, so ``x[i]`` or ``x[s:s + n]``
    for a new ``i`` or ``s`` reuses one kernel. ``spec`` holds kinds, sizes and steps only:
    ("int",), ("slice", length, step), ("full",), ("none",), ("ellipsis", dims skipped)."""
    it = iter(starts)
    d = 0
    for kind, *v in spec:
        if kind == "int":
            x = lax.dynamic_index_in_dim(x, next(it), d, keepdims=False)
        elif kind == "slice":
            n, step = v
            x = lax.dynamic_slice_in_dim(x, next(it), (n - 1) * step + 1 if n else 0, d)
            if step > 1:
                x = lax.slice_in_dim(x, 0, None, step, d)
            d += 1
        elif kind == "none":
            x = jnp.expand_dims(x, d)
            d += 1
        elif kind == "ellipsis":
            d += v[0]
        else:
            d += 1
    return x


basic_getitem = defop("basic_getitem", _basic_getitem, _index_name, dtypes="none", saves=())


# -- views that PyTorch gives their own nodes, and writes through views --------------------------
diagonal = defop("diagonal", lambda x, *, offset, dim1, dim2: jnp.diagonal(x, offset, dim1, dim2),
                 "DiagonalBackward0", **_NONE)  # fmt: skip


def _unbind(x, *, dim):
    return tuple(jnp.moveaxis(x, dim, 0))


def _split(x, *, dim, sizes, with_sizes):
    out, start = [], 0
    for n in sizes:
        out.append(lax.slice_in_dim(x, start, start + n, axis=dim))
        start += n
    return tuple(out)


def _pieces(fn, n):
    # NOTE: an entry with n_out == 1 returns its one array, not a 1-tuple (the registry and
    # dispatch treat a single output as an array).
    return fn if n != 1 else lambda x, **opts: fn(x, **opts)[0]


def _unbind_op(n):
    return defop(f"unbind{n}", _pieces(_unbind, n), "UnbindBackward0", n_out=n, **_NONE)


def _split_op(n):
    return defop(f"split{n}", _pieces(_split, n), lambda a, o: ("SplitWithSizesBackward0" if
                 o["with_sizes"] else "SplitBackward0"), n_out=n, **_NONE)  # fmt: skip


def multi_output(kind: str, n: int):
    """The entry for an ``n``-output unbind/split (the output count is part of an entry)."""
    name = f"{kind}{n}"
    op = TABLE.get(name)
    if op is None:
        with _multi_lock:
            op = TABLE.get(name) or (_unbind_op(n) if kind == "unbind" else _split_op(n))
    return op


def _as_strided(x, offset, *, shape, strides):
    return read(x, offset, shape=shape, strides=strides, kind=kind_of_strides(strides))


def _copy_slices(base, value, offset, *, shape, strides):
    return write(base, value, offset, shape=shape, strides=strides, kind=kind_of_strides(strides))


# NOTE: a view whose base changed in place is recomputed from the base (torch's
# AsStridedBackward0); writing into a view replaces a window of its base (torch's CopySlices).
as_strided = defop("as_strided", _as_strided, "AsStridedBackward0", diff_args=(0,), **_NONE)
copy_slices = defop("copy_slices", _copy_slices, "CopySlices", diff_args=(0, 1), **_NONE)


def _index_put(x, value, *indices, spec, accumulate):
    key = _getitem_key(spec, indices)
    value = value.astype(x.dtype)
    return _accumulate(x.at[key], value) if accumulate else x.at[key].set(value)


def _mask_put(x, mask, value):
    return jnp.where(mask, value.astype(x.dtype), x)


index_put = defop("index_put", _index_put, "IndexPutBackward0", diff_args=(0, 1), **_NONE)
# ``x[mask] = v`` with a one-element ``v``: a select, so the mask's count needs no new kernel.
mask_put = defop("mask_put", _mask_put, "IndexPutBackward0", diff_args=(0, 2), **_NONE)


def _unfold(x, *, dim, size, step):
    if x.ndim == 0:  # NOTE: torch unfolds a 0-d tensor to shape (size,), size <= 1
        return jnp.broadcast_to(x, (size,))
    n = (x.shape[dim] - size) // step + 1
    idx = jnp.arange(n)[:, None] * step + jnp.arange(size)[None, :]
    windows = jnp.take(x, idx, axis=dim)  # (..., n, size, ...) with the window after dim
    return jnp.moveaxis(windows, dim + 1, -1)


unfold = defop("unfold", _unfold, "UnfoldBackward0", **_NONE)
