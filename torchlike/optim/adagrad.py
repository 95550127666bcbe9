"""Adagrad."""

from __future__ import annotations

import jax.numpy as jnp

from .._tensor import Tensor
from . import _functional as F
from .optimizer import Optimizer, _to_scalar, _write, _zero_step

__all__ = ["Adagrad"]


class Adagrad(Optimizer):
    """``torch.optim.Adagrad``. Its state (``step``, ``sum`` filled with
    ``initial_accumulator_value``) is created for every parameter in the constructor."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False,
                 fused=None):  # fmt: skip
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(
                f"Invalid initial_accumulator_value value: {initial_accumulator_value}"
            )
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable,
                    "fused": fused}  # fmt: skip
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = _zero_step()
                state["sum"] = F.wrap_state(
                    jnp.full_like(p._storage.array, initial_accumulator_value)
                )

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            for key, value in (("foreach", None), ("maximize", False),
                               ("differentiable", False), ("fused", None)):  # fmt: skip
                group.setdefault(key, value)

    def step(self, closure=None):
        """One Adagrad step over every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            params = self._with_grads(group)
            if not params:
                continue
            states = [self.state[p] for p in params]
            results = F.adagrad(
                tuple(p._storage.array for p in params),
                tuple(p._grad._storage.array for p in params),
                tuple(s["sum"]._storage.array for s in states),
                tuple(s["step"]._storage.array for s in states),
                float(_to_scalar(group["lr"])), float(group["lr_decay"]), float(group["eps"]),
                float(group["weight_decay"]),
                wd=group["weight_decay"] != 0, maximize=bool(group["maximize"]),
            )  # fmt: skip
            for p, s, (a, total, t) in zip(params, states, results, strict=True):
                _write(p, a)
                _write(s["sum"], total)
                _write(s["step"], t)
        return loss
