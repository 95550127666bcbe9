"""Grad mode: thread-local, as PyTorch's. Each class is a context manager and a decorator (of
functions, methods and generator functions); ``no_grad``, ``enable_grad`` and
``inference_mode`` also decorate without parentheses (``@torch.no_grad``)."""

from __future__ import annotations

import functools
import inspect
import sys
import warnings

from .._grad_state import inference_marks as _inference
from .._grad_state import is_inference
from .._grad_state import mark_inference as mark_inference
from .._grad_state import state as _state

__all__ = [
    "no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
    "is_inference_mode_enabled",
]  # fmt: skip


def is_grad_enabled() -> bool:
    """True when operations are being recorded for autograd (thread-local)."""
    return _state.enabled


def is_inference_mode_enabled() -> bool:
    """True inside ``inference_mode()`` (thread-local)."""
    return _state.inference


_INFERENCE_INPLACE = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
    "clone to get a normal tensor before doing inplace update.See "
    "https://github.com/pytorch/rfcs/pull/17 for more details."
)
_INFERENCE_SAVED = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`."
)


def check_inplace_inference(t) -> None:
    """In-place writes to an inference tensor are refused outside inference mode."""
    if _inference and not _state.inference and is_inference(t):
        raise RuntimeError(_INFERENCE_INPLACE)


def check_saved_inference(t) -> None:
    """Autograd refuses to save an inference tensor for backward."""
    if _inference and is_inference(t):
        raise RuntimeError(_INFERENCE_SAVED)


def _wrap_generator(make_ctx, fn):
    """Each step of the generator runs under a fresh context (grad mode is restored while the
    caller runs between steps)."""

    @functools.wraps(fn)
    def generator(*args, **kwargs):
        gen = fn(*args, **kwargs)
        try:
            with make_ctx():
                response = gen.send(None)
            while True:
                try:
                    request = yield response
                except GeneratorExit:
                    with make_ctx():
                        gen.close()
                    raise
                except BaseException:
                    with make_ctx():
                        response = gen.throw(*sys.exc_info())
                else:
                    with make_ctx():
                        response = gen.send(request)
        except StopIteration as e:
            return e.value

    return generator


class _DecoratorContextManager:
    def __call__(self, fn):
        if inspect.isclass(fn):
            warnings.warn(
                "Decorating classes is deprecated and will be disabled in future versions. You "
                "should only decorate functions or methods. To preserve the current behavior of "
                "class decoration, you can directly decorate the `__init__` method and nothing "
                "else.",
                FutureWarning,
                stacklevel=2,
            )
            cls, fn = fn, lambda *args, **kwargs: cls(*args, **kwargs)
        if inspect.isgeneratorfunction(fn):
            return _wrap_generator(self.clone, fn)

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.clone():
                return fn(*args, **kwargs)

        return wrapper

    def clone(self):
        return self.__class__()


class _FixedMode(_DecoratorContextManager):
    _enabled: bool

    def __new__(cls, fn=None):
        # NOTE: ``@torch.no_grad`` without parentheses passes the function to the constructor.
        return super().__new__(cls) if fn is None else cls()(fn)

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
    """Sets grad mode on or off: immediately when called, and back when used as a context exits.
    As a decorator it leaves the mode as it was and sets it for each call."""

    def __init__(self, mode: bool):
        self.prev = _state.enabled
        self.mode = bool(mode)
        _state.enabled = self.mode

    def __call__(self, fn):
        _state.enabled = self.prev
        return super().__call__(fn)

    def __enter__(self):
        _state.enabled = self.mode

    def __exit__(self, *exc):
        _state.enabled = self.prev

    def __repr__(self):
        return f"torch.autograd.grad_mode.set_grad_enabled(mode={self.mode})"

    def clone(self):
        return self.__class__(self.mode)


class inference_mode(_DecoratorContextManager):
    """Inference mode: no recording, and tensors made inside are *inference tensors*
    (``is_inference()``), which autograd refuses to save and which cannot be updated in place
    outside inference mode. ``inference_mode(False)`` turns it off inside (grad mode on)."""

    def __new__(cls, mode=True):
        return super().__new__(cls) if isinstance(mode, bool) else cls()(mode)

    def __init__(self, mode: bool = True):
        self.mode = mode

    def __enter__(self):
        self._prev = (_state.enabled, _state.inference)
        _state.enabled, _state.inference = not self.mode, self.mode

    def __exit__(self, *exc):
        _state.enabled, _state.inference = self._prev

    def clone(self):
        return self.__class__(self.mode)
