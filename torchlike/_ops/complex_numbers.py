"""The op table's complex numbers entries."""

from __future__ import annotations

from ._registry import defop  # noqa: F401
