"""Layer ops: convolution, pooling, normalisation, padding, resampling, attention and recurrent
layers. Window geometry (pooling windows, divisors, interpolation weights) is computed with NumPy
at trace time from the static shapes, so each kernel is a few gathers and reductions."""

from __future__ import annotations

import functools
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
def _conv(x, w, *b, stride, padding, dilation, groups, transposed, output_padding):
    nd = w.ndim - 2
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
    return out


# NOTE: the arguments are checked (in ATen's order) by torch.convolution in _functions/nn_ops.py.
convolution = defop("convolution", _conv, "ConvolutionBackward0", dtypes="none")


# -- pooling --------------------------------------------------------------------------------------
def pool_out_size(n, k, s, p, d, ceil):
    """Output length of a pooling window sweep (PyTorch's ``pooling_output_shape``)."""
    o = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil else 0)) // s + 1
    if ceil and (o - 1) * s >= n + p:
        o -= 1
    return o


def _sizes(shape):
    return "[" + ", ".join(map(str, shape)) + "]"


def _pool_check(x, *, kernel, stride, padding, dilation, ceil_mode, kind):
    """PyTorch's pooling argument errors, in its order: ``pooling_output_shape`` per dim, then
    ``pool2d_shape_check`` / ``pool3d_shape_check`` (``kind`` is "max" or "avg")."""
    nd = len(kernel)
    if x.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(
            f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected for input"
        )
    sizes = x.shape[-nd:]
    outs = []
    for n, k, s, p, d in zip(sizes, kernel, stride, padding, dilation, strict=True):
        if s == 0:
            raise RuntimeError("stride should not be zero")
        if p < 0:
            raise RuntimeError(f"pad must be non-negative, but got pad: {p}")
        if p > ((k - 1) * d + 1) // 2:
            raise RuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={p}, "
                f"kernel_size={k} and dilation={d}"
            )
        outs.append(pool_out_size(n, k, s, p, d, ceil_mode))
    axes = "THW"[-nd:]

    def got(prefix, vals):
        return " ".join(f"{prefix}{a}: {v}" for a, v in zip(axes, vals, strict=True))

    for what, prefix, vals in (("kernel size", "k", kernel), ("stride", "d", stride),
                               ("dilation", "dilation", dilation)):  # fmt: skip
        if min(vals) <= 0:
            raise RuntimeError(f"{what} should be greater than zero, but got {got(prefix, vals)}")
    if nd == 2:
        if 0 in x.shape[-3:]:
            raise RuntimeError("Expected 3D or 4D (batch mode) tensor with optional 0 dim batch "
                               f"size for input, but got:{_sizes(x.shape)}")  # fmt: skip
    else:
        for n in x.shape[x.ndim - 4 :]:
            if n == 0:
                where = (
                    "max_pool3d_with_indices_out_cpu_template" if kind == "max" else "avg_pool3d"
                )
                raise RuntimeError(
                    f"{where}(): Expected input's non-batch dimensions to have positive length, "
                    f"but input has a shape of {_sizes(x.shape)} and non-batch dimension {n} has "
                    "length zero!"
                )
        if kind == "avg" and any(n < k for n, k in zip(sizes, kernel, strict=True)):
            raise RuntimeError(f"input image (T: {sizes[0]} H: {sizes[1]} W: {sizes[2]}) smaller "
                               f"than kernel size ({got('k', kernel)})")  # fmt: skip
    if any(k // 2 < p for k, p in zip(kernel, padding, strict=True)):
        detail = (
            f"kT: {kernel[0]} kW: {kernel[2]} kH: {kernel[1]} padT: {padding[0]} "
            f"padW: {padding[2]} padH: {padding[1]}"
            if nd == 3
            else f"padW = {padding[1]}, padH = {padding[0]}, kW = {kernel[1]}, kH = {kernel[0]}"
        )
        raise RuntimeError(
            f"pad should be smaller than or equal to half of kernel size, but got {detail}"
        )
    if min(outs) < 1:
        planes = x.shape[-nd - 1]
        raise RuntimeError(
            f"Given input size: ({'x'.join(map(str, (planes, *sizes)))}). Calculated output size: "
            f"({'x'.join(map(str, (planes, *outs)))}). Output size is too small"
        )


def check_max_pool1d(shape, kernel_size, stride, padding, dilation, ceil_mode):
    """The argument errors of ``torch.max_pool1d`` (ATen's ``check_max_pool1d``), on its raw
    arguments; ``stride`` None or empty means the kernel size."""
    valid = len(shape) in (2, 3) and 0 not in shape[-2:] and (len(shape) == 3 or shape[0] != 0)
    if not valid:
        raise RuntimeError("max_pool1d: Expected 2D or 3D (batch mode) tensor with optional 0 dim "
                           f"batch size for input, but got:{_sizes(shape)}")  # fmt: skip
    vals = {}
    for name, v, empty_ok, article in (
        ("kernel_size", kernel_size, False, "an int, list of ints or"),
        ("stride", stride, True, "None, an int, list of ints, or"),
        ("padding", padding, False, "an int, list of ints, or"),
        ("dilation", dilation, False, "an int, list of ints or"),
    ):
        v = () if v is None else tuple(v) if isinstance(v, (list, tuple)) else (v,)
        if len(v) != 1 and not (empty_ok and not v):
            raise RuntimeError(f"max_pool1d() {name} must be {article} tuple of ints of size 1 "
                               f"but got size {len(v)}")  # fmt: skip
        vals[name] = int(v[0]) if v else None
    k, s, p, d = vals["kernel_size"], vals["stride"], vals["padding"], vals["dilation"]
    s = k if s is None else s
    for name, v in (("kernel_size", k), ("stride", s)):
        if v <= 0:
            raise RuntimeError(f"max_pool1d() {name} must be greater than zero, but got {v}")
    if p < 0:
        raise RuntimeError(f"max_pool1d() padding must be non-negative, but got {p}")
    if p > k // 2:
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got "
                           f"padding={p} and kernel_size={k}")  # fmt: skip
    if d <= 0:
        raise RuntimeError(f"max_pool1d() dilation must be greater than zero, but got {d}")
    o = pool_out_size(shape[-1], k, s, p, d, ceil_mode)
    if o < 0:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {o}")


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
    return p.reshape(*p.shape[:-2], p.shape[-2] * p.shape[-1])


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


def _max_pool_check(x, **opts):
    _pool_check(x, **opts, kind="max")


max_pool2d = defop("max_pool2d", _max_pool2d, "MaxPool2DWithIndicesBackward0", dtypes="none",
                   n_out=2, nondiff_out=(1,), check=_max_pool_check)  # fmt: skip


def _avg_divisor(n, k, s, p, ceil, include_pad):
    o = pool_out_size(n, k, s, p, 1, ceil)
    start = np.arange(o) * s - p
    end = np.minimum(start + k, n + p)
    size = end - start
    if not include_pad:
        size = np.minimum(end, n) - np.maximum(start, 0)
    return size


def _avg_pool(x, *, kernel, stride, padding, ceil_mode, count_include_pad, divisor_override):
    """Window sums over the last ``len(kernel)`` dims divided by each window's size (or by
    ``divisor_override``); integer inputs divide truncating toward zero, as ATen's C++."""
    nd, lead = len(kernel), x.ndim - len(kernel)
    geo = list(zip(x.shape[lead:], kernel, stride, padding, strict=True))
    pads = [_windows(n, k, s, p, 1, ceil_mode)[1] for n, k, s, p in geo]
    xp = jnp.pad(x, [(0, 0)] * lead + pads)
    total = lax.reduce_window(xp, np.zeros((), x.dtype), lax.add, (1,) * lead + tuple(kernel),
                              (1,) * lead + tuple(stride), "VALID")  # fmt: skip
    outs = [pool_out_size(n, k, s, p, 1, ceil_mode) for n, k, s, p in geo]
    total = total[(..., *(slice(0, o) for o in outs))]
    if divisor_override:
        div = np.full(outs, divisor_override)
    else:
        div = np.ones(outs, np.int64)
        for i, (n, k, s, p) in enumerate(geo):
            d = _avg_divisor(n, k, s, p, ceil_mode, count_include_pad)
            div = div * d.reshape((-1,) + (1,) * (nd - 1 - i))
    div = jnp.broadcast_to(jnp.asarray(div, x.dtype), total.shape)
    return lax.div(total, div) if jnp.issubdtype(x.dtype, jnp.integer) else total / div


def _avg_pool_check(x, *, kernel, stride, padding, ceil_mode, count_include_pad,
                    divisor_override):  # fmt: skip
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    _pool_check(x, kernel=kernel, stride=stride, padding=padding, dilation=(1,) * len(kernel),
                ceil_mode=ceil_mode, kind="avg")  # fmt: skip


avg_pool2d = defop("avg_pool2d", _avg_pool, "AvgPool2DBackward0", dtypes="none", saves=(),
                   check=_avg_pool_check)  # fmt: skip
avg_pool3d = defop("avg_pool3d", _avg_pool, "AvgPool3DBackward0", dtypes="none", saves=(),
                   check=_avg_pool_check)  # fmt: skip


def _adaptive_ranges(n, o):
    i = np.arange(o)
    return (i * n) // o, -((-(i + 1) * n) // o)  # floor(i*n/o), ceil((i+1)*n/o)


def adaptive_output_size(shape, output_size, nd, name):
    """The output size of ``name`` (``adaptive_{avg,max}_pool{nd}d``) on an input of ``shape``
    (None entries keep the input's size), with PyTorch's argument errors."""
    if nd == 1:
        if isinstance(output_size, (list, tuple)) and len(output_size) != 1:
            raise RuntimeError(f"{name}() argument 'output_size' should contain one int (got "
                               f"{len(output_size)})")  # fmt: skip
        if len(shape) not in (2, 3):
            raise RuntimeError(f"Expected 2 to 3 dimensions, but got {len(shape)}-dimensional "
                               f"tensor for argument #1 'self' (while checking arguments for "
                               f"{name})")  # fmt: skip
        o = output_size[0] if isinstance(output_size, (list, tuple)) else output_size
        size = adaptive_output_size((*shape[:-1], 1, shape[-1]), (1, o), 2, name[:-2] + "2d")
        return size[1:]
    if isinstance(output_size, (list, tuple)):
        if len(shape) <= len(output_size):
            raise ValueError(f"Input dimension should be at least {len(output_size) + 1}")
        tail = shape[len(shape) - len(output_size) :]
        size = [n if o is None else int(o) for n, o in zip(tail, output_size, strict=True)]
    else:
        size = [int(output_size)] * nd
    is_max = "max" in name
    if len(size) != nd:
        raise RuntimeError(f"{name}(): internal error: output_size.size() must be {nd}" if is_max
                           else f"{name}: output_size must be {nd}")  # fmt: skip
    if len(shape) not in (nd + 1, nd + 2):
        raise RuntimeError(f"{name}(): Expected {nd + 1}D or {nd + 2}D tensor, but got"
                           f"{':' if is_max else ''} {_sizes(shape)}")  # fmt: skip
    if is_max:
        for i in range(len(shape) - nd - 1, len(shape)):
            if shape[i] == 0:
                raise RuntimeError(
                    f"{name}(): Expected input to have non-zero size for non-batch dimensions, "
                    f"but input has sizes {_sizes(shape)} with dimension {i} being empty"
                )
    if min(size) < 0:
        if is_max:
            out = _sizes((*shape[:-nd], *size))
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {min(size)}: {out}"
            )
        got = ", ".join(map(str, size[:2])) + "".join(f",{o}" for o in size[2:])
        raise RuntimeError(f"{name}: elements of output_size must be greater than or equal to 0 "
                           f"but received {{{got}}}")  # fmt: skip
    return tuple(size)


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


def _adaptive_max_pool(x, *, output_size):
    """Max (and flat index) over windows ``[floor(i*n/o), ceil((i+1)*n/o))`` of the last
    ``len(output_size)`` dims: every window is padded to the longest one and masked."""
    nd, lead = len(output_size), x.ndim - len(output_size)
    sizes = x.shape[lead:]
    idx, mask = [], []
    for d, (n, o) in enumerate(zip(sizes, output_size, strict=True)):
        start, end = _adaptive_ranges(n, o)
        i = start[:, None] + np.arange(int((end - start).max(initial=1)))[None, :]
        shape = [1] * (2 * nd)
        shape[2 * d : 2 * d + 2] = i.shape
        idx.append(np.minimum(i, n - 1).reshape(shape))  # [O0, K0, O1, K1, ...] broadcast
        mask.append((i < end[:, None]).reshape(shape))
    perm = [*range(0, 2 * nd, 2), *range(1, 2 * nd, 2)]  # -> [O0, O1, ..., K0, K1, ...]
    flat = np.transpose(sum(i * math.prod(sizes[d + 1 :]) for d, i in enumerate(idx)), perm)
    valid = np.transpose(np.logical_and.reduce(np.broadcast_arrays(*mask)), perm)
    flat = np.broadcast_to(flat, valid.shape)
    k = math.prod(valid.shape[nd:])
    p = x[(..., *idx)]
    p = jnp.transpose(p, (*range(lead), *(lead + q for q in perm)))
    p = jnp.where(valid, p, -jnp.inf).reshape(*p.shape[: lead + nd], k)
    flat = flat.reshape(*output_size, k)
    return _argmax_pick(p, jnp.asarray(flat, jnp.int64), valid.reshape(flat.shape))


adaptive_max_pool2d = defop("adaptive_max_pool2d", _adaptive_max_pool,
                            "AdaptiveMaxPool2DBackward0", dtypes="none", n_out=2,
                            nondiff_out=(1,))  # fmt: skip
adaptive_max_pool3d = defop("adaptive_max_pool3d", _adaptive_max_pool,
                            "AdaptiveMaxPool3DBackward0", dtypes="none", n_out=2,
                            nondiff_out=(1,))  # fmt: skip


@jax.custom_vjp
def _unpool_scatter(x, idx, out):
    return out.at[jnp.arange(x.shape[0])[:, None], idx].set(x)


def _unpool_fwd(x, idx, out):
    return _unpool_scatter(x, idx, out), idx


def _unpool_bwd(idx, ct):
    # NOTE: torch's backward gathers the gradient at every index, duplicates included (JAX's
    # scatter-set transpose would give all but one duplicate nothing).
    return jnp.take_along_axis(ct, idx, axis=1), None, None


_unpool_scatter.defvjp(_unpool_fwd, _unpool_bwd)


def _max_unpool(x, idx, *, output_size):
    """Each value of ``x`` written at its flat index ``idx`` into zeros of ``output_size`` per
    plane (the inverse of max pooling's gather)."""
    lead = x.shape[: x.ndim - len(output_size)]
    planes = math.prod(lead)
    out = jnp.zeros((planes, math.prod(output_size)), x.dtype)
    flat = _unpool_scatter(x.reshape(planes, -1), idx.reshape(planes, -1), out)
    return flat.reshape(*lead, *output_size)


def _max_unpool_check(x, idx, *, output_size):
    if x.shape != idx.shape:
        raise RuntimeError(
            f"Expected shape of indices to be same as that of the input tensor ({_sizes(x.shape)}) "
            f"but got indices tensor with shape: {_sizes(idx.shape)}"
        )


max_unpool2d = defop("max_unpool2d", _max_unpool, "MaxUnpool2DBackward0", dtypes="none",
                     diff_args=(0,), saves=(), check=_max_unpool_check)  # fmt: skip
max_unpool3d = defop("max_unpool3d", _max_unpool, "MaxUnpool3DBackward0", dtypes="none",
                     diff_args=(0,), saves=(), check=_max_unpool_check)  # fmt: skip


def _im2col(x, *, kernel, dilation, padding, stride):
    """``(N, C, H, W)`` -> ``(N, C * kh * kw, L)``: every sliding window as a column."""
    (H, W), lead = x.shape[-2:], x.shape[:-3]
    ih, ph = _windows(H, kernel[0], stride[0], padding[0], dilation[0], False)
    iw, pw = _windows(W, kernel[1], stride[1], padding[1], dilation[1], False)
    p = _patches(x, ih, iw, (ph, pw), 0)  # [..., C, OH, OW, K]
    p = p.reshape(*p.shape[:-3], p.shape[-3] * p.shape[-2], p.shape[-1])
    p = jnp.moveaxis(p, -1, -2)  # [..., C, K, L]
    return p.reshape(*lead, p.shape[-3] * p.shape[-2], p.shape[-1])


def _col2im(cols, *, output_size, kernel, dilation, padding, stride):
    """The adjoint of ``im2col``: columns summed back into ``(N, C, *output_size)``."""
    lead, c = cols.shape[:-2], cols.shape[-2] // math.prod(kernel)
    shape = jax.ShapeDtypeStruct((*lead, c, *output_size), cols.dtype)
    f = functools.partial(_im2col, kernel=kernel, dilation=dilation, padding=padding, stride=stride)
    return jax.linear_transpose(f, shape)(cols)[0]


im2col = defop("im2col", _im2col, "Im2ColBackward0", dtypes="none", saves=())
col2im = defop("col2im", _col2im, "Col2ImBackward0", dtypes="none", saves=())


def _embedding_bag(weight, indices, bag, *psw, mode, bags, padding_idx):
    """Sum, mean or max of ``weight[indices]`` per bag (``bag[i]`` is index ``i``'s bag; ids
    ``>= bags`` are dropped); ``padding_idx`` entries count for nothing and empty bags give 0."""
    keep = (indices != padding_idx)[:, None]
    rows = weight[indices] * (psw[0][:, None] if psw else 1)
    if mode == "max":
        out = jax.ops.segment_max(jnp.where(keep, rows, -jnp.inf), bag, num_segments=bags)
        return jnp.where(jnp.isneginf(out), 0, out).astype(weight.dtype)
    out = jax.ops.segment_sum(jnp.where(keep, rows, 0), bag, num_segments=bags)
    if mode == "mean":
        count = jax.ops.segment_sum(keep.astype(weight.dtype), bag, num_segments=bags)
        out = out / jnp.maximum(count, 1)
    return out


embedding_bag = defop("embedding_bag", _embedding_bag, "EmbeddingBagBackward0", dtypes="none",
                      diff_args=(0, 3))  # fmt: skip


def _window_max(x, flat, *, nd):
    """Max (and its flat index) over windows given by ``flat``: ``(*lead, *out, K)`` indices into
    each plane of ``x``'s last ``nd`` dims (windows that differ per plane, as fractional max
    pooling's)."""
    lead = x.shape[: x.ndim - nd]
    planes = x.reshape(*lead, math.prod(x.shape[len(lead) :]))
    picks = flat.reshape(*lead, math.prod(flat.shape[len(lead) :]))
    p = jnp.take_along_axis(planes, picks, axis=-1).reshape(flat.shape)
    return _argmax_pick(p, flat, True)


fractional_max_pool2d = defop("fractional_max_pool2d", _window_max,
                              "FractionalMaxPool2DBackward0", dtypes="none", n_out=2,
                              nondiff_out=(1,), diff_args=(0,))  # fmt: skip
fractional_max_pool3d = defop("fractional_max_pool3d", _window_max,
                              "FractionalMaxPool3DBackward0", dtypes="none", n_out=2,
                              nondiff_out=(1,), diff_args=(0,))  # fmt: skip


# -- normalisation --------------------------------------------------------------------------------
def _batch_norm(x, w, b, *args, training, eps, has_w, has_b, has_stats):
    # NOTE: w and b are always passed (placeholders when absent, as torch's node has an edge
    # for each): the weight is then always argument 1, which the gradient reads.
    w, b = (w if has_w else None), (b if has_b else None)
    rm, rv, momentum = args if has_stats else (None, None, args[0])
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


# NOTE: the input and weight are what the gradient reads (version-checked, and graph inputs of
# a create_graph backward); the running stats are written right after this op runs (without a
# version bump, as torch's kernel), the gradient never reads them in training mode, and eval
# mode does not write them.
batch_norm = defop("batch_norm", _batch_norm, "NativeBatchNormBackward0", dtypes="none", n_out=3,
                   nondiff_out=(1, 2), diff_args=(0, 1, 2), saves=lambda mask: (0, 1),
                   bwd_name="NativeBatchNormBackwardBackward0")  # fmt: skip


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


def _int16_taps(n_in, n_out, scale, align_corners, cubic):
    """ATen's uint8 resampler weights along one dim (``compute_index_ranges_int16_weights``,
    antialias off): the taps of the filter around each output centre, those past an edge added
    to the edge element, in fixed point. Returns the ``(n_out, n_in)`` integer matrix and its
    precision (bits)."""
    if align_corners:
        s = (n_in - 1) / (n_out - 1) if n_out > 1 else 0.0
    else:
        s = 1.0 / scale if scale else n_in / n_out
    delta = 0.5 if align_corners else 0.0
    support = 2 if cubic else 1
    w = np.zeros((n_out, n_in))
    for i in range(n_out):
        center = s * (i + 0.5 - delta)
        lo = math.floor(center - support + 0.5 + delta)
        t = np.arange(2 * support) + lo - center + 0.5 - delta
        taps = _cubic(t) if cubic else np.maximum(1 - np.abs(t), 0.0)
        np.add.at(w[i], np.clip(np.arange(2 * support) + lo, 0, n_in - 1), taps)
    prec = next((p for p in range(22) if int(0.5 + w.max() * (1 << (p + 1))) >= 1 << 15), 22)
    # NOTE: rounded half away from zero, as ATen's (int)(v +- 0.5)
    return np.trunc(w * (1 << prec) + np.where(w < 0, -0.5, 0.5)).astype(np.int64), prec


def _upsample_uint8(x, size, scales, align_corners, cubic):
    """ATen's uint8 bilinear/bicubic path on CPU (UpSampleKernel's separable resampler): a
    horizontal then a vertical pass, each rounding its fixed-point sums to uint8."""
    for ax in (3, 2):
        o, s = size[ax - 2], scales[ax - 2]
        if x.shape[ax] == o:
            continue
        m, prec = _int16_taps(x.shape[ax], o, s, align_corners, cubic)
        acc = jnp.tensordot(x.astype(jnp.int32), jnp.asarray(m, jnp.int32), axes=([ax], [1]))
        acc = jnp.right_shift(acc + (1 << (prec - 1)), prec)
        x = jnp.moveaxis(jnp.clip(acc, 0, 255).astype(jnp.uint8), -1, ax)
    return x


def _upsample_linear(x, *, size, scales, align_corners, cubic=False):
    nd = len(size)
    if x.dtype == jnp.uint8 and nd == 2:
        return _upsample_uint8(x, size, scales, align_corners, cubic)
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


def _dropped(w, scale, p):
    """Attention dropout: ``w`` times torch's dropout factor (keep-mask / (1 - p))."""
    return w * scale if p else w


def _sdpa(q, k, v, *extra, scale, is_causal, mask_kind, dropout_p, enable_gqa):
    s = scale if scale is not None else 1.0 / math.sqrt(q.shape[-1])
    if enable_gqa and q.shape[-3] != k.shape[-3]:
        # NOTE: enable_gqa: each key/value head serves q.shape[-3] // k.shape[-3] query heads
        rep = q.shape[-3] // k.shape[-3]
        k, v = jnp.repeat(k, rep, axis=-3), jnp.repeat(v, rep, axis=-3)
    mask = extra[0] if mask_kind else None
    _, w = _attend(q, k, v, mask, scale=s, is_causal=is_causal, mask_kind=mask_kind)
    w = _dropped(w, extra[-1] if dropout_p else None, dropout_p)
    return jnp.einsum("...ls,...sd->...ld", w, v, precision=_HI)


def _flash_ok(q, k, v, mask, gqa):
    """torch's CPU choice of its flash kernel (sdp_utils_cpp's use_flash_attention_cpp), given
    no dropout: 4-D inputs of one head size and batch, matching heads (or GQA groups), unit
    last strides, non-empty sequences, and a mask that needs no gradient, 2-D or 4-D, that
    broadcasts to (batch, heads, L, S)."""
    if not (q.ndim == k.ndim == v.ndim == 4) or not q.shape[-1] == k.shape[-1] == v.shape[-1]:
        return False
    (b, h, L, _), (bk, hk, S, _) = q.shape, k.shape
    if not (b == bk == v.shape[0] and hk == v.shape[1] and (h == hk or (gqa and h % hk == 0))):
        return False
    if min(L, S) == 0 or any(t.stride(-1) != 1 for t in (q, k, v)):
        return False
    if mask is None:
        return True
    m = mask.shape
    if mask.requires_grad or mask.ndim not in (2, 4) or m[-2] not in (1, L) or m[-1] not in (1, S):
        return False
    return mask.ndim == 2 or (m[0] in (1, b) and m[1] in (1, h))


def _sdpa_name(args, opts):
    # NOTE: otherwise torch's math fallback ends in a matmul (UnsafeViewBackward0).
    q, k, v = args[:3]
    mask = args[3] if opts["mask_kind"] else None
    if not opts["dropout_p"] and _flash_ok(q, k, v, mask, opts["enable_gqa"]):
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
    u = next(it) if dropout_p else None  # the dropout factor of the attention weights
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
    w = _dropped(w, u, dropout_p)
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
    flat = jnp.asarray(flat.reshape(*o, math.prod(flat.shape[3:])), jnp.int64)
    v0, v1, v2 = (
        _inside(i, q, n) for i, q, n in zip((i0, i1, i2), (p0, p1, p2), sizes, strict=True)
    )
    valid = v0[:, :, None, None, None, None] & v1[None, None, :, :, None, None] & v2
    valid = np.transpose(valid, (0, 2, 4, 1, 3, 5)).reshape(flat.shape)
    return _argmax_pick(p.reshape(*p.shape[: lead + 3], flat.shape[-1]), flat, valid)


max_pool3d = defop("max_pool3d", _max_pool3d, "MaxPool3DWithIndicesBackward0", dtypes="none",
                   n_out=2, nondiff_out=(1,), check=_max_pool_check)  # fmt: skip
