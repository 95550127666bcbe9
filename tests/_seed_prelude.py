"""Make real torch and torchlike draw the same random numbers, so a seed example's printed
output can be compared exactly. ``apply(torch)`` replaces the random creation functions the
seeds use on the given module with draws from ``numpy.random.default_rng(0)`` (float32)."""

from __future__ import annotations

import numpy as np


def apply(torch) -> None:
    rng = np.random.default_rng(0)

    def _shape(size, kw):
        if "size" in kw:
            size = (kw.pop("size"),)
        if len(size) == 1 and isinstance(size[0], (tuple, list)):
            size = tuple(size[0])
        return tuple(size)

    def _make(values, kw):
        dtype = kw.pop("dtype", None) or torch.float32
        requires_grad = kw.pop("requires_grad", False)
        return torch.tensor(values.astype(np.float32), dtype=dtype, requires_grad=requires_grad)

    def rand(*size, **kw):
        return _make(rng.random(_shape(size, kw)), kw)

    def randn(*size, **kw):
        return _make(rng.standard_normal(_shape(size, kw)), kw)

    torch.rand, torch.randn = rand, randn
