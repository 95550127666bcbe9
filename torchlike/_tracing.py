"""Whether this thread is tracing a compiled function (eager-only code checks it)."""

from __future__ import annotations

import threading


class GraphBreak(Exception):
    """Raised while tracing when a function cannot run as one program: the call runs eagerly."""


_local = threading.local()


def active() -> bool:
    return getattr(_local, "active", False)


def set_active(value: bool) -> None:
    _local.active = value


def check_not_tracing(what: str) -> None:
    """Eager-only entry points (``backward()``, optimizer steps) call this."""
    if getattr(_local, "active", False):
        raise GraphBreak(f"{what} inside a compiled function")
