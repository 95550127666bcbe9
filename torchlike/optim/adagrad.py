"""Adagrad."""

from __future__ import annotations

from . import _functional as F
from .optimizer import (
    Optimizer,
    _check_fused,
    _check_nonnegative,
    _check_tensor_hyper,
    _lr,
)

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """``torch.optim.Adagrad``. Its state (``step``, ``sum`` filled with
    ``initial_accumulator_value``) is created for every parameter in the constructor."""

    _group_defaults = (("foreach", None), ("maximize", False), ("differentiable", False),
                       ("fused", None))  # fmt: skip

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False,
                 fused=None):  # fmt: skip
        _check_tensor_hyper("lr", lr)
        _check_nonnegative(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                           initial_accumulator_value=initial_accumulator_value,
                           eps=eps)  # fmt: skip
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable,
                    "fused": fused}  # fmt: skip
        super().__init__(params, defaults)
        _check_fused(fused, differentiable, foreach)
        for group in self.param_groups:
            for p in group["params"]:
                self._fill_state(p, ("sum",), initial_accumulator_value)

    def step(self, closure=None):
        """One Adagrad step over every parameter that has a gradient."""
        return self._step_groups(closure, self._update_group)

    def _update_group(self, group, params):
        self._apply_update(
            F.adagrad, params, [self.state[p] for p in params], {"sum": True, "step": True},
            _lr(group), float(group["lr_decay"]), float(group["eps"]),
            float(group["weight_decay"]),
            wd=group["weight_decay"] != 0, maximize=bool(group["maximize"]),
        )  # fmt: skip
