"""Reductions: sum, mean, prod, norm, max/min (full and along a dim), arg-reductions, scans."""

from __future__ import annotations

import builtins
import math

import jax.numpy as jnp
from jax import lax

from ._registry import defop


def _named(full, by_dim):
    return lambda args, opts: full if opts.get("dim") is None else by_dim


def _axis(dim):
    # ``x.sum(())`` reduces every dim, as ``x.sum()``, but is the ``dim`` overload (its node is
    # SumBackward1); jnp would reduce nothing.
    return None if dim == () else dim


def _sum(x, *, dim, keepdim, dtype=None):
    return jnp.sum(x, axis=_axis(dim), keepdims=keepdim, dtype=dtype)


def _norm(x, *, p, dim, keepdim):
    if p == 2:
        # NOTE: the double where gives gradient 0 at x == 0, as torch (jnp's norm gives nan).
        s = jnp.sum(x * x, axis=dim, keepdims=keepdim)
        zero = s == 0
        return jnp.where(zero, 0, jnp.sqrt(jnp.where(zero, 1, s)))
    if p == float("inf"):
        return jnp.max(jnp.abs(x), axis=dim, keepdims=keepdim)
    if p == 1:
        return jnp.sum(x * jnp.sign(x), axis=dim, keepdims=keepdim)
    if p == 0:
        return jnp.sum(x != 0, axis=dim, keepdims=keepdim).astype(x.dtype)
    # NOTE: as for p == 2, gradient 0 where the norm is 0 (torch masks it; the plain formula
    # gives 0 * inf = nan). x * sign(x) keeps |x|'s derivative 0 at x == 0.
    s = jnp.sum((x * jnp.sign(x)) ** p, axis=dim, keepdims=keepdim)
    zero = s == 0
    return jnp.where(zero, 0, jnp.where(zero, 1, s) ** (1.0 / p))


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
prod = defop("prod", lambda x, *, dim, keepdim: jnp.prod(x, axis=dim, keepdims=keepdim),
             _named("ProdBackward0", "ProdBackward1"), dtypes="int64")  # fmt: skip
# NOTE: torch's backward for p=0 returns an undefined gradient: the input's .grad stays None.
norm = defop("norm", _norm, "LinalgVectorNormBackward0", dtypes="float",
             undefined_grad=lambda opts: opts["p"] == 0)  # fmt: skip
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
all = defop("all", lambda x, *, dim, keepdim: jnp.all(x, axis=dim, keepdims=keepdim), None,
            dtypes="none")  # fmt: skip
any = defop("any", lambda x, *, dim, keepdim: jnp.any(x, axis=dim, keepdims=keepdim), None,
            dtypes="none")  # fmt: skip
def _scan(fn):
    # A 0-d tensor scans as one element (jnp's scans reject axis 0 of a 0-d array).
    return lambda x, *, dim: fn(x, axis=dim) if x.ndim else fn(x.reshape(1), axis=0).reshape(())


cumsum = defop("cumsum", _scan(jnp.cumsum), "CumsumBackward0", dtypes="int64", saves=())
cumprod = defop("cumprod", _scan(jnp.cumprod), "CumprodBackward0", dtypes="int64")


def _var(x, *, dim, correction, keepdim):
    axis = _axis(dim)
    axes = range(x.ndim) if axis is None else axis if isinstance(axis, tuple) else (axis,)
    n = math.prod(x.shape[d] for d in axes)
    mean = jnp.mean(x, axis=axis, keepdims=True)
    d = x - mean
    return jnp.sum(d * d, axis=axis, keepdims=keepdim) / builtins.max(n - correction, 0)


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
    # NOTE: all -inf stays -inf (jax's max-shift would give nan), as torch's.
    m = jnp.max(x, axis=dim, keepdims=True)
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
dist = defop("dist", lambda x, y, *, p: _norm(x - y, p=p, dim=None, keepdim=False),
             "DistBackward0", dtypes="float")  # fmt: skip
