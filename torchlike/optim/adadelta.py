"""Adadelta."""

from __future__ import annotations

from . import _functional as F
from .optimizer import Optimizer, _check_nonnegative, _check_tensor_hyper, _invalid, _lr

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """``torch.optim.Adadelta``. State: ``step``, ``square_avg``, ``acc_delta``."""

    _group_defaults = (("foreach", None), ("maximize", False), ("differentiable", False),
                       ("capturable", False))  # fmt: skip

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):  # fmt: skip
        _check_tensor_hyper("lr", lr)
        _check_nonnegative(lr=lr)
        if not 0.0 <= rho <= 1.0:
            raise _invalid("rho", rho)
        _check_nonnegative(eps=eps, weight_decay=weight_decay)
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "capturable": capturable, "foreach": foreach,
                    "differentiable": differentiable}  # fmt: skip
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One Adadelta step over every parameter that has a gradient."""
        return self._step_groups(closure, self._update_group)

    def _update_group(self, group, params):
        states = [self._lazy_state(p, "square_avg", "acc_delta") for p in params]
        self._apply_update(
            F.adadelta, params, states, {"square_avg": True, "acc_delta": True, "step": True},
            _lr(group), float(group["rho"]), float(group["eps"]),
            float(group["weight_decay"]),
            wd=group["weight_decay"] != 0, maximize=bool(group["maximize"]),
        )  # fmt: skip
