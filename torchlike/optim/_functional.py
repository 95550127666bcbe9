"""Pure update rules: ``(params, grads, state arrays, hyper-parameters) -> (new params, new
state)`` over tuples of jax arrays, one jitted call per parameter group.

Hyper-parameters that change between steps (``lr`` under a scheduler, momentum under
OneCycleLR) are traced float64 scalars, so changing them never recompiles; only the switches
that change the program's shape (``weight_decay != 0``, ``nesterov``, ``amsgrad``...) are static.

Arithmetic follows torch's CPU kernels: a Python-float hyper-parameter is rounded to the
tensor's dtype where torch passes it to a kernel as a scalar, while the scalar arithmetic torch
does in Python (Adam's bias corrections) stays in float64.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp


def _s(x, like):
    """A Python-side scalar as the scalar argument of a torch kernel on ``like``."""
    return jnp.asarray(x).astype(like.dtype)


def _lerp(start, end, weight):
    # NOTE: torch's lerp picks its formula by |weight| so that both ends are exact.
    w = _s(weight, start)
    diff = end - start
    return jnp.where(jnp.abs(w) < 0.5, start + w * diff, end - diff * (1 - w))


def _grad_in(p, g, weight_decay, *, maximize, wd):
    if maximize:
        g = -g
    if wd:
        g = g + _s(weight_decay, p) * p
    return g


def _per_param(*static):
    """Lift a one-parameter rule ``rule(p, g, *state, *hyper, **switches) -> (p, *state)`` to
    one jitted call per group: ``update(columns, *hyper, **switches)``, where ``columns`` is
    ``(params, grads, *states)``, each a tuple with one entry per parameter (None for a state the
    switches leave unused), returns a tuple of the rule's results, one per parameter.
    ``static`` names the switches that change the program."""

    def lift(rule):
        def update(columns, *hyper, **switches):
            return tuple(rule(*row, *hyper, **switches) for row in zip(*columns, strict=True))

        update.__name__ = update.__qualname__ = rule.__name__
        update.__doc__ = rule.__doc__
        return jax.jit(update, static_argnames=static)

    return lift


@_per_param("wd", "momentum_on", "nesterov", "maximize")
def sgd(p, g, b, lr, weight_decay, momentum, dampening, *, wd, momentum_on, nesterov, maximize):
    g = _grad_in(p, g, weight_decay, maximize=maximize, wd=wd)
    if momentum_on:
        b = g if b is None else b * _s(momentum, b) + _s(1 - dampening, b) * g
        g = g + _s(momentum, g) * b if nesterov else b
    return p + _s(-lr, p) * g, b


@_per_param("wd", "amsgrad", "maximize", "decoupled")
def adam(p, g, m, v, vmax, step, lr, beta1, beta2, eps, weight_decay, *, wd, amsgrad, maximize,
         decoupled):  # fmt: skip
    step = step + 1
    if maximize:
        g = -g
    if wd:
        if decoupled:
            p = p * _s(1 - lr * weight_decay, p)
        else:
            g = g + _s(weight_decay, p) * p
    m = _lerp(m, g, 1 - beta1)
    v = v * _s(beta2, v) + _s(1 - beta2, v) * g * g
    t = step.astype(jnp.float64)
    bias1 = 1 - beta1**t
    bias2_sqrt = jnp.sqrt(1 - beta2**t)
    step_size = lr / bias1
    if amsgrad:
        vmax = jnp.maximum(vmax, v)
        denom = jnp.sqrt(vmax) / _s(bias2_sqrt, v) + _s(eps, v)
    else:
        denom = jnp.sqrt(v) / _s(bias2_sqrt, v) + _s(eps, v)
    p = p + _s(-step_size, p) * m / denom
    return p, m, v, vmax, step


@_per_param("wd", "momentum_on", "centered", "maximize")
def rmsprop(p, g, sq, ga, b, step, lr, alpha, eps, weight_decay, momentum, *, wd, momentum_on,
            centered, maximize):  # fmt: skip
    step = step + 1
    g = _grad_in(p, g, weight_decay, maximize=maximize, wd=wd)
    sq = sq * _s(alpha, sq) + _s(1 - alpha, sq) * g * g
    if centered:
        ga = _lerp(ga, g, 1 - alpha)
        avg = jnp.sqrt(sq - ga * ga)
    else:
        avg = jnp.sqrt(sq)
    avg = avg + _s(eps, avg)
    if momentum_on:
        b = b * _s(momentum, b) + g / avg
        p = p + _s(-lr, p) * b
    else:
        p = p + _s(-lr, p) * g / avg
    return p, sq, ga, b, step


@_per_param("wd", "maximize")
def adagrad(p, g, s, step, lr, lr_decay, eps, weight_decay, *, wd, maximize):
    step = step + 1
    g = _grad_in(p, g, weight_decay, maximize=maximize, wd=wd)
    clr = lr / (1 + (step.astype(jnp.float64) - 1) * lr_decay)
    s = s + g * g
    std = jnp.sqrt(s) + _s(eps, s)
    p = p + _s(-clr, p) * g / std
    return p, s, step


@_per_param("wd", "maximize")
def adadelta(p, g, sq, acc, step, lr, rho, eps, weight_decay, *, wd, maximize):
    step = step + 1
    g = _grad_in(p, g, weight_decay, maximize=maximize, wd=wd)
    sq = sq * _s(rho, sq) + _s(1 - rho, sq) * g * g
    std = jnp.sqrt(sq + _s(eps, sq))
    delta = jnp.sqrt(acc + _s(eps, acc)) / std * g
    acc = acc * _s(rho, acc) + _s(1 - rho, acc) * delta * delta
    p = p + _s(-lr, p) * delta
    return p, sq, acc, step
