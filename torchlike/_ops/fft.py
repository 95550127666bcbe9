"""The op table's fft entries."""

from __future__ import annotations

from ._registry import defop  # noqa: F401
