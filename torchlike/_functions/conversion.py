"""dtype and device conversions: ``Tensor.to``, ``type``, ``float()``, ``cpu()``..."""

from __future__ import annotations

import builtins

import jax

from .. import _dtype as D
from .._dispatch import call
from .._ops import TABLE as T
from .._tensor import Tensor
from ._surface import public

# NOTE: ``bool`` below is Tensor.bool; the builtin is needed to parse ``to``'s flags.
_builtin_bool = builtins.bool


# -- conversions ----------------------------------------------------------------------------------
def _to_dtype(input, dtype):
    if dtype is input._dtype:
        return input
    return call(T["to_dtype"], input, dtype=dtype._np)


_CHANNELS_LAST = {"channels_last": (1, 3, 2, 0), "channels_last_3d": (1, 4, 3, 2, 0)}


def _in_layout(input, memory_format):
    """Whether ``to(memory_format=...)`` may return ``input`` itself: torch's asks whether the
    format it suggests for ``input``'s strides is the one requested. torchlike tensors never
    take a channels-last layout, but ``to`` still has to copy exactly when torch's would."""
    name = str(memory_format).removeprefix("torch.")
    if name not in ("contiguous_format", *_CHANNELS_LAST):
        return True
    order = _CHANNELS_LAST.get(name)
    if order is not None and input.dim() != len(order):
        raise RuntimeError(f"required rank {len(order)} tensor to use {name} format")
    return _suggested_format(input) == name


def _suggested_format(input):
    """torch's ``suggest_memory_format()``: the channels-last format whose dim order the strides
    follow (ambiguous size-1 cases read as contiguous), else ``contiguous_format``."""
    for name, order in _CHANNELS_LAST.items():
        if input.dim() == len(order) and _strides_follow(input.shape, input.stride(), order):
            return name
    return "contiguous_format"


def _strides_follow(shape, strides, order):
    if strides[1] == 0:
        return False
    low = 0
    for d in order:
        if shape[d] == 0 or strides[d] < low:
            return False
        # NOTE: torch's tie-break: an N111-like tensor whose batch stride equals the channel
        # stride is contiguous, not channels-last.
        if d == 0 and low == strides[1]:
            return False
        low = strides[d] * shape[d] if shape[d] > 1 else strides[d]
    return True


def _to_arguments(input, args, kwargs):
    """``(dtype, device, copy)`` from one of ``Tensor.to``'s three signatures:
    ``(device=None, dtype=None, non_blocking=False, copy=False)``,
    ``(dtype, non_blocking=False, copy=False)`` and ``(other, non_blocking=False, copy=False)``."""
    dtype, device = kwargs.pop("dtype", None), kwargs.pop("device", None)
    memory_format = kwargs.pop("memory_format", None)
    args = list(args)
    if args and isinstance(args[0], Tensor):
        other = args.pop(0)
        dtype, device = other._dtype, other.device
    elif args and isinstance(args[0], D.dtype):
        dtype = args.pop(0)
    elif args and not isinstance(args[0], _builtin_bool):
        device = args.pop(0)
        if args and (args[0] is None or isinstance(args[0], D.dtype)):
            dtype = args.pop(0)
    # NOTE: the positional booleans after the dtype/device/tensor are torch's
    # ``non_blocking`` then ``copy`` (``x.to('cpu', torch.float64, False, True)`` copies).
    flags = dict(zip(("non_blocking", "copy"), args))
    if len(args) > 2 or not all(isinstance(f, _builtin_bool) for f in flags.values()):
        raise TypeError(f"to() received an invalid combination of arguments - got {tuple(args)}")
    flags.update(kwargs)
    return dtype, device, flags.get("copy", False) or not _in_layout(input, memory_format)


@public(function=False, method=True)
def to(input, *args, **kwargs):
    """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)``; each also takes
    ``non_blocking`` and ``copy`` (a new tensor even when nothing changes)."""
    dtype, device, copy = _to_arguments(input, args, kwargs)
    out = _to_dtype(input, dtype) if dtype is not None else input
    if device is not None:
        from .._device import device as _dev

        dev = _dev(device)
        if dev != input.device:
            moved = call(T["clone"], out)
            moved._storage.array = jax.device_put(moved._array, dev.jax_device())
            out = moved
    if copy and out is input:
        # NOTE: torch's forced copy is ``_to_copy`` (ToCopyBackward0), not ``clone``.
        out = call(T["to_dtype"], input, dtype=input._dtype._np)
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
    """``Tensor.<name>()``: a copy in dtype ``dt`` (``self`` when it already has it and is
    laid out as ``memory_format`` asks)."""

    def f(input, memory_format=None):
        return to(input, dt, memory_format=memory_format)

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
