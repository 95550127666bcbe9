"""Random draws under a global generator: ``torch.Generator``, the seeding functions, the
sampling functions (``rand``, ``randn``, ``randint``, ``randperm``, ``normal``, ``bernoulli``,
``poisson``, ``multinomial``) and the in-place fills (``Tensor.normal_`` ...)."""

from __future__ import annotations

import threading

import jax
import jax.numpy as jnp
import numpy as np

from . import _dtype as D
from ._creation import _finish, _num, _rand_size_kw, _size, _write_out
from ._device import device as _device_cls
from ._dispatch import wrap
from ._functions._surface import make_inplace, public
from ._tensor import Tensor

__all__ = [
    "Generator", "default_generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
    "set_rng_state", "rand", "randn", "randint", "randperm", "normal", "bernoulli", "poisson",
    "multinomial", "rand_like", "randn_like", "randint_like",
]  # fmt: skip


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


rand = _rand_size_kw(rand)
randn = _rand_size_kw(randn)


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


rand, randn, randperm, normal = (_write_out(f) for f in (rand, randn, randperm, normal))
# ``torch.bernoulli``/``torch.multinomial`` take ``out=``; the methods are the plain functions.
bernoulli = public(_write_out(bernoulli), method=bernoulli)
multinomial = public(_write_out(multinomial, _multinomial_out), method=multinomial)
