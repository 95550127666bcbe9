"""Matrix products. PyTorch's shape and dtype errors are raised by the op entries' checks,
while their kernels trace (see ``_ops/linalg.py``)."""

from __future__ import annotations

from .._dispatch import call
from .._ops import TABLE as T
from .pointwise import _out

_DOT, _MV, _MM, _MATMUL, _BMM, _OUTER = (
    T[n] for n in ("dot", "mv", "mm", "matmul", "bmm", "outer")
)


def dot(input, other):
    return call(_DOT, input, other)


def mv(input, vec):
    return call(_MV, input, vec)


def mm(input, mat2, *, out=None):
    if out is not None:
        return _out("mm", out, lambda: call(_MM, input, mat2), (input, mat2))
    return call(_MM, input, mat2)


def matmul(input, other, *, out=None):
    if out is not None:
        return _out("matmul", out, lambda: call(_MATMUL, input, other), (input, other))
    return call(_MATMUL, input, other)


def bmm(input, mat2, *, out=None):
    if out is not None:
        return _out("bmm", out, lambda: call(_BMM, input, mat2), (input, mat2))
    return call(_BMM, input, mat2)


def outer(input, vec2):
    return call(_OUTER, input, vec2)


def einsum(equation, *operands):
    """Einstein summation (``torch.einsum('ij,jk->ik', a, b)``); operands may be one list."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    return call(T["einsum"], *operands, equation=equation)
