"""Adadelta."""

from __future__ import annotations

import jax.numpy as jnp

from .._tensor import Tensor
from . import _functional as F
from .optimizer import Optimizer, _to_scalar, _write, _zero_step

__all__ = ["Adadelta"]


class Adadelta(Optimizer):
    """``torch.optim.Adadelta``. State: ``step``, ``square_avg``, ``acc_delta``."""

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):  # fmt: skip
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay,
                    "maximize": maximize, "capturable": capturable, "foreach": foreach,
                    "differentiable": differentiable}  # fmt: skip
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            for key, value in (("foreach", None), ("maximize", False),
                               ("differentiable", False), ("capturable", False)):  # fmt: skip
                group.setdefault(key, value)

    def step(self, closure=None):
        """One Adadelta step over every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            params = self._with_grads(group)
            if not params:
                continue
            states = []
            for p in params:
                state = self.state[p]
                if len(state) == 0:
                    zeros = jnp.zeros_like(p._storage.array)
                    state["step"] = _zero_step()
                    state["square_avg"] = F.wrap_state(zeros)
                    state["acc_delta"] = F.wrap_state(zeros)
                states.append(state)
            results = F.adadelta(
                tuple(p._storage.array for p in params),
                tuple(p._grad._storage.array for p in params),
                tuple(s["square_avg"]._storage.array for s in states),
                tuple(s["acc_delta"]._storage.array for s in states),
                tuple(s["step"]._storage.array for s in states),
                float(_to_scalar(group["lr"])), float(group["rho"]), float(group["eps"]),
                float(group["weight_decay"]),
                wd=group["weight_decay"] != 0, maximize=bool(group["maximize"]),
            )  # fmt: skip
            for p, s, (a, sq, acc, t) in zip(params, states, results, strict=True):
                _write(p, a)
                _write(s["square_avg"], sq)
                _write(s["acc_delta"], acc)
                _write(s["step"], t)
        return loss
