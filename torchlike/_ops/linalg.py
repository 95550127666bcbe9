"""Matrix products."""

from __future__ import annotations

import jax.numpy as jnp

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


dot = defop("dot", jnp.dot, "DotBackward0")
mv = defop("mv", jnp.matmul, "MvBackward0")
mm = defop("mm", jnp.matmul, "MmBackward0")
matmul = defop("matmul", jnp.matmul, _matmul_name)
bmm = defop("bmm", jnp.matmul, "BmmBackward0")
outer = defop("outer", jnp.outer, "MulBackward0")  # torch's outer is a broadcast mul
