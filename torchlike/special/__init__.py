"""``torch.special``: the functions declared with ``@public(function="special")`` in
``torchlike/_functions/special.py``."""

from __future__ import annotations

from .._functions import special as _family
from .._functions._surface import NAMESPACES as _NAMESPACES

globals().update(_NAMESPACES["special"])
__all__ = sorted(_NAMESPACES["special"])
