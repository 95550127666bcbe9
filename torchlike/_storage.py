"""Storage: the one mutable box around an immutable ``jax.Array``, and the version counter."""

from __future__ import annotations


class Storage:
    """Holds a tensor's current array. Tensors that alias (``detach()``, ``.data``) share one
    Storage; an in-place op swaps ``array`` so the change is seen through every alias."""

    __slots__ = ("array", "__weakref__")

    def __init__(self, array):
        self.array = array

    def data_ptr(self) -> int:
        # NOTE: JAX arrays are immutable and may be replaced in place here, so the box's
        # identity is the stable "address" aliases share.
        return id(self)

    def nbytes(self) -> int:
        return self.array.nbytes

    def size(self) -> int:
        return self.array.nbytes


class VersionCounter:
    """Counts in-place writes. Shared by a tensor and its ``detach()``; ``.data`` gets its own."""

    __slots__ = ("value",)

    def __init__(self):
        self.value = 0
