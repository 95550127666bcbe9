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
    return "UnsafeViewBackward0" if a >= 3 else "BmmBackward0"


dot = defop("dot", jnp.dot, "DotBackward0")
mv = defop("mv", jnp.matmul, "MvBackward0")
mm = defop("mm", jnp.matmul, "MmBackward0")
matmul = defop("matmul", jnp.matmul, _matmul_name)
bmm = defop("bmm", jnp.matmul, "BmmBackward0")
outer = defop("outer", jnp.outer, "OuterBackward0")
