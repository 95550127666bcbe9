"""Tensor creation: from data, filled, ranges, and random draws (under a global generator)."""

from __future__ import annotations

import builtins
import functools
import math
import threading
import warnings

import jax
import jax.numpy as jnp
import numpy as np

from . import _dtype as D
from ._device import device as _device_cls
from ._dispatch import wrap
from ._functions._surface import make_inplace, public, write_out
from ._tensor import Size, Tensor
from ._warn_once import warn_once

__all__ = [
    "tensor", "as_tensor", "from_numpy", "zeros", "ones", "full", "empty", "arange", "linspace",
    "eye", "zeros_like", "ones_like", "full_like", "empty_like", "rand", "randn", "randint",
    "normal", "rand_like", "randn_like", "manual_seed", "seed", "initial_seed", "Generator",
    "is_tensor", "randint_like", "randperm", "bernoulli", "poisson", "multinomial",
    "get_rng_state", "set_rng_state", "set_default_device", "get_default_device", "FloatTensor",
    "DoubleTensor", "HalfTensor", "BFloat16Tensor", "LongTensor", "IntTensor", "ShortTensor",
    "CharTensor", "ByteTensor", "BoolTensor",
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

    def get_state(self) -> Tensor:
        """The generator's state as a uint8 tensor: its seed and current key (torchlike's
        layout, not torch's)."""
        with self._lock:
            words = np.asarray(jax.random.key_data(self._key)).astype(np.uint32)
            seed = np.array([self._seed % (1 << 64)], np.uint64)
        raw = np.concatenate([seed.view(np.uint8), words.view(np.uint8)])
        return wrap(jnp.asarray(raw))

    def set_state(self, new_state: Tensor) -> Generator:
        if not isinstance(new_state, Tensor) or new_state._dtype is not D.uint8:
            raise TypeError(
                "expected a torch.ByteTensor, but got "
                f"{type(new_state).__name__ if not isinstance(new_state, Tensor) else new_state.type()}"  # noqa: E501
            )
        raw = np.asarray(new_state._array)
        n = np.asarray(jax.random.key_data(self._key)).size * 4 + 8
        if raw.size != n:
            raise RuntimeError("RNG state is wrong size")
        with self._lock:
            self._seed = int(raw[:8].view(np.uint64)[0])
            self._key = jax.random.wrap_key_data(jnp.asarray(raw[8:].view(np.uint32)))
        return self

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


def _key(generator):
    return (generator or default_generator).next_key()


def _random(draw, size, dtype, device, requires_grad, generator):
    dtype = dtype or D.get_default_dtype()
    arr = draw(_key(generator), _size(size), dtype._np)
    return _finish(arr, dtype, device, requires_grad)


def _uniform(key, shape, dtype):
    if np.issubdtype(dtype, np.complexfloating):
        # NOTE: torch draws a complex number's two parts independently, each on [0, 1).
        parts = jax.random.uniform(key, (*shape, 2), np.finfo(dtype).dtype)
        return jax.lax.complex(parts[..., 0], parts[..., 1])
    return jax.random.uniform(key, shape, dtype)


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None) -> Tensor:
    """Uniform samples on [0, 1)."""
    return _random(_uniform, size, dtype, device, requires_grad, generator)


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


def _int_draw(key, shape, low, high, dtype):
    """Integers uniform on [low, high) in ``dtype`` (drawn as int64: bounds may exceed the
    target's range only for float targets, where they stay exact)."""
    arr = jax.random.randint(key, shape, low, high, dtype=np.int64)
    return arr.astype(dtype._np)


def randint(low, high=None, size=None, *, generator=None, dtype=None, device=None,
            requires_grad=False) -> Tensor:  # fmt: skip
    """Integers uniform on [low, high) (``randint(high, size)`` starts at 0)."""
    if size is None:
        low, high, size = 0, low, high
    if high <= low:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    dtype = dtype or D.int64
    arr = _int_draw(_key(generator), _size((size,)), low, high, dtype)
    return _finish(arr, dtype, device, requires_grad)


def randint_like(input, low=0, high=None, *, generator=None, dtype=None, device=None,
                 requires_grad=False, memory_format=None) -> Tensor:  # fmt: skip
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, generator=generator, dtype=dtype or input._dtype,
                   device=device, requires_grad=requires_grad)  # fmt: skip


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False,
             out=None) -> Tensor:  # fmt: skip
    """A random permutation of ``0 .. n-1``."""
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    dtype = dtype or D.int64
    arr = jax.random.permutation(_key(generator), n).astype(dtype._np)
    return _finish(arr, dtype, device, requires_grad)


def _sample_node(arr, name, *inputs):
    """``arr`` as the result of a draw from ``inputs``: torch gives such draws a node through
    which a zero gradient flows back to the tensor inputs."""
    from ._dispatch import call
    from ._ops import TABLE

    tensors = [t for t in inputs if isinstance(t, Tensor)]
    return call(TABLE["sample"], *tensors, wrap(arr), name=name)


def _check_std(std):
    if isinstance(std, Tensor):
        if bool((np.asarray(std._array) < 0).any()):
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, layout=None,
           device=None, pin_memory=False, requires_grad=False, out=None) -> Tensor:  # fmt: skip
    """Normal samples. Overloads as torch's: ``normal(mean_tensor, std_tensor)``,
    ``normal(mean_tensor, std=1.0)``, ``normal(mean, std_tensor)``, ``normal(mean, std, size)``.
    No gradient flows to ``mean`` or ``std`` (torch's derivative is zero)."""
    _check_std(std)
    tm, ts = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not (tm or ts):
        if size is None:
            raise TypeError(
                "normal() received an invalid combination of arguments - got (float, float), "
                "but expected (float mean, float std, tuple of ints size)"
            )
        dtype = dtype or D.get_default_dtype()
        z = jax.random.normal(_key(generator), _size((size,)), dtype._np)
        return _finish(z * std + mean, dtype, device, requires_grad)
    ref = mean if tm else std
    shape = np.broadcast_shapes(*[t.shape for t in (mean, std) if isinstance(t, Tensor)])
    m = mean._array if tm else mean
    s = std._array if ts else std
    z = jax.random.normal(_key(generator), shape, ref._dtype._np)
    arr = (z * s + m).astype(ref._dtype._np)
    name = "NormalBackward3" if tm and ts else "NormalBackward1" if tm else "NormalBackward2"
    return _sample_node(arr, name, mean, std)


def bernoulli(input, p=None, *, generator=None, out=None) -> Tensor:
    """0/1 draws with probabilities ``input`` (or the number ``p``), in ``input``'s dtype."""
    probs = np.asarray(input._array) if p is None else p
    if np.any((np.asarray(probs) < 0) | (np.asarray(probs) > 1)):
        raise RuntimeError(
            "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
            "message be improved?  If so, please report an enhancement request to PyTorch.)"
        )
    probs = input._array if p is None else p
    arr = jax.random.bernoulli(_key(generator), probs, input.shape).astype(input._dtype._np)
    return _sample_node(arr, "BernoulliBackward0" if p is None else "BernoulliBackward1", input)


def poisson(input, generator=None) -> Tensor:
    arr = jax.random.poisson(_key(generator), input._array, input.shape)
    return _sample_node(arr.astype(input._dtype._np), "PoissonBackward0", input)


def _check_prob_dist(input):
    if input.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if input._dtype._cat != D._FLOAT:
        raise RuntimeError(
            f"multinomial only supports floating-point dtypes for input, got: "
            f"{D._LEGACY[input._dtype]}"
        )


def _multinomial_out(out, input, *args, **kwargs):
    """``multinomial``'s ``out=`` holds indices: int64 only (checked after the input's own
    checks, as torch)."""
    _check_prob_dist(input)
    if isinstance(out, Tensor) and out._dtype is not D.int64:
        raise RuntimeError(f"multinomial expects Long tensor out, got: {D._LEGACY[out._dtype]}")


def _check_probabilities(p, with_replacement):
    """torch's checks of the values (it reads them too): over the whole tensor on the path
    without replacement (also taken for one sample), row by row and entry by entry on the
    other, whose messages differ."""
    if not with_replacement:
        if not (np.all(p >= 0) and np.all(p < np.inf)):  # NOTE: NaN fails both
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        if np.any(p.sum(-1) == 0):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        return
    bad = ~(p >= 0) | ~np.isfinite(p)
    rows = np.flatnonzero(bad.any(-1) | ~(np.where(bad, 0, p).sum(-1) > 0))
    if rows.size:
        row = p[rows[0]]
        first = row[np.argmax(bad[rows[0]])] if bad[rows[0]].any() else None
        problem = ("sum of probabilities <= 0" if first is None else
                   "encountering probability entry < 0" if not first >= 0 else
                   "encountering probability entry = infinity or NaN")  # fmt: skip
        raise RuntimeError(f"invalid multinomial distribution ({problem})")


def multinomial(input, num_samples, replacement=False, *, generator=None) -> Tensor:
    """Indices drawn from the rows of ``input`` (unnormalised probabilities), with or without
    replacement."""
    _check_prob_dist(input)
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n_cat = input.shape[-1]
    if not replacement and num_samples > n_cat:
        raise RuntimeError(
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    if n_cat > 1 << 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    n_rows = input.shape[0] if input.ndim == 2 else 1
    shape = (n_rows, num_samples) if input.ndim == 2 else (num_samples,)
    if n_rows == 0:
        return _finish(np.zeros(shape, np.int64), D.int64, None, False)
    one_pass = not replacement or num_samples == 1
    if n_cat == 0 and one_pass:
        raise RuntimeError(
            "aminmax(): cannot compute aminmax over an empty dimension as the operation has no "
            "identity."
        )
    p = np.asarray(input._array, dtype=np.float64).reshape(n_rows, n_cat)
    _check_probabilities(p, not one_pass)
    key = _key(generator)
    with np.errstate(divide="ignore"):
        logits = jnp.asarray(np.log(p))
    if replacement:
        idx = jax.random.categorical(key, logits, axis=-1, shape=(num_samples, n_rows)).T
    else:
        # Gumbel top-k: the k largest perturbed log-probabilities are a draw without replacement
        # (zero-probability categories come last, as torch's).
        g = logits + jax.random.gumbel(key, logits.shape, logits.dtype)
        idx = jnp.argsort(-g, axis=-1, stable=True)[:, :num_samples]
    return wrap(idx.astype(np.int64).reshape(shape))


def rand_like(input, *, generator=None, dtype=None, device=None, requires_grad=False,
              memory_format=None):  # fmt: skip
    return rand(*input.shape, generator=generator, dtype=dtype or input._dtype, device=device,
                requires_grad=requires_grad)  # fmt: skip


def randn_like(input, *, generator=None, dtype=None, device=None, requires_grad=False,
               memory_format=None):  # fmt: skip
    return randn(*input.shape, generator=generator, dtype=dtype or input._dtype, device=device,
                 requires_grad=requires_grad)  # fmt: skip


def get_rng_state() -> Tensor:
    """The global generator's state as a uint8 tensor (torchlike's own layout)."""
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    default_generator.set_state(new_state)


# -- in-place random fills (``Tensor.normal_`` ...: ``make_inplace`` of a fresh draw) -------------
def _fill(self, arr, name):
    return _sample_node(jnp.asarray(arr).astype(self._dtype._np), name, self)


def _float_key(self, generator):
    return _key(generator), self.shape, (self._dtype._np if self._dtype._cat >= D._FLOAT
                                         else np.float64)  # fmt: skip


def _normal_fill(self, mean=0.0, std=1.0, *, generator=None):
    _check_std(std)
    key, shape, dt = _float_key(self, generator)
    return _fill(self, jax.random.normal(key, shape, dt) * std + mean, "NormalBackward0")


normal_ = public(make_inplace(_normal_fill, "normal"), function=False, method=True)


def _uniform_fill(self, from_=0.0, to=1.0, *, generator=None, **kw):
    from_ = kw.pop("from", from_)
    if from_ > to:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={from_:g} > to={to:g}"
        )
    key, shape, dt = _float_key(self, generator)
    return _fill(self, jax.random.uniform(key, shape, dt, from_, to), "UniformBackward0")


uniform_ = public(make_inplace(_uniform_fill, "uniform"), function=False, method=True)


def _bernoulli_fill(self, p=0.5, *, generator=None):
    key = _key(generator)
    probs = p._array if isinstance(p, Tensor) else p
    arr = jax.random.bernoulli(key, probs, self.shape)
    return _fill(self, arr, "BernoulliBackward1" if isinstance(p, Tensor) else "BernoulliBackward2")


bernoulli_ = public(make_inplace(_bernoulli_fill, "bernoulli"), function=False, method=True)


_RANDOM_TOP = {"float16": 1 << 11, "bfloat16": 1 << 8, "float32": 1 << 24, "float64": 1 << 53}


def _random_fill(self, from_=None, to=None, *, generator=None, **kw):
    from_ = kw.pop("from", from_)
    if from_ is not None and to is None:
        from_, to, name = 0, from_, "RandomBackward1"
    elif from_ is None:
        top = _RANDOM_TOP.get(self._dtype._name)
        if top is None:
            top = (1 << 63) - 1 if self._dtype is D.int64 else int(np.iinfo(self._dtype._np).max)
            top = top if self._dtype is not D.bool else 1
            top += 1
        else:
            top += 1
        from_, to, name = 0, top, "RandomBackward2"
    else:
        name = "RandomBackward0"
    if from_ >= to:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={from_} >= to={to}"
        )
    key = _key(generator)
    hi = min(to, (1 << 63) - 1)
    arr = jax.random.randint(key, self.shape, from_, hi, dtype=np.int64)
    return _fill(self, arr, name)


random_ = public(make_inplace(_random_fill, "random"), function=False, method=True)


def _exponential_fill(self, lambd=1.0, *, generator=None):
    _check_positive("exponential", "lambda", lambd)
    key, shape, dt = _float_key(self, generator)
    return _fill(self, jax.random.exponential(key, shape, dt) / lambd, "ExponentialBackward0")


exponential_ = public(make_inplace(_exponential_fill, "exponential"), function=False, method=True)


def _geometric_fill(self, p, *, generator=None):
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p:g}")
    key = _key(generator)
    arr = jax.random.geometric(key, p, self.shape)
    return _fill(self, arr, "GeometricBackward0")


geometric_ = public(make_inplace(_geometric_fill, "geometric"), function=False, method=True)


def _check_positive(op, name, value):
    if not value > 0:
        raise RuntimeError(f"{op}_ expects {name} > 0.0, but found {name}={_num(value)}")


def _cauchy_fill(self, median=0.0, sigma=1.0, *, generator=None):
    _check_positive("cauchy", "sigma", sigma)
    key, shape, dt = _float_key(self, generator)
    return _fill(self, jax.random.cauchy(key, shape, dt) * sigma + median, "CauchyBackward0")


cauchy_ = public(make_inplace(_cauchy_fill, "cauchy"), function=False, method=True)


def _log_normal_fill(self, mean=1.0, std=2.0, *, generator=None):
    _check_positive("log_normal", "std", std)
    key, shape, dt = _float_key(self, generator)
    arr = jnp.exp(jax.random.normal(key, shape, dt) * std + mean)
    return _fill(self, arr, "LogNormalBackward0")


log_normal_ = public(make_inplace(_log_normal_fill, "log_normal"), function=False, method=True)


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
_CPP_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half",
              "bfloat16": "c10::BFloat16", "int64": "long int", "int32": "int",
              "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
              "bool": "bool"}  # fmt: skip


def _options(dt):
    return (f"TensorOptions(dtype={_CPP_NAMES[dt._name]}, device=cpu, layout=Strided, "
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


zeros, ones, empty, rand, randn, randperm, normal, arange, linspace, eye, full = (
    _write_out(f)
    for f in (zeros, ones, empty, rand, randn, randperm, normal, arange, linspace, eye, full)
)  # fmt: skip
# ``torch.bernoulli``/``torch.multinomial`` take ``out=``; the methods are the plain functions.
bernoulli = public(_write_out(bernoulli), method=bernoulli)
multinomial = public(_write_out(multinomial, _multinomial_out), method=multinomial)
