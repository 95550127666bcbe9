"""Flatten parameters into one vector and back."""

from __future__ import annotations

from ..._dispatch import call
from ..._functions import copy_, reshape
from ..._ops import TABLE as T
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad

__all__ = ["parameters_to_vector", "vector_to_parameters"]


def parameters_to_vector(parameters) -> Tensor:
    """All ``parameters`` flattened and concatenated into one 1-D tensor."""
    return call(T["flat_concat"], *parameters)


def vector_to_parameters(vec: Tensor, parameters) -> None:
    """Copy slices of the 1-D ``vec`` into ``parameters`` (in order)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    pointer = 0
    with no_grad():
        for p in parameters:
            n = p.numel()
            copy_(p, reshape(vec[pointer:pointer + n], tuple(p.shape)))
            pointer += n
