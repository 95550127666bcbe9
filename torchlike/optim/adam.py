"""Adam (and, with ``decoupled_weight_decay=True``, AdamW)."""

from __future__ import annotations

from .._tensor import Tensor
from . import _functional as F
from .optimizer import (
    Optimizer,
    _check_fused,
    _check_nonnegative,
    _check_tensor_hyper,
    _lr,
    _to_scalar,
)

__all__ = ["Adam"]


class Adam(Optimizer):
    """``torch.optim.Adam``. State per parameter: ``step`` (a 0-d float32 tensor),
    ``exp_avg``, ``exp_avg_sq`` and, with ``amsgrad``, ``max_exp_avg_sq``."""

    _group_defaults = (("amsgrad", False), ("maximize", False), ("foreach", None),
                       ("capturable", False), ("differentiable", False),
                       ("decoupled_weight_decay", False), ("fused", None))  # fmt: skip

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):  # fmt: skip
        _check_tensor_hyper("lr", lr, foreach=foreach, capturable=capturable)
        _check_nonnegative(lr=lr, eps=eps)
        for i in (0, 1):
            if not 0.0 <= betas[i] < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {betas[i]}")
        _check_nonnegative(weight_decay=weight_decay)
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):  # fmt: skip
            raise ValueError("betas must be either both floats or both Tensors")
        for i in (0, 1):
            _check_tensor_hyper(f"betas[{i}]", betas[i], foreach=foreach, capturable=capturable)
        betas = tuple(_to_scalar(b) for b in betas)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}  # fmt: skip
        super().__init__(params, defaults)
        _check_fused(fused, differentiable, foreach)

    def step(self, closure=None):
        """One Adam step over every parameter that has a gradient; returns ``closure()``'s loss."""
        return self._step_groups(closure, self._update_group)

    def _update_group(self, group, params):
        amsgrad = bool(group["amsgrad"])
        extra = ("max_exp_avg_sq",) if amsgrad else ()
        states = [self._lazy_state(p, "exp_avg", "exp_avg_sq", *extra) for p in params]
        beta1, beta2 = (float(_to_scalar(b)) for b in group["betas"])
        self._apply_update(
            F.adam, params, states,
            {"exp_avg": True, "exp_avg_sq": True, "max_exp_avg_sq": amsgrad, "step": True},
            _lr(group), beta1, beta2, float(group["eps"]),
            float(_to_scalar(group["weight_decay"])),
            wd=group["weight_decay"] != 0, amsgrad=amsgrad, maximize=bool(group["maximize"]),
            decoupled=bool(group["decoupled_weight_decay"]),
        )  # fmt: skip
