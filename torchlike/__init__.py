"""torchlike: the PyTorch programming model on JAX.

>>> import torchlike as torch
>>> x = torch.arange(4.0, requires_grad=True)
>>> (2 * torch.dot(x, x)).backward()
>>> x.grad
tensor([ 0.,  4.,  8., 12.])
"""

from __future__ import annotations

import math as _math

import jax as _jax

# NOTE: PyTorch has float64 and int64; JAX needs x64 mode for them. Every dtype torchlike
# creates is chosen explicitly, so JAX's own defaults never leak through.
_jax.config.update("jax_enable_x64", True)

from . import (
    _dtype,
    _logging,
    _ops,
    autograd,
    backends,
    cuda,
    distributions,
    fft,
    func,
    linalg,
    nn,
    optim,
    random,
    return_types,
    special,
    utils,
)
from ._compile import compile
from ._creation import *
from ._device import device
from ._dtype import *
from ._functions import *
from ._functions._surface import public as _public
from ._random import *
from ._random import default_generator
from ._tensor import Size, Tensor
from ._tensor_str import get_printoptions, printoptions, set_printoptions
from .autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)  # fmt: skip
from .func import vmap  # NOTE: torch.vmap is torch.func.vmap, declared there
from .serialization import load, save
from .utils import data as _data  # NOTE: torch.utils.data is loaded with the package


@_public(method=True, out=True)
def softmax(input, dim, dtype=None):
    """``torch.softmax`` / ``Tensor.softmax``: ``nn.functional.softmax`` with a required dim."""
    return nn.functional.softmax(input, dim, dtype=dtype)


@_public(method=True, out=True)
def log_softmax(input, dim, dtype=None):
    return nn.functional.log_softmax(input, dim, dtype=dtype)


pi = _math.pi
e = _math.e
inf = _math.inf
nan = _math.nan
newaxis = None
__version__ = "0.1.0"


def result_type(tensor1, tensor2) -> _dtype.dtype:
    """The dtype PyTorch's promotion gives ``tensor1 op tensor2`` (tensors or scalars)."""
    from ._ops._registry import result_dtype

    return result_dtype([t._array if isinstance(t, Tensor) else t for t in (tensor1, tensor2)])


def can_cast(from_: _dtype.dtype, to: _dtype.dtype) -> bool:
    return from_._cat <= to._cat


from ._alias import install_module_getattr

install_module_getattr(globals(), "torch")
