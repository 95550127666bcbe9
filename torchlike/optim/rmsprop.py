"""RMSprop, optionally centered and with momentum."""

from __future__ import annotations

import jax.numpy as jnp

from .._tensor import Tensor
from . import _functional as F
from .optimizer import Optimizer, _to_scalar, _write, _zero_step

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """``torch.optim.RMSprop``. State: ``step``, ``square_avg``, and ``momentum_buffer``
    (momentum > 0) / ``grad_avg`` (centered)."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):  # fmt: skip
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps,
                    "centered": centered, "weight_decay": weight_decay, "capturable": capturable,
                    "foreach": foreach, "maximize": maximize,
                    "differentiable": differentiable}  # fmt: skip
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            for key, value in (("momentum", 0), ("centered", False), ("foreach", None),
                               ("maximize", False), ("differentiable", False),
                               ("capturable", False)):  # fmt: skip
                group.setdefault(key, value)

    def step(self, closure=None):
        """One RMSprop step over every parameter that has a gradient."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            params = self._with_grads(group)
            if not params:
                continue
            momentum = float(group["momentum"])
            centered = bool(group["centered"])
            states = []
            for p in params:
                state = self.state[p]
                if len(state) == 0:
                    zeros = jnp.zeros_like(p._storage.array)
                    state["step"] = _zero_step()
                    state["square_avg"] = F.wrap_state(zeros)
                    if momentum > 0:
                        state["momentum_buffer"] = F.wrap_state(zeros)
                    if centered:
                        state["grad_avg"] = F.wrap_state(zeros)
                states.append(state)

            def col(key, on, states=states):
                return tuple(s[key]._storage.array if on else None for s in states)

            results = F.rmsprop(
                tuple(p._storage.array for p in params),
                tuple(p._grad._storage.array for p in params),
                col("square_avg", True), col("grad_avg", centered),
                col("momentum_buffer", momentum > 0), col("step", True),
                float(_to_scalar(group["lr"])), float(group["alpha"]), float(group["eps"]),
                float(group["weight_decay"]), momentum,
                wd=group["weight_decay"] != 0, momentum_on=momentum > 0, centered=centered,
                maximize=bool(group["maximize"]),
            )  # fmt: skip
            for p, s, (a, sq, ga, b, t) in zip(params, states, results, strict=True):
                _write(p, a)
                _write(s["square_avg"], sq)
                if centered:
                    _write(s["grad_avg"], ga)
                if momentum > 0:
                    _write(s["momentum_buffer"], b)
                _write(s["step"], t)
        return loss
