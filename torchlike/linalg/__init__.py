"""``torch.linalg``: the functions declared with ``@public(function="linalg")`` in
``torchlike/_functions/linalg.py``, and ``LinAlgError``."""

from .._functions import linalg as _family
from .._functions._surface import NAMESPACES as _NAMESPACES

LinAlgError = _family.LinAlgError
globals().update(_NAMESPACES["linalg"])
__all__ = sorted([*_NAMESPACES["linalg"], "LinAlgError"])
