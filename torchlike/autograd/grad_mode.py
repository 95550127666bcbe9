"""Grad mode: thread-local, as PyTorch's. Each class is a context manager and a decorator."""

from __future__ import annotations

import functools
import inspect
import threading

__all__ = [
    "no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
    "is_inference_mode_enabled",
]  # fmt: skip


class _State(threading.local):
    enabled = True
    inference = False


_state = _State()


def is_grad_enabled() -> bool:
    """True when operations are being recorded for autograd (thread-local)."""
    return _state.enabled


def is_inference_mode_enabled() -> bool:
    return _state.inference


class _DecoratorContextManager:
    def __call__(self, fn):
        if inspect.isgeneratorfunction(fn):
            raise TypeError("torchlike grad-mode decorators do not support generator functions yet")

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.clone():
                return fn(*args, **kwargs)

        return wrapper

    def clone(self):
        return self.__class__()


class _FixedMode(_DecoratorContextManager):
    _enabled: bool

    def __enter__(self):
        self._prev = _state.enabled
        _state.enabled = self._enabled

    def __exit__(self, *exc):
        _state.enabled = self._prev


class no_grad(_FixedMode):
    """Disables gradient recording inside the block or decorated function.

    >>> with torchlike.no_grad():
    ...     y = x * 2          # y.requires_grad is False
    """

    _enabled = False


class enable_grad(_FixedMode):
    """Enables gradient recording inside a ``no_grad`` block."""

    _enabled = True


class set_grad_enabled(_DecoratorContextManager):
    """Sets grad mode on or off: immediately when called, and back when used as a context exits."""

    def __init__(self, mode: bool):
        self._prev = _state.enabled
        self.mode = bool(mode)
        _state.enabled = self.mode

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _state.enabled = self._prev

    def clone(self):
        return self.__class__(self.mode)


class inference_mode(_DecoratorContextManager):
    """Like ``no_grad`` (torchlike has no separate inference tensors yet)."""

    def __init__(self, mode: bool = True):
        self.mode = bool(mode)

    def __enter__(self):
        self._prev = (_state.enabled, _state.inference)
        if self.mode:
            _state.enabled, _state.inference = False, True

    def __exit__(self, *exc):
        _state.enabled, _state.inference = self._prev

    def clone(self):
        return self.__class__(self.mode)
