"""Complex numbers: construction, views between real and complex, angle/polar, conjugation."""

from __future__ import annotations

from ._surface import public  # noqa: F401
