"""Layer ops: convolution, pooling, normalisation, padding, resampling, attention and recurrent
layers. Window geometry (pooling windows, divisors, interpolation weights) is computed with NumPy
at trace time from the static shapes, so each kernel is a few gathers and reductions."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ._registry import defop

_HI = lax.Precision.HIGHEST
_DN = {1: ("NCH", "OIH", "NCH"), 2: ("NCHW", "OIHW", "NCHW"), 3: ("NCDHW", "OIDHW", "NCDHW")}


def _mm(a, b):
    return jnp.matmul(a, b, precision=_HI)


# -- convolution ----------------------------------------------------------------------------------
def _conv_check(x, w, *b, stride, padding, dilation, groups, transposed, output_padding):
    nd = w.ndim - 2
    if x.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to conv{nd}d, but got "
            f"input of size: [{', '.join(map(str, x.shape))}]"
        )
    cin = x.shape[-nd - 1]
    want = w.shape[0] if transposed else w.shape[1] * groups
    if cin != want:
        shape = list(x.shape if x.ndim == nd + 2 else (1, *x.shape))
        ws = ", ".join(map(str, w.shape))
        if transposed:
            raise RuntimeError(
                f"Given transposed=1, weight of size [{ws}], expected input{shape} to have "
                f"{w.shape[0]} channels, but got {cin} channels instead"
            )
        raise RuntimeError(
            f"Given groups={groups}, weight of size [{ws}], expected input{shape} to have "
            f"{want} channels, but got {cin} channels instead"
        )


def _conv(x, w, *b, stride, padding, dilation, groups, transposed, output_padding):
    nd = w.ndim - 2
    unbatched = x.ndim == nd + 1
    if unbatched:
        x = x[None]
    dn = lax.conv_dimension_numbers(x.shape, w.shape, _DN[nd])
    if not transposed:
        out = lax.conv_general_dilated(
            x, w, stride, padding, rhs_dilation=dilation, dimension_numbers=dn,
            feature_group_count=groups, precision=_HI,
        )  # fmt: skip
    else:
        # NOTE: a transposed convolution is the gradient of a convolution: dilate the input by
        # the stride, pad by dilation*(k-1)-padding, and convolve with the flipped kernel whose
        # in/out channel axes are swapped within each group.
        cin, cout_g, k = w.shape[0], w.shape[1], w.shape[2:]
        w2 = w.reshape(groups, cin // groups, cout_g, *k).swapaxes(1, 2)
        w2 = jnp.flip(w2.reshape(groups * cout_g, cin // groups, *k), tuple(range(2, 2 + nd)))
        geo = zip(k, dilation, padding, output_padding, strict=True)
        pads = [(d * (kk - 1) - p[0], d * (kk - 1) - p[1] + op) for kk, d, p, op in geo]
        dn = lax.conv_dimension_numbers(x.shape, w2.shape, _DN[nd])
        out = lax.conv_general_dilated(
            x, w2, (1,) * nd, pads, lhs_dilation=stride, rhs_dilation=dilation,
            dimension_numbers=dn, feature_group_count=groups, precision=_HI,
        )  # fmt: skip
    if b:
        out = out + b[0].reshape((1, -1) + (1,) * nd)
    return out[0] if unbatched else out


convolution = defop("convolution", _conv, "ConvolutionBackward0", dtypes="none", check=_conv_check)


# -- pooling --------------------------------------------------------------------------------------
def pool_out_size(n, k, s, p, d, ceil):
    """Output length of a pooling window sweep (PyTorch's ``pooling_output_shape``)."""
    o = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil else 0)) // s + 1
    if ceil and (o - 1) * s >= n + p:
        o -= 1
    return o


def _windows(n, k, s, p, d, ceil):
    """(window indices into the padded axis [o, k], (left pad, right pad))."""
    o = pool_out_size(n, k, s, p, d, ceil)
    idx = np.arange(o)[:, None] * s + np.arange(k)[None, :] * d
    right = max(p, int(idx.max()) + 1 - n - p) if o > 0 else p
    return idx, (p, right)


def _patches(x, idx_h, idx_w, pads, fill):
    """x[..., H, W] -> [..., OH, OW, KH*KW] windows of the padded input."""
    cfg = [(0, 0)] * (x.ndim - 2) + list(pads)
    xp = jnp.pad(x, cfg, constant_values=fill)
    p = xp[..., idx_h[:, :, None, None], idx_w[None, None, :, :]]  # [..., OH, KH, OW, KW]
    p = jnp.moveaxis(p, -3, -2)  # [..., OH, OW, KH, KW]
    return p.reshape(*p.shape[:-2], -1)


def _inside(idx, pads, n):
    """Which window positions ``idx`` (into an axis padded by ``pads``) are input elements."""
    return (idx >= pads[0]) & (idx < pads[0] + n)


def _argmax_pick(p, flat, valid):
    """Max of each window and the flat input index where torch's scan (``val > max or
    isnan(val)``) settles: the last NaN, else the first maximum among the window's input
    elements (``valid``), so a window of -inf points at an input element, not at padding."""
    nan = jnp.isnan(p)
    hit = (p == jnp.max(p, axis=-1, keepdims=True)) & valid
    last_nan = p.shape[-1] - 1 - jnp.argmax(nan[..., ::-1], axis=-1)
    a = jnp.where(nan.any(axis=-1), last_nan, jnp.argmax(hit, axis=-1))[..., None]
    out = jnp.take_along_axis(p, a, axis=-1)[..., 0]
    ind = jnp.take_along_axis(jnp.broadcast_to(flat, p.shape), a, axis=-1)[..., 0]
    return out, ind


def _max_pool2d(x, *, kernel, stride, padding, dilation, ceil_mode):
    H, W = x.shape[-2:]
    ih, ph = _windows(H, kernel[0], stride[0], padding[0], dilation[0], ceil_mode)
    iw, pw = _windows(W, kernel[1], stride[1], padding[1], dilation[1], ceil_mode)
    p = _patches(x, ih, iw, (ph, pw), -jnp.inf)
    flat = (ih - ph[0])[:, None, :, None] * W + (iw - pw[0])[None, :, None, :]
    flat = jnp.asarray(flat.reshape(ih.shape[0], iw.shape[0], -1), jnp.int64)
    valid = _inside(ih, ph, H)[:, None, :, None] & _inside(iw, pw, W)[None, :, None, :]
    return _argmax_pick(p, flat, valid.reshape(flat.shape))


def _pool_name(kind, nd):
    return f"{kind}{nd}DBackward0"


max_pool2d = defop("max_pool2d", _max_pool2d, "MaxPool2DWithIndicesBackward0", dtypes="none",
                   n_out=2, nondiff_out=(1,))  # fmt: skip


def _avg_divisor(n, k, s, p, ceil, include_pad):
    o = pool_out_size(n, k, s, p, 1, ceil)
    start = np.arange(o) * s - p
    end = np.minimum(start + k, n + p)
    size = end - start
    if not include_pad:
        size = np.minimum(end, n) - np.maximum(start, 0)
    return size


def _avg_pool2d(x, *, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override):
    H, W = x.shape[-2:]
    ih, ph = _windows(H, kernel[0], stride[0], padding[0], 1, ceil_mode)
    iw, pw = _windows(W, kernel[1], stride[1], padding[1], 1, ceil_mode)
    s = jnp.sum(_patches(x, ih, iw, (ph, pw), 0), axis=-1)
    if divisor_override:
        return s / jnp.asarray(divisor_override, x.dtype)
    dh = _avg_divisor(H, kernel[0], stride[0], padding[0], ceil_mode, count_include_pad)
    dw = _avg_divisor(W, kernel[1], stride[1], padding[1], ceil_mode, count_include_pad)
    return s / jnp.asarray(np.outer(dh, dw), x.dtype)


avg_pool2d = defop("avg_pool2d", _avg_pool2d, "AvgPool2DBackward0", dtypes="none", saves=())


def _adaptive_ranges(n, o):
    i = np.arange(o)
    return (i * n) // o, -((-(i + 1) * n) // o)  # floor(i*n/o), ceil((i+1)*n/o)


def _adaptive_avg_pool(x, *, output_size):
    """Average over windows ``[floor(i*n/o), ceil((i+1)*n/o))`` of the last ``len(output_size)``
    dims: one averaging matrix per dim (separable, so any rank is a chain of contractions)."""
    nd = len(output_size)
    for i, (n, o) in enumerate(zip(x.shape[-nd:], output_size, strict=True)):
        start, end = _adaptive_ranges(n, o)
        r = np.arange(n)[None, :]
        m = ((r >= start[:, None]) & (r < end[:, None])).astype(np.float64)
        m /= m.sum(1, keepdims=True)
        ax = x.ndim - nd + i
        x = jnp.moveaxis(jnp.tensordot(x, jnp.asarray(m, x.dtype), axes=([ax], [1]),
                                       precision=_HI), -1, ax)  # fmt: skip
    return x


adaptive_avg_pool2d = defop("adaptive_avg_pool2d", _adaptive_avg_pool,
                            "AdaptiveAvgPool2DBackward0", dtypes="none", saves=())  # fmt: skip
adaptive_avg_pool3d = defop("adaptive_avg_pool3d", _adaptive_avg_pool,
                            "AdaptiveAvgPool3DBackward0", dtypes="none", saves=())  # fmt: skip


def _adaptive_max_pool2d(x, *, output_size):
    H, W = x.shape[-2:]
    idx = []
    for n, o in zip((H, W), output_size, strict=True):
        start, end = _adaptive_ranges(n, o)
        k = int((end - start).max())
        i = start[:, None] + np.arange(k)[None, :]
        idx.append((np.minimum(i, n - 1), i < end[:, None]))
    (ih, mh), (iw, mw) = idx
    p = x[..., ih[:, :, None, None], iw[None, None, :, :]]
    p = jnp.moveaxis(p, -3, -2)
    valid = mh[:, None, :, None] & mw[None, :, None, :]
    p = jnp.where(valid, p, -jnp.inf)
    p = p.reshape(*p.shape[:-2], -1)
    flat = (ih[:, None, :, None] * W + iw[None, :, None, :]).reshape(ih.shape[0], iw.shape[0], -1)
    return _argmax_pick(p, jnp.asarray(flat, jnp.int64), valid.reshape(flat.shape))


adaptive_max_pool2d = defop("adaptive_max_pool2d", _adaptive_max_pool2d,
                            "AdaptiveMaxPool2DBackward0", dtypes="none", n_out=2,
                            nondiff_out=(1,))  # fmt: skip


# -- normalisation --------------------------------------------------------------------------------
def _batch_norm(x, *args, training, eps, has_w, has_b, has_stats):
    it = iter(args)
    w = next(it) if has_w else None
    b = next(it) if has_b else None
    rm, rv = (next(it), next(it)) if has_stats else (None, None)
    momentum = next(it)
    axes = (0, *range(2, x.ndim))
    shape = (1, -1) + (1,) * (x.ndim - 2)
    if training:
        mean = jnp.mean(x, axis=axes)
        var = jnp.mean(jnp.square(x - mean.reshape(shape)), axis=axes)
        if has_stats:
            n = x.size // x.shape[1]
            m = momentum
            new_rm = ((1 - m) * rm + m * mean).astype(rm.dtype)
            new_rv = ((1 - m) * rv + m * var * (n / max(n - 1, 1))).astype(rv.dtype)
        else:
            new_rm = new_rv = jnp.zeros((0,), x.dtype)
    else:
        mean, var = rm.astype(x.dtype), rv.astype(x.dtype)
        new_rm, new_rv = rm, rv
    out = (x - mean.reshape(shape)) * lax.rsqrt(var.reshape(shape) + eps)
    if w is not None:
        out = out * w.reshape(shape)
    if b is not None:
        out = out + b.reshape(shape)
    return out, lax.stop_gradient(new_rm), lax.stop_gradient(new_rv)


# NOTE: only the input is version-checked: the running stats are written in place right after
# this op runs (as torch's kernel does before it saves them); the gradient never reads them in
# training mode, and eval mode does not write them.
batch_norm = defop("batch_norm", _batch_norm, "NativeBatchNormBackward0", dtypes="none", n_out=3,
                   nondiff_out=(1, 2), diff_args=(0, 1, 2), saves=lambda mask: (0,))  # fmt: skip


def _layer_norm(x, *wb, ndim, eps, has_w, has_b):
    axes = tuple(range(x.ndim - ndim, x.ndim))
    mean = jnp.mean(x, axis=axes, keepdims=True)
    var = jnp.mean(jnp.square(x - mean), axis=axes, keepdims=True)
    out = (x - mean) * lax.rsqrt(var + eps)
    it = iter(wb)
    if has_w:
        out = out * next(it)
    if has_b:
        out = out + next(it)
    return out


layer_norm = defop("layer_norm", _layer_norm, "NativeLayerNormBackward0", dtypes="none")


def _group_norm(x, *wb, groups, eps, has_w, has_b):
    n, c = x.shape[0], x.shape[1]
    g = x.reshape(n, groups, x.size // max(n * groups, 1))  # NOTE: -1 fails when n == 0
    mean = jnp.mean(g, axis=-1, keepdims=True)
    var = jnp.mean(jnp.square(g - mean), axis=-1, keepdims=True)
    out = ((g - mean) * lax.rsqrt(var + eps)).reshape(x.shape)
    shape = (1, c) + (1,) * (x.ndim - 2)
    it = iter(wb)
    if has_w:
        out = out * next(it).reshape(shape)
    if has_b:
        out = out + next(it).reshape(shape)
    return out


group_norm = defop("group_norm", _group_norm, "NativeGroupNormBackward0", dtypes="none")


# -- padding and resampling -----------------------------------------------------------------------
def _pad(x, *, pads, mode, value):
    if mode == "constant":
        v = jnp.asarray(value, x.dtype)
        return lax.pad(x, v, [(lo, hi, 0) for lo, hi in pads])
    # NOTE: torch's index map reads input j - lo reflected/clamped into the *whole* input, so
    # the positive sides pad first and the negative sides crop that (cropping first would
    # reflect or repeat from the cropped edge instead).
    grown = jnp.pad(x, [(max(lo, 0), max(hi, 0)) for lo, hi in pads],
                    mode={"reflect": "reflect", "replicate": "edge"}[mode])  # fmt: skip
    stops = [n - max(-hi, 0) for n, (_, hi) in zip(grown.shape, pads, strict=True)]
    return lax.slice(grown, [max(-lo, 0) for lo, _ in pads], stops)


def _pad_name(args, opts):
    mode = opts["mode"]
    nd = opts["nd"]
    names = {"constant": "ConstantPadNdBackward0", "reflect": f"ReflectionPad{nd}DBackward0",
             "replicate": f"ReplicationPad{nd}DBackward0"}  # fmt: skip
    return names[mode]


# NOTE: circular padding is no kernel: _functions/padding.py writes slices as ATen does.
pad = defop("pad", lambda x, *, pads, mode, value, nd: _pad(x, pads=pads, mode=mode, value=value),
            _pad_name, dtypes="none", saves=())  # fmt: skip


def _nearest_index(n_in, n_out, scale, exact=False):
    s = np.float32(1.0 / scale) if scale else np.float32(n_in) / np.float32(n_out)
    pos = np.arange(n_out, dtype=np.float32) + np.float32(0.5 if exact else 0.0)
    return np.minimum(np.floor(pos * s).astype(np.int64), n_in - 1)


def _upsample_nearest(x, *, size, scales, exact=False):
    nd = len(size)
    for i, (o, s) in enumerate(zip(size, scales, strict=True)):
        ax = x.ndim - nd + i
        x = jnp.take(x, jnp.asarray(_nearest_index(x.shape[ax], o, s, exact)), axis=ax)
    return x


def _source_coords(n_in, n_out, scale, align_corners, cubic):
    if align_corners:
        return ((n_in - 1) / (n_out - 1) if n_out > 1 else 0.0) * np.arange(n_out)
    s = 1.0 / scale if scale else n_in / n_out
    src = s * (np.arange(n_out) + 0.5) - 0.5
    return src if cubic else np.maximum(src, 0.0)


def _cubic(t, a=-0.75):
    """Keys' cubic convolution kernel (a = -0.75, as PyTorch's bicubic)."""
    t = np.abs(t)
    near = ((a + 2) * t - (a + 3)) * t * t + 1
    far = ((a * t - 5 * a) * t + 8 * a) * t - 4 * a
    return np.where(t <= 1, near, np.where(t < 2, far, 0.0))


def _interp_weights(n_in, n_out, scale, align_corners, cubic=False):
    """The ``(n_out, n_in)`` matrix of (bi)linear or (bi)cubic interpolation along one dim; taps
    beyond the border read the border element."""
    src = _source_coords(n_in, n_out, scale, align_corners, cubic)
    i0 = np.floor(src).astype(np.int64)
    frac = src - i0
    m = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    if cubic:
        for k in range(-1, 3):
            np.add.at(m, (rows, np.clip(i0 + k, 0, n_in - 1)), _cubic(frac - k))
        return m
    i0 = np.minimum(i0, n_in - 1)
    np.add.at(m, (rows, i0), 1 - frac)
    np.add.at(m, (rows, np.minimum(i0 + 1, n_in - 1)), frac)
    return m


def _upsample_linear(x, *, size, scales, align_corners, cubic=False):
    nd = len(size)
    for i, (o, s) in enumerate(zip(size, scales, strict=True)):
        ax = x.ndim - nd + i
        m = jnp.asarray(_interp_weights(x.shape[ax], o, s, align_corners, cubic), x.dtype)
        x = jnp.moveaxis(jnp.tensordot(x, m, axes=([ax], [1]), precision=_HI), -1, ax)
    return x


_NEAREST = {1: "UpsampleNearest1DBackward0", 2: "UpsampleNearest2DBackward0",
            3: "UpsampleNearest3DBackward0"}  # fmt: skip
_LINEAR = {1: "UpsampleLinear1DBackward0", 2: "UpsampleBilinear2DBackward0",
           3: "UpsampleTrilinear3DBackward0"}  # fmt: skip
upsample_nearest = defop("upsample_nearest", _upsample_nearest,
                         lambda a, o: (_NEAREST[len(o["size"])].replace("Nearest", "NearestExact")
                                       if o.get("exact") else _NEAREST[len(o["size"])]),
                         dtypes="none", saves=())  # fmt: skip
upsample_linear = defop(
    "upsample_linear",
    _upsample_linear,
    lambda a, o: "UpsampleBicubic2DBackward0" if o.get("cubic") else _LINEAR[len(o["size"])],
    dtypes="none",
    saves=(),
)


# -- attention ------------------------------------------------------------------------------------
def _attend(q, k, v, mask, *, scale, is_causal, mask_kind):
    """softmax(q k^T * scale + mask) v, and the attention weights."""
    att = jnp.einsum("...ld,...sd->...ls", q * scale, k, precision=_HI)
    L, S = att.shape[-2:]
    if is_causal:
        att = jnp.where(jnp.tril(jnp.ones((L, S), bool)), att, -jnp.inf)
    if mask_kind == "bool":
        att = jnp.where(mask, att, -jnp.inf)
    elif mask_kind == "float":
        att = att + mask
    w = jax.nn.softmax(att, axis=-1)
    return jnp.einsum("...ls,...sd->...ld", w, v, precision=_HI), w


def _sdpa(q, k, v, *mask, scale, is_causal, mask_kind):
    s = scale if scale is not None else 1.0 / math.sqrt(q.shape[-1])
    out, _ = _attend(q, k, v, mask[0] if mask else None, scale=s, is_causal=is_causal,
                     mask_kind=mask_kind)  # fmt: skip
    return out


def _sdpa_name(args, opts):
    # NOTE: torch's CPU flash kernel takes 4-D inputs with one head size; otherwise its math
    # fallback ends in a matmul (UnsafeViewBackward0).
    q, k, v = args[:3]
    if q.ndim == 4 and q.shape[-1] == k.shape[-1] == v.shape[-1]:
        return "ScaledDotProductFlashAttentionForCpuBackward0"
    return "UnsafeViewBackward0"


sdpa = defop("scaled_dot_product_attention", _sdpa, _sdpa_name, dtypes="none")


def _mha(
    q, k, v, in_w, *rest, num_heads, has_in_b, has_out_b, has_attn_mask, has_kpm, dropout_p=0.0
):
    """PyTorch's multi_head_attention_forward on (L, N, E) inputs: (out [L*N, E], weights
    [N*H, L, S]) before the final views. Masks arrive as additive float masks."""
    it = iter(rest)
    in_b = next(it) if has_in_b else None
    out_w = next(it)
    out_b = next(it) if has_out_b else None
    attn_mask = next(it) if has_attn_mask else None
    kpm = next(it) if has_kpm else None
    u = next(it) if dropout_p else None  # uniform draws for attention dropout
    L, N, E = q.shape
    S = k.shape[0]
    H = num_heads
    hd = E // H
    wq, wk, wv = jnp.split(in_w, 3)
    bq, bk, bv = jnp.split(in_b, 3) if has_in_b else (0, 0, 0)
    q = (_mm(q, wq.T) + bq).reshape(L, N * H, hd).swapaxes(0, 1)
    k = (_mm(k, wk.T) + bk).reshape(S, N * H, hd).swapaxes(0, 1)
    v = (_mm(v, wv.T) + bv).reshape(S, N * H, hd).swapaxes(0, 1)
    mask = None
    if attn_mask is not None:
        mask = attn_mask[None] if attn_mask.ndim == 2 else attn_mask
    if kpm is not None:
        kp = jnp.broadcast_to(kpm.reshape(N, 1, 1, S), (N, H, 1, S)).reshape(N * H, 1, S)
        mask = kp if mask is None else mask + kp
    _, w = _attend(q, k, v, mask, scale=1.0 / math.sqrt(hd), is_causal=False,
                   mask_kind=None if mask is None else "float")  # fmt: skip
    if dropout_p:
        w = jnp.where(u >= dropout_p, w / (1 - dropout_p), 0)
    out = jnp.einsum("...ls,...sd->...ld", w, v, precision=_HI)
    out = _mm(out.swapaxes(0, 1).reshape(L * N, E), out_w.T)
    if out_b is not None:
        out = out + out_b
    return out, w


mha = defop("multi_head_attention", _mha, "ViewBackward0", dtypes="none", n_out=2)
mask_to_float = defop("mask_to_float",
                      lambda m, *, dtype: jnp.where(m, -jnp.inf, 0.0).astype(dtype), None,
                      dtypes="none")  # fmt: skip


# -- recurrent layers -----------------------------------------------------------------------------
def _cell(mode):
    if mode == "tanh":
        return lambda gi, gh, h: jnp.tanh(gi + gh)
    if mode == "relu":
        return lambda gi, gh, h: jax.nn.relu(gi + gh)

    def gru(gi, gh, h):
        ir, iz, in_ = jnp.split(gi, 3, axis=-1)
        hr, hz, hn = jnp.split(gh, 3, axis=-1)
        r = jax.nn.sigmoid(ir + hr)
        z = jax.nn.sigmoid(iz + hz)
        n = jnp.tanh(in_ + r * hn)
        return (1 - z) * n + z * h

    return gru


def _rnn_layer(x, h0, w_ih, w_hh, *b, mode, reverse):
    """One direction of one layer over a [T, N, I] sequence: (outputs [T, N, H], last h)."""
    gi = _mm(x, w_ih.T) + (b[0] if b else 0)
    b_hh = b[1] if b else 0
    cell = _cell(mode)

    def step(h, g):
        h = cell(g, _mm(h, w_hh.T) + b_hh, h)
        return h, h

    hT, ys = lax.scan(step, h0, gi, reverse=reverse)
    return ys, hT


def _lstm_layer(x, h0, c0, w_ih, w_hh, *b, reverse):
    gi = _mm(x, w_ih.T) + (b[0] if b else 0)
    b_hh = b[1] if b else 0

    def step(hc, g):
        h, c = hc
        i, f, gg, o = jnp.split(g + _mm(h, w_hh.T) + b_hh, 4, axis=-1)
        c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(gg)
        h = jax.nn.sigmoid(o) * jnp.tanh(c)
        return (h, c), h

    (hT, cT), ys = lax.scan(step, (h0, c0), gi, reverse=reverse)
    return ys, hT, cT


rnn_layer = defop("rnn_layer", _rnn_layer, "StackBackward0", dtypes="none", n_out=2)
# NOTE: torch runs float32 LSTMs through oneDNN (MkldnnRnnLayerBackward0), others stack steps.
lstm_layer = defop("lstm_layer", _lstm_layer,
                   lambda a, o: "MkldnnRnnLayerBackward0" if a[0].dtype.itemsize == 4
                   else "StackBackward0", dtypes="none", n_out=3)  # fmt: skip
# The assembly of layers and directions, with the node names torch's RNN code produces.
layer_cat = defop("layer_cat", lambda *xs, axis: jnp.concatenate(xs, axis=axis), "CatBackward0",
                  dtypes="none", saves=())  # fmt: skip
layer_stack = defop("layer_stack", lambda *xs: jnp.stack(xs), "StackBackward0", dtypes="none",
                    saves=())  # fmt: skip
# NOTE: torch's RNN/GRU with batch_first shows TransposeBackward1 (LSTM: TransposeBackward0).
layer_swap01 = defop("layer_swap01", lambda x, *, name: jnp.swapaxes(x, 0, 1),
                     lambda a, o: o["name"], dtypes="none", saves=())  # fmt: skip


def _max_pool3d(x, *, kernel, stride, padding, dilation, ceil_mode):
    sizes = x.shape[-3:]
    (i0, p0), (i1, p1), (i2, p2) = (
        _windows(n, k, s, p, d, ceil_mode)
        for n, k, s, p, d in zip(sizes, kernel, stride, padding, dilation, strict=True)
    )
    lead = x.ndim - 3
    xp = jnp.pad(x, [(0, 0)] * lead + [p0, p1, p2], constant_values=-jnp.inf)
    a0 = (i0 - p0[0])[:, :, None, None, None, None]
    a1 = (i1 - p1[0])[None, None, :, :, None, None]
    a2 = (i2 - p2[0])[None, None, None, None, :, :]
    p = xp[..., a0 + p0[0], a1 + p1[0], a2 + p2[0]]  # [..., O0, K0, O1, K1, O2, K2]
    p = jnp.transpose(p, (*range(lead), *(lead + i for i in (0, 2, 4, 1, 3, 5))))
    o = p.shape[lead : lead + 3]
    flat = np.transpose(a0 * sizes[1] * sizes[2] + a1 * sizes[2] + a2, (0, 2, 4, 1, 3, 5))
    flat = jnp.asarray(flat.reshape(*o, -1), jnp.int64)
    v0, v1, v2 = (
        _inside(i, q, n) for i, q, n in zip((i0, i1, i2), (p0, p1, p2), sizes, strict=True)
    )
    valid = v0[:, :, None, None, None, None] & v1[None, None, :, :, None, None] & v2
    valid = np.transpose(valid, (0, 2, 4, 1, 3, 5)).reshape(flat.shape)
    return _argmax_pick(p.reshape(*p.shape[: lead + 3], -1), flat, valid)


max_pool3d = defop("max_pool3d", _max_pool3d, "MaxPool3DWithIndicesBackward0", dtypes="none",
                   n_out=2, nondiff_out=(1,))  # fmt: skip
