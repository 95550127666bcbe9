"""The benchmarked ops: one table, name -> (torchlike fn, torch fn, jnp fn).

Every fn takes ``(a, b)``: ``a`` is the input that gets the gradient, ``b`` a second operand of
the same shape (unused by unary ops and reductions). Inputs are 4-element float32 vectors with
values in [0.5, 2) so that log, sqrt and div are well defined.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

import torchlike as tl

try:
    import torch
except ImportError:  # torch is optional: its columns print "-"
    torch = None

__all__ = ["OPS", "SIZE", "inputs", "jax", "jnp", "tl", "torch"]

SIZE = 4

OPS = {
    "add": (lambda a, b: a + b, lambda a, b: a + b, lambda a, b: jnp.add(a, b)),
    "mul": (lambda a, b: a * b, lambda a, b: a * b, lambda a, b: jnp.multiply(a, b)),
    "sub": (lambda a, b: a - b, lambda a, b: a - b, lambda a, b: jnp.subtract(a, b)),
    "div": (lambda a, b: a / b, lambda a, b: a / b, lambda a, b: jnp.divide(a, b)),
    "mul_scalar": (lambda a, b: a * 2.5, lambda a, b: a * 2.5, lambda a, b: jnp.multiply(a, 2.5)),
    "exp": (lambda a, b: a.exp(), lambda a, b: a.exp(), lambda a, b: jnp.exp(a)),
    "log": (lambda a, b: a.log(), lambda a, b: a.log(), lambda a, b: jnp.log(a)),
    "sin": (lambda a, b: a.sin(), lambda a, b: a.sin(), lambda a, b: jnp.sin(a)),
    "tanh": (lambda a, b: a.tanh(), lambda a, b: a.tanh(), lambda a, b: jnp.tanh(a)),
    "sigmoid": (lambda a, b: a.sigmoid(), lambda a, b: a.sigmoid(), lambda a, b: jax.nn.sigmoid(a)),
    "relu": (lambda a, b: a.relu(), lambda a, b: a.relu(), lambda a, b: jax.nn.relu(a)),
    "sqrt": (lambda a, b: a.sqrt(), lambda a, b: a.sqrt(), lambda a, b: jnp.sqrt(a)),
    "neg": (lambda a, b: -a, lambda a, b: -a, lambda a, b: jnp.negative(a)),
    "pow2": (lambda a, b: a.pow(2), lambda a, b: a.pow(2), lambda a, b: jnp.power(a, 2)),
    "sum": (lambda a, b: a.sum(), lambda a, b: a.sum(), lambda a, b: jnp.sum(a)),
    "mean": (lambda a, b: a.mean(), lambda a, b: a.mean(), lambda a, b: jnp.mean(a)),
    "dot": (lambda a, b: a @ b, lambda a, b: a @ b, lambda a, b: jnp.matmul(a, b)),
}


def inputs() -> tuple[np.ndarray, np.ndarray]:
    """The two numpy float32 operands every implementation starts from."""
    rng = np.random.default_rng(0)
    a, b = (rng.uniform(0.5, 2.0, SIZE).astype(np.float32) for _ in range(2))
    return a, b
