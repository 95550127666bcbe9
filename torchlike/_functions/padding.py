"""Padding: ``nn.functional.pad`` (constant, reflect, replicate, circular) and
``torch.constant_pad_nd``. It lives here, below ``nn``, because torch-level functions pad too
(``stft``'s centring); ``nn.functional`` re-exports ``pad``."""

from __future__ import annotations

from .._dispatch import call
from .._ops import TABLE as T
from ._surface import public

__all__ = ["pad", "constant_pad_nd"]


def pad(input, pad, mode="constant", value=None):
    """Pad the last ``len(pad) // 2`` dimensions: ``pad = (left, right, top, bottom, ...)``."""
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    n = len(pad) // 2
    if n > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(pad)} and input of "
                           f"dimension {input.ndim}")  # fmt: skip
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode != "constant":
        if value not in (None, 0):
            raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
        if not (n <= 3 and input.ndim in (n + 1, n + 2)):
            raise NotImplementedError(
                f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor.\n"
                "Supported combinations for non-constant padding:\n"
                "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
                "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
                "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)"
            )
        if mode == "reflect":
            for i in range(n):
                lo, hi = pad[2 * i], pad[2 * i + 1]
                dim = input.ndim - 1 - i
                if lo >= input.shape[dim] or hi >= input.shape[dim]:
                    raise RuntimeError(
                        f"Argument #4: Padding size should be less than the corresponding input "
                        f"dimension, but got: padding ({lo}, {hi}) at dimension {dim} of input "
                        f"{list(input.shape)}"
                    )
    pairs = [(0, 0)] * input.ndim
    for i in range(n):
        pairs[input.ndim - 1 - i] = (pad[2 * i], pad[2 * i + 1])
    return call(T["pad"], input, pads=tuple(pairs), mode=mode,
                value=0.0 if value is None else value, nd=n)  # fmt: skip


_pad = pad  # NOTE: constant_pad_nd's argument is called ``pad`` too


@public
def constant_pad_nd(input, pad, value=0):
    """Pad the last ``len(pad) // 2`` dims with ``value`` (``pad``: before/after pairs from the
    last dim backwards; negative entries crop)."""
    if len(pad) % 2:
        raise RuntimeError(f"Length of pad must be even but instead it equals {len(pad)}")
    return _pad(input, tuple(pad), value=value)
