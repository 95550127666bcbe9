"""Helpers shared by the distributions: broadcasting parameters, probs <-> logits, sampling keys,
lazily computed parameters."""

from __future__ import annotations

import numpy as np

from .. import _creation, _functions
from .. import _dtype as D
from ..autograd import grad_mode

__all__ = ["broadcast_all", "probs_to_logits", "logits_to_probs", "clamp_probs", "lazy_property"]


def broadcast_all(*values):
    """Tensors (numbers become tensors of the tensors' dtype, or the default dtype) expanded
    to one broadcast shape."""
    from .._tensor import Tensor

    tensors = [v for v in values if isinstance(v, Tensor)]
    for v in values:
        if not isinstance(v, (Tensor, int, float)):
            raise ValueError(
                "Input arguments must all be instances of numbers.Number, torch.Tensor or "
                "objects implementing __torch_function__."
            )
    dtype = tensors[0].dtype if tensors else D.get_default_dtype()
    values = [v if isinstance(v, Tensor) else _creation.tensor(v, dtype=dtype) for v in values]
    shape = tuple(np.broadcast_shapes(*[tuple(v.shape) for v in values]))
    return tuple(v if tuple(v.shape) == shape else v.expand(shape) for v in values)


def clamp_probs(probs):
    eps = float(np.finfo(probs.dtype._np).eps)
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs, is_binary: bool = False):
    ps = clamp_probs(probs)
    if is_binary:
        return _functions.log(ps) - _functions.log1p(-ps)
    return _functions.log(ps)


def logits_to_probs(logits, is_binary: bool = False):
    if is_binary:
        return _functions.sigmoid(logits)
    m = logits.logsumexp(-1, keepdim=True)
    return (logits - m).exp()


class lazy_property:
    """A parameter computed from the other on first access, then stored on the instance (so it
    shows in ``repr`` only once computed, as in torch)."""

    def __init__(self, fn):
        self.fn = fn
        self.__doc__ = fn.__doc__
        self.name = fn.__name__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        with grad_mode.enable_grad():
            value = self.fn(instance)
        instance.__dict__[self.name] = value
        return value
