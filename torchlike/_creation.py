"""Tensor creation: from data, filled, ranges, and random draws (under a global generator)."""

from __future__ import annotations

import builtins
import functools
import math
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from . import _dtype as D
from ._device import device as _device_cls
from ._dispatch import wrap
from ._functions._surface import public, write_out
from ._tensor import Size, Tensor
from ._warn_once import warn_once

__all__ = [
    "tensor", "as_tensor", "from_numpy", "zeros", "ones", "full", "empty", "arange", "linspace",
    "eye", "zeros_like", "ones_like", "full_like", "empty_like", "is_tensor",
    "set_default_device", "get_default_device", "FloatTensor", "DoubleTensor", "HalfTensor",
    "BFloat16Tensor", "LongTensor", "IntTensor", "ShortTensor", "CharTensor", "ByteTensor",
    "BoolTensor",
]  # fmt: skip


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


def _place(array, device):
    if device is None:
        device = _default_device[0]
        if device is None or device.type == "cpu":
            return array
    return jax.device_put(array, _device_cls(device).jax_device())


def _finish(np_array, dtype, device, requires_grad) -> Tensor:
    t = wrap(_place(jnp.asarray(np_array), device))
    if requires_grad:
        if not (dtype._cat >= D._FLOAT):
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
        t._req = True
    return t


def _infer_dtype(data) -> D.dtype:
    """PyTorch's dtype for nested Python data: floats -> default dtype, ints -> int64..."""
    best = None
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, Tensor):
            if x.numel() != 1 and x.ndim > 0:
                raise ValueError("only one element tensors can be converted to Python scalars")
            d = x._dtype
        elif isinstance(x, (list, tuple, range)):
            stack.extend(x)
            continue
        elif isinstance(x, np.ndarray):
            d = D.from_numpy_dtype(x.dtype)
        elif isinstance(x, np.generic):
            d = D.from_numpy_dtype(x.dtype)
        elif isinstance(x, (builtins.bool, builtins.int, builtins.float, builtins.complex)):
            d = D.scalar_dtype(x)
        else:
            raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
        best = d if best is None else D.promote_types(best, d)
    return D.get_default_dtype() if best is None else best


def _to_numpy(data, dtype: D.dtype) -> np.ndarray:
    if isinstance(data, range):
        data = list(data)
    if isinstance(data, Tensor):
        return np.asarray(data._array).astype(dtype._np)
    if isinstance(data, (list, tuple)) and any(isinstance(x, Tensor) for x in _flat(data)):
        data = _map_nested(data, lambda x: x.item() if isinstance(x, Tensor) else x)
    return np.asarray(data, dtype=dtype._np)


def _flat(data):
    stack = [data]
    while stack:
        x = stack.pop()
        if isinstance(x, (list, tuple)):
            stack.extend(x)
        else:
            yield x


def _map_nested(data, f):
    if isinstance(data, (list, tuple)):
        return [_map_nested(x, f) for x in data]
    return f(data)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False) -> Tensor:
    """A new leaf tensor holding a copy of ``data`` (nested lists, numbers, NumPy arrays).

    >>> torchlike.tensor([1.0, 2.0], requires_grad=True)
    tensor([1., 2.], requires_grad=True)
    """
    dtype = dtype or _infer_dtype(data)
    return _finish(_to_numpy(data, dtype), dtype, device, requires_grad)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    if isinstance(data, Tensor) and (dtype is None or dtype is data._dtype) and device is None:
        return data
    return tensor(data, dtype=dtype, device=device)


_NUMPY_KINDS = (
    "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, "
    "uint64, uint32, uint16, uint8, and bool"
)


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor with ``ndarray``'s values and dtype (copied: JAX arrays are immutable)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    if ndarray.dtype.kind not in "fciub" or ndarray.dtype.itemsize > 16:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{ndarray.dtype.type.__name__}. The only "
            f"supported types are: {_NUMPY_KINDS}."
        )
    if not ndarray.flags.writeable:
        warn_once(
            "from_numpy read-only",
            "The given NumPy array is not writable, and PyTorch does not support non-writable "
            "tensors. This means writing to this tensor will result in undefined behavior. You "
            "may want to copy the array to protect its data or make it writable before "
            "converting it to a tensor. This type of warning will be suppressed for the rest of "
            "this program.", UserWarning, stacklevel=2,
        )  # fmt: skip
    return wrap(jnp.asarray(ndarray, D.from_numpy_dtype(ndarray.dtype)._np))


def _size(size) -> tuple:
    if len(size) == 1 and isinstance(size[0], (list, tuple)):
        size = size[0]
    return tuple(int(s) for s in size)


def _filled(value, size, dtype, device, requires_grad):
    dtype = dtype or D.get_default_dtype()
    return _finish(np.full(size, value, dtype._np), dtype, device, requires_grad)


def zeros(*size, out=None, dtype=None, device=None, requires_grad=False, layout=None) -> Tensor:
    return _filled(0, _size(size), dtype, device, requires_grad)


def ones(*size, out=None, dtype=None, device=None, requires_grad=False, layout=None) -> Tensor:
    return _filled(1, _size(size), dtype, device, requires_grad)


def empty(*size, out=None, dtype=None, device=None, requires_grad=False, layout=None,
          memory_format=None) -> Tensor:  # fmt: skip
    # NOTE: XLA has no uninitialised memory; empty is zeros.
    return _filled(0, _size(size), dtype, device, requires_grad)


def _fill_value(value, dtype):
    """``value`` as torch converts a fill value (a ``Scalar``) into ``dtype``: its overflow
    errors, and a negative integer wrapped into uint8 (-8 -> 248)."""
    from ._functions.combine import check_scalar_fits  # NOTE: same layer, imported after us

    if type(value) is int and not -(2**63) <= value < 2**64:
        raise OverflowError("int too big to convert")
    check_scalar_fits(value, dtype)
    if dtype is D.uint8 and type(value) is int and value < 0:
        return value + 256
    return value


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    dtype = dtype or D.scalar_dtype(fill_value)
    return _filled(_fill_value(fill_value, dtype), _size((size,)), dtype, device, requires_grad)


def _like(t, dtype):
    return t.shape, dtype or t._dtype


def zeros_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _filled(0, *_like(input, dtype), device, requires_grad)


def ones_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _filled(1, *_like(input, dtype), device, requires_grad)


def empty_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return _filled(0, *_like(input, dtype), device, requires_grad)


def full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False,
              memory_format=None):  # fmt: skip
    shape, dtype = _like(input, dtype)
    return _filled(_fill_value(fill_value, dtype), shape, dtype, device, requires_grad)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Values from ``start`` to ``end`` (exclusive) by ``step``; int64 unless a bound is a float."""
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if dtype is None:
        dtype = (D.get_default_dtype() if builtins.any(isinstance(v, float) for v in vals)
                 else D.int64)  # fmt: skip
    start, end, step = vals
    if not (step > 0 or step < 0):  # 0 and nan
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError(f"unsupported range: {_num(start)} -> {_num(end)}")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is D.bool:
        raise NotImplementedError("\"arange_cpu\" not implemented for 'Bool'")
    if dtype._cat >= D._FLOAT:
        # NOTE: computed in float64 like torch's kernel (start + i*step), then cast.
        n = math.ceil((end - start) / step)
        data = start + np.arange(n, dtype=np.float64) * step
    else:
        data = _int_range(start, end, step, dtype)
    return _finish(np.asarray(data).astype(dtype._np), dtype, device, requires_grad)


def _int_range(start, end, step, dtype):
    """arange in an integer dtype as torch's kernel: the bounds and step truncated to integers
    (a fractional step may truncate to 0: every value is then ``start``); the length from the
    exact bounds, except for int64, whose length comes from the truncated ones."""
    istart, iend, istep = (builtins.int(v) for v in (start, end, step))
    if dtype is D.int64:
        if istep == 0:
            raise ValueError("step must be nonzero")
        sgn = (istep > 0) - (istep < 0)
        num = iend - istart + istep - sgn
        n = builtins.abs(num) // builtins.abs(istep) * (1 if (num >= 0) == (istep > 0) else -1)
    else:
        n = math.ceil((end - start) / step)
    return istart + np.arange(n, dtype=np.int64) * istep


def _num(v) -> str:
    """A number as ATen's messages print it (C++ stream: ``1``, ``0.5``, ``inf``)."""
    return f"{v:g}" if isinstance(v, float) else str(v)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    from ._functions.numeric import check_space_args  # NOTE: same layer, imported after us

    check_space_args("linspace", start, end, steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dtype = dtype or D.get_default_dtype()
    start, end = (v.item() if isinstance(v, Tensor) else v for v in (start, end))
    if steps == 1:
        return full((1,), start, dtype=dtype, device=device, requires_grad=requires_grad)
    # NOTE: torch computes in the output dtype and fills the first half from start and the
    # second half from end; for an integer dtype, from the bounds converted to it (truncated,
    # wrapped: -5 is 251 in uint8) with a float64 step.
    if dtype._cat >= D._FLOAT:
        ct = dtype._np
        start_, end_ = ct.type(start), ct.type(end)
    else:
        ct = np.dtype(np.float64)
        start_, end_ = (np.array(int(v)).astype(dtype._np).astype(ct) for v in (start, end))
    step = (end_ - start_) / ct.type(steps - 1)
    i = np.arange(steps).astype(ct)
    data = np.where(i < steps // 2, start_ + step * i, end_ - step * (ct.type(steps - 1) - i))
    return _finish(data.astype(dtype._np), dtype, device, requires_grad)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    for which, v in (("n", n), ("m", m)):
        if v is not None and v < 0:
            raise RuntimeError(f"{which} must be greater or equal to 0, got {v}")
    dtype = dtype or D.get_default_dtype()
    return _finish(np.eye(n, n if m is None else m, dtype=dtype._np), dtype, device, requires_grad)


def _rand_size_kw(fn):
    """Accept ``size=`` as a keyword too (``torch.randn(size=())``)."""

    def wrapper(*size, **kw):
        if "size" in kw:
            size = (kw.pop("size"),)
        return fn(*size, **kw)

    wrapper.__doc__, wrapper.__name__ = fn.__doc__, fn.__name__
    return wrapper


zeros = _rand_size_kw(zeros)
ones = _rand_size_kw(ones)
empty = _rand_size_kw(empty)


# -- Tensor.new_* ---------------------------------------------------------------------------------
@public(function=False, method=True)
def new_zeros(self, *size, dtype=None, device=None, requires_grad=False, **kw):
    return zeros(*size, dtype=dtype or self._dtype, device=device, requires_grad=requires_grad)


@public(function=False, method=True)
def new_ones(self, *size, dtype=None, device=None, requires_grad=False, **kw):
    return ones(*size, dtype=dtype or self._dtype, device=device, requires_grad=requires_grad)


@public(function=False, method=True)
def new_empty(self, *size, dtype=None, device=None, requires_grad=False, **kw):
    return empty(*size, dtype=dtype or self._dtype, device=device, requires_grad=requires_grad)


@public(function=False, method=True)
def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False, **kw):
    return full(size, fill_value, dtype=dtype or self._dtype, device=device,
                requires_grad=requires_grad)  # fmt: skip


@public(function=False, method=True)
def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False, **kw):
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use sourceTensor.detach()."
            "clone() or sourceTensor.detach().clone().requires_grad_(True), rather than "
            "tensor.new_tensor(sourceTensor).", UserWarning, stacklevel=2,
        )  # fmt: skip
    return tensor(data, dtype=dtype or self._dtype, device=device, requires_grad=requires_grad)


# -- legacy typed constructors (torch.FloatTensor ...) --------------------------------------------
def _options(dt):
    return (f"TensorOptions(dtype={D.cpp_type_name(dt)}, device=cpu, layout=Strided, "
            "requires_grad=false (default), pinned_memory=false (default), "
            "memory_format=(nullopt))")  # fmt: skip


class _LegacyTensorType(type):
    """``torch.FloatTensor`` and friends: calling one makes a tensor of its dtype;
    ``isinstance(x, torch.FloatTensor)`` checks ``x``'s dtype (as torch's type objects do)."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj._dtype is cls.dtype and obj.device.type == "cpu"

    def __call__(cls, *args, device=None):
        dt = cls.dtype
        if not args:
            return empty(0, dtype=dt, device=device)
        if len(args) == 1 and isinstance(args[0], Tensor):
            if args[0]._dtype is not dt:
                raise TypeError(f"expected {_options(dt)} (got {_options(args[0]._dtype)})")
            return args[0]
        sizes = builtins.all(isinstance(a, builtins.int) and not isinstance(a, builtins.bool)
                             for a in args)  # fmt: skip
        if sizes or (len(args) == 1 and isinstance(args[0], Size)):
            return zeros(*args, dtype=dt, device=device)
        if len(args) == 1:
            return tensor(args[0], dtype=dt, device=device)
        raise TypeError(f"new() received an invalid combination of arguments - got {args}")

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"


def _legacy_type(name, dt):
    return _LegacyTensorType(name, (), {"dtype": dt, "__module__": "torch", "__slots__": ()})


FloatTensor = _legacy_type("FloatTensor", D.float32)
DoubleTensor = _legacy_type("DoubleTensor", D.float64)
HalfTensor = _legacy_type("HalfTensor", D.float16)
BFloat16Tensor = _legacy_type("BFloat16Tensor", D.bfloat16)
LongTensor = _legacy_type("LongTensor", D.int64)
IntTensor = _legacy_type("IntTensor", D.int32)
ShortTensor = _legacy_type("ShortTensor", D.int16)
CharTensor = _legacy_type("CharTensor", D.int8)
ByteTensor = _legacy_type("ByteTensor", D.uint8)
BoolTensor = _legacy_type("BoolTensor", D.bool)
_LEGACY_TYPES = {c.__name__: c for c in (FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor,
                                         LongTensor, IntTensor, ShortTensor, CharTensor,
                                         ByteTensor, BoolTensor)}  # fmt: skip


# -- default device -------------------------------------------------------------------------------
_default_device = [None]


def set_default_device(device) -> None:
    """Place tensors made by creation functions on ``device`` when none is given."""
    _default_device[0] = None if device is None else _device_cls(device)


def get_default_device():
    return _default_device[0] or _device_cls("cpu")


def _rebuild(values, dtype_name, requires_grad):
    return tensor(values, dtype=getattr(D, dtype_name), requires_grad=requires_grad)


def _legacy_new(cls, *args, device=None):
    """The legacy constructor: ``Tensor([1, 2])`` (float32 data), ``Tensor(2, 3)`` (a float32
    tensor of that shape), ``Tensor(other)`` (``other`` itself, any dtype)."""
    if not args:
        args = (0,)
    if len(args) == 1 and isinstance(args[0], Tensor):
        return args[0]
    if builtins.all(isinstance(a, builtins.int) for a in args):
        return zeros(*args, dtype=D.float32, device=device)
    if len(args) == 1:
        return tensor(args[0], dtype=D.float32, device=device)
    raise TypeError(f"new() received an invalid combination of arguments - got {args}")


def _reduce_ex(self, protocol):
    return (_rebuild, (np.asarray(self._storage.array), self._dtype._name, self._req))


# NOTE: creation sits above Tensor, so it installs the legacy constructor and pickling's rebuild
# when imported (``__new__`` set after the class statement needs the explicit staticmethod).
Tensor.__new__ = staticmethod(_legacy_new)
Tensor.__reduce_ex__ = _reduce_ex


def _write_out(fn, check=None):
    """``out=`` for a creation or sampling function: the result is written into ``out`` with
    torch's rules (dtype cast, no autograd), resized without the deprecation warning, as torch's
    factories do. ``check(out, *args, **kwargs)`` vets ``out`` first."""

    @functools.wraps(fn)
    def f(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        if check is not None:
            check(out, *args, **kwargs)
        if isinstance(out, Tensor) and kwargs.get("dtype") not in (None, out._dtype):
            raise RuntimeError(
                f"dtype {D._LEGACY[kwargs['dtype']]} does not match dtype of out parameter "
                f"({D._LEGACY[out._dtype]})"
            )
        if kwargs.get("dtype") is None and isinstance(out, Tensor) and fn.__name__ not in (
                "randperm", "multinomial", "bernoulli", "normal"):  # fmt: skip
            kwargs["dtype"] = out._dtype
        return write_out(
            f"aten::{fn.__name__}", out, lambda: fn(*args, **kwargs), (), resize_warning=False
        )

    return f


zeros, ones, empty, arange, linspace, eye, full = (
    _write_out(f) for f in (zeros, ones, empty, arange, linspace, eye, full)
)  # fmt: skip

# NOTE: the random functions live in ``_random`` (built on the helpers above). This module forwards
# their names (PEP 562), so ``from torchlike._creation import rand`` keeps working whichever
# of the two modules is imported first.
_RANDOM_NAMES = frozenset({
    "Generator", "bernoulli", "default_generator", "get_rng_state", "initial_seed", "manual_seed",
    "multinomial", "normal", "poisson", "rand", "rand_like", "randint", "randint_like", "randn",
    "randn_like", "randperm", "seed", "set_rng_state", "_key",
})  # fmt: skip


def __getattr__(name):
    if name in _RANDOM_NAMES:
        from . import _random

        return getattr(_random, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
