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


# -- fused multiply-adds and other products -------------------------------------------------------
def _fma_call(name, input, a, b, beta, alpha, out_shape, **opts):
    from ._common import check_expand

    if input.shape != out_shape and input.ndim <= len(out_shape):
        check_expand(input.shape, out_shape)
    return call(T[name], input, a, b, beta=beta, alpha=alpha, **opts)


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat1 @ mat2)``."""
    if out is not None:
        return _out("addmm", out, lambda: addmm(input, mat1, mat2, beta=beta, alpha=alpha),
                    (input, mat1, mat2))  # fmt: skip
    shape = (mat1.shape[0], mat2.shape[-1]) if mat1.ndim == 2 and mat2.ndim == 2 else None
    return _fma_call("addmm", input, mat1, mat2, beta, alpha, shape or input.shape)


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * (mat @ vec)``."""
    shape = (mat.shape[0],) if mat.ndim == 2 else input.shape
    return _fma_call("addmv", input, mat, vec, beta, alpha, shape)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * bmm(batch1, batch2)``."""
    shape = ((batch1.shape[0], batch1.shape[1], batch2.shape[2])
             if batch1.ndim == 3 and batch2.ndim == 3 else input.shape)  # fmt: skip
    return _fma_call("baddbmm", input, batch1, batch2, beta, alpha, shape, reduce=False)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * bmm(batch1, batch2).sum(0)``."""
    shape = ((batch1.shape[1], batch2.shape[2])
             if batch1.ndim == 3 and batch2.ndim == 3 else input.shape)  # fmt: skip
    return _fma_call("baddbmm", input, batch1, batch2, beta, alpha, shape, reduce=True)


def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None):
    """``beta * input + alpha * outer(vec1, vec2)``."""
    shape = (vec1.shape[0], vec2.shape[0]) if vec1.ndim == 1 and vec2.ndim == 1 else input.shape
    return _fma_call("addr", input, vec1, vec2, beta, alpha, shape)


def vdot(input, other, *, out=None):
    return call(T["vdot"], input, other)


def inner(input, other, *, out=None):
    return call(T["inner"], input, other)


def kron(input, other, *, out=None):
    return call(T["kron"], input, other)


ger = outer


# -- inverses, determinants, matrix functions -----------------------------------------------------
def _square(name, A, float_only=True):
    from .. import _dtype as D

    if A.ndim < 2:
        raise RuntimeError(
            f"linalg.{name}: The input tensor A must have at least 2 dimensions."
        )
    if float_only and A._dtype._cat < D._FLOAT:
        raise RuntimeError(
            f"linalg.{name}: Expected a floating point or complex tensor as input. Got "
            f"{D._LEGACY[A._dtype]}"
        )
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"linalg.{name}: A must be batches of square matrices, but they are "
            f"{A.shape[-2]} by {A.shape[-1]} matrices"
        )


def inverse(input, *, out=None):
    """The inverse of each square matrix (``torch.linalg.inv``)."""
    _square("inv", input)
    return call(T["inverse"], input)


def det(input):
    _square("det", input)
    return call(T["det"], input)


def logdet(input):
    """``log(det(input))``: NaN for a negative determinant."""
    _square("det", input)
    return call(T["logdet"], input)


def slogdet(input):
    """``(sign, logabsdet)`` of the determinant, as ``torch.return_types.slogdet``."""
    _square("slogdet", input)
    return _SLOGDET(*call(T["slogdet"], input))


def pinverse(input, rcond=1e-15):
    """The Moore-Penrose pseudo-inverse (singular values below ``rcond * max`` dropped)."""
    return call(T["pinverse"], input, rcond=float(rcond))


def matrix_power(input, n):
    _square("matrix_power", input, float_only=False)
    return call(T["matrix_power"], input, n=int(n))


def matrix_exp(input):
    _square("matrix_exp", input)
    return call(T["matrix_exp"], input)


def _slogdet_type():
    from .reduction import _return_type

    return _return_type("slogdet", ("sign", "logabsdet"))


_SLOGDET = _slogdet_type()
