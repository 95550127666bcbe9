"""Assorted tensor math: block matrices, mantissa/exponent, neighbouring floats, renorm, fills,
the Scalar-overload products torch's composite formulas end in (``MulBackward1``), and the
``*_copy`` ops (a view's values in a fresh tensor, with the view's ``..._copy`` node)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from ._registry import defop, not_for

_LINEAR = dict(saves=())


def _block_diag(*xs):
    xs = [x.reshape(1, -1) if x.ndim < 2 else x for x in xs]
    rows = sum(x.shape[0] for x in xs)
    cols = sum(x.shape[1] for x in xs)
    dt = jnp.result_type(*xs) if xs else jnp.float32
    out = jnp.zeros((rows, cols), dt)
    r = c = 0
    for x in xs:
        out = lax.dynamic_update_slice(out, x.astype(dt), (r, c))
        r, c = r + x.shape[0], c + x.shape[1]
    return out


block_diag = defop("block_diag", _block_diag, "BlockDiagBackward0", **_LINEAR)


_SUBNORMAL = {  # float dtype -> (int type, mantissa bits, bias)
    jnp.dtype(jnp.float32): (jnp.int32, 23, 127),
    jnp.dtype(jnp.float64): (jnp.int64, 52, 1023),
}


def _frexp_bits(x):
    """``jnp.frexp`` exact for subnormals too: XLA's CPU arithmetic flushes them to zero, so
    they are decomposed from their bits."""
    m, e = jnp.frexp(x)
    if x.dtype not in _SUBNORMAL:
        return m, e.astype(jnp.int32)
    it, bits, bias = _SUBNORMAL[x.dtype]
    width = jnp.iinfo(it).bits
    raw = lax.bitcast_convert_type(x, it)
    frac = raw & ((1 << bits) - 1)
    sub = ((raw >> bits) & ((1 << (width - 1 - bits)) - 1) == 0) & (frac != 0)
    k = width - lax.clz(frac)  # the bit length of the subnormal's integer mantissa
    norm = lax.shift_left(frac, (bits + 1 - k).astype(it)) & ((1 << bits) - 1)
    sign = raw & jnp.array(-(1 << (width - 1)), it)
    m_sub = lax.bitcast_convert_type(sign | ((bias - 1) << bits) | norm, x.dtype)
    e_sub = k - (bias - 1 + bits)
    return jnp.where(sub, m_sub, m), jnp.where(sub, e_sub, e).astype(jnp.int32)


@jax.custom_jvp
def _mantissa(x):
    return _frexp_bits(x)[0]


@_mantissa.defjvp
def _mantissa_jvp(primals, tangents):
    (x,), (tx,) = primals, tangents
    # NOTE: d(mantissa)/dx = 2**-exponent, torch's gradient (a jvp keeps subnormals finite).
    m, e = _frexp_bits(x)
    return m, tx * jnp.exp2(-e.astype(x.dtype))


def _frexp(x):
    return _mantissa(x), _frexp_bits(x)[1]


frexp = defop("frexp", _frexp, "FrexpBackward0", dtypes="none", n_out=2, nondiff_out=(1,))
ldexp = defop("ldexp", lambda x, e: x * jnp.exp2(e), "LdexpBackward0", dtypes="none")


@jax.custom_jvp
def _nextafter(x, y):
    return jnp.nextafter(x, y)


@_nextafter.defjvp
def _nextafter_jvp(primals, tangents):
    # NOTE: torch's derivative: the gradient passes to ``input`` unchanged; ``other`` gets zero.
    # The primal goes through ``_nextafter`` again so that a derivative of this rule (double
    # backward) sees this rule too, not the bare primitive.
    out = _nextafter(*primals)
    return out, jnp.broadcast_to(tangents[0], out.shape).astype(out.dtype)


nextafter = defop("nextafter", _nextafter, "NextafterBackward0")


def _renorm(x, *, p, dim, maxnorm):
    axes = tuple(d for d in range(x.ndim) if d != dim)
    if p == float("inf"):
        norm = jnp.abs(x).max(axis=axes, keepdims=True)
    else:
        norm = (jnp.abs(x) ** p).sum(axis=axes, keepdims=True) ** (1.0 / p)
    factor = jnp.where(norm > maxnorm, maxnorm / (norm + 1e-7), 1.0)
    return x * factor.astype(x.dtype)


renorm = defop("renorm", _renorm, "RenormBackward0", dtypes="none")
fill_new = defop("fill_new", lambda x, v: jnp.broadcast_to(jnp.asarray(v).astype(x.dtype), x.shape),
             lambda a, o: "FillBackward1" if hasattr(a[1], "_storage") else "FillBackward0",
                 dtypes="none", **_LINEAR)  # fmt: skip


def _frobenius(x, *, dims, keepdim):
    sq = (x * jnp.conj(x)).real if jnp.iscomplexobj(x) else x * x
    total = sq.sum(axis=dims, keepdims=keepdim)
    # NOTE: the norm's gradient at zero is zero, as torch's (the obvious sqrt gives nan).
    safe = jnp.where(total == 0, 1, total)
    return jnp.where(total == 0, 0, jnp.sqrt(safe))


frobenius_norm = defop("frobenius_norm", _frobenius, "NormBackward1", dtypes="none")

# torch's composite formulas (trapezoid...) end in the Scalar overloads of mul/div.
mul_scalar = defop("mul_scalar", lambda x, s: x * s, "MulBackward1", diff_args=(0,), saves=())
div_scalar = defop("div_scalar", lambda x, s: x / s, "DivBackward1", dtypes="float",
                   diff_args=(0,), saves=())  # fmt: skip


# -- *_copy: a view's values in a fresh tensor -----------------------------------------------------
def _strided(x, *, size, stride, offset):
    pos = jnp.full(size, offset, jnp.int64)
    for d, s in enumerate(stride):
        pos = pos + lax.broadcasted_iota(jnp.int64, size, d) * s
    return x.reshape(-1)[pos]


def _unfold(x, *, dim, size, step):
    n = (x.shape[dim] - size) // step + 1 if x.ndim else 1
    if x.ndim == 0:
        return x.reshape(1)
    starts = jnp.arange(n) * step
    idx = starts[:, None] + jnp.arange(size)[None, :]
    out = jnp.take(x, idx.reshape(-1), axis=dim)
    out = out.reshape(*x.shape[:dim], n, size, *x.shape[dim + 1 :])
    return jnp.moveaxis(out, dim + 1, -1)


def _diagonal(x, *, offset, dim1, dim2):
    return jnp.diagonal(x, offset, dim1, dim2)


def _slice(x, *, dim, start, end, step):
    return x[(slice(None),) * dim + (slice(start, end, step),)]


_COPY_FNS = {
    "alias": ("AliasBackward0_copy", lambda x: x),
    "as_strided": ("AsStridedBackward0_copy", _strided),
    "diagonal": ("DiagonalBackward0_copy", _diagonal),
    "expand": ("ExpandBackward0_copy", lambda x, *, shape: jnp.broadcast_to(x, shape)),
    "narrow": ("NarrowCopyBackward0", _slice),
    "permute": ("PermuteBackward0_copy", lambda x, *, dims: jnp.transpose(x, dims)),
    "select": ("SelectBackward0_copy", lambda x, *, dim, index: jnp.take(x, index, axis=dim)),
    "slice": ("SliceBackward0_copy", _slice),
    "squeeze": (
        lambda a, o: f"SqueezeBackward{o['overload']}_copy",
        lambda x, *, shape, overload: x.reshape(shape),
    ),
    "t": ("TBackward0_copy", lambda x: x.T),
    "transpose": ("TransposeBackward0_copy", lambda x, *, dims: jnp.transpose(x, dims)),
    "unfold": ("UnfoldBackward0_copy", _unfold),
    "unsqueeze": ("UnsqueezeBackward0_copy", lambda x, *, shape: x.reshape(shape)),
    "view": ("ViewBackward0_copy", lambda x, *, shape: x.reshape(shape)),
    "resize": ("ResizeBackward", lambda x, *, shape: x.reshape(shape)),  # Tensor.resize
    # applied to the complex family's view (which carries torch's gradient convention)
    "view_as_real": ("ViewAsRealBackward0_copy", lambda x: x),
}
COPIES = {
    name: defop(f"{name}_copy", fn, grad, dtypes="none", **_LINEAR)
    for name, (grad, fn) in _COPY_FNS.items()
}


# NOTE: torch's split-like ops make one node with several outputs; here each piece is its own
# node with that name (the gradients are the same).
for _name, _grad, _fn in (
    ("split_copy", "SplitBackward0_copy", _slice),
    ("split_with_sizes_copy", "SplitWithSizesBackward0_copy", _slice),
    ("unsafe_split", "UnsafeSplitBackward0", _slice),
    ("unsafe_split_with_sizes", "UnsafeSplitWithSizesBackward0", _slice),
    ("unbind_copy", "UnbindBackward0_copy", _COPY_FNS["select"][1]),
):
    COPIES[_name] = defop(_name, _fn, _grad, dtypes="none", **_LINEAR)


def _hash_tensor(x, *, dims, keepdim):
    # NOTE: torch widens each element to its 64-bit float or integer type (signed values
    # sign-extend) and xors those bits as uint64.
    wide = jnp.float64 if jnp.issubdtype(x.dtype, jnp.floating) else jnp.int64
    bits = lax.bitcast_convert_type(x.astype(wide), jnp.uint64)
    out = lax.reduce(bits, np.uint64(0), lax.bitwise_xor, dims)
    return jnp.expand_dims(out, dims) if keepdim else out


hash_tensor = defop("hash_tensor", _hash_tensor, None, dtypes="none",
                    check=not_for("xor_sum_cpu", "complex"))  # fmt: skip
