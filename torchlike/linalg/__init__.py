"""``torch.linalg``: the functions declared with ``@public(function="linalg")`` in
``torchlike/_functions/linalg.py``."""

from __future__ import annotations

from .._functions import linalg as _family
from .._functions._surface import NAMESPACES as _NAMESPACES

globals().update(_NAMESPACES["linalg"])
__all__ = sorted(_NAMESPACES["linalg"])
