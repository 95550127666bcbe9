"""Forward-mode AD (``torch.autograd.forward_ad``): inside a ``dual_level``, ``make_dual`` gives
a tensor a tangent, and every op on dual tensors carries the tangent of its result, computed by
``jax.jvp`` of the op's pure function; ``unpack_dual`` reads it back.

>>> with fwAD.dual_level():
...     y = fwAD.make_dual(x, v).sin()
...     jvp = fwAD.unpack_dual(y).tangent     # cos(x) * v
"""

from __future__ import annotations

import weakref
from collections import namedtuple

import jax

from .. import _dtype as D
from .. import _grad_state
from .._grad_state import tangents as _tangents
from .._tensor import Tensor
from .grad_mode import _DecoratorContextManager

__all__ = ["UnpackedDualTensor", "enter_dual_level", "exit_dual_level", "make_dual",
           "unpack_dual", "dual_level"]  # fmt: skip

_levels: list = []

UnpackedDualTensor = namedtuple("UnpackedDualTensor", ["primal", "tangent"])
UnpackedDualTensor.__doc__ = "``(primal, tangent)`` of a tensor; tangent is None if it has none."


def enter_dual_level() -> int:
    """Open the (single) dual level; returns its index, 0."""
    if _levels:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _levels.append(0)
    return 0


def exit_dual_level(*, level: int | None = None) -> None:
    """Close the dual level: every tangent made in it is dropped."""
    if not _levels:
        raise RuntimeError(
            "Trying to exit a forward AD level that was not the last one that was created. This "
            "is not supported."
        )
    _levels.pop()
    _tangents.clear()


class dual_level(_DecoratorContextManager):
    """Context manager (and decorator) scoping forward-mode AD: tangents live only inside."""

    def __enter__(self) -> int:
        return enter_dual_level()

    def __exit__(self, *exc) -> None:
        exit_dual_level()


def _set_tangent(t: Tensor, tangent: Tensor) -> None:
    key = id(t)
    _tangents[key] = (weakref.ref(t, lambda _: _tangents.pop(key, None)), tangent)


def _tangent(t) -> Tensor | None:
    entry = _tangents.get(id(t)) if isinstance(t, Tensor) else None
    return entry[1] if entry is not None and entry[0]() is t else None


def make_dual(tensor: Tensor, tangent: Tensor, *, level: int | None = None) -> Tensor:
    """A view of ``tensor`` whose tangent is ``tangent`` (same shape), at the open dual level."""
    if not _levels:
        raise RuntimeError(
            "Trying to create a dual Tensor for forward AD but no level exists, make sure to "
            "enter_dual_level() first."
        )
    if tangent.shape != tensor.shape:
        raise RuntimeError(
            "Trying to set a forward gradient that has a different size than that of the original "
            f"Tensor, this is not supported. Tensor is of size {list(tensor.shape)} while the "
            f"given forward gradient is of size {list(tangent.shape)}."
        )
    if tensor._dtype._cat < D._FLOAT:
        raise ValueError(
            f"Expected primal to be floating point or complex, but got: {tensor._dtype}"
        )
    dual = tensor.view_as(tensor) if tensor.requires_grad else tensor._alias(share_version=True)
    _set_tangent(dual, tangent if tangent._dtype is tensor._dtype else tangent.to(tensor._dtype))
    return dual


def unpack_dual(tensor: Tensor, *, level: int | None = None) -> UnpackedDualTensor:
    """``(primal, tangent)`` of ``tensor``: the primal shares its storage; the tangent is None
    outside a dual level or when it has none."""
    tangent = _tangent(tensor) if _levels else None
    if tangent is None:
        return UnpackedDualTensor(tensor, None)
    primal = tensor.view_as(tensor) if tensor.requires_grad else tensor._alias(share_version=True)
    return UnpackedDualTensor(primal, tangent)


def propagate(op, okey: tuple, args: tuple, result) -> None:
    """Give ``result`` (the outputs of ``op`` on ``args``) the tangents ``jax.jvp`` computes
    from the dual tensors among ``args``."""
    from .._dispatch import _unwrap, wrap

    duals = [i for i, a in enumerate(args) if _tangent(a) is not None]
    if not duals:
        return
    values = [_unwrap(a) for a in args]

    def fn(*xs):
        full = list(values)
        for i, x in zip(duals, xs, strict=True):
            full[i] = x
        return op.pure(okey)(*full)

    primals = [values[i] for i in duals]
    tangents = [_tangent(args[i])._storage.array for i in duals]
    _, out_tangents = jax.jvp(fn, primals, tangents)
    outs = result if isinstance(result, tuple) else (result,)
    if not isinstance(out_tangents, (tuple, list)):
        out_tangents = (out_tangents,)
    for r, t in zip(outs, out_tangents, strict=False):
        if isinstance(r, Tensor) and r._dtype._cat >= D._FLOAT:
            _set_tangent(r, wrap(t))


_grad_state.hooks.propagate_tangents = propagate


def share_tangent(src: Tensor, dst: Tensor) -> None:
    """``dst`` stands for ``src`` (an in-place op's snapshot of its input): same tangent."""
    tangent = _tangent(src)
    if tangent is not None:
        _set_tangent(dst, tangent)


def take_tangent(t: Tensor, result: Tensor) -> None:
    """An in-place op wrote ``result`` into ``t``: so does its tangent."""
    tangent = _tangent(result)
    if tangent is None:
        return
    old = _tangent(t)
    if old is None:
        _set_tangent(t, tangent)
    else:
        # NOTE: as torch, the tangent given to make_dual is itself updated in place.
        old._storage.array = tangent._storage.array.astype(old._storage.array.dtype)
        old._counter().value += 1
