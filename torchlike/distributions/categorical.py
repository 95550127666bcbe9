"""``Categorical(probs=None, logits=None)``: one of ``K`` categories."""

from __future__ import annotations

import jax
import numpy as np

from .. import _creation, _functions
from .. import _dtype as D
from . import constraints
from .distribution import Distribution, _jit, _key, _wrap
from .utils import lazy_property, logits_to_probs, probs_to_logits

__all__ = ["Categorical"]


def _categorical(key, probs, shape):
    # NOTE: drawn from log(probs) so that zero-probability categories never occur.
    idx = jax.random.categorical(key, jax.numpy.log(probs), axis=-1, shape=shape)
    return idx.astype(np.int64)


class Categorical(Distribution):
    """Samples category indices ``0 .. K-1`` (int64) with probabilities ``probs`` (normalised
    over the last dimension) or ``softmax(logits)``."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real}
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            if probs.dim() < 1:
                raise ValueError("`probs` parameter must be at least one-dimensional.")
            self.probs = probs / probs.sum(-1, keepdim=True)
        else:
            if logits.dim() < 1:
                raise ValueError("`logits` parameter must be at least one-dimensional.")
            self.logits = logits - logits.logsumexp(dim=-1, keepdim=True)
        self._param = self.probs if probs is not None else self.logits
        self._num_events = self._param.size()[-1]
        batch_shape = self._param.size()[:-1] if self._param.ndim > 1 else ()
        super().__init__(batch_shape, validate_args=validate_args)

    @property
    def support(self):
        return constraints.integer_interval(0, self._num_events - 1)

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs)

    @lazy_property
    def probs(self):
        return logits_to_probs(self.logits)

    @property
    def param_shape(self):
        return self._param.size()

    @property
    def mean(self):
        return _creation.full(self._extended_shape(), float("nan"), dtype=self.probs.dtype)

    @property
    def mode(self):
        return self.probs.argmax(-1)

    @property
    def variance(self):
        return _creation.full(self._extended_shape(), float("nan"), dtype=self.probs.dtype)

    def _sample_indices(self, sample_shape):
        """int64 indices of shape ``sample_shape + batch_shape`` (no gradient)."""
        shape = tuple(sample_shape) + tuple(self._batch_shape)
        return _jit(_categorical, (2,))(_key(), self.probs.detach()._array, shape)

    def sample(self, sample_shape=()):
        return _wrap(self._sample_indices(sample_shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        value = value.long().unsqueeze(-1)
        shape = tuple(np.broadcast_shapes(tuple(value.shape), tuple(self.logits.shape)))
        value = value.expand(shape)[..., :1]
        log_pmf = self.logits.expand(shape)
        return log_pmf.gather(-1, value).squeeze(-1)

    def entropy(self):
        min_real = float(np.finfo(self.logits.dtype._np).min)
        logits = _functions.clamp(self.logits, min=min_real)
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand: bool = True):
        n = self._num_events
        values = _creation.arange(n, dtype=D.long)
        values = values.view((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = values.expand((-1, *self._batch_shape))
        return values
