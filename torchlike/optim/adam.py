"""Adam (and, with ``decoupled_weight_decay=True``, AdamW)."""

from __future__ import annotations

import jax.numpy as jnp

from .._tensor import Tensor
from . import _functional as F
from .optimizer import Optimizer, _to_scalar, _write, _zero_step

__all__ = ["Adam"]


class Adam(Optimizer):
    """``torch.optim.Adam``. State per parameter: ``step`` (a 0-d float32 tensor),
    ``exp_avg``, ``exp_avg_sq`` and, with ``amsgrad``, ``max_exp_avg_sq``."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):  # fmt: skip
        if isinstance(lr, Tensor):
            if foreach and not capturable:
                raise ValueError(
                    "lr as a Tensor is not supported for capturable=False and foreach=True"
                )
            if lr.numel() != 1:
                raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):  # fmt: skip
            raise ValueError("betas must be either both floats or both Tensors")
        for i in (0, 1):
            if isinstance(betas[i], Tensor):
                if not capturable and foreach:
                    raise ValueError(
                        f"betas[{i}] as a Tensor is not supported for capturable=False and "
                        "foreach=True"
                    )
                if betas[i].numel() != 1:
                    raise ValueError(f"Tensor betas[{i}] must be 1-element")
        betas = tuple(_to_scalar(b) for b in betas)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}  # fmt: skip
        super().__init__(params, defaults)
        if fused:
            if differentiable:
                raise RuntimeError("`fused` does not support `differentiable`")
            if foreach:
                raise RuntimeError("`fused` and `foreach` cannot be `True` together.")

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            for key, value in (("amsgrad", False), ("maximize", False), ("foreach", None),
                               ("capturable", False), ("differentiable", False),
                               ("decoupled_weight_decay", False), ("fused", None)):  # fmt: skip
                group.setdefault(key, value)

    def _state_for(self, p, amsgrad):
        state = self.state[p]
        if len(state) == 0:
            zeros = jnp.zeros_like(p._storage.array)
            state["step"] = _zero_step()
            state["exp_avg"] = F.wrap_state(zeros)
            state["exp_avg_sq"] = F.wrap_state(zeros)
            if amsgrad:
                state["max_exp_avg_sq"] = F.wrap_state(zeros)
        return state

    def step(self, closure=None):
        """One Adam step over every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            params = self._with_grads(group)
            if not params:
                continue
            amsgrad = bool(group["amsgrad"])
            states = [self._state_for(p, amsgrad) for p in params]
            beta1, beta2 = (float(_to_scalar(b)) for b in group["betas"])
            keys = ("exp_avg", "exp_avg_sq", "max_exp_avg_sq", "step")
            arrays = {k: tuple(s[k]._storage.array if k in s else None for s in states)
                      for k in keys}  # fmt: skip
            results = F.adam(
                tuple(p._storage.array for p in params),
                tuple(p._grad._storage.array for p in params),
                arrays["exp_avg"], arrays["exp_avg_sq"],
                arrays["max_exp_avg_sq"] if amsgrad else (None,) * len(params), arrays["step"],
                float(_to_scalar(group["lr"])), beta1, beta2, float(group["eps"]),
                float(_to_scalar(group["weight_decay"])),
                wd=group["weight_decay"] != 0, amsgrad=amsgrad, maximize=bool(group["maximize"]),
                decoupled=bool(group["decoupled_weight_decay"]),
            )  # fmt: skip
            for p, s, (a, m, v, vmax, t) in zip(params, states, results, strict=True):
                _write(p, a)
                _write(s["exp_avg"], m)
                _write(s["exp_avg_sq"], v)
                if amsgrad:
                    _write(s["max_exp_avg_sq"], vmax)
                _write(s["step"], t)
        return loss
