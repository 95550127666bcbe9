"""torch.special: PyTorch's signatures over the op table,
declared with ``@public(function="special")``."""

from __future__ import annotations

from ._surface import public  # noqa: F401
