"""torchlike.utils: ``hooks`` (handles, imported by every layer) and ``data`` (data loading,
imported by the top-level package)."""

from __future__ import annotations

__all__ = ["data", "hooks"]
