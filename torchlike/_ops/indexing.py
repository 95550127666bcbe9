"""Search, scatter-into and index ops: searchsorted/isin, put, index_reduce, masked_scatter, the
``*_scatter`` family (a new tensor with a view's window replaced), histograms, uniques.

Index arguments are positional integer arrays; shapes an op needs are static options. Ops whose
result size depends on values (histogram bins found from data, uniques) get those sizes from the
public function, which reads the values eagerly."""

from __future__ import annotations

import functools
import math

import jax
import jax.numpy as jnp
from jax import lax

from ._registry import defop
from .combine import accumulate as _accumulate

_LINEAR = dict(saves=())  # the backward reads no float input's value
_NODIFF = dict(dtypes="none")


# -- search ---------------------------------------------------------------------------------------
def _searchsorted(seq, x, *, side, out_int32, scalar):
    dt = jnp.int32 if out_int32 else jnp.int64
    if scalar:
        x = jnp.reshape(x, (1,))
    if x.size == 0 or seq.shape[-1] == 0:
        out = jnp.zeros(x.shape, dt)
    elif seq.ndim == 1:
        out = jnp.searchsorted(seq, x, side=side)
    else:
        lead = seq.shape[:-1]
        s2, x2 = seq.reshape(-1, seq.shape[-1]), x.reshape(-1, x.shape[-1])
        out = jax.vmap(lambda s, v: jnp.searchsorted(s, v, side=side))(s2, x2)
        out = out.reshape(*lead, x.shape[-1])
    out = out.astype(dt)
    return out.reshape(()) if scalar else out


def _searchsorted_sorter(seq, x, sorter, *, side, out_int32, scalar):
    return _searchsorted(jnp.take_along_axis(seq, sorter, axis=-1), x, side=side,
                         out_int32=out_int32, scalar=scalar)  # fmt: skip


searchsorted = defop("searchsorted", _searchsorted, None)
searchsorted_sorter = defop("searchsorted_sorter", _searchsorted_sorter, None, promote=(0, 1))


def _isin(x, test, *, invert):
    hit = (x.reshape(-1, 1) == test.reshape(1, -1)).any(axis=1).reshape(x.shape)
    return ~hit if invert else hit


isin = defop("isin", _isin, None)


# -- put, index_reduce, masked_scatter -------------------------------------------------------------
def _put(x, idx, src, *, accumulate):
    flat = x.reshape(-1)
    idx = jnp.where(idx < 0, idx + flat.shape[0], idx).reshape(-1)
    src = src.reshape(-1).astype(x.dtype)
    flat = _accumulate(flat.at[idx], src) if accumulate else flat.at[idx].set(src)
    return flat.reshape(x.shape)


put = defop("put", _put, "PutBackward0", dtypes="none", diff_args=(0, 2), **_LINEAR)


def _index_reduce(x, idx, src, *, dim, reduce, include_self):
    # NOTE: each output row is reduced over a dense (index == row) mask rather than with
    # scatter-multiply/max, whose JAX gradients need unique indices; jnp.prod/max's gradients
    # match torch's (zeros in a product, ties shared evenly).
    if x.ndim == 0:
        x, src = x.reshape(1), src.reshape(1)
        return _index_reduce(x, idx, src, dim=0, reduce=reduce, include_self=include_self)[0]
    xm, sm = jnp.moveaxis(x, dim, 0), jnp.moveaxis(src.astype(x.dtype), dim, 0)
    hit = idx[:, None] == jnp.arange(xm.shape[0])[None, :]
    hit = hit.reshape(hit.shape + (1,) * (xm.ndim - 1))
    count = hit.sum(0)
    touched = count > 0
    if reduce == "mean":
        total = jnp.where(hit, sm[:, None], 0).sum(0)
        if include_self:
            total, count = total + xm, count + 1
        n = jnp.maximum(count, 1).astype(x.dtype)
        floor = jnp.issubdtype(x.dtype, jnp.integer)
        out = total // n if floor else total / n
    else:
        if reduce == "prod":
            fill = jnp.ones((), x.dtype)
        elif jnp.issubdtype(x.dtype, jnp.floating):
            fill = jnp.array(-jnp.inf if reduce == "amax" else jnp.inf, x.dtype)
        else:
            info = jnp.iinfo(x.dtype)
            fill = jnp.array(info.min if reduce == "amax" else info.max, x.dtype)
        vals = jnp.where(hit, sm[:, None], fill)
        if include_self:
            vals = jnp.concatenate([vals, xm[None]], axis=0)
        red = {"prod": jnp.prod, "amax": jnp.max, "amin": jnp.min}[reduce]
        out = red(vals, axis=0)
    out = jnp.where(touched, out.astype(x.dtype), xm)
    return jnp.moveaxis(out, 0, dim)


index_reduce = defop("index_reduce", _index_reduce, "IndexReduceBackward0", dtypes="none",
                     diff_args=(0, 2))  # fmt: skip


def _masked_scatter(x, mask, src, *, shape):
    x, mask = jnp.broadcast_to(x, shape), jnp.broadcast_to(mask, shape)
    flat = mask.reshape(-1)
    pos = jnp.clip(jnp.cumsum(flat) - 1, 0, max(src.size - 1, 0))
    picked = src.reshape(-1).astype(x.dtype)[pos] if src.size else jnp.zeros_like(x).reshape(-1)
    return jnp.where(flat, picked, x.reshape(-1)).reshape(shape)


masked_scatter = defop("masked_scatter", _masked_scatter, "MaskedScatterBackward0", dtypes="none",
                       diff_args=(0, 2), **_LINEAR)  # fmt: skip


# -- the *_scatter family: a view's window of a new tensor replaced -----------------------------
def _diagonal_scatter(x, src, *, offset, dim1, dim2):
    xm = jnp.moveaxis(x, (dim1, dim2), (-2, -1))
    n = src.shape[-1]
    rows = jnp.arange(n) + max(-offset, 0)
    cols = jnp.arange(n) + max(offset, 0)
    xm = xm.at[..., rows, cols].set(src.astype(x.dtype))
    return jnp.moveaxis(xm, (-2, -1), (dim1, dim2))


def _select_scatter(x, src, *, dim, index):
    return x.at[(slice(None),) * dim + (index,)].set(src.astype(x.dtype))


def _slice_scatter(x, src, *, dim, start, end, step):
    return x.at[(slice(None),) * dim + (slice(start, end, step),)].set(src.astype(x.dtype))


def _window(size, stride, offset):
    """Flat positions of ``as_strided(size, stride, offset)`` in a contiguous tensor."""
    pos = jnp.full(size, offset, jnp.int64)
    for d, (_n, s) in enumerate(zip(size, stride, strict=True)):
        pos = pos + lax.broadcasted_iota(jnp.int64, size, d) * s
    return pos.reshape(-1)


@functools.partial(jax.custom_vjp, nondiff_argnums=(2, 3, 4))
def _as_strided_scatter_fn(x, src, size, stride, offset):
    pos = _window(size, stride, offset)
    flat = x.reshape(-1).at[pos].set(src.reshape(-1).astype(x.dtype))
    return flat.reshape(x.shape)


def _as_strided_scatter_fwd(x, src, size, stride, offset):
    # NOTE: an empty array carries src's dtype (residuals must be JAX values)
    return _as_strided_scatter_fn(x, src, size, stride, offset), jnp.zeros((0,), src.dtype)


def _as_strided_scatter_bwd(size, stride, offset, res, ct):
    # NOTE: torch 2.13's backward (as_strided_scatter_backward) gives ``input`` the gradient
    # *inside* the window and zero outside it, not the derivative (zero inside); op_db skips
    # its gradcheck for that reason. torch is the specification, so its values are kept.
    pos = _window(size, stride, offset)
    picked = ct.reshape(-1)[pos]
    gx = jnp.zeros_like(ct).reshape(-1).at[pos].set(picked).reshape(ct.shape)
    return gx, picked.reshape(size).astype(res.dtype)


_as_strided_scatter_fn.defvjp(_as_strided_scatter_fwd, _as_strided_scatter_bwd)


def _as_strided_scatter(x, src, *, size, stride, offset):
    return _as_strided_scatter_fn(x, src, size, stride, offset)


_SC = dict(dtypes="none", **_LINEAR)
diagonal_scatter = defop("diagonal_scatter", _diagonal_scatter, "DiagonalScatterBackward0", **_SC)
select_scatter = defop("select_scatter", _select_scatter, "SelectScatterBackward0", **_SC)
slice_scatter = defop("slice_scatter", _slice_scatter, "SliceScatterBackward0", **_SC)
as_strided_scatter = defop("as_strided_scatter", _as_strided_scatter,
                           "AsStridedScatterBackward0", **_SC)  # fmt: skip


# -- histograms -----------------------------------------------------------------------------------
def _bin_of(x, edges):
    """The bin of each value (-1 outside): bins are half-open but the last includes its end."""
    n = edges.shape[0] - 1
    pos = jnp.searchsorted(edges, x, side="right") - 1
    pos = jnp.where(x == edges[-1], n - 1, pos)
    inside = (x >= edges[0]) & (x <= edges[-1])
    return jnp.where(inside, pos, -1)


def _histogramdd(x, weight, *edges, density):
    """``x``: (N, D) samples; ``edges``: D increasing vectors; ``weight``: (N,) or a scalar."""
    shape = tuple(e.shape[0] - 1 for e in edges)
    flat = jnp.zeros((), jnp.int64)
    ok = jnp.ones(x.shape[0], bool)
    for d, e in enumerate(edges):
        b = _bin_of(x[:, d], e)
        ok = ok & (b >= 0)
        flat = flat * shape[d] + jnp.maximum(b, 0)
    w = jnp.broadcast_to(jnp.asarray(weight, x.dtype), (x.shape[0],))
    hist = jnp.zeros(math.prod(shape), x.dtype)
    hist = hist.at[jnp.where(ok, flat, hist.shape[0])].add(w, mode="drop").reshape(shape)
    if density:
        vol = jnp.ones((), x.dtype)
        for d, e in enumerate(edges):
            w_d = (e[1:] - e[:-1]).reshape((1,) * d + (-1,) + (1,) * (len(edges) - d - 1))
            vol = vol * w_d
        hist = hist / (hist.sum() * vol)
    return hist


histogramdd = defop("histogramdd", _histogramdd, None, dtypes="none")


# -- uniques --------------------------------------------------------------------------------------
def _pick(x, idx, *, dim):
    return x.reshape(-1)[idx] if dim is None else jnp.take(x, idx, axis=dim)


@functools.cache
def _no_grad_pick(name, dim):
    """``_pick`` whose derivative raises torch's error for the ATen op ``name``."""

    def bwd(res, ct):
        raise NotImplementedError(f"the derivative for '{name}' is not implemented.")

    f = jax.custom_vjp(functools.partial(_pick, dim=dim))
    f.defvjp(lambda x, idx: (_pick(x, idx, dim=dim), None), bwd)
    return f


# The uniques are found eagerly by the public functions; these ops pick them (torch's have no
# derivative: the error names the ATen overload).
unique = defop("unique", lambda x, idx, *, dim: _no_grad_pick(
    "_unique2" if dim is None else "unique_dim", dim)(x, idx),
    lambda a, o: "Unique2Backward0" if o["dim"] is None else "UniqueDimBackward0",
    dtypes="none", diff_args=(0,))  # fmt: skip
unique_consecutive = defop("unique_consecutive", lambda x, idx, *, dim: _no_grad_pick(
    "unique_consecutive", dim)(x, idx), "UniqueConsecutiveBackward0", dtypes="none",
    diff_args=(0,))  # fmt: skip
