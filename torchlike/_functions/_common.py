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


def _type_name(x) -> str:
    return "Tensor" if isinstance(x, Tensor) else builtins.type(x).__name__


def check_tensors(fname, input, other, names=("input", "other")):
    """torch's argument-parser error for an op whose operands must both be tensors
    (``torch.maximum(t, 2)``): the first non-tensor, by name and position."""
    for pos, (name, value) in enumerate(zip(names, (input, other)), 1):
        if not isinstance(value, Tensor):
            raise TypeError(
                f"{fname}(): argument '{name}' (position {pos}) must be Tensor, not "
                f"{_type_name(value)}"
            )


def check_scalar_operands(fname, input, other, *, input_scalar=True):
    """torch's argument-parser error for a binary op that takes a number for one operand:
    never for both, and (``input_scalar=False``: ``torch.eq``, ``torch.fmod``) never for
    ``input``."""
    if isinstance(input, Tensor) or (input_scalar and isinstance(other, Tensor)):
        return
    raise TypeError(
        f"{fname}() received an invalid combination of arguments - got "
        f"({_type_name(input)}, {_type_name(other)}), but expected one of:"
    )


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
