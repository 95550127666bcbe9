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

import functools

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


def _jit(*static):
    return functools.partial(jax.jit, static_argnames=static)


@_jit("wd", "momentum_on", "nesterov", "maximize")
def sgd(params, grads, bufs, lr, weight_decay, momentum, dampening, *, wd, momentum_on, nesterov,
        maximize):  # fmt: skip
    new_p, new_b = [], []
    for p, g, b in zip(params, grads, bufs, strict=True):
        g = _grad_in(p, g, weight_decay, maximize=maximize, wd=wd)
        if momentum_on:
            b = g if b is None else b * _s(momentum, b) + _s(1 - dampening, b) * g
            g = g + _s(momentum, g) * b if nesterov else b
        new_p.append(p + _s(-lr, p) * g)
        new_b.append(b)
    return tuple(new_p), tuple(new_b)


@_jit("wd", "amsgrad", "maximize", "decoupled")
def adam(params, grads, exp_avgs, exp_avg_sqs, max_sqs, steps, lr, beta1, beta2, eps,
         weight_decay, *, wd, amsgrad, maximize, decoupled):  # fmt: skip
    out = []
    for p, g, m, v, vmax, step in zip(params, grads, exp_avgs, exp_avg_sqs, max_sqs, steps,
                                      strict=True):  # fmt: skip
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
        out.append((p, m, v, vmax, step))
    return tuple(out)


@_jit("wd", "momentum_on", "centered", "maximize")
def rmsprop(params, grads, square_avgs, grad_avgs, bufs, steps, lr, alpha, eps, weight_decay,
            momentum, *, wd, momentum_on, centered, maximize):  # fmt: skip
    out = []
    for p, g, sq, ga, b, step in zip(params, grads, square_avgs, grad_avgs, bufs, steps,
                                     strict=True):  # fmt: skip
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
        out.append((p, sq, ga, b, step))
    return tuple(out)


@_jit("wd", "maximize")
def adagrad(params, grads, sums, steps, lr, lr_decay, eps, weight_decay, *, wd, maximize):
    out = []
    for p, g, s, step in zip(params, grads, sums, steps, strict=True):
        step = step + 1
        g = _grad_in(p, g, weight_decay, maximize=maximize, wd=wd)
        clr = lr / (1 + (step.astype(jnp.float64) - 1) * lr_decay)
        s = s + g * g
        std = jnp.sqrt(s) + _s(eps, s)
        p = p + _s(-clr, p) * g / std
        out.append((p, s, step))
    return tuple(out)


@_jit("wd", "maximize")
def adadelta(params, grads, square_avgs, acc_deltas, steps, lr, rho, eps, weight_decay, *, wd,
             maximize):  # fmt: skip
    out = []
    for p, g, sq, acc, step in zip(params, grads, square_avgs, acc_deltas, steps, strict=True):
        step = step + 1
        g = _grad_in(p, g, weight_decay, maximize=maximize, wd=wd)
        sq = sq * _s(rho, sq) + _s(1 - rho, sq) * g * g
        std = jnp.sqrt(sq + _s(eps, sq))
        delta = jnp.sqrt(acc + _s(eps, acc)) / std * g
        acc = acc * _s(rho, acc) + _s(1 - rho, acc) * delta * delta
        p = p + _s(-lr, p) * delta
        out.append((p, sq, acc, step))
    return tuple(out)


def wrap_state(array):
    """A state tensor (``exp_avg``, ``momentum_buffer``...) holding ``array``."""
    from .._dispatch import wrap

    return wrap(array)
