"""``torch.fft``: the functions declared with ``@public(function="fft")`` in
``torchlike/_functions/fft.py``."""

from __future__ import annotations

from .._functions import fft as _family
from .._functions._surface import NAMESPACES as _NAMESPACES

globals().update(_NAMESPACES["fft"])
__all__ = sorted(_NAMESPACES["fft"])
