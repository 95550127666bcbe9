"""Deterministic random draws shared by real PyTorch and torchlike (helper for test_examples).

`apply(torch)` replaces `torch.rand` and `torch.randn` on the given module with functions that
draw from `numpy.random.default_rng(0)` in float32 and build the tensor with `torch.tensor(...)`,
so a script run under either library sees exactly the same random values. The seeds use no other
random functions (no `randint`, `normal`), so only these two are replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import numpy as np

SEED = 0


def _shape(size: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[int, ...]:
    """Shape from `f(2, 3)`, `f((2, 3))`, `f(torch.Size(...))` or `f(size=(2, 3))`."""
    if "size" in kwargs:
        if size:
            raise TypeError("size given both positionally and as a keyword")
        size = (kwargs.pop("size"),)
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    return tuple(int(n) for n in size)


def _make(torch: ModuleType, draw: Callable[[tuple[int, ...]], np.ndarray]) -> Callable[..., Any]:
    """A `torch.rand`-like factory that fills its tensor with `draw(shape)`."""

    def factory(*size: Any, **kwargs: Any) -> Any:
        shape = _shape(size, kwargs)
        dtype = kwargs.pop("dtype", None)
        device = kwargs.pop("device", None)
        requires_grad = bool(kwargs.pop("requires_grad", False))
        if kwargs:
            raise TypeError(f"seed prelude: unsupported arguments {sorted(kwargs)}")
        extra = {} if device is None else {"device": device}
        return torch.tensor(
            np.asarray(draw(shape)),
            dtype=torch.float32 if dtype is None else dtype,
            requires_grad=requires_grad,
            **extra,
        )

    return factory


def apply(torch: ModuleType, seed: int = SEED) -> None:
    """Replace `torch.rand` / `torch.randn` with draws from one `default_rng(seed)` stream."""
    rng = np.random.default_rng(seed)
    torch.rand = _make(torch, lambda shape: rng.random(shape, dtype=np.float32))
    torch.randn = _make(torch, lambda shape: rng.standard_normal(shape, dtype=np.float32))
