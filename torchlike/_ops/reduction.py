"""Reductions: sum, mean, prod, max/min (full and along a dim), arg-reductions, scans."""

from __future__ import annotations

import builtins
import functools
import math

import jax
import jax.numpy as jnp
from jax import lax

from ._registry import defop as _defop
from .combine import _no_median
from .linalg import _vector_norm


def defop(name, fn, grad_fn, **kw):
    """An entry of this table: ``fn`` reduces (or scans) along its ``dim`` option, which also
    holds for a 0-d input, as in torch: dim 0 (or -1, wrapped to 0 before the call) of a 0-d
    tensor is its one element, and the result stays 0-d, ``keepdim`` or not."""
    return _defop(name, _zero_dim_as_one(fn), grad_fn, **kw)


def _zero_dim_as_one(fn):
    def f(x, *args, **opts):
        dim = opts.get("dim")
        if x.ndim or dim is None or dim == ():
            return fn(x, *args, **opts)
        # NOTE: jnp rejects axis 0 of a 0-d array; the same call on the one-element vector
        # computes what torch does.
        opts["dim"] = 0 if dim.__class__ is int else (0,) * len(dim)
        return jax.tree.map(lambda o: o.reshape(()), fn(x.reshape(1), *args, **opts))

    return f


def _named(full, by_dim):
    return lambda args, opts: full if opts.get("dim") is None else by_dim


def _axis(dim):
    # ``x.sum(())`` reduces every dim, as ``x.sum()``, but is the ``dim`` overload (its node is
    # SumBackward1); jnp would reduce nothing.
    return None if dim == () else dim


def _sum(x, *, dim, keepdim, dtype=None):
    return jnp.sum(x, axis=_axis(dim), keepdims=keepdim, dtype=dtype)


def _max_dim(x, *, dim, keepdim, fn):
    # NOTE: the whole gradient goes to the one index returned, as torch's max(dim) (jnp.max
    # would split it among ties).
    idx = fn(x, axis=dim, keepdims=True)
    vals = jnp.take_along_axis(x, idx, axis=dim)
    if not keepdim:
        vals, idx = jnp.squeeze(vals, dim), jnp.squeeze(idx, dim)
    return vals, idx.astype(jnp.int64)


def _argext(x, *, dim, keepdim, fn):
    if dim is None:
        r = fn(x.reshape(-1))
        return (r.reshape((1,) * x.ndim) if keepdim else r).astype(jnp.int64)
    return fn(x, axis=dim, keepdims=keepdim).astype(jnp.int64)


sum = defop("sum", _sum, _named("SumBackward0", "SumBackward1"), dtypes="int64", saves=())
mean = defop("mean", lambda x, *, dim, keepdim: jnp.mean(x, axis=_axis(dim), keepdims=keepdim),
             _named("MeanBackward0", "MeanBackward1"), dtypes="float_only", saves=())  # fmt: skip
prod = defop("prod", lambda x, *, dim, keepdim, dtype=None: jnp.prod(x, axis=dim, keepdims=keepdim,
                                                                      dtype=dtype),
             _named("ProdBackward0", "ProdBackward1"), dtypes="int64")  # fmt: skip
# ``x.max()`` and ``x.amax()`` compute the same (ties share the gradient evenly, as jax's
# max does) but torch names their nodes differently.
max = defop("max", lambda x: jnp.max(x), "MaxBackward1", dtypes="none")
min = defop("min", lambda x: jnp.min(x), "MinBackward1", dtypes="none")
amax = defop("amax", lambda x, *, dim, keepdim: jnp.max(x, axis=dim, keepdims=keepdim),
             "AmaxBackward0", dtypes="none")  # fmt: skip
amin = defop("amin", lambda x, *, dim, keepdim: jnp.min(x, axis=dim, keepdims=keepdim),
             "AminBackward0", dtypes="none")  # fmt: skip
max_dim = defop("max_dim", lambda x, *, dim, keepdim: _max_dim(x, dim=dim, keepdim=keepdim,
                fn=jnp.argmax), "MaxBackward0", dtypes="none", n_out=2,
                nondiff_out=(1,))  # fmt: skip
min_dim = defop("min_dim", lambda x, *, dim, keepdim: _max_dim(x, dim=dim, keepdim=keepdim,
                fn=jnp.argmin), "MinBackward0", dtypes="none", n_out=2,
                nondiff_out=(1,))  # fmt: skip
argmax = defop("argmax", lambda x, *, dim, keepdim: _argext(x, dim=dim, keepdim=keepdim,
               fn=jnp.argmax), None, dtypes="none")  # fmt: skip
argmin = defop("argmin", lambda x, *, dim, keepdim: _argext(x, dim=dim, keepdim=keepdim,
               fn=jnp.argmin), None, dtypes="none")  # fmt: skip


def _logical(fn):
    # NOTE: a uint8 input gives a uint8 result (0 or 1), torch's legacy behaviour; others bool.
    def f(x, *, dim, keepdim):
        out = fn(x, axis=dim, keepdims=keepdim)
        return out.astype(x.dtype) if x.dtype == jnp.uint8 else out

    return f


all = defop("all", _logical(jnp.all), None, dtypes="none")
any = defop("any", _logical(jnp.any), None, dtypes="none")


def _scan(fn):
    # ``dtype=`` (None or a numpy dtype) is the accumulation and result dtype, as torch's.
    return lambda x, *, dim, dtype=None: fn(x, axis=dim, dtype=dtype)


cumsum = defop("cumsum", _scan(jnp.cumsum), "CumsumBackward0", dtypes="int64", saves=())
cumprod = defop("cumprod", _scan(jnp.cumprod), "CumprodBackward0", dtypes="int64")


def _var(x, *, dim, correction, keepdim):
    axis = _axis(dim)
    axes = range(x.ndim) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    n = math.prod(x.shape[d] for d in axes)
    mean = jnp.mean(x, axis=axis, keepdims=True)
    d = x - mean
    sq = jnp.real(d * jnp.conj(d)) if jnp.iscomplexobj(d) else d * d  # NOTE: |d|^2, real
    return jnp.sum(sq, axis=axis, keepdims=keepdim) / builtins.max(n - correction, 0)


def _std(x, **kw):
    # NOTE: gradient 0 where the deviation is 0, as torch's (sqrt's would be nan).
    v = _var(x, **kw)
    zero = v == 0
    return jnp.where(zero, 0, jnp.sqrt(jnp.where(zero, 1, v)))


def _with_mean(f):
    def g(x, *, dim, correction, keepdim):
        return (f(x, dim=dim, correction=correction, keepdim=keepdim),
                jnp.mean(x, axis=_axis(dim), keepdims=keepdim))  # fmt: skip

    return g


var = defop("var", _var, "VarBackward0", dtypes="float_only")
std = defop("std", _std, "StdBackward0", dtypes="float_only")
var_mean = defop("var_mean", _with_mean(_var), "VarMeanBackward0", dtypes="float_only", n_out=2)
std_mean = defop("std_mean", _with_mean(_std), "StdMeanBackward0", dtypes="float_only", n_out=2)


def _logsumexp(x, *, dim, keepdim):
    # NOTE: all -inf stays -inf (jax's max-shift would give nan), as torch's; so does an empty
    # slice (jnp.max needs the initial value there).
    m = jnp.max(x, axis=dim, keepdims=True, initial=-jnp.inf)
    m = lax.stop_gradient(jnp.where(jnp.isfinite(m), m, 0))
    s = jnp.sum(jnp.exp(x - m), axis=dim, keepdims=True)
    out = jnp.log(s) + m
    return out if keepdim else jnp.squeeze(out, dim)


logsumexp = defop("logsumexp", _logsumexp, "LogsumexpBackward0", dtypes="float")
count_nonzero = defop("count_nonzero", lambda x, *, dim: jnp.sum(x != 0, axis=dim).astype(
    jnp.int64), None, dtypes="none")  # fmt: skip
nansum = defop("nansum", lambda x, *, dim, keepdim: jnp.nansum(x, axis=_axis(dim),
               keepdims=keepdim), "NansumBackward0", dtypes="int64")  # fmt: skip
trace = defop("trace", jnp.trace, "TraceBackward0", dtypes="int64", saves=())
# NOTE: gradient 0 where x == y (torch masks it), through the norm's own masking.
dist = defop("dist", lambda x, y, *, p: _vector_norm(x - y, ord=p, dim=None, keepdim=False),
             "DistBackward0", dtypes="float")  # fmt: skip


# -- scans, paired extremes, nan-aware order statistics, histograms, covariance -------------------
def _cumlogsumexp(x, dim, reverse=False):
    """``log(cumsum(exp(x)))`` along ``dim``, accumulated in float64 as torch's CPU kernel does
    for float32: a float32 accumulation rounds differently, by an ulp that the backward below
    turns into visible gradient errors where the input holds large values."""
    if x.dtype in (jnp.float32, jnp.float16, jnp.bfloat16):
        return lax.cumlogsumexp(x.astype(jnp.float64), axis=dim, reverse=reverse).astype(x.dtype)
    return lax.cumlogsumexp(x, axis=dim, reverse=reverse)


@functools.partial(jax.custom_vjp, nondiff_argnums=(1,))
def _logcumsumexp(x, dim):
    return _cumlogsumexp(x, dim)


def _logcumsumexp_fwd(x, dim):
    out = _cumlogsumexp(x, dim)
    return out, (x, out)


def _logcumsumexp_bwd(dim, res, ct):
    # NOTE: torch's formula (exp of reversed log-cumsum-exps of log|ct| - out, positive and
    # negative parts apart), which loses float32 precision where the input holds large values,
    # as torch's does; complex inputs keep jax's VJP.
    x, out = res
    if jnp.iscomplexobj(x):
        return jax.vjp(lambda v: lax.cumlogsumexp(v, axis=dim), x)[1](ct)
    lowest = jnp.finfo(ct.dtype).min
    log_abs = jnp.log(jnp.abs(ct))
    parts = (jnp.where(side, log_abs, lowest) for side in (ct > 0, ct < 0))
    pos, neg = (jnp.exp(_cumlogsumexp(p - out, dim, reverse=True) + x) for p in parts)
    return (pos - neg,)


_logcumsumexp.defvjp(_logcumsumexp_fwd, _logcumsumexp_bwd)
logcumsumexp = defop("logcumsumexp", lambda x, *, dim: _logcumsumexp(x, dim),
                     "LogcumsumexpBackward0", dtypes="none")  # fmt: skip


def _aminmax(x, *, dim, keepdim):
    return (jnp.min(x, axis=dim, keepdims=keepdim), jnp.max(x, axis=dim, keepdims=keepdim))


aminmax = defop("aminmax", _aminmax, "AminmaxBackward0", dtypes="none", n_out=2)


def _nan_sorted(x, dim):
    """Sort order along ``dim`` with NaNs last, and the count of non-NaN values."""
    idx = jnp.argsort(x, axis=dim, stable=True)
    return idx, jnp.sum(~jnp.isnan(x), axis=dim, keepdims=True)


def _nanmedian_dim(x, *, dim, keepdim):
    idx, k = _nan_sorted(x, dim)
    pos = jnp.maximum((k - 1) // 2, 0)
    i = jnp.take_along_axis(idx, pos, axis=dim)
    vals = jnp.take_along_axis(x, i, axis=dim)
    if not keepdim:
        vals, i = jnp.squeeze(vals, dim), jnp.squeeze(i, dim)
    return vals, i.astype(jnp.int64)


def _nanmedian(x):
    if not x.size:
        return _no_median(x.dtype)
    return _nanmedian_dim(x.reshape(-1), dim=0, keepdim=False)[0]


nanmedian = defop("nanmedian", _nanmedian, "NanmedianBackward0", dtypes="none")
nanmedian_dim = defop("nanmedian_dim", _nanmedian_dim, "NanmedianBackward1", dtypes="none",
                      n_out=2, nondiff_out=(1,))  # fmt: skip


def _quantile(x, q, *, dim, keepdim, interpolation, ignore_nan, scalar_q):
    """``q`` (a 1-D array) quantiles of ``x`` along ``dim`` (all of it when None), stacked
    first; rows holding a NaN give NaN unless ``ignore_nan``."""
    shape = x.shape
    if dim is None:
        x = x.reshape(-1)
        axis = 0
    else:
        axis = dim if x.ndim else 0
        x = x.reshape(x.shape or (1,))
    x = jnp.moveaxis(x, axis, -1)
    s = jnp.sort(x, axis=-1)  # NaNs sort last
    n = x.shape[-1]
    valid = jnp.sum(~jnp.isnan(x), axis=-1, keepdims=True)
    k = valid if ignore_nan else jnp.full_like(valid, n)
    rank = q * (k - 1).astype(q.dtype)  # (..., len(q))
    # NOTE: a row without an answer reads a NaN (so its gradient goes there, as torch's): the
    # last sorted value for quantile, the first for an all-NaN row of nanquantile.
    rank = jnp.where(valid == 0, 0, rank) if ignore_nan else jnp.where(valid < n, n - 1, rank)
    if interpolation == "lower":
        rank = jnp.floor(rank)
    elif interpolation == "higher":
        rank = jnp.ceil(rank)
    elif interpolation == "nearest":
        rank = jnp.round(rank)
    lo = jnp.clip(jnp.floor(rank), 0, n - 1).astype(jnp.int64)
    hi = jnp.clip(jnp.ceil(rank), 0, n - 1).astype(jnp.int64)
    below = jnp.take_along_axis(s, lo, axis=-1)
    above = jnp.take_along_axis(s, hi, axis=-1)
    if interpolation == "midpoint":
        out = jnp.where(lo == hi, below, below + 0.5 * (above - below))
    else:
        w = (rank - lo).astype(s.dtype)
        out = below + w * (above - below)
    out = jnp.moveaxis(out, -1, 0)  # q first
    if keepdim:
        kept = tuple(1 if dim is None or d == dim else sz for d, sz in enumerate(shape))
        out = out.reshape(out.shape[:1] + kept)
    return out[0] if scalar_q else out


quantile = _defop("quantile", _quantile, "SqueezeBackward4", dtypes="none")


def _histc(x, *, bins, min, max):
    lo, hi = jnp.asarray(min, x.dtype), jnp.asarray(max, x.dtype)
    if x.size == 0:
        return jnp.zeros(bins, x.dtype)
    if min == max:
        lo, hi = jnp.min(x), jnp.max(x)
        same = lo == hi
        lo, hi = jnp.where(same, lo - 1, lo), jnp.where(same, hi + 1, hi)
    x = x.reshape(-1)
    inside = (x >= lo) & (x <= hi)
    idx = jnp.floor((x - lo) * bins / (hi - lo)).astype(jnp.int64)
    idx = jnp.clip(idx, 0, bins - 1)
    return jnp.zeros(bins, x.dtype).at[idx].add(inside.astype(x.dtype))


histc = defop("histc", _histc, None, dtypes="none")


def _bincount(x, *w, length, dtype):
    vals = w[0].astype(dtype) if w else jnp.ones(x.shape, dtype)
    return jnp.zeros(length, dtype).at[x].add(vals)


bincount = defop("bincount", _bincount, None, dtypes="none")


def _cov(x, *w, correction, has_f, has_a):
    x = x.reshape(1, -1) if x.ndim < 2 else x
    it = iter(w)
    fw = next(it) if has_f else None
    aw = next(it) if has_a else None
    if fw is None and aw is None:
        wt = None
        w_sum = jnp.asarray(x.shape[1], x.dtype)
    else:
        wt = fw if aw is None else aw if fw is None else fw * aw
        wt = wt.astype(x.dtype)
        w_sum = wt.sum()
    avg = (x.mean(1) if wt is None else (x * wt).sum(1) / w_sum)[:, None]
    if wt is None or aw is None or correction == 0:
        norm = w_sum - correction
    else:
        norm = w_sum - correction * (wt * aw.astype(x.dtype)).sum() / w_sum
    norm = jnp.maximum(norm, 0)
    d = x - avg
    dw = d if wt is None else d * wt
    c = (dw @ d.T) / norm
    return jnp.squeeze(c)


cov = defop("cov", _cov, "SqueezeBackward0", dtypes="float")


def _corrcoef(x):
    c = _cov(x, correction=1, has_f=False, has_a=False)
    if c.ndim == 0:
        return c / c
    sd = jnp.sqrt(jnp.diagonal(c))
    c = c / sd[:, None] / sd[None, :]
    return jnp.clip(c, -1, 1)


corrcoef = defop("corrcoef", _corrcoef, lambda a, o: "DivBackward0" if a[0].ndim < 2 or
                 a[0].shape[0] == 1 else "ClampBackward1", dtypes="float")  # fmt: skip
