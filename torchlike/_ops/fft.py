"""The op table's fft entries: ATen's three FFT primitives.

    fft_c2c   complex -> complex over ``dim`` (``forward`` picks the sign)    FftC2CBackward0
    fft_r2c   real -> complex (``onesided``: the last dim keeps n // 2 + 1)    FftR2CBackward0
    fft_c2r   hermitian complex -> real, the last dim of length ``last_size``  FftC2RBackward0

Common options: ``dim`` (a tuple of wrapped dims) and ``norm`` (ATen's normalization of the
*unnormalized* transform: "none", "by_root_n" or "by_n", by the signal size — the public functions
translate "backward"/"forward"/"ortho" per direction). Cropping and zero-padding to ``n``/``s``
happen before, in the public functions (torch's ``SliceBackward0``/``ConstantPadNdBackward0``
nodes), and so do dtype promotions (``ToCopyBackward0``); the entries compute in their input's
precision. Gradients come from ``jax.vjp`` of these forwards.
"""

from __future__ import annotations

import jax.numpy as jnp

from ._registry import defop

# NOTE: linear maps: a backward needs no input values (``saves=()``).
_NONE = dict(dtypes="none", saves=())
# jnp's ``norm`` for each (ATen normalization, direction of the transform).
_JNP_NORM = {
    ("none", True): "backward", ("by_n", True): "forward", ("by_root_n", True): "ortho",
    ("none", False): "forward", ("by_n", False): "backward", ("by_root_n", False): "ortho",
}  # fmt: skip


def _c2c(x, *, dim, norm, forward):
    if not dim:
        return x
    f = jnp.fft.fftn if forward else jnp.fft.ifftn
    return f(x, axes=dim, norm=_JNP_NORM[norm, forward])


def _r2c(x, *, dim, norm, onesided):
    if onesided:
        return jnp.fft.rfftn(x, axes=dim, norm=_JNP_NORM[norm, True])
    cdt = jnp.result_type(x.dtype, jnp.complex64)
    return jnp.fft.fftn(x.astype(cdt), axes=dim, norm=_JNP_NORM[norm, True])


def _c2r(x, *, dim, norm, last_size):
    out = (*(x.shape[d] for d in dim[:-1]), last_size)
    return jnp.fft.irfftn(x, s=out, axes=dim, norm=_JNP_NORM[norm, False])


fft_c2c = defop("fft_c2c", _c2c, "FftC2CBackward0", **_NONE)
fft_r2c = defop("fft_r2c", _r2c, "FftR2CBackward0", **_NONE)
fft_c2r = defop("fft_c2r", _c2r, "FftC2RBackward0", **_NONE)


# -- stft / istft ---------------------------------------------------------------------------------
def _overlap_add(frames, *, step, length):
    """``(C, n_frames, size)`` frames summed into a ``(C, length)`` signal, frame ``f`` starting
    at ``f * step`` (ATen's ``unfold_backward`` along dim 1)."""
    n_frames, size = frames.shape[1], frames.shape[2]
    idx = step * jnp.arange(n_frames)[:, None] + jnp.arange(size)[None, :]
    out = jnp.zeros((frames.shape[0], length), frames.dtype)
    return out.at[:, idx].add(frames)


# NOTE: torch's stft transposes its fresh result in place (``transpose_``: TransposeBackward1).
fft_transpose_ = defop("fft_transpose_", lambda x, *, dim0, dim1: jnp.swapaxes(x, dim0, dim1),
                       "TransposeBackward1", **_NONE)  # fmt: skip
fft_overlap_add = defop("fft_overlap_add", _overlap_add, "UnfoldBackwardBackward0", **_NONE)
