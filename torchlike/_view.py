"""Views on immutable arrays: a view's values are a strided window (sizes, strides, offset) onto
its base's array, as in PyTorch. The view keeps its own array (what the view op computed), and
recomputes it from the base only after the base's array was replaced; writing to a view scatters
the new values into the base, so every alias sees them.

Geometry is PyTorch's: ``stride()``, ``storage_offset()``, ``is_contiguous()`` and whether
``reshape`` can return a view all follow from it.
"""

from __future__ import annotations

import functools
import weakref

import jax
import jax.numpy as jnp
from jax import lax

from ._storage import Storage


def contiguous_strides(shape) -> tuple:
    strides, acc = [], 1
    for s in reversed(shape):
        strides.append(acc)
        acc *= max(s, 1)
    return tuple(reversed(strides))


def is_contiguous(shape, strides) -> bool:
    expected = 1
    for size, stride in zip(reversed(shape), reversed(strides)):
        if size == 1:
            continue
        if size == 0:
            return True
        if stride != expected:
            return False
        expected *= size
    return True


def _flat_index(shape, strides, offset):
    idx = jnp.broadcast_to(jnp.asarray(offset, jnp.int64), shape)
    for d, st in enumerate(strides):
        if st and shape[d] > 1:
            idx = idx + lax.broadcasted_iota(jnp.int64, shape, d) * st
    return idx


# How a view's elements relate to its base's: the same (SAME); the float pairs of a complex base
# (REAL: ``view_as_real``, ``.real``, ``.imag``; geometry in float units); complex numbers made of
# a float base's pairs (COMPLEX: ``view_as_complex``; geometry in complex units); the conjugates
# of a complex base's (CONJ: ``conj()``); the negated floats of a complex base (NEG_REAL:
# ``conj().imag``). Only views read through their kind; a base holds its own values.
SAME, REAL, COMPLEX, CONJ, NEG_REAL = range(5)


def _as_floats(base):
    """A complex array's (re, im) pairs, flat: PyTorch's memory layout of complex numbers."""
    return jnp.stack((jnp.real(base), jnp.imag(base)), -1).reshape(-1)


def _from_floats(flat, like):
    pairs = flat.reshape(-1, 2)
    return lax.complex(pairs[:, 0], pairs[:, 1]).reshape(like.shape).astype(like.dtype)


def _as_complex(base):
    """A float array's consecutive pairs as complex numbers (padded to an even length)."""
    flat = base.reshape(-1)
    if flat.shape[0] % 2:
        flat = jnp.concatenate((flat, jnp.zeros(1, flat.dtype)))
    return lax.complex(flat[0::2], flat[1::2])


def _from_complex(flat, like):
    out = jnp.stack((jnp.real(flat), jnp.imag(flat)), -1).reshape(-1)[: like.size]
    return out.reshape(like.shape).astype(like.dtype)


def _window_source(base, kind):
    if kind in (REAL, NEG_REAL):
        return _as_floats(base)
    if kind == COMPLEX:
        return _as_complex(base)
    return base.reshape(-1)


def _from_window_source(flat, base, kind):
    if kind in (REAL, NEG_REAL):
        return _from_floats(flat, base)
    if kind == COMPLEX:
        return _from_complex(flat, base)
    return flat.reshape(base.shape)


# NOTE: the offset is a traced argument: windows at new positions reuse one kernel.
@functools.partial(jax.jit, static_argnames=("shape", "strides", "kind"))
def read(base, offset, *, shape, strides, kind=SAME):
    """The strided window of ``base`` (PyTorch's ``as_strided`` on a contiguous base)."""
    out = _window_source(base, kind)[_flat_index(shape, strides, offset)]
    if kind == CONJ:
        return jnp.conj(out)
    return -out if kind == NEG_REAL else out


@functools.partial(jax.jit, static_argnames=("shape", "strides", "kind"))
def write(base, value, offset, *, shape, strides, kind=SAME):
    """``base`` with the strided window replaced by ``value``."""
    src = _window_source(base, kind)
    if kind == CONJ:
        value = jnp.conj(value)
    elif kind == NEG_REAL:
        value = -value
    flat = src.at[_flat_index(shape, strides, offset)].set(value.astype(src.dtype))
    return _from_window_source(flat, base, kind)


class KindStrides(tuple):
    """Strides that also carry their view's kind, so code that passes a view's geometry on to
    ``as_strided`` / ``copy_slices`` (regenerating views after an in-place write) reads and
    writes the window the way the view does. Equal only to strides of the same kind."""

    __slots__ = ()
    kind = SAME

    def __eq__(self, other):
        return tuple.__eq__(self, other) and self.kind == getattr(other, "kind", SAME)

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return hash((tuple(self), self.kind))


_KIND_STRIDES = {k: type(f"KindStrides{k}", (KindStrides,), {"__slots__": (), "kind": k})
                 for k in (REAL, COMPLEX, CONJ, NEG_REAL)}  # fmt: skip


def kind_of_strides(strides) -> int:
    return getattr(strides, "kind", SAME)


class ViewStorage(Storage):
    """The storage of a view: a window onto ``parent`` (its base's storage)."""

    __slots__ = ("parent", "_geometry", "kind", "_src", "_cache")

    def __init__(self, parent: Storage, geometry: tuple, array, kind: int = SAME):
        self.parent = parent
        shape, strides, offset = geometry  # relative to the parent's array
        self._geometry = shape, tuple(strides), offset
        self.kind = kind
        self._src = parent.array
        self._cache = array

    @property
    def geometry(self) -> tuple:
        """(shape, strides, offset) relative to the parent's array; the strides carry the
        view's kind (``KindStrides``) when it reads its base other than element for element."""
        shape, strides, offset = self._geometry
        if self.kind == SAME:
            return self._geometry
        return shape, _KIND_STRIDES[self.kind](strides), offset

    @property
    def array(self):
        src = self.parent.array
        if src is not self._src:
            shape, strides, offset = self._geometry
            self._cache = read(src, offset, shape=shape, strides=strides, kind=self.kind)
            self._src = src
        return self._cache

    @array.setter
    def array(self, value):
        shape, strides, offset = self._geometry
        parent = self.parent
        parent.array = write(
            parent.array, value, offset, shape=shape, strides=strides, kind=self.kind
        )
        self._src = parent.array
        self._cache = value

    def data_ptr(self) -> int:
        return self.parent.data_ptr()

    def root(self) -> Storage:
        s = self
        while isinstance(s, ViewStorage):
            s = s.parent
        return s


def geometry_of(t) -> tuple:
    """``t``'s (shape, strides, offset) relative to its view base (itself when not a view)."""
    st = t._storage
    if t._base is not None:
        return st.geometry
    shape = st.array.shape
    return shape, contiguous_strides(shape), 0


def strides_of(t) -> tuple:
    """``t``'s (shape, strides, offset) as torch reports them: a tensor that is not a view may
    still be a window on a storage (``detach()`` of a view, ``t_()``)."""
    st = t._storage
    if t._base is None and isinstance(st, ViewStorage) and not isinstance(st.parent, ViewStorage):
        return st.geometry
    return geometry_of(t)


def check_window(t, size, stride, offset) -> None:
    """Raise torch's error unless ``as_strided(size, stride, offset)`` fits in the storage
    under ``t`` (its view base's, counted in bytes as torch counts them)."""
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(st < 0 for st in stride):
        raise RuntimeError(
            f"as_strided: Negative strides are not supported at the moment, got strides: "
            f"{list(stride)}"
        )
    if offset < 0:
        raise RuntimeError(f"Tensor: invalid storage offset {offset}")
    if not all(size):
        return
    base = t._base if t._base is not None else t
    itemsize, have = t.element_size(), base.numel() * base.element_size()
    need = itemsize * (offset + 1 + sum((n - 1) * st for n, st in zip(size, stride, strict=True)))
    if need > have:
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset {offset}, "
            f"and itemsize {itemsize} requiring a storage size of {need} are out of bounds for "
            f"storage of size {have}"
        )


def overlaps(geometry) -> bool:
    """True when two elements of the window share one memory location (an expanded dim)."""
    shape, strides, _ = geometry
    return any(st == 0 and n > 1 for n, st in zip(shape, strides))


class _ViewRefs:
    """Weak references to a base's views, pruned of dead ones when the list doubles (so a loop
    that keeps taking views costs amortised constant time per view)."""

    __slots__ = ("refs", "limit")

    def __init__(self):
        self.refs, self.limit = [], 16

    def add(self, view):
        refs = self.refs
        refs.append(weakref.ref(view))
        if len(refs) > self.limit:
            refs[:] = [r for r in refs if r() is not None]
            self.limit = max(16, 2 * len(refs))

    def __bool__(self):
        return bool(self.refs)

    def alive(self):
        return [v for v in (r() for r in self.refs) if v is not None]


def make_view(src, out, geometry, kind=None):
    """Turn ``out`` (the view op's result on ``src``) into a view of ``src``'s base: it shares the
    base's storage and version counter, and ``out._base`` is the base, as in PyTorch. ``kind``
    (see ``read``) defaults to ``src``'s: a view of a view reads its base the same way."""
    base = src._base if src._base is not None else src
    if kind is None:
        kind = src._storage.kind if src._base is not None else SAME
    out._storage = ViewStorage(base._storage, geometry, out._storage.array, kind)
    out._base = base
    out._vc = base._counter()
    views = getattr(base, "_views", None)
    if views is None:
        views = base._views = _ViewRefs()
    views.add(out)
    return out


def live_views(base):
    views = getattr(base, "_views", None)
    return views.alive() if views else ()


# -- the geometry of each view op -----------------------------------------------------------------
def permuted(geometry, dims):
    shape, strides, offset = geometry
    return tuple(shape[d] for d in dims), tuple(strides[d] for d in dims), offset


def unsqueezed(geometry, dim):
    shape, strides, offset = geometry
    st = shape[dim] * strides[dim] if dim < len(shape) else 1
    return (*shape[:dim], 1, *shape[dim:]), (*strides[:dim], st, *strides[dim:]), offset


def squeezed(geometry, dims):
    shape, strides, offset = geometry
    keep = [d for d in range(len(shape)) if d not in dims]
    return tuple(shape[d] for d in keep), tuple(strides[d] for d in keep), offset


def expanded(geometry, new_shape):
    shape, strides, offset = geometry
    lead = len(new_shape) - len(shape)
    out = [0] * lead
    for i, n in enumerate(shape):
        out.append(strides[i] if n == new_shape[lead + i] else 0)
    return tuple(new_shape), tuple(out), offset


def selected(geometry, dim, index):
    shape, strides, offset = geometry
    index = index % shape[dim] if shape[dim] else index
    return (shape[:dim] + shape[dim + 1:], strides[:dim] + strides[dim + 1:],
            offset + index * strides[dim])  # fmt: skip


def sliced(geometry, dim, start, stop, step):
    shape, strides, offset = geometry
    start, stop, step = slice(start, stop, step).indices(shape[dim])
    n = max(0, (stop - start + step - 1) // step)
    new_offset = offset + start * strides[dim] if n else offset
    return ((*shape[:dim], n, *shape[dim + 1:]),
            (*strides[:dim], strides[dim] * step, *strides[dim + 1:]), new_offset)  # fmt: skip


def diagonal(geometry, offset_, dim1, dim2):
    shape, strides, offset = geometry
    if offset_ >= 0:
        n = max(0, min(shape[dim1], shape[dim2] - offset_))
        start = offset + offset_ * strides[dim2] if n else offset
    else:
        n = max(0, min(shape[dim1] + offset_, shape[dim2]))
        start = offset - offset_ * strides[dim1] if n else offset
    keep = [d for d in range(len(shape)) if d not in (dim1, dim2)]
    return ((*tuple(shape[d] for d in keep), n),
            (*tuple(strides[d] for d in keep), strides[dim1] + strides[dim2]), start)  # fmt: skip


def reshaped(geometry, new_shape):
    """The geometry of ``view(new_shape)``, or None when PyTorch would have to copy
    (a dimension spans two non-contiguous chunks)."""
    shape, strides, offset = geometry
    numel = 1
    for s in shape:
        numel *= s
    if numel == 0 or not shape:
        return tuple(new_shape), contiguous_strides(new_shape), offset
    out = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base = strides[-1]
    tensor_numel, view_numel = 1, 1
    for d in range(len(shape) - 1, -1, -1):
        tensor_numel *= shape[d]
        if d == 0 or (shape[d - 1] != 1 and strides[d - 1] != tensor_numel * chunk_base):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                out[view_d] = view_numel * chunk_base
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk_base = strides[d - 1]
                tensor_numel, view_numel = 1, 1
    if view_d != -1:
        return None
    return tuple(new_shape), tuple(out), offset
