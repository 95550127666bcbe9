"""Whether this thread is tracing a compiled function, and what the traced code did that the
compiler must know: a ``backward()`` or optimizer step ran (the function is a training step), and
for each tensor whose ``.grad`` it touched, whether it first read the gradient or reset it
(``zero_grad``): a gradient reset before any read is not an input of the program."""

from __future__ import annotations

import threading


class GraphBreak(Exception):
    """Raised while tracing when a function cannot run as one program: the call runs eagerly."""


_local = threading.local()


def active() -> bool:
    return getattr(_local, "active", False)


def set_active(value: bool) -> None:
    _local.active = value
    _local.stepped = False
    _local.grad_events = {}
    _local.hyper = {}


def check_not_tracing(what: str) -> None:
    """Eager-only entry points call this: they cannot run inside a compiled function."""
    if getattr(_local, "active", False):
        raise GraphBreak(f"{what} inside a compiled function")


def note_step() -> None:
    """A ``backward()`` or an optimizer step runs inside the traced function."""
    _local.stepped = True


def stepped() -> bool:
    return getattr(_local, "stepped", False)


def grad_read(t) -> None:
    """``t.grad`` is read (first event wins)."""
    _local.grad_events.setdefault(id(t), "read")


def grad_reset(t) -> None:
    """``t.grad`` is set to None or zeroed (first event wins)."""
    _local.grad_events.setdefault(id(t), "reset")


def grad_events() -> dict:
    return getattr(_local, "grad_events", {})


def set_hyper(values: dict) -> None:
    """Hyper-parameters passed into the program, by the ``id`` of the optimizer group."""
    _local.hyper = values


def hyper(group):
    """The traced learning rate of ``group``, or None outside a compiled step."""
    return getattr(_local, "hyper", {}).get(id(group))
