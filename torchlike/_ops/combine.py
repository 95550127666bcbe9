"""Ops that build a new tensor from others without aliasing them: joins, repeats, flips,
triangles, gather/scatter, masked fills, sorting and selection, diagonals.

Index arguments are positional integer arrays (not differentiable); values an op writes are
positional too, so a new fill value does not compile a new kernel."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ._registry import defop

_LINEAR = dict(saves=())  # the backward reads no float input's value


def _nd(x, kind):
    """``x`` raised to the rank ``hstack``/``vstack``/``dstack``/``column_stack`` join at."""
    if kind == "1d":
        return x.reshape(1) if x.ndim == 0 else x
    if kind == "2d":
        return x.reshape(1, -1) if x.ndim < 2 else x
    if kind == "3d":
        if x.ndim == 0:
            return x.reshape(1, 1, 1)
        if x.ndim == 1:
            return x.reshape(1, -1, 1)
        return x[..., None] if x.ndim == 2 else x
    if kind == "col":
        return x.reshape(-1, 1) if x.ndim < 2 else x
    return x


def _cat(*xs, dim, kind=None):
    return jnp.concatenate([_nd(x, kind) for x in xs], axis=dim)


cat = defop("cat", _cat, "CatBackward0", **_LINEAR)
stack = defop("stack", lambda *xs, dim: jnp.stack(xs, axis=dim), "StackBackward0", **_LINEAR)

# -- repeats, flips, triangles ---------------------------------------------------------------------
repeat = defop("repeat", lambda x, *, reps: jnp.tile(x, reps), "RepeatBackward0", dtypes="none",
               **_LINEAR)  # fmt: skip


def _repeat_interleave(x, *, repeats, dim):
    if dim is None:
        return jnp.repeat(x.reshape(-1), repeats)
    return jnp.repeat(x, repeats, axis=dim)


# NOTE: torch repeats by expand + reshape, so the node is a view's.
repeat_interleave = defop("repeat_interleave", _repeat_interleave, "ViewBackward0",
                          dtypes="none", **_LINEAR)  # fmt: skip
flip = defop("flip", lambda x, *, dims: jnp.flip(x, dims), "FlipBackward0", dtypes="none",
             **_LINEAR)  # fmt: skip
roll = defop("roll", lambda x, *, shifts, dims: jnp.roll(x, shifts, axis=dims), "RollBackward0",
             dtypes="none", **_LINEAR)  # fmt: skip
tril = defop("tril", lambda x, *, diagonal: jnp.tril(x, diagonal), "TrilBackward0",
             dtypes="none", **_LINEAR)  # fmt: skip
triu = defop("triu", lambda x, *, diagonal: jnp.triu(x, diagonal), "TriuBackward0",
             dtypes="none", **_LINEAR)  # fmt: skip


# -- gather / scatter / index_* --------------------------------------------------------------------
def _as1d(f):
    """0-d operands (which torch accepts) handled as one-element vectors."""

    def g(x, idx, *rest, dim, **kw):
        if x.ndim:
            return f(x, idx, *rest, dim=dim, **kw)
        rest = [r.reshape(1) if getattr(r, "ndim", 1) == 0 else r for r in rest]
        return f(x.reshape(1), idx.reshape(1), *rest, dim=0, **kw).reshape(())

    return g


def _gather(x, idx, *, dim):
    if idx.size == 0:  # NOTE: torch checks no rank or size of an empty index
        return jnp.zeros(idx.shape, x.dtype)
    if x.ndim == 0:  # the index holds only zeros
        return jnp.broadcast_to(x, idx.shape)
    # The index may be smaller than the input along the other dims.
    sl = tuple(slice(None) if d == dim else slice(0, s) for d, s in enumerate(idx.shape))
    return jnp.take_along_axis(x[sl], idx, axis=dim)


def _scatter_idx(idx, dim):
    grids = list(jnp.meshgrid(*[jnp.arange(s) for s in idx.shape], indexing="ij"))
    grids[dim] = idx
    return tuple(grids)


def accumulate(at, src, *, mul=False):
    """``at.add(src)`` (``at.multiply`` with ``mul``) for an ``x.at[...]`` reference; on bool
    they are torch's logical or (and), which jax's add and multiply refuse."""
    if at.array.dtype == jnp.bool_:
        return at.min(src) if mul else at.max(src)
    return at.multiply(src) if mul else at.add(src)


def _src(src, idx, dtype):
    if getattr(src, "ndim", 0):
        src = src[tuple(slice(0, s) for s in idx.shape)]
    return jnp.asarray(src).astype(dtype)


def _scatter(x, idx, src, *, dim, reduce=None):
    at = x.at[_scatter_idx(idx, dim)]
    src = _src(src, idx, x.dtype)
    return at.set(src) if reduce is None else accumulate(at, src, mul=reduce == "multiply")


def _scatter_add(x, idx, src, *, dim):
    return accumulate(x.at[_scatter_idx(idx, dim)], _src(src, idx, x.dtype))


def _scatter_reduce(x, idx, src, *, dim, reduce, include_self):
    if x.dtype == jnp.bool_:
        # NOTE: on bool, sum/amax are a logical or and prod/amin a logical and: the integer
        # reduction read back as nonzero.
        wide = _scatter_reduce(x.astype(jnp.int32), idx, jnp.asarray(src).astype(jnp.int32),
                               dim=dim, reduce=reduce, include_self=include_self)  # fmt: skip
        return wide != 0
    ix = _scatter_idx(idx, dim)
    if reduce == "prod" and jnp.issubdtype(x.dtype, jnp.floating):
        return _scatter_prod(x, idx, _src(src, idx, x.dtype), dim, include_self)
    src = _src(src, idx, x.dtype)
    at = x.at[ix]
    if reduce == "mean":
        base = x if include_self else x.at[ix].set(0)
        total = base.at[ix].add(src)
        count = jnp.ones_like(x).at[ix].add(1) if include_self else \
            jnp.zeros_like(x).at[ix].add(1)
        touched = jnp.zeros(x.shape, bool).at[ix].set(True)
        count = jnp.where(count == 0, 1, count)
        mean = total / count if jnp.issubdtype(x.dtype, jnp.floating) else total // count
        return jnp.where(touched, mean.astype(x.dtype), x)
    if not include_self:
        fill = {"sum": 0, "prod": 1, "amax": -jnp.inf, "amin": jnp.inf}[reduce]
        if not jnp.issubdtype(x.dtype, jnp.floating) and reduce in ("amax", "amin"):
            info = jnp.iinfo(x.dtype)
            fill = info.min if reduce == "amax" else info.max
        at = x.at[ix].set(fill).at[ix]
    return {"sum": at.add, "prod": at.multiply, "amax": at.max, "amin": at.min}[reduce](src)


def _scatter_prod_fwd_value(x, idx, src, dim, include_self):
    ix = _scatter_idx(idx, dim)
    base = x if include_self else x.at[ix].set(1)
    return base.at[ix].multiply(src)


# NOTE: JAX's scatter-multiply VJP needs unique indices; torch's ScatterReduceBackward0 for
# "prod" divides the result by each factor, with the factors that are zero handled apart:
# a zero ``self`` is replaced by 1 and the product recomputed, and a ``src`` element that is
# the only zero scattered to its position gets the product of the others (two or more zeros
# at one position give 0). The products the rule computes (and saves) go through _scatter_prod
# itself, so that differentiating the rule (double backward) uses the rule again.
_scatter_prod = jax.custom_vjp(_scatter_prod_fwd_value, nondiff_argnums=(3, 4))


def _scatter_prod_fwd(x, idx, src, dim, include_self):
    out = _scatter_prod(x, idx, src, dim, include_self)
    return out, (x, idx, src, out)


def _scatter_prod_bwd(dim, include_self, res, g):
    x, idx, src, out = res
    ix = _scatter_idx(idx, dim)
    one = jnp.ones((), x.dtype)
    masked_self = jnp.where(x == 0, one, x)
    grad_self = g * _scatter_prod(masked_self, idx, src, dim, include_self) / masked_self
    if not include_self:
        grad_self = grad_self.at[ix].set(0)
    src_zero = src == 0
    zeros_at = jnp.zeros(x.shape, jnp.int32).at[ix].add(src_zero.astype(jnp.int32))[ix]
    single = src_zero & (zeros_at == 1)
    others = _scatter_prod(x, idx, jnp.where(single, one, src), dim, include_self)
    grad_src = jnp.where(single, (g * others)[ix], (g * out)[ix] / jnp.where(src_zero, one, src))
    return grad_self, None, grad_src


_scatter_prod.defvjp(_scatter_prod_fwd, _scatter_prod_bwd)


gather = defop("gather", _gather, "GatherBackward0", dtypes="none", diff_args=(0,),
               **_LINEAR)  # fmt: skip
scatter = defop("scatter", _as1d(_scatter), lambda a, o: "ScatterBackward0"
                if hasattr(a[2], "_storage") else "ScatterBackward1", dtypes="none",
                diff_args=(0, 2), **_LINEAR)  # fmt: skip
scatter_add = defop("scatter_add", _as1d(_scatter_add), "ScatterAddBackward0", dtypes="none",
                    diff_args=(0, 2), **_LINEAR)  # fmt: skip
scatter_reduce = defop("scatter_reduce", _as1d(_scatter_reduce), "ScatterReduceBackward0",
                       dtypes="none", diff_args=(0, 2))  # fmt: skip


def _at_dim(x, idx, dim):
    return x.at[(slice(None),) * dim + (idx,)]


def _index_select(x, idx, *, dim, flat=False):
    if flat:
        x = x.reshape(-1)
    if x.ndim == 0:
        # NOTE: a 0-d input stays 0-d (its one-element index is checked by the caller).
        return x.reshape(1)[idx].reshape(())
    return jnp.take(x, idx, axis=dim)


index_select = defop("index_select", _index_select, "IndexSelectBackward0", dtypes="none",
                     diff_args=(0,), **_LINEAR)  # fmt: skip


def _index_add(x, idx, src, alpha, *, dim):
    src = (alpha * src).astype(x.dtype)
    if x.ndim == 0:
        return accumulate(x.reshape(1).at[idx], src.reshape(-1)).reshape(())
    return accumulate(_at_dim(x, idx, dim), src)


index_add = defop("index_add", _index_add, "IndexAddBackward0", dtypes="none", diff_args=(0, 2),
                  **_LINEAR)  # fmt: skip


def _index_fill(x, idx, value, *, dim):
    value = jnp.asarray(value).astype(x.dtype)
    if x.ndim == 0:
        return x.reshape(1).at[idx].set(value).reshape(())
    return _at_dim(x, idx, dim).set(value)


index_fill = defop("index_fill", _index_fill, lambda a, o: "IndexFillBackward1"
                   if hasattr(a[2], "_storage") else "IndexFillBackward0", dtypes="none",
                   diff_args=(0, 2), **_LINEAR)  # fmt: skip


def _index_copy(x, idx, src, *, dim):
    if x.ndim == 0:
        return x.reshape(1).at[idx].set(src.reshape(-1).astype(x.dtype)).reshape(())
    return _at_dim(x, idx, dim).set(src.astype(x.dtype))


index_copy = defop("index_copy", _index_copy, "IndexCopyBackward0", dtypes="none",
                   diff_args=(0, 2), **_LINEAR)  # fmt: skip

masked_fill = defop("masked_fill", lambda x, mask, v: jnp.where(mask, jnp.asarray(v).astype(
    x.dtype), x), lambda a, o: "MaskedFillBackward1" if hasattr(a[2], "_storage")
    else "MaskedFillBackward0", dtypes="none", diff_args=(0, 2), **_LINEAR)  # fmt: skip
# The mask's True positions are found eagerly (the result's size depends on them).
masked_select = defop("masked_select", lambda x, idx, *, shape: jnp.broadcast_to(
                      x, shape).reshape(-1)[idx],
                      "MaskedSelectBackward0", dtypes="none", diff_args=(0,),
                      **_LINEAR)  # fmt: skip
take = defop("take", lambda x, idx: x.reshape(-1)[idx], "TakeBackward0", dtypes="none",
             diff_args=(0,), **_LINEAR)  # fmt: skip


# -- sorting and selection -------------------------------------------------------------------------
def _vec(f):
    """A dim-wise selection on a 0-d input works on it as a one-element vector."""

    def g(x, *, dim, **kw):
        if x.ndim:
            return f(x, dim=dim, **kw)
        vals, idx = f(x.reshape(1), dim=0, **kw)
        return vals.reshape(()), idx.reshape(())

    return g


def _sort(x, *, dim, descending, stable_overload=False):
    idx = jnp.argsort(x, axis=dim, stable=True, descending=descending)
    return jnp.take_along_axis(x, idx, axis=dim), idx.astype(jnp.int64)


def _topk(x, *, k, dim, largest, sorted=True):
    if k == 0:
        idx = jnp.zeros((*x.shape[:dim], 0, *x.shape[dim + 1 :]), jnp.int64)
        return jnp.take_along_axis(x, idx, axis=dim), idx
    rows = jnp.moveaxis(x, dim, -1)
    if 64 * k <= rows.shape[-1]:  # torch's partial_sort, not replayed (see _introselect)
        idx = jnp.argsort(x, axis=dim, stable=True, descending=largest)
        idx = lax.slice_in_dim(idx, 0, k, axis=dim)
        return jnp.take_along_axis(x, idx, axis=dim), idx.astype(jnp.int64)
    pos = _introselect(rows.reshape(-1, rows.shape[-1]), k, largest, sorted)
    idx = jnp.moveaxis(pos.reshape(*rows.shape[:-1], k), -1, dim)
    return jnp.take_along_axis(x, idx, axis=dim), idx.astype(jnp.int64)


def _kth(x, *, k, dim, keepdim):
    """The k-th smallest (1-based) along ``dim``, the first of equal values (``median``)."""
    idx = jnp.argsort(x, axis=dim, stable=True)
    idx = lax.slice_in_dim(idx, k - 1, k, axis=dim)
    vals = jnp.take_along_axis(x, idx, axis=dim)
    if not keepdim:
        vals, idx = jnp.squeeze(vals, dim), jnp.squeeze(idx, dim)
    return vals, idx.astype(jnp.int64)


def _after(a, b):
    """torch's selection order: ``a`` after ``b``, NaN after every number."""
    return (jnp.isnan(a) & ~jnp.isnan(b)) | (a > b)


def _before(a, b):
    """torch's ascending order: ``a`` before ``b``, NaN after every number."""
    return (~jnp.isnan(a) & jnp.isnan(b)) | (a < b)


# Selection algorithms that replay torch's CPU kernels (which of equal values they pick
# follows their swaps) on every row of a 2-D ``rows`` at once: per-row positions are vectors,
# and a row that takes no part in a step is left as it is by the masks.
def _pick(a, i, col):
    # NOTE: a one-hot pick rather than a gather: XLA compiles it far faster in the loops.
    return jnp.where(col == i[:, None], a, jnp.zeros((), a.dtype)).sum(1, dtype=a.dtype)


def _swap(s, a, b, do, col):
    pa, pb = do[:, None] & (col == a[:, None]), do[:, None] & (col == b[:, None])
    return tuple(jnp.where(pa, _pick(v, b, col)[:, None],
                           jnp.where(pb, _pick(v, a, col)[:, None], v)) for v in s)  # fmt: skip


def _quickselect(rows, k):
    """Per row, the position of its ``k``-th smallest (0-based), as torch's CPU kthvalue
    finds it: Sedgewick's quickselect (median-of-three pivot) on a copy."""
    n_rows, n = rows.shape
    col = lax.broadcasted_iota(jnp.int32, rows.shape, 1)

    def ordered(s, a, b, do):
        return _swap(s, a, b, do & _after(_pick(s[0], a, col), _pick(s[0], b, col)), col)

    def step(state):
        s, lo, hi = state[:2], state[2], state[3]
        two, part = hi == lo + 1, hi > lo + 1
        s = ordered(s, lo, hi, two)
        s = _swap(s, (lo + hi) // 2, lo + 1, part, col)
        for a, b in ((lo + 1, hi), (lo, hi), (lo + 1, lo)):
            s = ordered(s, a, b, part)
        piv = _pick(s[0], lo, col)[:, None]

        def partition(p):
            s, i, j, going = p[:2], p[2], p[3], p[4]
            # The scans up from i and down from j, each as one search: the first position
            # past i not below the pivot, the last before j not above it. NOTE: the bounds
            # (never reached by a row that partitions: arr[hi] >= piv and arr[lo] == piv) keep
            # the rows that do not partition in range.
            stop = (col > i[:, None]) & ((col >= hi[:, None]) | ~_after(piv, s[0]))
            i = jnp.where(going, jnp.where(stop, col, n).min(1), i)
            stop = (col < j[:, None]) & ((col <= lo[:, None]) | ~_after(s[0], piv))
            j = jnp.where(going, jnp.where(stop, col, -1).max(1), j)
            going = going & (j >= i)
            return (*_swap(s, i, j, going, col), i, j, going)

        p = lax.while_loop(lambda p: jnp.any(p[4]), partition, (*s, lo + 1, hi, part))
        s, i, j = _swap(p[:2], lo, p[3], part, col), p[2], p[3]
        lo = jnp.where(two, hi, jnp.where(part & (j <= k), i, lo))
        hi = jnp.where(part & (j >= k), j - 1, hi)
        return (*s, lo, hi)

    zero = jnp.zeros(n_rows, jnp.int32)
    _, idx, _, _ = lax.while_loop(lambda st: jnp.any(st[3] > st[2]), step,
                                  (rows, col, zero, zero + n - 1))  # fmt: skip
    return idx[:, k]


def _stable_sorted(s, comp):
    """``s`` (values, positions) with every column stably sorted by ``comp``: an insertion
    sort's result, found as each element's rank."""
    v = s[0]
    a, b = v[:, :, None], v[:, None, :]
    m = v.shape[1]
    earlier = jnp.arange(m)[None, None, :] < jnp.arange(m)[None, :, None]
    rank = (comp(b, a) | (~comp(a, b) & earlier)).sum(2)
    lands = rank[:, :, None] == jnp.arange(m)[None, None, :]
    return tuple(jnp.where(lands, t[:, :, None], jnp.zeros((), t.dtype)).sum(1, dtype=t.dtype)
                 for t in s)  # fmt: skip


def _partition(s, first, last, go, comp, col):
    """libstdc++'s __unguarded_partition_pivot on ``[first, last)`` of the rows where ``go``:
    the median of three moved to the front, then Hoare's unguarded partition. Returns the
    rearranged ``s`` and the cut."""
    n = col.shape[1]
    a, b, c = first + 1, first + (last - first) // 2, last - 1
    va, vb, vc = (_pick(s[0], i, col) for i in (a, b, c))
    ab, bc, ac = comp(va, vb), comp(vb, vc), comp(va, vc)
    m = jnp.where(ab, jnp.where(bc, b, jnp.where(ac, c, a)),
                  jnp.where(ac, a, jnp.where(bc, c, b)))  # fmt: skip
    s = _swap(s, first, m, go, col)
    piv = _pick(s[0], first, col)[:, None]

    def partition(p):
        s, up, down, going = p[:2], p[2], p[3], p[4]
        # NOTE: as in _quickselect, the bounds only matter to rows not partitioning.
        stop = (col >= up[:, None]) & ((col >= last[:, None] - 1) | ~comp(s[0], piv))
        up = jnp.where(going, jnp.where(stop, col, n).min(1), up)
        stop = (col <= down[:, None] - 1) & ((col <= first[:, None]) | ~comp(piv, s[0]))
        down = jnp.where(going, jnp.where(stop, col, -1).max(1), down)
        going = going & (up < down)
        s = _swap(s, up, down, going, col)
        return (*s, jnp.where(going, up + 1, up), down, going)

    p = lax.while_loop(lambda p: jnp.any(p[4]), partition, (*s, first + 1, last, go))
    return p[:2], p[2]


def _introsort_loop(rows, comp):
    """Per row, values and positions as libstdc++'s std::sort leaves them before its final
    insertion sort: partitioned (``_partition``) down to runs of at most 16. That insertion
    sort is stable, so the sorted order is a stable sort of this arrangement. NOTE: the heap
    sort of a run longer than 16 at the depth limit (2 log2 n partitions) is not replayed."""
    n_rows, n = rows.shape
    col = lax.broadcasted_iota(jnp.int32, rows.shape, 1)
    limit = 2 * (n.bit_length() - 1)
    slot = jnp.arange(limit + 1)[None, :]

    def busy(st):
        first, last, depth, top = st[2], st[3], st[4], st[6]
        return jnp.any(((last - first > 16) & (depth > 0)) | (top > 0))

    def step(st):
        s, (first, last, depth, stack, top) = st[:2], st[2:]
        go = (last - first > 16) & (depth > 0)
        s, cut = _partition(s, first, last, go, comp, col)
        # the right part waits on a stack; the left part goes on
        push = (go[:, None] & (slot == top[:, None]))[..., None]
        stack = jnp.where(push, jnp.stack([cut, last, depth - 1], -1)[:, None, :], stack)
        top = top + go
        last, depth = jnp.where(go, cut, last), jnp.where(go, depth - 1, depth)
        pop = ~go & (top > 0)
        top = top - pop
        e = jnp.take_along_axis(stack, jnp.maximum(top, 0)[:, None, None], 1)[:, 0]
        first, last, depth = (jnp.where(pop, e[:, i], v)
                              for i, v in enumerate((first, last, depth)))  # fmt: skip
        return (*s, first, last, depth, stack, top)

    zero = jnp.zeros(n_rows, jnp.int32)
    stack = jnp.zeros((n_rows, limit + 1, 3), jnp.int32)
    st = lax.while_loop(busy, step, (rows, col, zero, zero + n, zero + limit, stack, zero))
    return st[:2]


def _introselect(rows, k, largest, sort):
    """Per row, the positions of the ``k`` largest (or smallest), in the order torch's CPU topk
    leaves them for a row not much longer than ``k``: libstdc++'s nth_element (introselect:
    median-of-three to the front, unguarded partition, insertion sort of the last <= 3),
    then (``sort``) std::sort of the first k - 1, an insertion sort for up to 16 of them.
    NOTE: longer sorts (introsort), the depth limit's heap select and the partial_sort torch
    uses when ``64 k <= n`` are not replayed: ties there come out in a stable order."""
    n_rows, n = rows.shape
    comp = _after if largest else _before
    col = lax.broadcasted_iota(jnp.int32, rows.shape, 1)
    nth = k - 1

    def ordered(s, a, b, do):
        return _swap(s, a, b, do & comp(_pick(s[0], b, col), _pick(s[0], a, col)), col)

    def step(state):
        s, first, last = state[:2], state[2], state[3]
        go = last - first > 3
        s, cut = _partition(s, first, last, go, comp, col)
        first = jnp.where(go & (cut <= nth), cut, first)
        last = jnp.where(go & (cut > nth), cut, last)
        return (*s, first, last)

    zero = jnp.zeros(n_rows, jnp.int32)
    s = lax.while_loop(lambda st: jnp.any(st[3] - st[2] > 3), step,
                       (rows, col, zero, zero + n))  # fmt: skip
    s, first, last = s[:2], s[2], s[3]
    # the insertion sort of the last (at most three) elements: adjacent swaps
    for a in (first, first + 1, first):
        s = ordered(s, a, a + 1, a + 1 < last)
    if sort and k > 2:
        head = _stable_sorted(tuple(t[:, : k - 1] for t in s), comp)
        s = tuple(jnp.concatenate([h, t[:, k - 1 :]], 1) for h, t in zip(head, s, strict=True))
    return s[1][:, :k]


def _kthvalue(x, *, k, dim, keepdim):
    rows = jnp.moveaxis(x, dim, -1)
    pos = _quickselect(rows.reshape(-1, rows.shape[-1]), k - 1)
    idx = jnp.expand_dims(pos.reshape(rows.shape[:-1]), dim)
    vals = jnp.take_along_axis(x, idx, axis=dim)
    if not keepdim:
        vals, idx = jnp.squeeze(vals, dim), jnp.squeeze(idx, dim)
    return vals, idx.astype(jnp.int64)


def _no_median(dtype):
    """torch's CPU median of an empty tensor: NaN, converted to an integer dtype as x86 does
    (the lowest int64, or the lowest int32 truncated to the narrower type; True for bool)."""
    if jnp.issubdtype(dtype, jnp.inexact):
        return jnp.array(jnp.nan, dtype)
    if dtype == jnp.bool_:
        return jnp.array(True)
    return jnp.array(np.array(np.iinfo(np.int64 if dtype == jnp.int64 else np.int32).min)
                     .astype(dtype))  # fmt: skip


def _median_all(x):
    if not x.size:
        return _no_median(x.dtype)
    flat = jnp.sort(x.reshape(-1))
    return flat[(flat.shape[0] - 1) // 2]


def _mode(x, *, dim, keepdim):
    # The smallest of the most frequent values, at the index torch's CPU kernel reports: the
    # last of that value's run once std::sort has ordered the row (see _introsort_loop).
    xm = jnp.moveaxis(x, dim, -1)
    eq = xm[..., :, None] == xm[..., None, :]
    count = eq.sum(-1)
    best = count == count.max(-1, keepdims=True)
    big = (jnp.inf if jnp.issubdtype(x.dtype, jnp.floating) else True if x.dtype == jnp.bool_
           else jnp.iinfo(x.dtype).max)  # fmt: skip
    val = jnp.where(best, xm, big).min(-1, keepdims=True)
    n = xm.shape[-1]
    rows = xm.reshape(-1, n)
    pos = jnp.broadcast_to(jnp.arange(n), rows.shape)
    if n > 16:
        rows, pos = _introsort_loop(rows.astype(jnp.uint8) if x.dtype == jnp.bool_ else rows,
                                    lambda a, b: a < b)  # fmt: skip
    at = jnp.where(rows == val.reshape(-1, 1).astype(rows.dtype), jnp.arange(n), -1).max(-1)
    idx = jnp.take_along_axis(pos, at[:, None], 1).reshape(val.shape)
    idx = jnp.moveaxis(idx, -1, dim)
    vals = jnp.take_along_axis(x, idx, axis=dim)
    if not keepdim:
        vals, idx = jnp.squeeze(vals, dim), jnp.squeeze(idx, dim)
    return vals, idx.astype(jnp.int64)


def _cumext(x, *, dim, fn):
    # The index is the last position (<= i) holding the running extreme, as torch's.
    # NOTE: lax's cumulative extremes reject bool; on uint8 they order False < True alike.
    run = fn(x.astype(jnp.uint8), axis=dim) != 0 if x.dtype == jnp.bool_ else fn(x, axis=dim)
    pos = lax.broadcasted_iota(jnp.int64, x.shape, dim)
    idx = lax.cummax(jnp.where(x == run, pos, -1), axis=dim)
    return jnp.take_along_axis(x, idx, axis=dim), idx


_SEL = dict(dtypes="none", n_out=2, nondiff_out=(1,))
sort = defop("sort", _vec(_sort), lambda a, o: "SortBackward1" if o["stable_overload"]
             else "SortBackward0", **_SEL)  # fmt: skip
argsort = defop("argsort", lambda x, *, dim, descending: _vec(_sort)(
    x, dim=dim, descending=descending)[1], None, dtypes="none")  # fmt: skip
topk = defop("topk", _vec(_topk), "TopkBackward0", **_SEL)
kthvalue = defop("kthvalue", _vec(_kthvalue), "KthvalueBackward0", **_SEL)
median = defop("median", _median_all, "MedianBackward0", dtypes="none")
median_dim = defop("median_dim", _vec(lambda x, *, dim, keepdim: _kth(
    x, k=(x.shape[dim] + 1) // 2, dim=dim, keepdim=keepdim)), "MedianBackward1",
    **_SEL)  # fmt: skip
mode = defop("mode", _vec(_mode), "ModeBackward0", **_SEL)
cummax = defop("cummax", _vec(lambda x, *, dim: _cumext(x, dim=dim, fn=lax.cummax)),
               "CummaxBackward0", **_SEL)  # fmt: skip
cummin = defop("cummin", _vec(lambda x, *, dim: _cumext(x, dim=dim, fn=lax.cummin)),
               "CumminBackward0", **_SEL)  # fmt: skip


# -- grids and diagonals ---------------------------------------------------------------------------
def _grid(x, *, shape, axis):
    view = [1] * len(shape)
    view[axis] = -1
    return jnp.broadcast_to(x.reshape(view), shape)


meshgrid = defop("meshgrid", _grid, "ExpandBackward0", dtypes="none", **_LINEAR)
diag = defop("diag", lambda x, *, diagonal: jnp.diag(x, diagonal), lambda a, o:
             "DiagEmbedBackward0" if a[0].ndim == 1 else "DiagonalBackward0_copy",
             dtypes="none", **_LINEAR)  # fmt: skip


def _diag_embed(x, *, offset, dim1, dim2):
    n = x.shape[-1]
    m = n + abs(offset)
    out = jnp.zeros((*x.shape[:-1], m, m), x.dtype)
    rows = jnp.arange(n) + max(-offset, 0)
    cols = jnp.arange(n) + max(offset, 0)
    out = out.at[..., rows, cols].set(x)
    return jnp.moveaxis(out, (-2, -1), (dim1, dim2))


diag_embed = defop("diag_embed", _diag_embed, "DiagEmbedBackward0", dtypes="none", **_LINEAR)
cross = defop("cross", lambda x, y, *, dim: jnp.cross(x, y, axis=dim), "LinalgCrossBackward0")


def _fill_diagonal(x, v, *, wrap):
    n = min(x.shape)
    if x.ndim == 2 and wrap and x.shape[0] > x.shape[1] + 1:
        # Tall matrices restart the diagonal every (cols + 1) rows, as torch's wrap=True.
        rows = np.arange(x.shape[0])
        rows = rows[(rows % (x.shape[1] + 1)) < x.shape[1]]
        cols = rows % (x.shape[1] + 1)
        return x.at[rows, cols].set(jnp.asarray(v).astype(x.dtype))
    i = jnp.arange(n)
    return x.at[(i,) * x.ndim].set(jnp.asarray(v).astype(x.dtype))


# NOTE: torch fills through a diagonal view, so its node is CopySlices.
fill_diagonal = defop("fill_diagonal", _fill_diagonal, "CopySlices", dtypes="none",
                      diff_args=(0,), **_LINEAR)  # fmt: skip


def _diff(x, *ends, n, dim, has_prepend):
    if ends:
        parts = [x]
        if has_prepend:
            parts.insert(0, ends[0])
            ends = ends[1:]
        parts += list(ends)
        x = jnp.concatenate(parts, axis=dim)
    for _ in range(min(n, x.shape[dim])):
        a, b = lax.slice_in_dim(x, 1, None, axis=dim), lax.slice_in_dim(x, 0, -1, axis=dim)
        x = a ^ b if x.dtype == jnp.bool_ else a - b
    return x


# NOTE: torch's diff is a narrow-and-sub; a bool input takes a logical_xor (no node).
diff = defop("diff", _diff, lambda a, o: "CopyBackwards" if o["n"] == 0 else "SubBackward0",
             dtypes="none")  # fmt: skip
rot90 = defop("rot90", lambda x, *, k, dims: jnp.rot90(x, k, axes=dims), "Rot90Backward0",
              dtypes="none", **_LINEAR)  # fmt: skip
diagflat = defop("diagflat", lambda x, *, offset: jnp.diagflat(x, offset), "DiagEmbedBackward0",
                 dtypes="none", **_LINEAR)  # fmt: skip
