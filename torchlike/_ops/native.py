"""ATen kernels torch exposes under their own names: the normalisations that also return their
statistics (``native_layer_norm``, ``native_group_norm``, ``native_batch_norm``) and the grid
samplers behind ``F.grid_sample`` (``grid_sampler_2d``, ``grid_sampler_3d``)."""

from __future__ import annotations

import itertools

import jax.numpy as jnp
from jax import lax

from ._registry import defop


# -- normalisation with statistics ----------------------------------------------------------------
def _native_layer_norm(x, *wb, ndim, eps, has_w, has_b):
    axes = tuple(range(x.ndim - ndim, x.ndim))
    mean = jnp.mean(x, axis=axes, keepdims=True)
    rstd = lax.rsqrt(jnp.mean(jnp.square(x - mean), axis=axes, keepdims=True) + eps)
    out = (x - mean) * rstd
    it = iter(wb)
    if has_w:
        out = out * next(it)
    if has_b:
        out = out + next(it)
    return out, lax.stop_gradient(mean), lax.stop_gradient(rstd)


# NOTE: torch marks the statistics of layer and batch norm non-differentiable; group norm's are
# differentiable outputs (its backward falls back to the composite formula when they get grads).
native_layer_norm = defop("native_layer_norm", _native_layer_norm, "NativeLayerNormBackward0",
                          dtypes="none", n_out=3, nondiff_out=(1, 2))  # fmt: skip


def _native_group_norm(x, *wb, n, c, hxw, groups, eps, has_w, has_b):
    # NOTE: a reduced-precision input with float32 parameters is normalised in float32 and
    # only the output is cast back (ATen's mixed-dtype path); the statistics stay float32.
    dt = jnp.result_type(x, *wb)
    g = x.astype(dt).reshape(n, groups, (c // groups) * hxw)  # NOTE: -1 fails when n == 0
    if g.shape[-1] == 0:
        # NOTE: ATen's mean of an empty group is 0 and its rstd nan (0 / 0 variance).
        mean = jnp.zeros(g.shape[:2], dt)
        rstd = jnp.full(g.shape[:2], jnp.nan, dt)
    else:
        mean = jnp.mean(g, axis=-1)
        rstd = lax.rsqrt(jnp.mean(jnp.square(g - mean[..., None]), axis=-1) + eps)
    out = ((g - mean[..., None]) * rstd[..., None]).reshape(n, c, hxw)
    it = iter(wb)
    if has_w:
        out = out * next(it).reshape(1, c, 1)
    if has_b:
        out = out + next(it).reshape(1, c, 1)
    return out.reshape(x.shape).astype(x.dtype), mean, rstd


native_group_norm = defop("native_group_norm", _native_group_norm, "NativeGroupNormBackward0",
                          dtypes="none", n_out=3)  # fmt: skip


def _native_batch_norm(x, w, b, *stats, training, momentum, eps, has_w, has_b, has_stats):
    # NOTE: w and b always passed (placeholders when absent): the weight, which the gradient
    # reads, is always argument 1 (as torch's node, an edge for each)
    w, b = (w if has_w else None), (b if has_b else None)
    rm, rv = stats if has_stats else (None, None)
    axes = (0, *range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    if training:
        mean = jnp.mean(x, axis=axes)
        var = jnp.mean(jnp.square(x - mean.reshape(shape)), axis=axes)
        invstd = lax.rsqrt(var + eps)
        if has_stats:
            n = x.size // x.shape[1]
            new_rm = ((1 - momentum) * rm + momentum * mean).astype(rm.dtype)
            new_rv = ((1 - momentum) * rv + momentum * var * (n / max(n - 1, 1))).astype(rv.dtype)
        else:
            new_rm = new_rv = jnp.zeros((0,), x.dtype)
        saved = (lax.stop_gradient(mean), lax.stop_gradient(invstd))
    else:
        mean, invstd = rm.astype(x.dtype), lax.rsqrt(rv.astype(x.dtype) + eps)
        new_rm, new_rv = rm, rv
        saved = (jnp.zeros((0,), x.dtype), jnp.zeros((0,), x.dtype))
    out = (x - mean.reshape(shape)) * invstd.reshape(shape)
    if w is not None:
        out = out * w.reshape(shape)
    if b is not None:
        out = out + b.reshape(shape)
    return out, *saved, lax.stop_gradient(new_rm), lax.stop_gradient(new_rv)


# NOTE: outputs 3 and 4 are the updated running stats, which the function writes in place.
native_batch_norm = defop("native_batch_norm", _native_batch_norm, "NativeBatchNormBackward0",
                          dtypes="none", n_out=5, nondiff_out=(1, 2, 3, 4),
                          diff_args=(0, 1, 2), saves=lambda mask: (0, 1),
                          bwd_name="NativeBatchNormBackwardBackward0")  # fmt: skip


# -- grid sampling ------------------------------------------------------------------------------
_CUBIC_A = -0.75


def _unnormalize(coord, size, align_corners):
    if align_corners:
        return (coord + 1) / 2 * (size - 1)
    return ((coord + 1) * size - 1) / 2


def _reflect(x, twice_low, twice_high):
    if twice_low == twice_high:
        return jnp.zeros_like(x)
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    x = jnp.abs(x - low)
    extra = jnp.fmod(x, span)
    flips = jnp.floor(x / span)
    return jnp.where(flips % 2 == 0, extra + low, span - extra + low)


def _pad_coord(x, size, padding, align_corners):
    """A source coordinate moved inside the image by ``padding`` (1 border, 2 reflection)."""
    if padding == 1:
        return jnp.clip(x, 0, size - 1)
    if padding == 2:
        x = _reflect(x, 0, 2 * (size - 1)) if align_corners else _reflect(x, -1, 2 * size - 1)
        return jnp.clip(x, 0, size - 1)
    return x


def _sample(x, idx, weights):
    """``sum_t weights[t] * x[n, :, idx[0][t, n, o], idx[1][t, n, o], ...]`` as (N, C, *O): one
    gather for all taps ``t``, zero where a tap is out of bounds."""
    sizes = x.shape[2:]
    n, c = x.shape[:2]
    valid = jnp.ones(idx[0].shape, bool)
    flat = jnp.zeros(idx[0].shape, jnp.int32)
    for i, size in zip(idx, sizes, strict=True):
        valid = valid & (i >= 0) & (i <= size - 1)
        flat = flat * size + jnp.clip(i, 0, size - 1)
    taps, out_shape = idx[0].shape[0], idx[0].shape[2:]
    flat = jnp.moveaxis(flat, 0, 1).reshape(n, 1, -1)
    vals = jnp.take_along_axis(x.reshape(n, c, -1), flat, axis=2).reshape(n, c, taps, *out_shape)
    w = jnp.moveaxis(jnp.where(valid, weights, jnp.zeros((), weights.dtype)), 0, 1)
    return jnp.sum(vals * w[:, None], axis=2)


def _taps(per_dim):
    """Per dim a list of (index, weight) taps -> stacked (indices per dim, weights), one row per
    combination of taps."""
    idx = [[] for _ in per_dim]
    weights = []
    for combo in itertools.product(*per_dim):
        w = 1
        for d, (i, wd) in enumerate(combo):
            idx[d].append(i)
            w = w * wd
        weights.append(w)
    return [jnp.stack(i) for i in idx], jnp.stack(weights)


def _cubic_coeffs(t):
    a = _CUBIC_A

    def near(s):
        return ((a + 2) * s - (a + 3)) * s * s + 1

    def far(s):
        return ((a * s - 5 * a) * s + 8 * a) * s - 4 * a

    return far(t + 1), near(t), near(1 - t), far(2 - t)


def _grid_sample(x, grid, *, interpolation, padding, align_corners):
    sizes = x.shape[2:]
    # NOTE: grid's last axis lists coordinates from the innermost spatial dim out (x, y[, z]).
    coords = [_unnormalize(grid[..., k], s, align_corners)
              for k, s in zip(reversed(range(len(sizes))), sizes, strict=True)]  # fmt: skip
    if interpolation == 2:  # bicubic: padding applies to each tap
        per_dim = []
        for c, size in zip(coords, sizes, strict=True):
            base = jnp.floor(c)
            coeffs = _cubic_coeffs(c - base)
            per_dim.append([(_pad_coord(base - 1 + t, size, padding, align_corners)
                             .astype(jnp.int32), coeffs[t]) for t in range(4)])  # fmt: skip
        return _sample(x, *_taps(per_dim))
    coords = [_pad_coord(c, s, padding, align_corners) for c, s in zip(coords, sizes, strict=True)]
    if interpolation == 1:  # nearest (round half to even, as nearbyint)
        idx = [jnp.round(c).astype(jnp.int32)[None] for c in coords]
        return _sample(x, idx, jnp.ones_like(coords[0])[None])
    per_dim = []
    for c in coords:
        base = jnp.floor(c)
        frac = c - base
        per_dim.append([(base.astype(jnp.int32), 1 - frac), ((base + 1).astype(jnp.int32), frac)])
    return _sample(x, *_taps(per_dim))


grid_sampler_2d = defop("grid_sampler_2d", _grid_sample, "GridSampler2DBackward0",
                        dtypes="promote")  # fmt: skip
grid_sampler_3d = defop("grid_sampler_3d", _grid_sample, "GridSampler3DBackward0",
                        dtypes="promote")  # fmt: skip
