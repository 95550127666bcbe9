"""Argument normalisation shared by the public op functions."""

from __future__ import annotations

import builtins

import numpy as np

from .._tensor import Tensor, _wrap_dim

_Scalar = (builtins.bool, builtins.int, builtins.float, builtins.complex)


def _arg(x):
    """A tensor or a Python scalar, as op calls take them."""
    if x.__class__ is Tensor or isinstance(x, (Tensor, *_Scalar)):
        return x
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, (np.ndarray, list, tuple)):
        from .._creation import tensor

        return tensor(x)
    raise TypeError(f"unsupported operand type: '{builtins.type(x).__name__}'")


def _dims(dim, ndim):
    """``dim`` normalised to a hashable option: None, an int, or a tuple of ints."""
    if dim is None:
        return None
    if isinstance(dim, (list, tuple)):
        dims = tuple(_wrap_dim(d, ndim) for d in dim)
        for i, d in enumerate(dims):
            if d in dims[:i]:
                raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
        return dims
    return _wrap_dim(dim, ndim)


def check_expand(shape, sizes):
    """Raise torch's error unless ``shape`` broadcasts to ``sizes`` (``-1`` keeps a size);
    returns ``sizes`` with the ``-1`` entries filled in."""
    sizes = list(sizes)
    lead = len(sizes) - len(shape)
    for i, n in enumerate(shape):
        if sizes[lead + i] == -1:
            sizes[lead + i] = n
        elif n != 1 and sizes[lead + i] != n:
            raise RuntimeError(
                f"The expanded size of the tensor ({sizes[lead + i]}) must match the existing "
                f"size ({n}) at non-singleton dimension {lead + i}.  Target sizes: {sizes}.  "
                f"Tensor sizes: {list(shape)}"
            )
    return sizes
