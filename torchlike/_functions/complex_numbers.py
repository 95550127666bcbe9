"""Complex numbers: construction, views between real and complex, angle/polar, conjugation.

As in PyTorch, ``view_as_real``, ``view_as_complex``, ``.real``, ``.imag`` and ``conj()`` are
views: they share their base's storage, so writing into ``view_as_real(z)[..., 0]``,
``z.real.mul_(2)`` or ``z.conj()[0] = w`` changes ``z``. A view of a complex base in floats reads
the base's (re, im) pairs, PyTorch's memory layout, so strides and offsets are torch's too.
``conj()`` is lazy as in torch (``is_conj()`` is True) but its values are already conjugated.
"""

from __future__ import annotations

from .. import _dtype as D
from .. import _view as V
from .._dispatch import call
from .._ops import TABLE as T
from .._tensor import Tensor
from ._surface import public

__all__ = [
    "real", "imag", "conj", "conj_physical", "resolve_conj", "resolve_neg", "is_conj", "is_neg",
    "angle", "polar", "complex", "view_as_real", "view_as_complex", "is_complex",
    "is_floating_point", "is_nonzero",
]  # fmt: skip


def _kind(t) -> int:
    """How a view ``t`` reads its base (``_view.SAME`` for a tensor that is not a view)."""
    return t._storage.kind if t._base is not None else V.SAME


def _kinds_in_chain(t):
    s = t._storage
    while isinstance(s, V.ViewStorage):
        yield s.kind
        s = s.parent


def _require_complex_view_source(t, name):
    if _kind(t) == V.NEG_REAL:
        raise NotImplementedError(f"torchlike does not implement {name} of a negative-bit view")


# -- predicates -----------------------------------------------------------------------------------
@public(method=True)
def is_complex(input: Tensor) -> bool:
    """True when ``input``'s dtype is complex (``complex64``, ``complex128``)."""
    return input._dtype.is_complex


@public(method=True)
def is_floating_point(input: Tensor) -> bool:
    """True when ``input``'s dtype is a floating point one (complex dtypes are not)."""
    return input._dtype.is_floating_point


@public(method=True)
def is_nonzero(input: Tensor) -> bool:
    """``bool(input)`` for a one-element tensor (complex: either part nonzero)."""
    n = input.numel()
    if n == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if n > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(input.item())


@public(method=True)
def is_conj(input: Tensor) -> bool:
    """True for a lazily conjugated tensor (the result of ``conj()`` on a complex tensor)."""
    return sum(k == V.CONJ for k in _kinds_in_chain(input)) % 2 == 1


@public(method=True)
def is_neg(input: Tensor) -> bool:
    """True for a lazily negated view (``z.conj().imag``)."""
    return sum(k == V.NEG_REAL for k in _kinds_in_chain(input)) % 2 == 1


# -- views ----------------------------------------------------------------------------------------
def _float_geometry(t):
    """``t``'s geometry relative to its base, in units of floats: (..., 2) for (re, im)."""
    shape, strides, offset = V.geometry_of(t)
    return (*shape, 2), (*(2 * s for s in strides), 1), 2 * offset


@public
def view_as_real(input: Tensor) -> Tensor:
    """A float view of complex ``input`` with a last dimension of size 2 holding (re, im).

    >>> z = torch.tensor([1 + 2j]); torch.view_as_real(z)[0, 0] = 5; z
    tensor([5.+2.j])
    """
    if not input._dtype.is_complex:
        raise RuntimeError("view_as_real is only supported for complex tensors")
    if is_conj(input):
        raise RuntimeError(
            "view_as_real doesn't work on unresolved conjugated tensors.  To resolve the "
            "conjugate tensor so you can view it as real, use self.resolve_conj(); however, be "
            "warned that the resulting tensor will NOT alias the original."
        )
    kind = V.SAME if _kind(input) == V.COMPLEX else V.REAL
    return V.make_view(input, call(T["view_as_real"], input), _float_geometry(input), kind)


@public
def view_as_complex(input: Tensor) -> Tensor:
    """A complex view of ``input`` whose last dimension (size 2, stride 1) holds (re, im)."""
    if input._dtype not in (D.float16, D.float32, D.float64):
        raise RuntimeError(
            "view_as_complex is only supported for half, float and double tensors, but got a "
            f"tensor of scalar type: {D._LEGACY[input._dtype]}"
        )
    if input.ndim == 0:
        raise RuntimeError("Input tensor must have one or more dimensions")
    if input.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    _, strides, offset = V.strides_of(input)
    if strides[-1] != 1:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % 2 for s in strides[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    if offset % 2:
        raise RuntimeError("Tensor must have a storage_offset divisible by 2")
    if input._dtype is D.float16:
        raise NotImplementedError(
            "torchlike has no complex32 (chalf): JAX has no 32-bit complex dtype; convert to "
            "float32 first"
        )
    _require_complex_view_source(input, "view_as_complex")
    shape, strides, offset = V.geometry_of(input)
    geometry = shape[:-1], tuple(s // 2 for s in strides[:-1]), offset // 2
    kind = V.SAME if _kind(input) == V.REAL else V.COMPLEX
    return V.make_view(input, call(T["view_as_complex"], input), geometry, kind)


def _part(input, index):
    shape, strides, offset = _float_geometry(input)
    kind = {V.SAME: V.REAL, V.COMPLEX: V.SAME, V.CONJ: V.REAL}[_kind(input)]
    if index and _kind(input) == V.CONJ:
        kind = V.NEG_REAL
    out = call(T["imag" if index else "real"], input)
    return V.make_view(input, out, (shape[:-1], strides[:-1], offset + index), kind)


def _set_part(name):
    def setter(self, value):
        getattr(self, name).copy_(value)

    return setter


@public(method=property(lambda self: real(self), _set_part("real")))
def real(input: Tensor) -> Tensor:
    """The real parts of complex ``input`` as a float view (``input`` itself when real)."""
    if not input._dtype.is_complex:
        return input
    return _part(input, 0)


@public(method=property(lambda self: imag(self), _set_part("imag")))
def imag(input: Tensor) -> Tensor:
    """The imaginary parts of complex ``input`` as a float view."""
    if not input._dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return _part(input, 1)


@public(method=True)
def conj(input: Tensor) -> Tensor:
    """The complex conjugate as a lazy view (``is_conj()`` True); ``input`` itself when real."""
    if not input._dtype.is_complex:
        return input
    out = call(T["conj"], input)
    kind = _kind(input)
    if kind == V.COMPLEX:
        return out  # NOTE: no view kind conjugates a float base's pairs; torch's values.
    return V.make_view(input, out, V.geometry_of(input), V.SAME if kind == V.CONJ else V.CONJ)


@public(method=True, inplace=True, out=True, torch_inplace=True)
def conj_physical(input: Tensor) -> Tensor:
    """The complex conjugate, computed (not a view); ``input`` itself when real."""
    if not input._dtype.is_complex:
        return input
    return call(T["conj_physical"], input)


@public(method=True)
def resolve_conj(input: Tensor) -> Tensor:
    """A materialised copy of a lazily conjugated tensor; ``input`` itself otherwise."""
    return call(T["clone"], input) if is_conj(input) else input


@public(method=True)
def resolve_neg(input: Tensor) -> Tensor:
    """A materialised copy of a lazily negated tensor; ``input`` itself otherwise."""
    return call(T["clone"], input) if is_neg(input) else input


# -- functions ------------------------------------------------------------------------------------
@public(method=True, inplace=True, out=True)
def angle(input: Tensor) -> Tensor:
    """The argument of each element (radians); 0 or pi for real numbers."""
    return call(T["angle"], input)


@public(out=True)
def polar(abs: Tensor, angle: Tensor) -> Tensor:
    """The complex numbers ``abs * (cos(angle) + i sin(angle))``."""
    return call(T["polar"], abs, angle)


@public(out=True)
def complex(real: Tensor, imag: Tensor) -> Tensor:
    """The complex numbers ``real + i imag`` (both float or both double)."""
    return call(T["complex"], real, imag)


# -- conversions ----------------------------------------------------------------------------------
@public(function=False, method=True)
def cfloat(input: Tensor, memory_format=None) -> Tensor:
    """``input.to(torch.complex64)``."""
    return input.to(D.complex64)


@public(function=False, method=True)
def cdouble(input: Tensor, memory_format=None) -> Tensor:
    """``input.to(torch.complex128)``."""
    return input.to(D.complex128)


@public(function=False, method=True)
def chalf(input: Tensor, memory_format=None) -> Tensor:
    """``torch.complex32`` is not available: JAX has no 32-bit complex dtype."""
    raise NotImplementedError(
        "torchlike has no complex32 (chalf): JAX has no 32-bit complex dtype; use cfloat()"
    )
