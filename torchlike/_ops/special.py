"""The op table's special entries."""

from __future__ import annotations

from ._registry import defop  # noqa: F401
