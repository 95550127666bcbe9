"""Stochastic gradient descent, optionally with momentum (Nesterov), weight decay, maximize."""

from __future__ import annotations

from . import _functional as F
from .optimizer import (
    Optimizer,
    _check_fused,
    _check_nonnegative,
    _check_tensor_hyper,
    _lr,
    _new_state,
    _param_columns,
    _to_scalar,
    _write,
)

__all__ = ["SGD"]


class SGD(Optimizer):
    """``torch.optim.SGD``: ``p -= lr * g`` with optional momentum buffer
    (``state["momentum_buffer"]``), dampening, Nesterov momentum and L2 weight decay."""

    _group_defaults = (("nesterov", False), ("maximize", False), ("foreach", None),
                       ("differentiable", False), ("fused", False))  # fmt: skip

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):  # fmt: skip
        _check_tensor_hyper("lr", lr)
        _check_nonnegative(nan_passes=True, lr=lr, momentum=momentum, weight_decay=weight_decay)
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable,
                    "fused": fused}  # fmt: skip
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        _check_fused(fused, differentiable, foreach)

    def step(self, closure=None):
        """One SGD step over every parameter that has a gradient; returns ``closure()``'s loss."""
        return self._step_groups(closure, self._update_group)

    def _update_group(self, group, params):
        # NOTE: the state of a parameter is touched only under momentum, and its buffer is
        # created from the first step's result, as in torch.
        momentum = _to_scalar(group["momentum"])
        bufs = tuple(self.state[p].get("momentum_buffer") if momentum != 0 else None
                     for p in params)  # fmt: skip
        results = F.sgd(
            (*_param_columns(params), tuple(None if b is None else b._storage.array for b in bufs)),
            _lr(group), float(_to_scalar(group["weight_decay"])),
            float(momentum), float(group["dampening"]),
            wd=group["weight_decay"] != 0, momentum_on=momentum != 0,
            nesterov=bool(group["nesterov"]), maximize=bool(group["maximize"]),
        )  # fmt: skip
        for p, b, (a, ab) in zip(params, bufs, results, strict=True):
            _write(p, a)
            if momentum != 0:
                if b is None:
                    self.state[p]["momentum_buffer"] = _new_state(ab)
                else:
                    _write(b, ab)
