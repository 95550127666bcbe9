"""Tensor creation: from data, filled, ranges, and random draws (under a global generator)."""

from __future__ import annotations

import builtins
import math
import threading

import jax
import jax.numpy as jnp
import numpy as np

from . import _dtype as D
from ._device import device as _device_cls
from ._dispatch import wrap
from ._tensor import Tensor

__all__ = [
    "tensor", "as_tensor", "from_numpy", "zeros", "ones", "full", "empty", "arange", "linspace",
    "eye", "zeros_like", "ones_like", "full_like", "empty_like", "rand", "randn", "randint",
    "normal", "rand_like", "randn_like", "manual_seed", "seed", "initial_seed", "Generator",
    "is_tensor",
]  # fmt: skip


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


def _place(array, device):
    if device is None:
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


def from_numpy(ndarray: np.ndarray) -> Tensor:
    """A tensor with ``ndarray``'s values and dtype (copied: JAX arrays are immutable)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
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


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    dtype = dtype or D.scalar_dtype(fill_value)
    return _filled(fill_value, _size((size,)), dtype, device, requires_grad)


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
    return _filled(fill_value, *_like(input, dtype), device, requires_grad)


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Values from ``start`` to ``end`` (exclusive) by ``step``; int64 unless a bound is a float."""
    if end is None:
        start, end = 0, start
    vals = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if dtype is None:
        dtype = (D.get_default_dtype() if builtins.any(isinstance(v, float) for v in vals)
                 else D.int64)  # fmt: skip
    start, end, step = vals
    n = builtins.max(0, math.ceil((end - start) / step))
    # NOTE: computed in float64 like torch's kernel (start + i*step), then cast.
    data = (start + np.arange(n, dtype=np.float64) * step) if dtype._cat >= D._FLOAT else \
        np.arange(start, end, step)
    return _finish(np.asarray(data).astype(dtype._np), dtype, device, requires_grad)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    dtype = dtype or D.get_default_dtype()
    start, end = (v.item() if isinstance(v, Tensor) else v for v in (start, end))
    if steps == 1:
        return full((1,), start, dtype=dtype, device=device, requires_grad=requires_grad)
    # NOTE: torch computes in the output dtype and fills the first half from start and the
    # second half from end.
    ct = dtype._np if dtype._cat >= D._FLOAT else np.float64
    start_, end_ = ct.type(start), ct.type(end)
    step = (end_ - start_) / ct.type(steps - 1)
    i = np.arange(steps).astype(ct)
    data = np.where(i < steps // 2, start_ + step * i, end_ - step * (ct.type(steps - 1) - i))
    return _finish(data.astype(dtype._np), dtype, device, requires_grad)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False) -> Tensor:
    dtype = dtype or D.get_default_dtype()
    return _finish(np.eye(n, n if m is None else m, dtype=dtype._np), dtype, device, requires_grad)


# -- random ---------------------------------------------------------------------------------------
class Generator:
    """A JAX PRNG key that advances on every draw (thread-safe). Reproducible under
    ``manual_seed`` within torchlike; not bit-compatible with PyTorch's generator."""

    def __init__(self, device="cpu"):
        self._lock = threading.Lock()
        self.device = _device_cls(device)
        self.manual_seed(67280421310721)

    def manual_seed(self, seed: int) -> Generator:
        with self._lock:
            self._seed = int(seed)
            self._key = jax.random.key(self._seed % (1 << 64))
        return self

    def initial_seed(self) -> int:
        return self._seed

    def seed(self) -> int:
        s = int.from_bytes(np.random.bytes(8), "little") >> 1
        self.manual_seed(s)
        return s

    def next_key(self):
        with self._lock:
            self._key, sub = jax.random.split(self._key)
        return sub


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the global generator."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def _random(draw, size, dtype, device, requires_grad, generator):
    dtype = dtype or D.get_default_dtype()
    key = (generator or default_generator).next_key()
    arr = draw(key, _size(size), dtype._np)
    return _finish(arr, dtype, device, requires_grad)


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None) -> Tensor:
    """Uniform samples on [0, 1)."""
    return _random(jax.random.uniform, size, dtype, device, requires_grad, generator)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None) -> Tensor:
    """Standard normal samples."""
    return _random(jax.random.normal, size, dtype, device, requires_grad, generator)


def _rand_size_kw(fn):
    """Accept ``size=`` as a keyword too (``torch.randn(size=())``)."""

    def wrapper(*size, **kw):
        if "size" in kw:
            size = (kw.pop("size"),)
        return fn(*size, **kw)

    wrapper.__doc__, wrapper.__name__ = fn.__doc__, fn.__name__
    return wrapper


rand = _rand_size_kw(rand)
randn = _rand_size_kw(randn)
zeros = _rand_size_kw(zeros)
ones = _rand_size_kw(ones)
empty = _rand_size_kw(empty)


def randint(low, high=None, size=None, *, generator=None, dtype=None, device=None,
            requires_grad=False) -> Tensor:  # fmt: skip
    if size is None:
        low, high, size = 0, low, high
    dtype = dtype or D.int64
    key = (generator or default_generator).next_key()
    arr = jax.random.randint(key, _size((size,)), low, high, dtype=dtype._np)
    return _finish(arr, dtype, device, requires_grad)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None,
           requires_grad=False) -> Tensor:  # fmt: skip
    """Normal samples with the given mean and std (scalars or tensors)."""
    if size is None:
        shapes = [x.shape for x in (mean, std) if isinstance(x, Tensor)]
        size = np.broadcast_shapes(*shapes) if shapes else ()
        dtype = dtype or next(x._dtype for x in (mean, std) if isinstance(x, Tensor))
    m = np.asarray(mean._array) if isinstance(mean, Tensor) else mean
    s = np.asarray(std._array) if isinstance(std, Tensor) else std
    z = _random(jax.random.normal, (tuple(size),), dtype, device, False, generator)
    out = np.asarray(z._array) * s + m
    dtype = dtype or D.get_default_dtype()
    return _finish(out.astype(dtype._np), dtype, device, requires_grad)


def rand_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return rand(*input.shape, dtype=dtype or input._dtype, device=device,
                requires_grad=requires_grad)  # fmt: skip


def randn_like(input, *, dtype=None, device=None, requires_grad=False, memory_format=None):
    return randn(*input.shape, dtype=dtype or input._dtype, device=device,
                 requires_grad=requires_grad)  # fmt: skip


def _rebuild(values, dtype_name, requires_grad):
    return tensor(values, dtype=getattr(D, dtype_name), requires_grad=requires_grad)
