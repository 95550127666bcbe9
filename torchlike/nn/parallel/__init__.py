"""``nn.DataParallel``: the wrapper tutorials put around a model."""

from __future__ import annotations

from .data_parallel import DataParallel

__all__ = ["DataParallel"]
