"""``torchlike.nn``: modules, losses and the functional API."""

from __future__ import annotations

from . import functional, init, parallel, parameter, utils
from .modules import *
from .modules import __all__ as _modules_all
from .parallel import DataParallel
from .parameter import Parameter, UninitializedBuffer, UninitializedParameter

__all__ = ["functional", "init", "parameter", "utils", "Parameter", "UninitializedParameter",
           "UninitializedBuffer", *_modules_all]


from torchlike._alias import install_module_getattr

install_module_getattr(globals(), "torch.nn")
