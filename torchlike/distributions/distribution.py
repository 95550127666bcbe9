"""``Distribution``: the base class (shapes, validation, repr, sampling keys)."""

from __future__ import annotations

import jax

from .. import _functions
from .._tensor import Size, Tensor
from ..autograd import grad_mode
from . import constraints

__all__ = ["Distribution"]


def _fmt(t) -> str:
    # NOTE: torch formats a 0-dim tensor in an f-string as its Python number.
    return str(t.item()) if isinstance(t, Tensor) and t.ndim == 0 else str(t)


class Distribution:
    """Base of all distributions: ``batch_shape``, ``event_shape``, ``sample``/``rsample``,
    ``log_prob``, ``entropy``, ``mean``/``variance``/``stddev``. Samples are drawn from
    torchlike's default generator (reproducible under ``torchlike.manual_seed``, not
    bit-identical to torch's)."""

    has_rsample = False
    has_enumerate_support = False
    _validate_args = __debug__
    arg_constraints: dict = {}
    support = None

    @staticmethod
    def set_default_validate_args(value: bool) -> None:
        if value not in (True, False):
            raise ValueError
        Distribution._validate_args = value

    def __init__(self, batch_shape=(), event_shape=(), validate_args=None):
        self._batch_shape = Size(batch_shape)
        self._event_shape = Size(event_shape)
        if validate_args is not None:
            self._validate_args = validate_args
        if self._validate_args:
            for param, constraint in self.arg_constraints.items():
                if constraints.is_dependent(constraint):
                    continue
                if param not in self.__dict__:
                    continue  # NOTE: a lazily computed parameter is not checked
                value = getattr(self, param)
                if not bool(constraint.check(value).all()):
                    raise ValueError(
                        f"Expected parameter {param} ({type(value).__name__} of shape "
                        f"{tuple(value.shape)}) of distribution {self!r} to satisfy the "
                        f"constraint {constraint!r}, but found invalid values:\n{_fmt(value)}"
                    )

    @property
    def batch_shape(self) -> Size:
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        return self._event_shape

    @property
    def mean(self):
        raise NotImplementedError

    @property
    def mode(self):
        raise NotImplementedError(f"{self.__class__} does not implement mode")

    @property
    def variance(self):
        raise NotImplementedError

    @property
    def stddev(self):
        return self.variance.sqrt()

    def sample(self, sample_shape=()):
        """Draw samples (without gradient) of shape ``sample_shape + batch + event``."""
        with grad_mode.no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape=()):
        raise NotImplementedError

    def sample_n(self, n: int):
        return self.sample(Size((n,)))

    def log_prob(self, value):
        raise NotImplementedError

    def cdf(self, value):
        raise NotImplementedError

    def icdf(self, value):
        raise NotImplementedError

    def entropy(self):
        raise NotImplementedError

    def perplexity(self):
        return _functions.exp(self.entropy())

    def _extended_shape(self, sample_shape=()) -> Size:
        if not isinstance(sample_shape, Size):
            sample_shape = Size(sample_shape)
        return Size(tuple(sample_shape) + tuple(self._batch_shape) + tuple(self._event_shape))

    def _validate_sample(self, value) -> None:
        if not isinstance(value, Tensor):
            raise ValueError("The value argument to log_prob must be a Tensor")
        event_dim_start = len(value.shape) - len(self._event_shape)
        if tuple(value.shape[event_dim_start:]) != tuple(self._event_shape):
            raise ValueError(
                f"The right-most size of value must match event_shape: {value.shape} vs "
                f"{self._event_shape}."
            )
        actual = value.shape
        expected = self._batch_shape + self._event_shape
        for i, j in zip(reversed(actual), reversed(expected), strict=False):
            if i != 1 and j != 1 and i != j:
                raise ValueError(
                    "Value is not broadcastable with batch_shape+event_shape: "
                    f"{actual} vs {expected}."
                )
        if self.support is None:
            return
        if not bool(self.support.check(value).all()):
            raise ValueError(
                f"Expected value argument ({type(value).__name__} of shape "
                f"{tuple(value.shape)}) to be within the support ({self.support!r}) of the "
                f"distribution {self!r}, but found invalid values:\n{_fmt(value)}"
            )

    def __repr__(self) -> str:
        names = [k for k in self.arg_constraints if k in self.__dict__]
        args = ", ".join(
            f"{p}: {_fmt(self.__dict__[p]) if self.__dict__[p].numel() == 1 else self.__dict__[p].size()}"  # noqa: E501
            for p in names
        )
        return f"{self.__class__.__name__}({args})"


def _key():
    """A fresh PRNG key from torchlike's default generator (for draws not yet replayed from
    torch's stream)."""
    from .._random import default_generator

    return default_generator.next_key()


def _wrap(array) -> Tensor:
    from .._dispatch import wrap

    return wrap(array)


_JITTED: dict = {}


def _jit(fn, static):
    """``jax.jit(fn)`` made once: one compiled sampler per shape instead of one per primitive."""
    key = (fn, static)
    f = _JITTED.get(key)
    if f is None:
        f = _JITTED.setdefault(key, jax.jit(fn, static_argnums=static))
    return f


def _draw(fn, shape, dtype):
    """``fn(key, shape, np_dtype)`` (``jax.random.normal`` or ``uniform``) as a tensor (no
    gradient). Eagerly, torch's draw from its stream instead: ``empty(shape).normal_()`` or
    ``rand(shape)``, as torch's ``rsample`` draws."""
    from .._mt19937 import CPUStream
    from .._random import _draw as draw

    shape, dt = tuple(shape), dtype._np
    eager = CPUStream.normal if fn is jax.random.normal else CPUStream.uniform
    arr = draw(None, lambda s: eager(s, shape, dt), lambda k: _jit(fn, (1, 2))(k, shape, dt))
    return _wrap(jax.numpy.asarray(arr))
