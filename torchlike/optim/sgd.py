"""Stochastic gradient descent, optionally with momentum (Nesterov), weight decay, maximize."""

from __future__ import annotations

from . import _functional as F
from .optimizer import Optimizer, _to_scalar, _write

__all__ = ["SGD"]


class SGD(Optimizer):
    """``torch.optim.SGD``: ``p -= lr * g`` with optional momentum buffer
    (``state["momentum_buffer"]``), dampening, Nesterov momentum and L2 weight decay."""

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False, foreach=None, differentiable=False, fused=None):  # fmt: skip
        if _is_tensor(lr) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable,
                    "fused": fused}  # fmt: skip
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group.setdefault("nesterov", False)
            group.setdefault("maximize", False)
            group.setdefault("foreach", None)
            group.setdefault("differentiable", False)
            group.setdefault("fused", False)

    def step(self, closure=None):
        """One SGD step over every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            params = self._with_grads(group)
            if not params:
                continue
            momentum = _to_scalar(group["momentum"])
            bufs = tuple(self.state[p].get("momentum_buffer") if momentum != 0 else None
                         for p in params)  # fmt: skip
            new_p, new_b = F.sgd(
                tuple(p._storage.array for p in params),
                tuple(p._grad._storage.array for p in params),
                tuple(None if b is None else b._storage.array for b in bufs),
                float(_to_scalar(group["lr"])), float(_to_scalar(group["weight_decay"])),
                float(momentum), float(group["dampening"]),
                wd=group["weight_decay"] != 0, momentum_on=momentum != 0,
                nesterov=bool(group["nesterov"]), maximize=bool(group["maximize"]),
            )  # fmt: skip
            for p, b, a, ab in zip(params, bufs, new_p, new_b, strict=True):
                _write(p, a)
                if momentum != 0:
                    if b is None:
                        self.state[p]["momentum_buffer"] = F.wrap_state(ab)
                    else:
                        _write(b, ab)
        return loss


def _is_tensor(x):
    from .._tensor import Tensor

    return isinstance(x, Tensor)
