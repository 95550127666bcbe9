"""The op table: every op defined once, by family. ``TABLE`` maps names to entries."""

from __future__ import annotations

from . import (
               combine,
               complex_numbers,
               fft,
               indexing,
               layer_ops,
               linalg,
               native,
               nn_ops,
               numeric,
               pointwise,
               reduction,
               shape,
               special,
)
from ._registry import TABLE, Op, clear_kernels, defop

__all__ = ["TABLE", "Op", "defop", "clear_kernels", "linalg", "nn_ops", "pointwise",
           "reduction", "shape"]  # fmt: skip
