"""Neural-network ops (losses and activations the functional API maps onto)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from ._registry import defop


def _reduce(x, reduction):
    if reduction == "mean":
        return jnp.mean(x)
    if reduction == "sum":
        return jnp.sum(x)
    return x


def _bce_logits(x, y, *args, reduction, has_weight, has_pos_weight):
    it = iter(args)
    w = next(it) if has_weight else None
    pw = next(it) if has_pos_weight else None
    log_sig = jax.nn.log_sigmoid(x)
    log_one_minus = jax.nn.log_sigmoid(-x)
    loss = -(y * log_sig * (1 if pw is None else pw) + (1 - y) * log_one_minus)
    if w is not None:
        loss = loss * w
    return _reduce(loss, reduction)


mse_loss = defop("mse_loss", lambda x, y, *, reduction: _reduce((x - y) ** 2, reduction),
                 "MseLossBackward0")  # fmt: skip
# NOTE: torch's l1_loss is composite (``(x - y).abs().mean()``), so its node is the reduction's;
# d * sign(d) gives |d|'s derivative 0 at d == 0, as torch's abs.
l1_loss = defop("l1_loss", lambda x, y, *, reduction: _reduce((x - y) * jnp.sign(x - y), reduction),
                lambda a, o: {"mean": "MeanBackward0", "sum": "SumBackward0",
                              "none": "AbsBackward0"}[o["reduction"]])  # fmt: skip
bce_with_logits = defop("bce_with_logits", _bce_logits, "BinaryCrossEntropyWithLogitsBackward0")
