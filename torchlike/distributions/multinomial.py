"""``Multinomial(total_count, probs=None, logits=None)``: counts of ``total_count`` draws."""

from __future__ import annotations

import jax
import numpy as np

from .. import _creation, _functions
from . import constraints
from .categorical import Categorical
from .distribution import Distribution, _jit, _key, _wrap
from .utils import broadcast_all

__all__ = ["Multinomial"]


def _counts(key, probs, shape):
    idx = jax.random.categorical(key, jax.numpy.log(probs), axis=-1, shape=shape)
    return jax.nn.one_hot(idx, probs.shape[-1], dtype=probs.dtype).sum(0)


class Multinomial(Distribution):
    """How often each of ``K`` categories occurs in ``total_count`` independent draws.

    >>> Multinomial(1, torchlike.ones(6) / 6).sample()        # one die roll, one-hot
    >>> Multinomial(10, torchlike.ones(6) / 6).sample((500,))  # 500 x 6 counts
    """

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real}

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None):
        if not isinstance(total_count, int):
            raise NotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = total_count
        self._categorical = Categorical(probs=probs, logits=logits)
        self._binomial = None
        batch_shape = self._categorical.batch_shape
        event_shape = self._categorical.param_shape[-1:]
        super().__init__(batch_shape, event_shape, validate_args)

    @property
    def support(self):
        return constraints.multinomial(self.total_count)

    @property
    def _param(self):
        return self._categorical._param

    @property
    def param_shape(self):
        return self._categorical.param_shape

    # NOTE: shown in repr only when given (they live on the inner Categorical), as in torch.
    @property
    def probs(self):
        return self._categorical.probs

    @property
    def logits(self):
        return self._categorical.logits

    @property
    def mean(self):
        return self.probs * self.total_count

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape=()):
        sample_shape = tuple(sample_shape)
        shape = (self.total_count, *sample_shape, *self._batch_shape)
        p = self.probs.detach()._array
        return _wrap(_jit(_counts, (2,))(_key(), p, shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        log_factorial_n = _functions.lgamma(value.sum(-1) + 1)
        log_factorial_xs = _functions.lgamma(value + 1).sum(-1)
        # NOTE: 0 * log(0) counts as 0 (a category with probability 0 that did not occur).
        logits = _functions.where((value == 0) & (logits == -float("inf")), 0.0, logits)
        log_powers = (logits * value).sum(-1)
        return log_factorial_n - log_factorial_xs + log_powers

    def entropy(self):
        n = self.total_count
        dt = self.probs.dtype
        lgamma_n1 = _functions.lgamma(_creation.tensor(float(n + 1), dtype=dt))
        term1 = n * self._categorical.entropy() - lgamma_n1
        # E[log X_k!] for each count X_k ~ Binomial(n, p_k), over k = 1..n, summed over k.
        k = _creation.arange(1, n + 1, dtype=dt).view((-1,) + (1,) * self.probs.ndim)
        p = self.probs.unsqueeze(0)
        tiny = float(np.finfo(dt._np).tiny)
        log_pmf = (lgamma_n1 - _functions.lgamma(k + 1) - _functions.lgamma(n - k + 1)
                   + k * p.clamp(min=tiny).log()
                   + (n - k) * (1 - p).clamp(min=tiny).log())  # fmt: skip
        term2 = (log_pmf.exp() * _functions.lgamma(k + 1)).sum(0).sum(-1)
        return term1 + term2
