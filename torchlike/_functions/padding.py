"""Padding: ``nn.functional.pad`` (constant, reflect, replicate, circular) and
``torch.constant_pad_nd``. It lives here, below ``nn``, because torch-level functions pad too
(``stft``'s centring); ``nn.functional`` re-exports ``pad``.

Negative entries crop, in every mode. Reflect and replicate read the input at torch's index
map (output ``j`` of a dim padded ``(lo, hi)`` reads input ``j - lo`` reflected or clamped into
range), so a crop on one side never changes what the other side's padding repeats; circular
pads, as ATen does, by copying the cropped input into a fresh tensor and then wrapping that."""

from __future__ import annotations

import builtins
import numbers
import operator

from .._dispatch import call
from .._ops import TABLE as T
from ._surface import public

__all__ = ["pad", "constant_pad_nd"]

_MODES = ("constant", "reflect", "replicate", "circular")


def _int_tuple(fname, pad) -> tuple[int, ...]:
    """``pad`` as ints, or torch's argument-parser TypeError for an ``int[]`` argument."""
    where = f"{fname}(): argument 'pad' (position 2)"
    if not isinstance(pad, (list, tuple)):
        raise TypeError(f"{where} must be tuple of ints, not {builtins.type(pad).__name__}")
    out = []
    for i, v in enumerate(pad):
        if v is None:
            raise TypeError(f"{fname}(): argument 'pad' failed to unpack the object at pos 2 "
                            'with error "type must be tuple of ints,but got NoneType"')  # fmt: skip
        try:
            if isinstance(v, builtins.bool):
                raise TypeError
            out.append(operator.index(v))
        except TypeError:
            raise TypeError(
                f"{where} must be tuple of ints, but found element of type "
                f"{builtins.type(v).__name__} at pos {i}"
            ) from None
    return tuple(out)


def _pairs(pad, ndim) -> list[tuple[int, int]]:
    """``pad`` (last dim first) as one ``(lo, hi)`` pair per input dim, first dim first."""
    pairs = [(0, 0)] * ndim
    for i in range(len(pad) // 2):
        pairs[ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return pairs


def pad(input, pad, mode="constant", value=None):
    """Pad the last ``len(pad) // 2`` dimensions: ``pad = (left, right, top, bottom, ...)``;
    negative entries crop. ``mode``: ``"constant"`` (with ``value``, default 0),
    ``"reflect"``, ``"replicate"`` or ``"circular"`` (the last three pad 1 to 3 dims of a
    batched or unbatched input).

    >>> F.pad(torch.arange(4.).view(1, 4), (2, -1), mode="reflect")
    tensor([[2., 1., 0., 1., 2.]])
    """
    pad = _int_tuple("pad", pad)
    if not isinstance(mode, str):
        raise TypeError(
            f"pad(): argument 'mode' (position 3) must be str, not {builtins.type(mode).__name__}"
        )
    if value is not None and not isinstance(value, numbers.Real):
        raise TypeError(
            "pad(): argument 'value' (position 4) must be float, not "
            f"{builtins.type(value).__name__}"
        )
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    n = len(pad) // 2
    if n > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(pad)} and input of "
                           f"dimension {input.ndim}")  # fmt: skip
    if mode not in _MODES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode == "constant":
        return _constant_pad(input, pad, 0.0 if value is None else value)
    if value not in (None, 0):
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    if not (1 <= n <= 3 and input.ndim in (n + 1, n + 2)):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
        )
    if mode == "circular":
        return _circular_pad(input, pad)
    _check_index_pad(input, pad, mode)
    return call(T["pad"], input, pads=tuple(_pairs(pad, input.ndim)), mode=mode, value=0.0, nd=n)


def _check_index_pad(input, pad, mode):
    """ATen's checks of reflection_pad{1,2,3}d / replication_pad{1,2,3}d, in their order."""
    n, shape = len(pad) // 2, list(input.shape)
    dims = range(1, input.ndim) if input.ndim == n + 2 else range(input.ndim)
    if any(shape[d] == 0 for d in dims):
        raise RuntimeError(
            f"Expected {n + 1}D or {n + 2}D (batch mode) tensor with possibly 0 batch size and "
            f"other non-zero dimensions for input, but got: {shape}"
        )
    sizes = shape[input.ndim - n :]  # D, H, W (the padded dims, first dim first)
    outs = [s + pad[2 * (n - 1 - k)] + pad[2 * (n - 1 - k) + 1] for k, s in enumerate(sizes)]
    if mode == "reflect":
        for i in range(n):  # W first (argument #4), then H (#6), then D (#8)
            lo, hi, size = pad[2 * i], pad[2 * i + 1], sizes[n - 1 - i]
            if lo >= size or hi >= size:
                raise RuntimeError(
                    f"Argument #{4 + 2 * i}: Padding size should be less than the corresponding "
                    f"input dimension, but got: padding ({lo}, {hi}) at dimension "
                    f"{input.ndim - 1 - i} of input {shape}"
                )
    # NOTE: ATen only asks that one padded dim keeps a row (its checks join dims with ||).
    if builtins.max(outs) < 1:
        got = " ".join(f"{c}: {o}" for c, o in zip("DHW"[3 - n :], outs, strict=True))
        ins = f"W: {sizes[-1]}"
        if n >= 2:
            ins = f"H: {sizes[-2]}, {ins}" + (" " if mode == "replicate" and n == 2 else "")
        if n == 3:
            ins = f"D: {sizes[0]} {ins}"
        raise RuntimeError(f"input ({ins}) is too small. Calculated output {got}")
    if mode == "reflect" and n == 2 and builtins.min(outs) < 0:
        # NOTE: ATen's reflection_pad2d resizes its output instead of allocating it.
        raise RuntimeError("numel: integer multiplication overflow")
    _check_out_shape(input, pad)


def _out_shape(input, pad) -> list[int]:
    return [s + lo + hi for s, (lo, hi) in zip(input.shape, _pairs(pad, input.ndim), strict=True)]


def _check_out_shape(input, pad):
    out = _out_shape(input, pad)
    if builtins.min(out, default=0) < 0:
        bad = next(s for s in out if s < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {bad}: {out}")


def _circular_pad(input, pad):
    """ATen's ``_pad_circular``: the (cropped) input copied into a fresh tensor, then each
    padded dim's ends filled from the opposite side, one write into a slice each (so the
    graph is torch's chain of CopySlices)."""
    n, ndim = len(pad) // 2, input.ndim
    out_shape = _out_shape(input, pad)
    for d in range(ndim - n, ndim):
        lo, hi = _pairs(pad, ndim)[d]
        if lo > input.shape[d] or hi > input.shape[d]:
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if out_shape[d] < 0:
            raise RuntimeError("Negative padding value is resulting in an empty dimension")
    out = input.new_empty(out_shape)
    dst, src = out, input
    for i in range(n):
        d, lo, hi = ndim - 1 - i, pad[2 * i], pad[2 * i + 1]
        dst = _slice(dst, d, builtins.max(lo, 0), out_shape[d] - builtins.max(hi, 0))
        src = _slice(src, d, builtins.max(-lo, 0), input.shape[d] - builtins.max(-hi, 0))
    dst.copy_(src)
    for i in range(n):
        d, lo, hi = ndim - 1 - i, pad[2 * i], pad[2 * i + 1]
        size, right = out_shape[d], builtins.max(hi, 0)
        # NOTE: a wrap longer than what is left of the input reads the tensor it writes;
        # ATen leaves that case undefined (this copy reads before it writes).
        if lo > 0:
            _slice(out, d, 0, lo).copy_(_slice(out, d, size - lo - right, size - right))
        if hi > 0:
            _slice(out, d, size - hi, size).copy_(_slice(out, d, builtins.max(lo, 0),
                                                          builtins.max(lo, 0) + hi))  # fmt: skip
    return out


def _slice(t, dim, start, stop):
    """``t[start:stop]`` along ``dim`` as ATen's ``slice`` (negative bounds count from the
    end, then both are clamped), always a view (a SliceBackward0 node, even when whole)."""
    size = t.shape[dim]
    start, stop = (b + size if b < 0 else b for b in (start, stop))
    start = builtins.min(builtins.max(start, 0), size)
    stop = builtins.min(builtins.max(stop, start), size)
    return t.narrow(dim, start, stop - start)


def _constant_pad(input, pad, value):
    """ATen's ``constant_pad_nd`` after its argument checks: a crop narrows the input (low side
    first), with narrow's error when nothing would be left."""
    for (lo, hi), s in zip(_pairs(pad, input.ndim), input.shape, strict=True):
        if s + builtins.min(lo, 0) < 0 or s + builtins.min(lo, 0) + builtins.min(hi, 0) < 0:
            raise RuntimeError("narrow(): length must be non-negative.")
    return call(T["pad"], input, pads=tuple(_pairs(pad, input.ndim)), mode="constant",
                value=value, nd=len(pad) // 2)  # fmt: skip


@public
def constant_pad_nd(input, pad, value=0):
    """Pad the last ``len(pad) // 2`` dims with ``value`` (``pad``: before/after pairs from the
    last dim backwards; negative entries crop)."""
    pad = _int_tuple("constant_pad_nd", pad)
    if len(pad) % 2:
        raise RuntimeError(f"Length of pad must be even but instead it equals {len(pad)}")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError(
            "Length of pad should be no more than twice the number of dimensions of the input. "
            f"Pad length is {len(pad)}while the input has {input.ndim}dimensions."
        )
    return _constant_pad(input, pad, value)
