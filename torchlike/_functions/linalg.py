"""Matrix products, with PyTorch's shape and dtype errors."""

from __future__ import annotations

import numpy as np

from .. import _dtype as D
from .._dispatch import call
from .._ops import TABLE as T


# -- matrix products ------------------------------------------------------------------------------
def _mm_check(a, b, name):
    sa, sb = a._array.shape, b._array.shape
    if sa and sb and sa[-1] == sb[-1 if len(sb) == 1 else -2] and a._dtype is b._dtype:
        return  # the common, valid case: no error text to build
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to {name} need to be at least 1D, but they are {a.ndim}D and "
            f"{b.ndim}D"
        )
    k_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if a.shape[-1] != k_b:
        if a.ndim == 1 and b.ndim == 1:
            n, m = a.shape[0], b.shape[0]
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same "
                f"number of elements, but got {n} and {m} elements respectively"
            )
        if a.ndim == 2 and b.ndim == 1:
            raise RuntimeError(
                f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
                f"vec ({b.shape[0]})"
            )
        sa = "x".join(map(str, a.shape if a.ndim <= 2 else (np.prod(a.shape[:-1]), a.shape[-1])))
        sb = "x".join(map(str, b.shape))
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa} and {sb})")
    if a._dtype is not b._dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_legacy(a)} != {_legacy(b)}"
        )


_CPP_NAMES = {"Float": "float", "Double": "double", "Long": "long int", "Int": "int",
              "Half": "c10::Half", "BFloat16": "c10::BFloat16"}  # fmt: skip


def _legacy(t):
    return _CPP_NAMES.get(D._LEGACY[t._dtype], t._dtype._name)


_DOT = T["dot"]


def dot(input, other):
    # NOTE: argument errors are raised by the entry's check while its kernel traces.
    return call(_DOT, input, other)


def mv(input, vec):
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(
            f"vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}"
        )
    _mm_check(input, vec, "mv")
    return call(T["mv"], input, vec)


def mm(input, mat2):
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _mm_check(input, mat2, "mm")
    return call(T["mm"], input, mat2)


def matmul(input, other):
    _mm_check(input, other, "matmul")
    return call(T["matmul"], input, other)


def bmm(input, mat2):
    if input.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    b, _, k = input.shape
    if mat2.shape[:2] != (b, k):
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {k}] but got: "
            f"[{mat2.shape[0]}, {mat2.shape[1]}]."
        )
    _mm_check(input, mat2, "bmm")
    return call(T["bmm"], input, mat2)


def outer(input, vec2):
    for name, v in (("self", input), ("vec2", vec2)):
        if v.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")
    return call(T["outer"], input, vec2)
