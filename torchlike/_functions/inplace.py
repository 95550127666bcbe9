"""In-place ops: the result replaces ``self``'s array in its storage (every alias sees it),
the version counter is bumped, and the op's node becomes ``self``'s history."""

from __future__ import annotations

from .. import _dtype as D
from .._dispatch import call, wrap
from .._ops import TABLE as T
from .._tensor import Tensor
from ..autograd import grad_mode
from ._common import _arg


# -- in-place -------------------------------------------------------------------------------------
def _inplace(self, result):
    """Make ``self`` hold ``result``: same storage (so every alias sees it), version bumped, and
    ``result``'s graph node becomes ``self``'s history."""
    if result._dtype is not self._dtype:
        if not _can_cast(result._dtype, self._dtype):
            raise RuntimeError(
                f"result type {D._LEGACY[result._dtype]} can't be cast to the desired output "
                f"type {D._LEGACY[self._dtype]}"
            )
        result = wrap(result._array.astype(self._dtype._np), result._node, result._out_nr)
    self._storage.array = result._array
    vc = self._counter()
    vc.value += 1
    if result._node is not None:
        node = result._node
        self._node, self._out_nr = node, result._out_nr
        if node._out is not None:
            node._out = (self._storage, vc, vc.value, self._dtype)
    return self


def _can_cast(src, dst):
    return src._cat <= dst._cat


def _check_inplace(self):
    if self._req and self._node is None and grad_mode._state.enabled:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation."
        )


def _snapshot(self):
    """``self`` as the in-place op's own input: the same (immutable) array and graph position in
    a storage of its own, so the op's backward reads the values from before its own write, as
    torch's (which saves the original ``self``, or the result)."""
    t = wrap(self._array, self._node, self._out_nr)
    t._req, t._accum = self._req, self._accum
    return t


def _make_inplace(fn):
    def f(self, *args, **kwargs):
        _check_inplace(self)
        return _inplace(self, fn(_snapshot(self), *args, **kwargs))

    f.__name__ = fn.__name__ + "_"
    return f


def zero_(self):
    _check_inplace(self)
    return _inplace(self, call(T["zero"], self))


def fill_(self, value):
    _check_inplace(self)
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value.ndim} dimensions."
            )
        return _inplace(self, call(T["fill_tensor"], self, value))
    return _inplace(self, call(T["fill"], self, value=value))


def copy_(self, src, non_blocking=False):
    _check_inplace(self)
    return _inplace(self, call(T["copy"], self, _arg(src)))
