"""Neural-network ops (losses and activations the functional API maps onto)."""

from __future__ import annotations

import threading

import jax
import jax.numpy as jnp

from ._registry import Op, defop


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


_hook_ops: dict = {}
_hook_lock = threading.Lock()


def backward_hook_op(n: int):
    """The identity over ``n`` tensors that full module backward hooks hang on (torch's
    ``BackwardHookFunction``); one entry per arity, made on first use."""
    op = _hook_ops.get(n)
    if op is None:
        with _hook_lock:
            op = _hook_ops.get(n)
            if op is None:
                fn = (lambda x: x) if n == 1 else (lambda *xs: tuple(xs))
                op = _hook_ops[n] = Op(f"backward_hook_{n}", fn, "BackwardHookFunctionBackward",
                                       dtypes="none", saves=(), n_out=n)  # fmt: skip
    return op


def _vector_norm(x, p):
    x = jnp.abs(x)
    if p == float("inf"):
        return jnp.max(x) if x.size else jnp.zeros((), x.dtype)
    if p == float("-inf"):
        return jnp.min(x)
    if p == 0:
        return jnp.sum(x != 0).astype(x.dtype)
    if p == 1:
        return jnp.sum(x)
    if p == 2:
        return jnp.sqrt(jnp.sum(x * x))
    return jnp.sum(x**p) ** (1.0 / p)


def _total_norm(*gs, norm_type):
    # NOTE: as torch: the norm of each tensor, then the norm of those norms (in the result dtype).
    dt = jnp.result_type(*gs)
    norms = jnp.stack([_vector_norm(g, norm_type).astype(dt) for g in gs])
    return _vector_norm(norms, norm_type)


total_norm = defop("total_norm", _total_norm, None, dtypes="none")
# NOTE: parameters_to_vector is ``cat([p.view(-1) ...])`` in torch: its node is the cat's.
flat_concat = defop("flat_concat", lambda *xs: jnp.concatenate([x.reshape(-1) for x in xs]),
                    "CatBackward0")  # fmt: skip
