"""In-place ops: the result replaces ``self``'s array in its storage (every alias sees it),
the version counter is bumped, and the op's node becomes ``self``'s history."""

from __future__ import annotations

import numpy as np

from .. import _dtype as D
from .. import _grad_state, _tracing
from .. import _view as V
from .._dispatch import call, wrap
from .._ops import TABLE as T
from .._tensor import Tensor
from ..autograd import grad_mode
from ..autograd.engine import retain_grad_follows
from ..autograd.forward_ad import share_tangent, take_tangent
from ._common import _arg
from ._surface import public


# -- in-place -------------------------------------------------------------------------------------
def _inplace(self, result):
    """Make ``self`` hold ``result``: same storage (so every alias sees it), version bumped, and
    ``result``'s graph node becomes ``self``'s history. Written into a view, the values go into
    its base (whose history becomes torch's CopySlices) and every other view of that base sees
    them (their history becomes AsStridedBackward0 of the base, as torch regenerates it)."""
    if result._dtype is not self._dtype:
        if not _can_cast(result._dtype, self._dtype):
            raise RuntimeError(
                f"result type {D._LEGACY[result._dtype]} can't be cast to the desired output "
                f"type {D._LEGACY[self._dtype]}"
            )
        result = wrap(result._array.astype(self._dtype._np), result._node, result._out_nr)
    if _grad_state.tangents:
        take_tangent(self, result)
    base = self._base
    vc = self._counter()
    if base is not None:
        if V.overlaps(self._storage.geometry):
            raise RuntimeError(
                "unsupported operation: more than one element of the written-to tensor refers to "
                "a single memory location. Please clone() the tensor before performing the "
                "operation."
            )
        tracked = grad_mode._state.enabled and (result._node is not None or base.requires_grad)
        if tracked:
            shape, strides, offset = self._storage.geometry
            new_base = call(T["copy_slices"], _snapshot(base), result, np.int64(offset),
                            shape=shape, strides=strides)  # fmt: skip
            base._storage.array = new_base._array
            old, base._node, base._out_nr = base._node, new_base._node, 0
            if base._retain:
                retain_grad_follows(base, old)
        else:
            self._storage.array = result._array
        vc.value += 1
        node = result._node
        if node is not None and node._out is not None:
            node._out = (self._storage, vc, vc.value, self._dtype, "AsStridedBackward0")
        if tracked:
            _regenerate_views(base)
        return self
    self._storage.array = result._array
    vc.value += 1
    if result._node is not None:
        node = result._node
        old, self._node, self._out_nr = self._node, node, result._out_nr
        if self._retain:
            retain_grad_follows(self, old)
        if node._out is not None:
            node._out = (self._storage, vc, vc.value, self._dtype)
        if getattr(self, "_views", None):
            _regenerate_views(self)
    return self


def _regenerate_views(base):
    """Each live view of ``base`` now reads the base's new value: its node is recomputed as
    ``as_strided`` of the base (torch's AsStridedBackward0)."""
    for v in V.live_views(base):
        if v._node is None and not base.requires_grad:
            continue
        shape, strides, offset = v._storage.geometry
        regen = call(T["as_strided"], base, np.int64(offset), shape=shape, strides=strides)
        old, v._node, v._out_nr = v._node, regen._node, 0
        if v._retain:
            retain_grad_follows(v, old)


def _can_cast(src, dst):
    return src._cat <= dst._cat


def _check_inplace(self):
    grad_mode.check_inplace_inference(self)
    if not grad_mode._state.enabled:
        return
    if self._req and self._node is None:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation."
        )
    base = self._base
    if base is not None and base._req and base._node is None:
        raise RuntimeError(
            "a view of a leaf Variable that requires grad is being used in an in-place operation."
        )


def _snapshot(self):
    """``self`` as the in-place op's own input: the same (immutable) array and graph position in
    a storage of its own, so the op's backward reads the values from before its own write, as
    torch's (which saves the original ``self``, or the result)."""
    t = wrap(self._array, self._node, self._out_nr)
    t._req, t._accum = self._req, self._accum
    if _grad_state.tangents:
        share_tangent(self, t)
    return t


@public(method=True)
def zero_(self):
    """Fill ``self`` with zeros in place (``torch.zero_(t)`` or ``t.zero_()``)."""
    _check_inplace(self)
    return _inplace(self, call(T["zero"], self))


@public(function=False, method=True)
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


@public(function=False, method=True)
def copy_(self, src, non_blocking=False):
    _check_inplace(self)
    src = _arg(src)
    if isinstance(src, Tensor) and src.shape != self.shape:
        from .numeric import _broadcast_pair_error  # NOTE: numeric's in-place ops import us

        shape = _broadcast_pair_error([self.shape, src.shape])
        if shape != tuple(self.shape):
            raise RuntimeError(
                f"output with shape {list(self.shape)} doesn't match the broadcast shape "
                f"{list(shape)}"
            )
    return _inplace(self, call(T["copy"], self, src))


def zero_grads(params, set_to_none: bool = True) -> None:
    """``Module.zero_grad`` and ``Optimizer.zero_grad``: each parameter's ``.grad`` becomes None,
    or (``set_to_none=False``) is detached from any graph and zeroed in place."""
    tracing = _tracing.active()
    for p in params:
        if tracing:
            (_tracing.grad_reset if set_to_none else _tracing.grad_read)(p)
        g = p._grad
        if g is None:
            continue
        if set_to_none:
            p._grad = None
            continue
        if g._node is not None:
            g.detach_()
        else:
            g.requires_grad_(False)
        zero_(g)
