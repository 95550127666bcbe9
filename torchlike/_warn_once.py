"""Warnings torch issues once per process (ATen's ``TORCH_WARN_ONCE``): the first call under a
key warns, later ones stay silent whatever the ``warnings`` filters say. Under
``torch.set_warn_always(True)`` every call warns, and none uses up its key (as torch)."""

from __future__ import annotations

import threading
import warnings

__all__ = ["warn_once", "set_warn_always", "is_warn_always_enabled"]

_lock = threading.Lock()
_warned: set = set()
_always = [False]  # NOTE: process-wide, as torch's flag (not per thread)


def warn_once(key, message: str, category: type[Warning] = UserWarning, *, stacklevel: int = 1):
    """``warnings.warn(message, category)`` unless a warning under ``key`` was issued before in
    this process; ``stacklevel`` counts as ``warnings.warn``'s would from the caller's line."""
    if not _always[0]:
        with _lock:  # NOTE: a check-then-add: two threads must not both see the key as new
            if key in _warned:
                return
            _warned.add(key)
    warnings.warn(message, category, stacklevel=stacklevel + 1)


def set_warn_always(b: bool) -> None:
    _always[0] = bool(b)


def is_warn_always_enabled() -> bool:
    return _always[0]
