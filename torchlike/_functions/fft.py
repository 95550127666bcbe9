"""torch.fft: PyTorch's signatures over the op table's three FFT primitives (``_ops/fft.py``),
declared with ``@public(function="fft")``.

Each function follows ATen's ``SpectralOps.cpp`` step by step, so dtypes, errors and the graph
(``grad_fn`` and the nodes before it: ``ToCopyBackward0`` for a promotion, ``ConjBackward0`` for
the inverse real transforms) read as torch's do:

    fft / ifft         complex input: fft_c2c; real input: fft_r2c (two-sided), ifft conjugates
    rfft / ihfft       fft_r2c (one-sided); ihfft conjugates
    irfft / hfft       fft_c2r; hfft conjugates its input
    *n                 fftn/ifftn: fft_c2c; rfftn: fft_r2c; irfftn: fft_c2r; hfftn: fft_c2c over
                       all but the last dim, then fft_c2r; ihfftn: fft_r2c over the last dim,
                       then fft_c2c over the others

NOTE: gradients are JAX's ``jax.vjp`` of the primitives. For complex tensors torch reports the
conjugate of JAX's cotangent (torch's vjp is ``conj(jax_vjp(conj(g)))``; checked numerically for
c2c, r2c and c2r); that conversion belongs to the autograd engine's boundary (complex seeds and
complex leaves), not to these functions.
"""

from __future__ import annotations

import builtins
import functools
from collections.abc import Sequence

import numpy as np

from .. import _dtype as D
from .._dispatch import call
from .._ops import TABLE as T
from .._tensor import Tensor, _wrap_dim
from .._warn_once import warn_once
from ._surface import public, write_out
from .complex_numbers import conj as _conj
from .complex_numbers import conj_physical as _conj_physical
from .padding import pad as _pad


# -- argument handling, as ATen's SpectralOps.cpp does it ------------------------------------------
def _tensor_arg(fname, input):
    if not isinstance(input, Tensor):
        raise TypeError(
            f"fft_{fname}(): argument 'input' (position 1) must be Tensor, not "
            f"{builtins.type(input).__name__}"
        )
    return input


def _int_arg(fname, name, v, optional=True):
    if (v is None and optional) or (isinstance(v, builtins.int) and not isinstance(v, bool)):
        return v
    raise TypeError(
        f"fft_{fname}(): argument '{name}' must be int, not {builtins.type(v).__name__}"
    )


def _norm_mode(fname, norm, forward):
    """ATen's normalization of the unnormalized transform for ``norm`` in this direction."""
    if norm is not None and not isinstance(norm, str):
        raise TypeError(
            f"fft_{fname}(): argument 'norm' must be str, not {builtins.type(norm).__name__}"
        )
    if norm is None or norm == "backward":
        return "none" if forward else "by_n"
    if norm == "forward":
        return "by_n" if forward else "none"
    if norm == "ortho":
        return "by_root_n"
    raise RuntimeError(f'Invalid normalization mode: "{norm}"')


def _wrap(dim, ndim):
    if ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    return _wrap_dim(dim, ndim)


def _check_size(n):
    if n < 1:
        raise RuntimeError(f"Invalid number of data points ({n}) specified")


def _promote(x, require_complex=False):
    """``x`` in a dtype the FFT computes in: integers become the default float, then complex
    when ``require_complex`` (a ``ToCopyBackward0`` node, as torch's ``.to``)."""
    dt = x._dtype
    if dt.is_complex:
        return x
    target = dt if dt._cat == D._FLOAT else D.get_default_dtype()
    if target not in (D.float32, D.float64):
        raise RuntimeError(f"Unsupported dtype {D._LEGACY[target]}")
    if require_complex:
        target = target.to_complex()
    return x if target is dt else call(T["to_dtype"], x, dtype=target._np)


def _resize(x, dims, sizes):
    """ATen's ``resize_fft_input``: crop (``narrow``) or zero-pad (``constant_pad_nd``) ``x`` to
    ``sizes`` along ``dims``."""
    pads, grow = [(0, 0)] * x.ndim, False
    for d, n in zip(dims, sizes, strict=True):
        if x.shape[d] > n:
            x = x.narrow(d, 0, n)
        elif x.shape[d] < n:
            pads[d], grow = (0, n - x.shape[d]), True
    if grow:
        x = call(T["pad"], x, pads=builtins.tuple(pads), mode="constant", value=0.0, nd=x.ndim)
    return x


def _shape_and_dims(fname, x, s, dim):
    """ATen's ``canonicalize_fft_shape_and_dim_args``: (sizes, dims) of the transform."""
    ndim, sizes = x.ndim, x.shape
    if dim is not None:
        dim = (dim,) if not isinstance(dim, Sequence) else builtins.tuple(dim)
        dims = builtins.tuple(_wrap(_int_arg(fname, "dim", d, False), ndim) for d in dim)
        if len(set(dims)) != len(dims):
            raise RuntimeError("FFT dims must be unique")
    if s is not None:
        s = (s,) if not isinstance(s, Sequence) else builtins.tuple(s)
        s = builtins.tuple(_int_arg(fname, "s", n, False) for n in s)
        if dim is not None and len(dim) != len(s):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
        if len(s) > ndim:
            raise RuntimeError(
                f"Got shape with {len(s)} values but input tensor only has {ndim} dimensions."
            )
        if dim is None:
            dims = builtins.tuple(range(ndim - len(s), ndim))
        shape = builtins.tuple(sizes[d] if n == -1 else n for n, d in zip(s, dims, strict=True))
    elif dim is None:
        dims, shape = builtins.tuple(range(ndim)), builtins.tuple(sizes)
    else:
        shape = builtins.tuple(sizes[d] for d in dims)
    for n in shape:
        _check_size(n)
    return shape, dims


def _c2r_shape_and_dims(fname, x, s, dim):
    """The above for a complex-to-real transform: also the output size of the last dim."""
    shape, dims = _shape_and_dims(fname, x, s, dim)
    if not shape:
        raise RuntimeError(f"{fname} must transform at least one axis")
    last = 2 * (x.shape[dims[-1]] - 1) if s is None or _last(s) == -1 else shape[-1]
    _check_size(last)
    return (*shape[:-1], last // 2 + 1), dims, last


def _last(s):
    return s[-1] if isinstance(s, Sequence) else s


# -- one-dimensional transforms -------------------------------------------------------------------
def _c2c(fname, x, n, dim, norm, forward):
    d = _wrap(_int_arg(fname, "dim", dim, False), x.ndim)
    n_given = _int_arg(fname, "n", n)
    n = x.shape[d] if n is None else n
    _check_size(n)
    mode = _norm_mode(fname, norm, forward)
    x = x if n_given is None else _resize(x, (d,), (n,))
    return call(T["fft_c2c"], x, dim=(d,), norm=mode, forward=forward)


def _r2c(fname, x, n, dim, norm, forward, onesided):
    if x.is_complex():
        raise RuntimeError(f"{fname} expects a real input tensor, but got {D._LEGACY[x._dtype]}")
    x = _promote(x)
    d = _wrap(_int_arg(fname, "dim", dim, False), x.ndim)
    n_given = _int_arg(fname, "n", n)
    n = x.shape[d] if n is None else n
    _check_size(n)
    mode = _norm_mode(fname, norm, forward)
    x = x if n_given is None else _resize(x, (d,), (n,))
    y = call(T["fft_r2c"], x, dim=(d,), norm=mode, onesided=onesided)
    # NOTE: ATen has no backward real-to-complex transform: it conjugates the forward one.
    return y if forward else _conj(y)


def _c2r(fname, x, n, dim, norm, forward):
    x = _promote(x, require_complex=True)
    d = _wrap(_int_arg(fname, "dim", dim, False), x.ndim)
    last = 2 * (x.shape[d] - 1) if _int_arg(fname, "n", n) is None else n
    _check_size(last)
    if n is not None:
        x = _resize(x, (d,), (last // 2 + 1,))
    mode = _norm_mode(fname, norm, forward)
    if forward:
        x = _conj(x)
    return call(T["fft_c2r"], x, dim=(d,), norm=mode, last_size=last)


@public(function="fft", out=True)
def fft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """The one-dimensional discrete Fourier transform of ``input`` along ``dim``; ``n`` crops
    or zero-pads the signal first. A real input gives the full (two-sided) complex spectrum."""
    x = _tensor_arg("fft", input)
    if x.is_complex():
        return _c2c("fft", x, n, dim, norm, True)
    return _r2c("fft", x, n, dim, norm, True, False)


@public(function="fft", out=True)
def ifft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """The one-dimensional inverse discrete Fourier transform of ``input`` along ``dim``."""
    x = _tensor_arg("ifft", input)
    if x.is_complex():
        return _c2c("ifft", x, n, dim, norm, False)
    return _r2c("ifft", x, n, dim, norm, False, False)


@public(function="fft", out=True)
def rfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """The FFT of a real ``input``: the ``n // 2 + 1`` non-negative frequencies along ``dim``."""
    return _r2c("rfft", _tensor_arg("rfft", input), n, dim, norm, True, True)


@public(function="fft", out=True)
def irfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """The inverse of ``rfft``: a real signal of length ``n`` (default ``2 * (size - 1)``) from
    the non-negative half of a Hermitian spectrum."""
    return _c2r("irfft", _tensor_arg("irfft", input), n, dim, norm, False)


@public(function="fft", out=True)
def hfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """The FFT of a signal with Hermitian symmetry given by its one-sided half: a real
    spectrum of length ``n`` (default ``2 * (size - 1)``)."""
    return _c2r("hfft", _tensor_arg("hfft", input), n, dim, norm, True)


@public(function="fft", out=True)
def ihfft(input: Tensor, n: int | None = None, dim: int = -1, norm: str | None = None) -> Tensor:
    """The inverse of ``hfft``: the one-sided half of the inverse FFT of a real ``input``."""
    return _r2c("ihfft", _tensor_arg("ihfft", input), n, dim, norm, False, True)


# -- n-dimensional transforms ---------------------------------------------------------------------
def _fftn_c2c(fname, input, s, dim, norm, forward):
    x = _tensor_arg(fname, input)
    shape, dims = _shape_and_dims(fname, x, s, dim)
    x = _resize(_promote(x, require_complex=True), dims, shape)
    mode = _norm_mode(fname, norm, forward)
    return call(T["fft_c2c"], x, dim=dims, norm=mode, forward=forward)


def _rfftn(fname, input, s, dim, norm):
    x = _tensor_arg(fname, input)
    if x.is_complex():
        raise RuntimeError(
            f"rfftn expects a real-valued input tensor, but got {D._LEGACY[x._dtype]}"
        )
    shape, dims = _shape_and_dims(fname, x, s, dim)
    if not shape:
        raise RuntimeError("rfftn must transform at least one axis")
    x = _resize(_promote(x), dims, shape)
    mode = _norm_mode(fname, norm, True)
    return call(T["fft_r2c"], x, dim=dims, norm=mode, onesided=True)


def _irfftn(fname, input, s, dim, norm):
    x = _tensor_arg(fname, input)
    shape, dims, last = _c2r_shape_and_dims("irfftn", x, s, dim)
    x = _resize(_promote(x, require_complex=True), dims, shape)
    mode = _norm_mode(fname, norm, False)
    return call(T["fft_c2r"], x, dim=dims, norm=mode, last_size=last)


def _hfftn(fname, input, s, dim, norm):
    x = _tensor_arg(fname, input)
    shape, dims, last = _c2r_shape_and_dims("hfftn", x, s, dim)
    x = _resize(_promote(x, require_complex=True), dims, shape)
    mode = _norm_mode(fname, norm, True)
    if len(dims) > 1:
        x = call(T["fft_c2c"], x, dim=dims[:-1], norm=mode, forward=True)
    x = _conj(x)
    return call(T["fft_c2r"], x, dim=dims[-1:], norm=mode, last_size=last)


def _ihfftn(fname, input, s, dim, norm):
    x = _tensor_arg(fname, input)
    if x.is_complex():
        raise RuntimeError(f"Only supports floating-point dtypes, but found: {D._LEGACY[x._dtype]}")
    shape, dims = _shape_and_dims(fname, x, s, dim)
    if not shape:
        raise RuntimeError("ihfftn must transform at least one axis")
    x = _resize(_promote(x), dims, shape)
    mode = _norm_mode(fname, norm, False)
    y = call(T["fft_r2c"], x, dim=dims[-1:], norm=mode, onesided=True)
    if len(dims) == 1:
        return _conj(y)
    y = _conj_physical(y)
    return call(T["fft_c2c"], y, dim=dims[:-1], norm=mode, forward=False)


@public(function="fft", out=True)
def fftn(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] | None = None,
         norm: str | None = None) -> Tensor:  # fmt: skip
    """The N-dimensional FFT over ``dim`` (default: all dims, or the last ``len(s)``); ``s``
    crops or zero-pads each transformed dim first (``-1`` keeps a size)."""
    return _fftn_c2c("fftn", input, s, dim, norm, True)


@public(function="fft", out=True)
def ifftn(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] | None = None,
          norm: str | None = None) -> Tensor:  # fmt: skip
    """The N-dimensional inverse FFT over ``dim``."""
    return _fftn_c2c("ifftn", input, s, dim, norm, False)


@public(function="fft", out=True)
def rfftn(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] | None = None,
          norm: str | None = None) -> Tensor:  # fmt: skip
    """The N-dimensional FFT of a real ``input``; the last transformed dim is one-sided."""
    return _rfftn("rfftn", input, s, dim, norm)


@public(function="fft", out=True)
def irfftn(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] | None = None,
           norm: str | None = None) -> Tensor:  # fmt: skip
    """The inverse of ``rfftn``; the last transformed dim has ``s[-1]`` (default
    ``2 * (size - 1)``) real outputs."""
    return _irfftn("irfftn", input, s, dim, norm)


@public(function="fft", out=True)
def hfftn(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] | None = None,
          norm: str | None = None) -> Tensor:  # fmt: skip
    """The N-dimensional FFT of a Hermitian-symmetric signal given by its one-sided half."""
    return _hfftn("hfftn", input, s, dim, norm)


@public(function="fft", out=True)
def ihfftn(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] | None = None,
           norm: str | None = None) -> Tensor:  # fmt: skip
    """The inverse of ``hfftn``: the one-sided half of the N-dimensional inverse FFT."""
    return _ihfftn("ihfftn", input, s, dim, norm)


@public(function="fft", out=True)
def fft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),
         norm: str | None = None) -> Tensor:  # fmt: skip
    """``fftn`` over the last two dims by default."""
    return _fftn_c2c("fft2", input, s, dim, norm, True)


@public(function="fft", out=True)
def ifft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),
          norm: str | None = None) -> Tensor:  # fmt: skip
    """``ifftn`` over the last two dims by default."""
    return _fftn_c2c("ifft2", input, s, dim, norm, False)


@public(function="fft", out=True)
def rfft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),
          norm: str | None = None) -> Tensor:  # fmt: skip
    """``rfftn`` over the last two dims by default."""
    return _rfftn("rfft2", input, s, dim, norm)


@public(function="fft", out=True)
def irfft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),
           norm: str | None = None) -> Tensor:  # fmt: skip
    """``irfftn`` over the last two dims by default."""
    return _irfftn("irfft2", input, s, dim, norm)


@public(function="fft", out=True)
def hfft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),
          norm: str | None = None) -> Tensor:  # fmt: skip
    """``hfftn`` over the last two dims by default."""
    return _hfftn("hfft2", input, s, dim, norm)


@public(function="fft", out=True)
def ihfft2(input: Tensor, s: Sequence[int] | None = None, dim: Sequence[int] = (-2, -1),
           norm: str | None = None) -> Tensor:  # fmt: skip
    """``ihfftn`` over the last two dims by default."""
    return _ihfftn("ihfft2", input, s, dim, norm)


# -- helpers --------------------------------------------------------------------------------------
def _shift(input, dim, half):
    dims = range(input.ndim) if dim is None else (dim,) if isinstance(dim, builtins.int) else dim
    dims = builtins.tuple(_wrap_dim(d, input.ndim) for d in dims)
    shifts = builtins.tuple(half(input.shape[d]) for d in dims)
    return call(T["roll"], input, shifts=shifts, dims=dims)


@public(function="fft")
def fftshift(input: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:
    """Moves the zero frequency to the middle of ``dim`` (default: every dim), as NumPy's."""
    return _shift(input, dim, lambda n: n // 2)


@public(function="fft")
def ifftshift(input: Tensor, dim: int | Sequence[int] | None = None) -> Tensor:
    """The inverse of ``fftshift``."""
    return _shift(input, dim, lambda n: (n + 1) // 2)


def _freq(fname, n, d, dtype, device, requires_grad, k):
    from .._creation import _finish

    dtype = dtype or D.get_default_dtype()
    if dtype._cat < D._FLOAT:
        raise RuntimeError(f"{fname} requires a floating point or complex dtype")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    if dtype.is_complex:
        raise NotImplementedError(f"\"arange_cpu\" not implemented for '{D._LEGACY[dtype]}'")
    # NOTE: torch fills the integers in the output dtype, then multiplies by 1 / (n * d)
    # rounded to that dtype (inf for n = 0: rfftfreq(0) is [nan], as torch's).
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = dtype._np.type(np.divide(1.0, np.float64(n * d)))
        return _finish(k.astype(dtype._np) * scale, dtype, device, requires_grad)


def _freq_out(fn):
    """``out=`` through the shared ``write_out``, with ``out``'s dtype as the default dtype
    (torch fills ``out`` directly)."""

    @functools.wraps(fn)
    def f(n, d=1.0, *, out=None, dtype=None, **kwargs):
        if out is None:
            return fn(n, d, dtype=dtype, **kwargs)
        compute = lambda: fn(n, d, dtype=dtype or out._dtype, **kwargs)
        return write_out(f"fft_{fn.__name__}", out, compute, ())

    return f


@public(function="fft")
@_freq_out
def fftfreq(n: int, d: float = 1.0, *, dtype=None, layout=None, device=None,
            requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The sample frequencies of an ``n``-point FFT with sample spacing ``d``:
    ``[0, 1, ..., (n - 1) // 2, -(n // 2), ..., -1] / (n * d)``."""

    k = np.concatenate([np.arange((n + 1) // 2), np.arange(-(n // 2), 0)]) if n > 0 else np.zeros(0)
    return _freq("fftfreq", n, d, dtype, device, requires_grad, k)


@public(function="fft")
@_freq_out
def rfftfreq(n: int, d: float = 1.0, *, dtype=None, layout=None, device=None,
             requires_grad: bool = False) -> Tensor:  # fmt: skip
    """The sample frequencies of ``rfft``: ``[0, 1, ..., n // 2] / (n * d)``."""

    k = np.arange(n // 2 + 1) if n >= 0 else np.zeros(0)
    return _freq("rfftfreq", n, d, dtype, device, requires_grad, k)


# -- short-time Fourier transform -----------------------------------------------------------------
def _warn_once(msg):
    warn_once(msg, msg, UserWarning, stacklevel=3)


def _type_str(t):
    """ATen's ``Tensor::toString()``: legacy names for real types, backend names for complex."""
    if t._dtype.is_complex:
        return f"CPU{D._LEGACY[t._dtype]}Type"
    return f"torch.{D._LEGACY[t._dtype]}Tensor"


def _opt(v):
    return "None" if v is None else str(int(v))


def _window_repr(window):
    return "None" if window is None else f"{_type_str(window)}{{{list(window.shape)}}}"


def _centered_window(window, win_length, n_fft, like):
    """``window`` (ones when None) zero-padded on both sides to ``n_fft``, as ATen centres it."""
    if window is None:
        from .._creation import ones

        window = ones(win_length, dtype=like)
    left = (n_fft - win_length) // 2
    pads = ((left, n_fft - win_length - left),)
    return call(T["pad"], window, pads=pads, mode="constant", value=0.0, nd=1)


@public(function=True, method=True)
def stft(input: Tensor, n_fft: int, hop_length: int | None = None, win_length: int | None = None,
         window: Tensor | None = None, center: bool = True, pad_mode: str = "reflect",
         normalized: bool = False, onesided: bool | None = None, return_complex: bool | None = None,
         align_to_window: bool | None = None) -> Tensor:  # fmt: skip
    """The short-time Fourier transform: ``n_fft``-point FFTs of windowed frames taken every
    ``hop_length`` samples; ``(*, n_fft // 2 + 1, n_frames)`` (one-sided) for a real signal."""
    if center and align_to_window is not None:
        raise RuntimeError("stft align_to_window should only be set when center = false")
    if center:
        nd = input.ndim
        pad = n_fft // 2
        x = input.view([1] * (3 - nd) + list(input.shape))
        x = _pad(x, [pad, pad], pad_mode)
        input = x.view(x.shape[-nd:])
    hop = n_fft >> 2 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length

    def fail(msg):
        raise RuntimeError(
            f"stft({_type_str(input)}{list(input.shape)}, n_fft={n_fft}, hop_length={hop}, "
            f"win_length={win}, window={_window_repr(window)}, normalized={int(normalized)}, "
            f"onesided={_opt(onesided)}, return_complex={_opt(return_complex)}, "
            f"align_to_window={_opt(align_to_window)}) : {msg}"
        )

    if window is None:
        _warn_once(
            "A window was not provided. A rectangular window will be applied,which is known to "
            "cause spectral leakage. Other windows such as torch.hann_window or "
            "torch.hamming_window are recommended to reduce spectral leakage.To suppress this "
            "warning and use a rectangular window, explicitly set "
            "`window=torch.ones(n_fft, device=<device>)`."
        )
    complex_in = input.is_complex() or (window is not None and window.is_complex())
    if return_complex is None and not complex_in:
        raise RuntimeError(
            "stft requires the return_complex parameter be given for real inputs, and will "
            "further require that return_complex=True in a future PyTorch release."
        )
    if return_complex is False:
        _warn_once(
            "stft with return_complex=False is deprecated. In a future pytorch release, stft "
            "will return complex tensors for all inputs, and return_complex=False will raise an "
            "error.\nNote: you can still call torch.view_as_real on the complex output to "
            "recover the old return format."
        )
    if input._dtype._cat < D._FLOAT:
        fail("expected a tensor of floating point or complex values")
    if not 1 <= input.ndim <= 2:
        fail("expected a 1D or 2D tensor")
    x = input.unsqueeze(0) if input.ndim == 1 else input
    length = x.shape[1]
    if n_fft <= 0 or n_fft > length:
        fail(f"expected 0 < n_fft < {length}, but got n_fft={win}")
    if hop <= 0:
        fail(f"expected hop_length > 0, but got hop_length={hop}")
    if not 0 < win <= n_fft:
        fail(f"expected 0 < win_length <= n_fft, but got win_length={win}")
    if window is not None and (window.ndim != 1 or window.shape[0] != win):
        fail(
            f"expected a 1D window tensor of size equal to win_length={win}, but got window "
            f"with size {list(window.shape)}"
        )
    w = window
    if win < n_fft:
        w = _centered_window(window, win, n_fft, x._dtype.to_real())
    if align_to_window and win < n_fft:
        # NOTE: frames aligned to the window: the signal is shifted by the window's left
        # padding, and frames run while the (unpadded) window fits.
        left = (n_fft - win) // 2
        pads = ((0, 0), (left, n_fft - win - left))
        x = call(T["pad"], x, pads=pads, mode="constant", value=0.0, nd=1)
        n_frames = 1 + (length - win) // hop
    else:
        n_frames = 1 + (length - n_fft) // hop
    s0, s1 = x.stride()
    frames = x.as_strided((x.shape[0], n_frames, n_fft), (s0, hop * s1, s1))
    if w is not None:
        frames = frames * w
    complex_fft = frames.is_complex()
    onesided = not complex_fft if onesided is None else onesided
    mode = "by_root_n" if normalized else "none"
    if complex_fft:
        if onesided:
            raise RuntimeError("Cannot have onesided output if window or input is complex")
        frames = _promote(frames)
        out = call(T["fft_c2c"], frames, dim=(2,), norm=mode, forward=True)
    else:
        out = call(T["fft_r2c"], _promote(frames), dim=(2,), norm=mode, onesided=onesided)
    out = call(T["fft_transpose_"], out, dim0=1, dim1=2)
    if input.ndim == 1:
        out = call(T["squeeze"], out, dim=(0,), overload=4)
    return out if return_complex or (return_complex is None and complex_in) else _as_real(out)


def _as_real(t):
    from .complex_numbers import view_as_real

    return view_as_real(t)


@public(function=True, method=True)
def istft(input: Tensor, n_fft: int, hop_length: int | None = None,
          win_length: int | None = None, window: Tensor | None = None, center: bool = True,
          normalized: bool = False, onesided: bool | None = None, length: int | None = None,
          return_complex: bool = False) -> Tensor:  # fmt: skip
    """The inverse short-time Fourier transform: inverse FFTs of the frames of ``input`` (as
    ``stft`` returns it), windowed and overlap-added, divided by the summed squared window."""
    hop = n_fft >> 2 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length

    given_onesided = onesided

    def fail(msg, sep=" : "):
        raise RuntimeError(
            f"istft({_type_str(input)}{list(input.shape)}, n_fft={n_fft}, hop_length={hop}, "
            f"win_length={win}, window={_window_repr(window)}, center={int(center)}, "
            f"normalized={int(normalized)}, onesided={_opt(given_onesided)}, "
            f"length={'None' if length is None else length}, "
            f"return_complex={int(return_complex)}){sep}{msg}"
        )

    if window is None:
        _warn_once(
            "A window was not provided. A rectangular window will be applied.Please provide the "
            "same window used by stft to make the inversion lossless.To suppress this warning "
            "and use a rectangular window, explicitly set "
            "`window=torch.ones(n_fft, device=<device>)`."
        )
    if not input.is_complex():
        raise RuntimeError(
            "istft requires a complex-valued input tensor matching the output from stft with "
            "return_complex=True."
        )
    if input.numel() == 0:
        fail("istft input tensor cannot be empty")
    if input.ndim not in (2, 3):
        fail(
            "expected a tensor with a third dimension of size 2 as the last dimension, but got "
            f"{input.ndim + 1} dimensions"
        )
    n_frames, fft_size = input.shape[-1], input.shape[-2]
    expected_len = n_fft + hop * (n_frames - 1)
    onesided = fft_size != n_fft if onesided is None else onesided
    if onesided and n_fft // 2 + 1 != fft_size:
        fail(
            "expected the frequency dimension (3rd to the last) of the input tensor to match "
            f"n_fft / 2 + 1 when onesided=True, but got {fft_size}"
        )
    if not onesided and n_fft != fft_size:
        fail(
            "expected the frequency dimension (3rd to the last) of the input tensor to match "
            f"n_fft when onesided=False, but got {fft_size}"
        )
    if not 0 < hop <= win:
        fail("expected 0 < hop_length <= win_length")
    if not 0 < win <= n_fft:
        fail("expected 0 < win_length <= n_fft")
    if window is not None and (window.ndim != 1 or window.shape[0] != win):
        fail("Invalid window shape. window has to be 1D and length of `win_length`")
    real_dt = input._dtype.to_real()
    w = window
    if w is None or win != n_fft:
        w = _centered_window(window, win, n_fft, real_dt)
    x = input.unsqueeze(0) if input.ndim == 2 else input
    x = x.transpose(1, 2)
    mode = "by_root_n" if normalized else "by_n"
    if return_complex:
        if onesided:
            raise RuntimeError("Cannot have onesided output if window or input is complex")
        x = call(T["fft_c2c"], x, dim=(2,), norm=mode, forward=False)
    else:
        if window is not None and window.is_complex():
            fail("Complex windows are incompatible with return_complex=False")
        if not onesided:
            x = x.narrow(-1, 0, n_fft // 2 + 1)
        x = call(T["fft_c2r"], x, dim=(2,), norm=mode, last_size=n_fft)
    y = call(T["fft_overlap_add"], x * w.view(1, 1, n_fft), step=hop, length=expected_len)
    env = w.pow(2).expand(1, n_frames, n_fft)
    env = call(T["fft_overlap_add"], env, step=hop, length=expected_len)
    start = n_fft // 2 if center else 0
    end = start + length if length is not None else -(n_fft // 2) if center else expected_len
    y, env = y[:, start:end], env[:, start:end]
    if bool((np.abs(env.detach().numpy()) < 1e-11).any()):
        fail("window overlap add min: 1", sep=" ")
    y = y / env
    if input.ndim == 2:
        y = y.squeeze(0)
    if end > expected_len:
        _warn_once(
            "The length of signal is shorter than the length parameter. Result is being padded "
            "with zeros in the tail. Please check your center and hop_length settings."
        )
        pads = ((0, 0),) * (y.ndim - 1) + ((0, end - expected_len),)
        y = call(T["pad"], y, pads=pads, mode="constant", value=0.0, nd=1)
    return y
