"""dtype and device conversions: ``to``, ``type``, ``float()``..."""

from __future__ import annotations

import jax

from .. import _dtype as D
from .._dispatch import call
from .._ops import TABLE as T
from .._tensor import Tensor
from .shape import clone


# -- conversions ----------------------------------------------------------------------------------
def _to_dtype(input, dtype):
    if dtype is input._dtype:
        return input
    return call(T["to_dtype"], input, dtype=dtype._np)


def to(input, *args, **kwargs):
    """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)``."""
    dtype, device = kwargs.pop("dtype", None), kwargs.pop("device", None)
    kwargs.pop("non_blocking", None), kwargs.pop("memory_format", None)
    copy = kwargs.pop("copy", False)
    for a in args:
        if isinstance(a, D.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            dtype, device = a._dtype, a.device
        elif a is not None:
            device = a
    out = _to_dtype(input, dtype) if dtype is not None else input
    if device is not None:
        from .._device import device as _dev

        dev = _dev(device)
        if dev != input.device:
            moved = call(T["clone"], out)
            moved._storage.array = jax.device_put(moved._array, dev.jax_device())
            out = moved
    if copy and out is input:
        out = clone(input)
    return out


def type(input, dtype=None, non_blocking=False):
    """``x.type()`` names the legacy type (``'torch.FloatTensor'``); ``x.type(torch.float64)``,
    ``x.type('torch.DoubleTensor')`` and ``x.type(torch.DoubleTensor)`` convert."""
    if dtype is None:
        return D.legacy_type_name(input._dtype)
    if isinstance(dtype, str):
        by_name = {f"torch.{v}Tensor": k for k, v in D._LEGACY.items()}
        if dtype not in by_name:
            raise ValueError(f"invalid type: '{dtype}'")
        dtype = by_name[dtype]
    elif not isinstance(dtype, D.dtype) and hasattr(dtype, "dtype"):
        dtype = dtype.dtype  # torch.FloatTensor and the other legacy type objects
    return _to_dtype(input, dtype)


def type_as(input, other):
    return _to_dtype(input, other._dtype)


def _converter(dt):
    def f(input, memory_format=None):
        return _to_dtype(input, dt)

    return f
