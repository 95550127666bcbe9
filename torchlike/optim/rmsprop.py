"""RMSprop, optionally centered and with momentum."""

from __future__ import annotations

from . import _functional as F
from .optimizer import Optimizer, _check_nonnegative, _check_tensor_hyper, _lr

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """``torch.optim.RMSprop``. State: ``step``, ``square_avg``, and ``momentum_buffer``
    (momentum > 0) / ``grad_avg`` (centered)."""

    _group_defaults = (("momentum", 0), ("centered", False), ("foreach", None),
                       ("maximize", False), ("differentiable", False),
                       ("capturable", False))  # fmt: skip

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):  # fmt: skip
        _check_tensor_hyper("lr", lr)
        _check_nonnegative(lr=lr, eps=eps, momentum=momentum, weight_decay=weight_decay,
                           alpha=alpha)  # fmt: skip
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay, "capturable": capturable,
                    "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable}  # fmt: skip
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One RMSprop step over every parameter that has a gradient."""
        return self._step_groups(closure, self._update_group)

    def _update_group(self, group, params):
        momentum = float(group["momentum"])
        centered = bool(group["centered"])
        extra = (("momentum_buffer",) if momentum > 0 else ()) + (("grad_avg",) if centered else ())
        states = [self._lazy_state(p, "square_avg", *extra) for p in params]
        self._apply_update(
            F.rmsprop, params, states,
            {"square_avg": True, "grad_avg": centered, "momentum_buffer": momentum > 0,
             "step": True},
            _lr(group), float(group["alpha"]), float(group["eps"]),
            float(group["weight_decay"]), momentum,
            wd=group["weight_decay"] != 0, momentum_on=momentum > 0, centered=centered,
            maximize=bool(group["maximize"]),
        )  # fmt: skip
