"""Random draws under a global generator: ``torch.Generator``, the seeding functions, the
sampling functions (``rand``, ``randn``, ``randint``, ``randperm``, ``normal``, ``bernoulli``,
``poisson``, ``multinomial``) and the in-place fills (``Tensor.normal_`` ...)."""

from __future__ import annotations

import functools
import hashlib
import threading

import jax
import jax.numpy as jnp
import numpy as np
from jax._src import core as _jax_core  # NOTE: trace_state_clean is not re-exported by jax

from . import _dtype as D
from . import _tracing
from ._creation import _finish, _num, _rand_size_kw, _size, _write_out
from ._device import device as _device_cls
from ._dispatch import wrap
from ._functions._surface import make_inplace, public
from ._mt19937 import DEFAULT_SEED, CPUStream
from ._tensor import Tensor

__all__ = [
    "Generator", "default_generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
    "set_rng_state", "rand", "randn", "randint", "randperm", "normal", "bernoulli", "poisson",
    "multinomial", "rand_like", "randn_like", "randint_like",
]  # fmt: skip


# -- the generator --------------------------------------------------------------------------------
def _key_for(n: int):
    """The JAX key ``jax.random.key(n)`` gives, for any ``n`` in [0, 2**64)."""
    return jax.random.wrap_key_data(np.array([n >> 32, n & 0xFFFFFFFF], np.uint32))


class Generator:
    """PyTorch's CPU generator. Eager draws replay torch's mt19937 stream bit for bit (a
    :class:`~torchlike._mt19937.CPUStream`), so seeded code prints torch's digits; draws inside
    a trace (``torchlike.compile``, ``func.vmap``) split a JAX key, seeded with it.
    Thread-safe.

    >>> g = torchlike.Generator().manual_seed(2147483647)
    >>> torchlike.rand(2, generator=g)  # as torch: tensor([0.7081, 0.3542])
    """

    def __init__(self, device="cpu"):
        self._lock = threading.Lock()
        self.device = _device_cls(device)
        self._stream = CPUStream(DEFAULT_SEED)
        self._key = _key_for(DEFAULT_SEED)

    def __repr__(self) -> str:
        return f"<torch._C.Generator object at {hex(id(self))}>"

    def manual_seed(self, seed: int) -> Generator:
        with self._lock:
            self._stream.manual_seed(int(seed))
            self._key = _key_for(self._stream.initial_seed())
        return self

    def initial_seed(self) -> int:
        return self._stream.initial_seed()

    def seed(self) -> int:
        """Reseed from the OS's entropy; returns the new seed."""
        with self._lock:
            s = self._stream.seed()
            self._key = _key_for(s)
        return s

    def get_state(self) -> Tensor:
        """The state as a uint8 tensor in torch's layout (5056 bytes): a state saved by torch
        restores here, and the other way round."""
        with self._lock:
            raw = self._stream.get_state()
        return wrap(jnp.asarray(np.frombuffer(raw, np.uint8)))

    def set_state(self, new_state: Tensor) -> Generator:
        if not isinstance(new_state, Tensor) or new_state._dtype is not D.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        raw = np.asarray(new_state._array).tobytes()
        with self._lock:
            self._stream.set_state(raw)
            # NOTE: the traced draws' key follows the state too, so restoring a state repeats
            # compiled draws as well.
            self._key = _key_for(int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest()))
        return self

    def next_key(self):
        """A fresh JAX key for one traced draw."""
        with self._lock:
            self._key, sub = jax.random.split(self._key)
        return sub


default_generator = Generator()
default_generator.seed()  # NOTE: as torch's, the global generator starts from a random seed


def manual_seed(seed: int) -> Generator:
    """Seed the global generator."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    return default_generator.seed()


def initial_seed() -> int:
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """The global generator's state as a uint8 tensor (torch's layout)."""
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    default_generator.set_state(new_state)


def _traced() -> bool:
    return _tracing.active() or not _jax_core.trace_state_clean()


def _draw(generator, eager, traced):
    """One draw from ``generator`` (the global one if None): ``eager(stream)`` replays torch's
    stream as a NumPy array; inside a trace, ``traced(key)`` draws from a fresh JAX key."""
    gen = default_generator if generator is None else generator
    if _traced():
        return traced(gen.next_key())
    with gen._lock:
        return eager(gen._stream)


def _key(generator):
    """A fresh JAX key, for draws not replayed from torch's stream yet (``binomial``, ``rrelu``,
    some distributions)."""
    return (generator or default_generator).next_key()


def _check_floating(kernel: str, dtype) -> None:
    """torch's error for a floating-point-only sampler asked for an integer or bool dtype."""
    if dtype._cat < D._FLOAT:
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{D._LEGACY[dtype]}'")


# -- sampling functions ---------------------------------------------------------------------------
_KERNELS = {CPUStream.uniform: "check_uniform_bounds", CPUStream.normal: "normal_kernel_cpu"}


def _random(eager, traced, size, dtype, device, requires_grad, generator):
    dtype = dtype or D.get_default_dtype()
    if eager in _KERNELS:
        _check_floating(_KERNELS[eager], dtype)
    shape, dt = _size(size), dtype._np
    arr = _draw(generator, lambda s: eager(s, shape, dt), lambda k: traced(k, shape, dt))
    return _finish(arr, dtype, device, requires_grad)


def _uniform(key, shape, dtype):
    if np.issubdtype(dtype, np.complexfloating):
        # NOTE: torch draws a complex number's two parts independently, each on [0, 1).
        parts = jax.random.uniform(key, (*shape, 2), np.finfo(dtype).dtype)
        return jax.lax.complex(parts[..., 0], parts[..., 1])
    return jax.random.uniform(key, shape, dtype)


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None) -> Tensor:
    """Uniform samples on [0, 1)."""
    return _random(CPUStream.uniform, _uniform, size, dtype, device, requires_grad, generator)


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, out=None) -> Tensor:
    """Standard normal samples."""
    return _random(CPUStream.normal, jax.random.normal, size, dtype, device, requires_grad,
                   generator)  # fmt: skip


rand = _rand_size_kw(rand)
randn = _rand_size_kw(randn)


def _int_draw(key, shape, low, high, dtype):
    """Integers uniform on [low, high) in ``dtype`` (drawn as int64: bounds may exceed the
    target's range only for float targets, where they stay exact)."""
    return jax.random.randint(key, shape, low, high, dtype=np.int64).astype(dtype)


def randint(low, high=None, size=None, *, generator=None, dtype=None, device=None,
            requires_grad=False) -> Tensor:  # fmt: skip
    """Integers uniform on [low, high) (``randint(high, size)`` starts at 0)."""
    if size is None:
        low, high, size = 0, low, high
    if high <= low:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    return _random(lambda s, shape, dt: s.random_(shape, dt, low, high),
                   lambda k, shape, dt: _int_draw(k, shape, low, high, dt),
                   (size,), dtype or D.int64, device, requires_grad, generator)  # fmt: skip


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
    arr = _draw(generator, lambda s: s.randperm(n, dtype._np),
                lambda k: jax.random.permutation(k, n).astype(dtype._np))  # fmt: skip
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
        return _random(lambda s, shape, dt: s.normal(shape, dt, mean, std),
                       lambda k, shape, dt: jax.random.normal(k, shape, dt) * std + mean,
                       (size,), dtype, device, requires_grad, generator)  # fmt: skip
    ref = mean if tm else std
    shape = np.broadcast_shapes(*[t.shape for t in (mean, std) if isinstance(t, Tensor)])
    dt = ref._dtype._np
    m = mean._array if tm else mean
    s = std._array if ts else std

    def eager(stream):
        # NOTE: as torch: a N(0, std) draw plus the mean tensor, or N(0, 1) * std + mean, each
        # step rounded to the dtype.
        if not ts:
            return stream.normal(shape, dt, 0.0, std) + np.asarray(m)
        return stream.normal(shape, dt) * np.asarray(s) + np.asarray(m)

    arr = _draw(generator, eager, lambda k: (jax.random.normal(k, shape, dt) * s + m).astype(dt))
    name = "NormalBackward3" if tm and ts else "NormalBackward1" if tm else "NormalBackward2"
    return _sample_node(jnp.asarray(arr).astype(dt), name, mean, std)


def bernoulli(input, p=None, *, generator=None, out=None) -> Tensor:
    """0/1 draws with probabilities ``input`` (or the number ``p``), in ``input``'s dtype."""
    probs = np.asarray(input._array) if p is None else p
    if np.any((np.asarray(probs) < 0) | (np.asarray(probs) > 1)):
        raise RuntimeError(
            "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
            "message be improved?  If so, please report an enhancement request to PyTorch.)"
        )
    shape, dt = tuple(input.shape), input._dtype._np
    arr = _draw(generator, lambda s: s.bernoulli(probs, shape, dt),
                lambda k: jax.random.bernoulli(k, jnp.asarray(probs), shape))  # fmt: skip
    name = "BernoulliBackward0" if p is None else "BernoulliBackward1"
    return _sample_node(jnp.asarray(arr).astype(dt), name, input)


def poisson(input, generator=None) -> Tensor:
    arr = _draw(generator, lambda s: s.poisson(np.asarray(input._array)),
                lambda k: jax.random.poisson(k, input._array, input.shape))  # fmt: skip
    return _sample_node(jnp.asarray(arr).astype(input._dtype._np), "PoissonBackward0", input)


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
    probs = np.asarray(input._array)
    return wrap(jnp.asarray(_draw(
        generator, lambda s: s.multinomial(probs, num_samples, replacement),
        lambda k: _multinomial_traced(k, p, num_samples, replacement).reshape(shape),
    )))  # fmt: skip


def _multinomial_traced(key, p, num_samples, replacement):
    with np.errstate(divide="ignore"):
        logits = jnp.asarray(np.log(p))
    if replacement:
        return jax.random.categorical(key, logits, axis=-1, shape=(num_samples, len(p))).T
    # Gumbel top-k: the k largest perturbed log-probabilities are a draw without replacement
    # (zero-probability categories come last, as torch's).
    g = logits + jax.random.gumbel(key, logits.shape, logits.dtype)
    return jnp.argsort(-g, axis=-1, stable=True)[:, :num_samples].astype(np.int64)


def rand_like(input, *, generator=None, dtype=None, device=None, requires_grad=False,
              memory_format=None):  # fmt: skip
    return rand(*input.shape, generator=generator, dtype=dtype or input._dtype, device=device,
                requires_grad=requires_grad)  # fmt: skip


def randn_like(input, *, generator=None, dtype=None, device=None, requires_grad=False,
               memory_format=None):  # fmt: skip
    return randn(*input.shape, generator=generator, dtype=dtype or input._dtype, device=device,
                 requires_grad=requires_grad)  # fmt: skip


def _seed_from(generator=None) -> int:
    """``torch.empty((), dtype=torch.int64).random_(generator=generator).item()``: how torch's
    data loading seeds its workers and a sampler's private generator."""
    top = (1 << 63) - 1
    return int(_draw(generator, lambda s: s.random_((), "int64"),
                     lambda k: jax.random.randint(k, (), 0, top, dtype=np.int64)))  # fmt: skip


def _bernoulli_noise(shape, p, dtype, generator=None):
    """``empty(shape, dtype).bernoulli_(p)`` as a JAX array: dropout's keep-mask, drawn as
    torch draws it."""
    arr = _draw(generator, lambda s: s.bernoulli(p, shape, dtype),
                lambda k: jax.random.bernoulli(k, p, shape))  # fmt: skip
    return jnp.asarray(arr).astype(dtype)


# -- in-place random fills (``Tensor.normal_`` ...: ``make_inplace`` of a fresh draw) -------------
def _memory_order(self) -> list | None:
    """``self``'s dimensions, outermost first in memory: torch's fills write values in memory
    order (TensorIterator's), so a transposed tensor gets them transposed."""
    if self.is_contiguous():
        return None
    strides = self.stride()
    return sorted(range(self.ndim), key=lambda d: -strides[d])


def _fill_method(fill, name):
    """``Tensor.<name>_`` from ``fill(self, ..., order=...)``: the memory order is read from
    ``self`` itself, before ``make_inplace`` hands ``fill`` a contiguous snapshot."""
    inplace = make_inplace(fill, name)

    @functools.wraps(inplace)
    def method(self, *args, **kwargs):
        return inplace(self, *args, order=_memory_order(self), **kwargs)

    return public(method, function=False, method=True)


def _fill(self, generator, order, name, eager, traced, dt=None):
    """Write a draw into ``self``: ``eager(stream, shape, dtype, contiguous)`` gives the values in
    memory order for ``shape``, ``self``'s shape with its dimensions in memory order;
    ``traced(key, shape, dtype)`` draws inside a trace. ``dt`` is the dtype to draw in (float64
    for an integer ``self`` unless given)."""
    if dt is None:
        dt = self._dtype._np if self._dtype._cat >= D._FLOAT else np.float64
    shape = tuple(self.shape)
    contiguous = order is None
    order = range(self.ndim) if contiguous else order
    mem_shape = tuple(shape[d] for d in order)

    def run(stream):
        return np.transpose(eager(stream, mem_shape, dt, contiguous), np.argsort(order))

    arr = _draw(generator, run, lambda k: traced(k, shape, dt))
    return _sample_node(jnp.asarray(arr).astype(self._dtype._np), name, self)


def _normal_fill(self, mean=0.0, std=1.0, *, generator=None, order):
    _check_floating("normal_kernel_cpu", self._dtype)
    _check_std(std)
    return _fill(self, generator, order, "NormalBackward0",
                 lambda s, shape, dt, contiguous: s.normal(shape, dt, mean, std, contiguous),
                 lambda k, shape, dt: jax.random.normal(k, shape, dt) * std + mean)  # fmt: skip


normal_ = _fill_method(_normal_fill, "normal")


def _uniform_fill(self, from_=0.0, to=1.0, *, generator=None, order, **kw):
    from_ = kw.pop("from", from_)
    _check_floating("check_uniform_bounds", self._dtype)
    if from_ > to:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={from_:g} > to={to:g}"
        )
    return _fill(self, generator, order, "UniformBackward0",
                 lambda s, shape, dt, _: s.uniform(shape, dt, from_, to),
                 lambda k, shape, dt: jax.random.uniform(k, shape, dt, from_, to))  # fmt: skip


uniform_ = _fill_method(_uniform_fill, "uniform")


def _bernoulli_fill(self, p=0.5, *, generator=None, order):
    if isinstance(p, Tensor):
        probs, name = np.asarray(p._array), "BernoulliBackward1"
        mem = np.broadcast_to(probs, tuple(self.shape))
        mem = mem if order is None else np.transpose(mem, order)
    else:
        probs = mem = p
        name = "BernoulliBackward2"
    return _fill(self, generator, order, name,
                 lambda s, shape, dt, _: s.bernoulli(mem, shape, dt),
                 lambda k, shape, dt: jax.random.bernoulli(k, jnp.asarray(probs), shape),
                 self._dtype._np)  # fmt: skip


bernoulli_ = _fill_method(_bernoulli_fill, "bernoulli")


_RANDOM_TOP = {"float16": 1 << 11, "bfloat16": 1 << 8, "float32": 1 << 24, "float64": 1 << 53}


def _random_fill(self, from_=None, to=None, *, generator=None, order, **kw):
    from_ = kw.pop("from", from_)
    if from_ is not None and to is None:
        from_, to, name = 0, from_, "RandomBackward1"
    elif from_ is None:
        name = "RandomBackward2"
    else:
        name = "RandomBackward0"
    if from_ is not None and from_ >= to:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={from_} >= to={to}"
        )
    if from_ is None:  # the traced draw's bounds: [0, the dtype's top value]
        top = _RANDOM_TOP.get(self._dtype._name)
        if top is None:
            top = 1 if self._dtype is D.bool else int(np.iinfo(self._dtype._np).max)
        lo, hi = 0, min(top + 1, (1 << 63) - 1)
    else:
        lo, hi = from_, min(to, (1 << 63) - 1)
    return _fill(self, generator, order, name,
                 lambda s, shape, dt, _: s.random_(shape, dt, from_, to),
                 lambda k, shape, dt: jax.random.randint(k, shape, lo, hi, dtype=np.int64),
                 self._dtype._np)  # fmt: skip


random_ = _fill_method(_random_fill, "random")


def _exponential_fill(self, lambd=1.0, *, generator=None, order):
    if self._dtype._cat < D._FLOAT:
        raise RuntimeError(
            "Exponential distribution is a continuous probability distribution. dtype must be a "
            f"floating point but you specified {D._LEGACY[self._dtype]}"
        )
    _check_positive("exponential", "lambda", lambd)
    return _fill(self, generator, order, "ExponentialBackward0",
                 lambda s, shape, dt, _: s.exponential(shape, dt, lambd),
                 lambda k, shape, dt: jax.random.exponential(k, shape, dt) / lambd)  # fmt: skip


exponential_ = _fill_method(_exponential_fill, "exponential")


def _geometric_fill(self, p, *, generator=None, order):
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p:g}")
    return _fill(self, generator, order, "GeometricBackward0",
                 lambda s, shape, dt, _: s.geometric(shape, dt, p),
                 lambda k, shape, dt: jax.random.geometric(k, p, shape),
                 self._dtype._np)  # fmt: skip


geometric_ = _fill_method(_geometric_fill, "geometric")


def _check_positive(op, name, value):
    if not value > 0:
        raise RuntimeError(f"{op}_ expects {name} > 0.0, but found {name}={_num(value)}")


def _cauchy_fill(self, median=0.0, sigma=1.0, *, generator=None, order):
    _check_positive("cauchy", "sigma", sigma)
    return _fill(self, generator, order, "CauchyBackward0",
                 lambda s, shape, dt, _: s.cauchy(shape, dt, median, sigma),
                 lambda k, shape, dt: jax.random.cauchy(k, shape, dt) * sigma + median)  # fmt: skip


cauchy_ = _fill_method(_cauchy_fill, "cauchy")


def _log_normal_fill(self, mean=1.0, std=2.0, *, generator=None, order):
    _check_floating("log_normal_cpu", self._dtype)
    _check_positive("log_normal", "std", std)

    def traced(key, shape, dt):
        return jnp.exp(jax.random.normal(key, shape, dt) * std + mean)

    return _fill(self, generator, order, "LogNormalBackward0",
                 lambda s, shape, dt, _: s.log_normal(shape, dt, mean, std), traced)  # fmt: skip


log_normal_ = _fill_method(_log_normal_fill, "log_normal")


rand, randn, randperm, normal = (_write_out(f) for f in (rand, randn, randperm, normal))
# ``torch.bernoulli``/``torch.multinomial`` take ``out=``; the methods are the plain functions.
bernoulli = public(_write_out(bernoulli), method=bernoulli)
multinomial = public(_write_out(multinomial, _multinomial_out), method=multinomial)
