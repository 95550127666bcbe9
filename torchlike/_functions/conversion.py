"""dtype and device conversions: ``Tensor.to``, ``type``, ``float()``, ``cpu()``..."""

from __future__ import annotations

import jax

from .. import _dtype as D
from .._dispatch import call
from .._ops import TABLE as T
from .._tensor import Tensor
from ._surface import public
from .shape import clone


# -- conversions ----------------------------------------------------------------------------------
def _to_dtype(input, dtype):
    if dtype is input._dtype:
        return input
    return call(T["to_dtype"], input, dtype=dtype._np)


@public(function=False, method=True)
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


@public(function=False, method=True)
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


@public(function=False, method=True)
def type_as(input, other):
    return _to_dtype(input, other._dtype)


@public(function=False, method=True)
def cpu(input, memory_format=None):
    return to(input, "cpu")


@public(function=False, method=True)
def cuda(input, device=None, non_blocking=False):
    return to(input, device or "cuda")


def _converter(name, dt):
    """``Tensor.<name>()``: a copy in dtype ``dt`` (``self`` when it already has it)."""

    def f(input, memory_format=None):
        return _to_dtype(input, dt)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"``self.to({dt})``."
    return public(f, function=False, method=True)


float = _converter("float", D.float32)
double = _converter("double", D.float64)
half = _converter("half", D.float16)
bfloat16 = _converter("bfloat16", D.bfloat16)
long = _converter("long", D.int64)
int = _converter("int", D.int32)
short = _converter("short", D.int16)
char = _converter("char", D.int8)
byte = _converter("byte", D.uint8)
bool = _converter("bool", D.bool)
