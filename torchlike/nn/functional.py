"""``torchlike.nn.functional``: losses and activations as functions."""

from __future__ import annotations

import warnings

from .._dispatch import call
from .._functions import relu, sigmoid, tanh
from .._ops import TABLE as T

__all__ = ["mse_loss", "l1_loss", "binary_cross_entropy_with_logits", "relu", "sigmoid", "tanh"]

_REDUCTIONS = ("none", "mean", "sum")


def _legacy_reduction(size_average, reduce, reduction):
    if size_average is None and reduce is None:
        if reduction not in _REDUCTIONS:
            raise ValueError(f"{reduction} is not a valid value for reduction")
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return ("mean" if size_average else "sum") if reduce else "none"


def _check_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _broadcast_warning(input, target):
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning, stacklevel=3,
        )  # fmt: skip


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error between ``input`` and ``target``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _broadcast_warning(input, target)
    return call(T["mse_loss"], input, target, reduction=reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Mean absolute error between ``input`` and ``target``."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _broadcast_warning(input, target)
    return call(T["l1_loss"], input, target, reduction=reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):  # fmt: skip
    """Sigmoid + binary cross-entropy in one numerically stable op."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    if target.shape != input.shape:
        raise ValueError(
            f"Target size ({target.shape}) must be the same as input size ({input.shape})"
        )
    for name, a in (("weight", weight), ("pos_weight", pos_weight)):
        if a is not None and a.requires_grad:
            raise RuntimeError(
                "The function 'binary_cross_entropy_with_logits' is not differentiable with "
                f"respect to argument '{name}'. This input cannot have requires_grad True."
            )
    extra = [a for a in (weight, pos_weight) if a is not None]
    return call(T["bce_with_logits"], input, target, *extra, reduction=reduction,
                has_weight=weight is not None, has_pos_weight=pos_weight is not None)  # fmt: skip


from torchlike._alias import install_module_getattr  # noqa: E402

install_module_getattr(globals(), "torch.nn.functional")
