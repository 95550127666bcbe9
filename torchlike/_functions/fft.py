"""torch.fft: PyTorch's signatures over the op table,
declared with ``@public(function="fft")``."""

from __future__ import annotations

from ._surface import public  # noqa: F401
