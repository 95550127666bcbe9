"""``torchlike.func``: composable function transforms (``torch.func``) built on JAX's."""

from __future__ import annotations

from ._functional_call import functional_call
from ._transforms import grad, grad_and_value, hessian, jacfwd, jacrev, jvp, vjp, vmap

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian", "vmap",
           "functional_call"]  # fmt: skip

from torchlike._alias import install_module_getattr

install_module_getattr(globals(), "torch.func")
