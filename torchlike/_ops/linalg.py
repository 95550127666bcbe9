"""Matrix products."""

from __future__ import annotations

import jax.numpy as jnp

from .. import _dtype as D
from ._registry import defop


def _matmul_name(args, opts):
    a, b = args[0].ndim, args[1].ndim
    if a == 1 and b == 1:
        return "DotBackward0"
    if a == 2 and b == 2:
        return "MmBackward0"
    if a == 2 and b == 1:
        return "MvBackward0"
    if a == 1 and b == 2:
        return "SqueezeBackward4"
    if a == 2 and args[0].requires_grad:
        # torch computes (b^T @ a^T)^T and makes it contiguous when a needs grad.
        return "CloneBackward0"
    return "UnsafeViewBackward0"


def _check_dot(x, y):
    if x.ndim != 1 or y.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {x.ndim}D and {y.ndim}D tensors")
    if x.dtype != y.dtype:
        raise RuntimeError(
            "dot : expected both vectors to have same dtype, but found "
            f"{D._LEGACY[D._FROM_NP[x.dtype]]} and {D._LEGACY[D._FROM_NP[y.dtype]]}"
        )
    n, m = x.shape[0], y.shape[0]
    if n != m:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same "
            f"number of elements, but got {n} and {m} elements respectively"
        )


dot = defop("dot", jnp.dot, "DotBackward0", dtypes="none", check=_check_dot)
mv = defop("mv", jnp.matmul, "MvBackward0")
mm = defop("mm", jnp.matmul, "MmBackward0")
matmul = defop("matmul", jnp.matmul, _matmul_name)
bmm = defop("bmm", jnp.matmul, "BmmBackward0")
outer = defop("outer", jnp.outer, "MulBackward0")  # torch's outer is a broadcast mul
