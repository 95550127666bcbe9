"""Matrix products and ``torch.linalg``: factorizations, solvers, decompositions, norms, and the
legacy ``torch.*`` names (``torch.svd``, ``torch.lu``, ``torch.triangular_solve``...).

PyTorch's shape and dtype errors for products come from the op entries' checks, while their
kernels trace (see ``_ops/linalg.py``); the argument errors of ``torch.linalg`` are raised here,
before the call, and the numerical ones (a singular matrix, a matrix that is not positive-definite)
after it, from the ``info`` the kernel returns, as ``torch.linalg.LinAlgError``."""

from __future__ import annotations

import builtins
import math

import numpy as np

from .. import _dtype as D
from .._dispatch import call
from .._ops import TABLE as T
from .._tensor import Tensor, _wrap_dim
from .._warn_once import warn_once
from ..return_types import structseq
from ._surface import public

__all__ = [
    "dot", "mv", "mm", "matmul", "bmm", "outer", "ger", "einsum", "addmm", "addmv", "baddbmm",
    "addbmm", "addr", "vdot", "inner", "kron", "inverse", "det", "logdet", "slogdet", "pinverse",
    "matrix_power", "matrix_exp", "cholesky", "cholesky_inverse", "cholesky_solve", "geqrf",
    "ormqr", "lu", "lu_solve", "lu_unpack", "qr", "svd", "triangular_solve", "pca_lowrank",
    "svd_lowrank", "tensordot", "cdist", "orgqr",
]  # fmt: skip


class LinAlgError(RuntimeError):
    """Raised by ``torch.linalg`` functions for a numerical failure: a singular matrix, a matrix
    that is not positive-definite."""


# NOTE: torch's class is ``torch._C._LinAlgError`` (``torch.linalg.LinAlgError`` names it).
LinAlgError.__name__ = LinAlgError.__qualname__ = "_LinAlgError"
LinAlgError.__module__ = "torch._C"


# -- matrix products ------------------------------------------------------------------------------
@public(method=True, out=True)
def dot(input, tensor):
    """The dot product of two 1-D tensors."""
    return call(T["dot"], input, tensor)


@public(method=True, out=True)
def mv(input, vec):
    return call(T["mv"], input, vec)


@public(method=True, out=True)
def mm(input, mat2):
    return call(T["mm"], input, mat2)


@public(method=True, out=True)
def matmul(input, other):
    """The matrix product, with NumPy's rules for 1-D operands and batch broadcasting."""
    return call(T["matmul"], input, other)


public(function="linalg", out=True)(matmul)


@public(method=True, out=True)
def bmm(input, mat2):
    return call(T["bmm"], input, mat2)


@public(method=True, out=True)
def outer(input, vec2):
    return call(T["outer"], input, vec2)


@public(method=True, out=True)
def ger(input, vec2):
    return call(T["outer"], input, vec2)


@public
def einsum(equation, *operands):
    """Einstein summation (``torch.einsum('ij,jk->ik', a, b)``); operands may be one list."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    return call(T["einsum"], *operands, equation=equation)


def _fma_call(name, input, a, b, beta, alpha, out_shape, **opts):
    from ._common import check_expand

    if input.shape != out_shape and input.ndim <= len(out_shape):
        check_expand(input.shape, out_shape)
    return call(T[name], input, a, b, beta=beta, alpha=alpha, **opts)


@public(method=True, inplace=True, out=True)
def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat1 @ mat2)``."""
    shape = (mat1.shape[0], mat2.shape[-1]) if mat1.ndim == 2 and mat2.ndim == 2 else None
    return _fma_call("addmm", input, mat1, mat2, beta, alpha, shape or input.shape)


@public(method=True, inplace=True, out=True, torch_inplace=True)
def addmv(input, mat, vec, *, beta=1, alpha=1):
    """``beta * input + alpha * (mat @ vec)``."""
    shape = (mat.shape[0],) if mat.ndim == 2 else input.shape
    return _fma_call("addmv", input, mat, vec, beta, alpha, shape)


@public(method=True, inplace=True, out=True)
def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * bmm(batch1, batch2)``."""
    shape = ((batch1.shape[0], batch1.shape[1], batch2.shape[2])
             if batch1.ndim == 3 and batch2.ndim == 3 else input.shape)  # fmt: skip
    return _fma_call("baddbmm", input, batch1, batch2, beta, alpha, shape, reduce=False)


@public(method=True, inplace=True, out=True)
def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """``beta * input + alpha * bmm(batch1, batch2).sum(0)``."""
    shape = ((batch1.shape[1], batch2.shape[2])
             if batch1.ndim == 3 and batch2.ndim == 3 else input.shape)  # fmt: skip
    return _fma_call("baddbmm", input, batch1, batch2, beta, alpha, shape, reduce=True)


@public(method=True, inplace=True, out=True)
def addr(input, vec1, vec2, *, beta=1, alpha=1):
    """``beta * input + alpha * outer(vec1, vec2)``."""
    dt = D.promote_types(D.promote_types(input._dtype, vec1._dtype), vec2._dtype)
    for name, v in (("beta", beta), ("alpha", alpha)):
        if isinstance(v, builtins.bool) and dt is not D.bool:
            raise RuntimeError(f"Boolean {name} only supported for Boolean results.")
    for name, v in (("beta", beta), ("alpha", alpha)):
        if dt._cat <= D._INT and isinstance(v, (builtins.float, builtins.complex)):
            raise RuntimeError(
                f"For integral input tensors, argument {name} must not be a floating point number."
            )
    shape = (vec1.shape[0], vec2.shape[0]) if vec1.ndim == 1 and vec2.ndim == 1 else input.shape
    return _fma_call("addr", input, vec1, vec2, beta, alpha, shape)


@public(method=True, out=True)
def vdot(input, other):
    return call(T["vdot"], input, other)


@public(method=True, out=True)
def inner(input, other):
    return call(T["inner"], input, other)


@public(method=True, out=True)
def kron(input, other):
    return call(T["kron"], input, other)


@public(out=True)
def tensordot(a, b, dims=2):
    """Contract ``a`` and ``b`` over ``dims`` (a count of trailing/leading dims, or two lists)."""
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, builtins.int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.ndim, b.ndim):
            raise RuntimeError(
                f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}"
            )
        da, db = tuple(range(a.ndim - dims, a.ndim)), tuple(range(dims))
    else:
        da, db = dims
        da = (da,) if isinstance(da, builtins.int) else tuple(da)
        db = (db,) if isinstance(db, builtins.int) else tuple(db)
        if len(da) != len(db):
            raise RuntimeError("both dimension lists should have same length")
    da = tuple(_wrap_dim(d, a.ndim) for d in da)
    db = tuple(_wrap_dim(d, b.ndim) for d in db)
    for i, j in zip(da, db, strict=True):
        if a.shape[i] != b.shape[j] and 1 not in (a.shape[i], b.shape[j]):
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {a.shape[i]} in dim "
                f"{i} and second has size {b.shape[j]} in dim {j}"
            )
    return call(T["tensordot"], a, b, dims_a=da, dims_b=db)


# -- argument checks and numerical errors ---------------------------------------------------------
def _warn_once(key, msg):
    warn_once(("linalg", key), msg, UserWarning, stacklevel=3)


_DEPRECATED = {
    "cholesky": "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be "
    "removed in a future PyTorch release.\nL = torch.cholesky(A)\nshould be replaced with\nL = "
    "torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, upper=True)\nshould be replaced with\n"
    "U = torch.linalg.cholesky(A).mH\nThis transform will produce equivalent results for all "
    "valid (symmetric positive definite) inputs.",
    "qr": "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future "
    "PyTorch release.\nThe boolean parameter 'some' has been replaced with a string parameter "
    "'mode'.\nQ, R = torch.qr(A, some)\nshould be replaced with\nQ, R = torch.linalg.qr(A, "
    "'reduced' if some else 'complete')",
    "lu": "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex "
    "and will be removed in a future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\n"
    "should be replaced with\nLU, pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\nLU, "
    "pivots, info = torch.lu(A, compute_pivots, get_infos=True)\nshould be replaced with\nLU, "
    "pivots, info = torch.linalg.lu_factor_ex(A, compute_pivots)",
    "lu_solve": "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed "
    "in a future PyTorch release.\nNote that torch.linalg.lu_solve has its arguments reversed.\nX "
    "= torch.lu_solve(B, LU, pivots)\nshould be replaced with\nX = torch.linalg.lu_solve(LU, "
    "pivots, B)",
    "triangular_solve": "torch.triangular_solve is deprecated in favor of "
    "torch.linalg.solve_triangularand will be removed in a future PyTorch release.\n"
    "torch.linalg.solve_triangular has its arguments reversed and does not return a copy of one "
    "of the inputs.\nX = torch.triangular_solve(B, A).solution\nshould be replaced with\nX = "
    "torch.linalg.solve_triangular(A, B).",
}


def _deprecated(name):
    _warn_once(name, _DEPRECATED[name])


def _matrix(name, A, float_only=True):
    if A.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if float_only and A._dtype._cat < D._FLOAT:
        raise RuntimeError(
            f"{name}: Expected a floating point or complex tensor as input. Got "
            f"{D._LEGACY[A._dtype]}"
        )


def _square(name, A, float_only=True):
    _matrix(name, A, float_only)
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"{name}: A must be batches of square matrices, but they are {A.shape[-2]} by "
            f"{A.shape[-1]} matrices"
        )


def _same_dtype(name, A, B, a="A", b="B"):
    if A._dtype is not B._dtype:
        raise RuntimeError(
            f"{name}: Expected {a} and {b} to have the same dtype, but found {a} of type "
            f"{D._LEGACY[A._dtype]} and {b} of type {D._LEGACY[B._dtype]} instead"
        )


def _host(t):
    """``t``'s value as NumPy, or None while tracing (compile): checks need concrete values."""
    a = t._storage.array
    try:
        return np.asarray(a)
    except Exception:
        return None


def _raise_info(name, info, message):
    """Raise ``LinAlgError(name: message(i))`` for the first nonzero ``info`` (batched: with
    ``(Batch element b)``), as torch's checks of LAPACK's info."""
    host = _host(info)
    if host is None or not host.any():
        return
    flat = host.reshape(-1)
    b = int(np.flatnonzero(flat)[0])
    prefix = f"(Batch element {b}): " if host.ndim else ""
    raise LinAlgError(f"{name}: {prefix}{message(int(flat[b]))}")


def _singular(i):
    return (f"The diagonal element {i} is zero, the inversion could not be completed because "
            "the input matrix is singular.")  # fmt: skip


def _not_pd(i):
    return ("The factorization could not be completed because the input is not "
            f"positive-definite (the leading minor of order {i} is not positive-definite).")


# -- inverses, determinants, matrix functions -----------------------------------------------------
_INV_EX = structseq("linalg_inv_ex", ("inverse", "info"))


@public(function="linalg", out=True)
def inv_ex(A, *, check_errors=False):
    """The inverse and LAPACK's ``info`` (0, or the first zero pivot), without raising."""
    _square("linalg.inv", A)
    inv, info = call(T["inv_ex"], A)
    if check_errors:
        _raise_info("linalg.inv_ex", info, _singular)
    return _INV_EX(inv, info)


@public(function="linalg", out=True)
def inv(A):
    """The inverse of each square matrix; ``LinAlgError`` for a singular one."""
    _square("linalg.inv", A)
    res, info = call(T["inv_ex"], A)
    _raise_info("linalg.inv", info, _singular)
    return res


@public(method=True, out=True)
def inverse(input):
    """The inverse of each square matrix (``torch.linalg.inv``)."""
    return inv(input)


@public(method=True)
def det(input):
    _square("linalg.det", input)
    return call(T["det"], input)


@public(function="linalg", name="det", out=True)
def linalg_det(A):
    """The determinant of each square matrix."""
    return det(A)


@public(method=True)
def logdet(input):
    """``log(det(input))``: NaN for a negative determinant."""
    _square("linalg.det", input)
    return call(T["logdet"], input)


_SLOGDET = structseq("slogdet", ("sign", "logabsdet"))
_LINALG_SLOGDET = structseq("linalg_slogdet", ("sign", "logabsdet"))


@public(method=True, out=True)
def slogdet(input):
    """``(sign, logabsdet)`` of the determinant, as ``torch.return_types.slogdet``."""
    _square("linalg.slogdet", input)
    return _SLOGDET(*call(T["slogdet"], input))


@public(function="linalg", name="slogdet", out=True)
def linalg_slogdet(A):
    """``(sign, logabsdet)`` of the determinant, as ``torch.return_types.linalg_slogdet``."""
    _square("linalg.slogdet", A)
    return _LINALG_SLOGDET(*call(T["slogdet"], A))


@public(method=True)
def pinverse(input, rcond=1e-15):
    """The Moore-Penrose pseudo-inverse (singular values below ``rcond * max`` dropped)."""
    return pinv(input, rtol=rcond)


@public(method=True, out=True)
def matrix_power(input, n):
    _square("linalg.matrix_power", input, float_only=False)
    if n < 0:
        inv(input)  # torch's error for a singular matrix
    return call(T["matrix_power"], input, n=builtins.int(n))


public(function="linalg", out=True)(matrix_power)


@public(method=True)
def matrix_exp(input):
    _square("linalg.matrix_exp", input)
    return call(T["matrix_exp"], input)


public(function="linalg")(matrix_exp)


# -- Cholesky -------------------------------------------------------------------------------------
_CHOLESKY_EX = structseq("linalg_cholesky_ex", ("L", "info"))


@public(function="linalg", out=True)
def cholesky_ex(A, *, upper=False, check_errors=False):
    """The Cholesky factor and LAPACK's ``info`` (the order of the first leading minor that is
    not positive-definite, or 0), without raising."""
    _square("linalg.cholesky", A)
    low, info = call(T["cholesky_ex"], A, upper=builtins.bool(upper))
    if check_errors:
        _raise_info("linalg.cholesky_ex", info, _not_pd)
    return _CHOLESKY_EX(low, info)


@public(function="linalg", name="cholesky", out=True)
def linalg_cholesky(A, *, upper=False):
    """The Cholesky factor ``L`` (``A = L L^H``; ``U = L^H`` with ``upper=True``)."""
    _square("linalg.cholesky", A)
    low, info = call(T["cholesky_ex"], A, upper=builtins.bool(upper))
    _raise_info("linalg.cholesky", info, _not_pd)
    return low


@public(method=True, out=True)
def cholesky(input, upper=False):
    """Deprecated ``torch.cholesky`` (``torch.linalg.cholesky``)."""
    _deprecated("cholesky")
    _square("cholesky", input)
    low, info = call(T["cholesky_legacy"], input, upper=builtins.bool(upper))
    _raise_info("cholesky", info, _not_pd)
    return low


@public(method=True, out=True)
def cholesky_solve(input, input2, upper=False):
    """Solve ``A X = B`` given ``A``'s Cholesky factor (``torch.cholesky_solve(B, L)``)."""
    if input.ndim < 2 or input2.ndim < 2:
        raise RuntimeError(
            f"b should have at least 2 dimensions, but has {input.ndim} dimensions instead"
            if input.ndim < 2 else
            f"u should have at least 2 dimensions, but has {input2.ndim} dimensions instead"
        )  # fmt: skip
    _same_dtype("cholesky_solve", input, input2, "self", "input2")
    return call(T["cholesky_solve"], input, input2, upper=builtins.bool(upper))


@public(method=True, out=True)
def cholesky_inverse(input, upper=False):
    """The inverse of ``A`` from its Cholesky factor."""
    _square("cholesky_inverse", input)
    return call(T["cholesky_inverse"], input, upper=builtins.bool(upper))


# -- LU -------------------------------------------------------------------------------------------
_LU_FACTOR = structseq("linalg_lu_factor", ("LU", "pivots"))
_LU_FACTOR_EX = structseq("linalg_lu_factor_ex", ("LU", "pivots", "info"))
_LINALG_LU = structseq("linalg_lu", ("P", "L", "U"))
_LU_UNPACK = structseq("lu_unpack", ("P", "L", "U"))
_LU_WITH_INFO = structseq("_lu_with_info", ("LU", "pivots", "info"))


def _check_pivot(name, pivot):
    if not pivot:
        raise RuntimeError(f"{name}: LU without pivoting is not implemented on the CPU")


@public(function="linalg", out=True)
def lu_factor_ex(A, *, pivot=True, check_errors=False):
    """The compact LU factorization, 1-based pivots and LAPACK's ``info``."""
    _matrix("torch.linalg.lu_factor_ex", A)
    _check_pivot("linalg.lu_factor", pivot)
    lu, piv, info = call(T["lu_factor_ex"], A)
    if check_errors:
        _raise_info("torch.linalg.lu_factor_ex", info, _lu_zero)
    return _LU_FACTOR_EX(lu, piv, info)


def _lu_zero(i):
    return (f"U[{i},{i}] is zero and using it on lu_solve would result in a division by zero. If "
            "you still want to perform the factorization, consider calling linalg.lu(A, pivot) or "
            "linalg.lu_factor_ex(A, pivot)")  # fmt: skip


@public(function="linalg", out=True)
def lu_factor(A, *, pivot=True):
    """The compact LU factorization ``(LU, pivots)`` (LAPACK's getrf)."""
    _matrix("torch.linalg.lu_factor", A)
    _check_pivot("linalg.lu_factor", pivot)
    lu, piv, info = call(T["lu_factor_ex"], A)
    _raise_info("torch.linalg.lu_factor", info, _lu_zero)
    return _LU_FACTOR(lu, piv)


@public(function="linalg", name="lu", out=True)
def linalg_lu(A, *, pivot=True):
    """``A = P L U`` with a permutation ``P``, unit lower ``L`` and upper ``U``."""
    _matrix("linalg.lu", A)
    _check_pivot("linalg.lu_factor", pivot)
    return _LINALG_LU(*call(T["linalg_lu"], A))


def _check_lu_solve(LU, pivots, B, left):
    _square("linalg.lu_solve", LU)
    if B.ndim < 2:
        raise RuntimeError("linalg.lu_solve: The input tensor B must have at least 2 dimensions.")
    n = LU.shape[-1]
    k = B.shape[-2] if left else B.shape[-1]
    if k != n:
        side = "rows" if left else "columns"
        raise RuntimeError(
            f"linalg.lu_solve: Incompatible shapes of A and B for the equation "
            f"{'AX = B' if left else 'XA = B'} ({n}x{n} and {B.shape[-2]}x{B.shape[-1]})"
            if False else
            f"linalg.lu_solve: Number of {side} of B must match the order of LU. Got {k} and {n}"
        )  # fmt: skip
    if pivots._dtype is not D.int32:
        raise RuntimeError("linalg.lu_solve: Expected pivots to be int32. Got " +
                           D._LEGACY[pivots._dtype])  # fmt: skip


@public(function="linalg", name="lu_solve", out=True)
def linalg_lu_solve(LU, pivots, B, *, left=True, adjoint=False):
    """Solve ``A X = B`` (``X A = B`` with ``left=False``; ``A^H`` with ``adjoint``) from
    ``lu_factor``'s result."""
    _check_lu_solve(LU, pivots, B, left)
    return call(T["lu_solve"], LU, pivots, B, left=builtins.bool(left),
                adjoint=builtins.bool(adjoint))  # fmt: skip


@public(method=True, out=True)
def lu_solve(b, LU_data, LU_pivots):
    """Deprecated ``torch.lu_solve(b, LU, pivots)`` (``torch.linalg.lu_solve(LU, pivots, b)``)."""
    _deprecated("lu_solve")
    return linalg_lu_solve(LU_data, LU_pivots, b)


@public(method=True)
def lu(A, pivot=True, get_infos=False, out=None):
    """Deprecated ``torch.lu``: ``(LU, pivots[, infos])``."""
    _deprecated("lu")
    _matrix("torch.linalg.lu_factor_ex", A)
    _check_pivot("linalg.lu_factor", pivot)
    from ._surface import write_out

    def compute():
        res = _LU_WITH_INFO(*call(T["lu_factor_ex"], A))
        return res if get_infos else (res.LU, res.pivots)

    if out is not None:
        return write_out("lu", out, compute, (A,))
    return compute()


@public(out=True)
def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True):
    """``(P, L, U)`` from ``lu_factor``'s compact form (empty where not unpacked)."""
    _matrix("torch.lu_unpack", LU_data, float_only=False)
    if LU_pivots._dtype is not D.int32:
        raise RuntimeError(
            "torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 "
            "dtype. Note: this function is intended to be used with the output produced by "
            "torch.linalg.lu_factor"
        )
    return _LU_UNPACK(*call(T["lu_unpack"], LU_data, LU_pivots, data=builtins.bool(unpack_data),
                            pivots_=builtins.bool(unpack_pivots)))  # fmt: skip


# -- solvers --------------------------------------------------------------------------------------
_SOLVE_EX = structseq("linalg_solve_ex", ("result", "info"))


def _solve_args(A, B, left):
    _square("linalg.solve", A)
    _same_dtype("linalg.solve", A, B)
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    n = A.shape[-1]
    if vector:
        # NOTE: torch treats a vector B as a column even for ``left=False`` (then it errors).
        k = B.shape[-1] if left else 1
        shown = f"{B.shape[-1]}x1"
    else:
        if B.ndim < 2:
            raise RuntimeError("linalg.solve: The input tensor B must have at least 2 dimensions.")
        k = B.shape[-2] if left else B.shape[-1]
        shown = f"{B.shape[-2]}x{B.shape[-1]}"
    if k != n:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation {eq} ({n}x{n} and "
            f"{shown})"
        )
    return vector


@public(function="linalg", out=True)
def solve_ex(A, B, *, left=True, check_errors=False):
    """The solution of ``A X = B`` and LAPACK's ``info``, without raising."""
    vector = _solve_args(A, B, left)
    x, info = call(T["solve_ex"], A, B, left=builtins.bool(left), vector=vector)
    if check_errors:
        _raise_info("torch.linalg.solve_ex", info, lambda i: "The solver failed because the "
                    "input matrix is singular.")  # fmt: skip
    return _SOLVE_EX(x, info)


@public(function="linalg", out=True)
def solve(A, B, *, left=True):
    """The solution of ``A X = B`` (``X A = B`` with ``left=False``); ``B`` may be a vector."""
    vector = _solve_args(A, B, left)
    x, info = call(T["solve_ex"], A, B, left=builtins.bool(left), vector=vector)
    _raise_info("torch.linalg.solve", info,
                lambda i: "The solver failed because the input matrix is singular.")
    return x


@public(function="linalg", out=True)
def solve_triangular(A, B, *, upper, left=True, unitriangular=False):
    """The solution of a triangular system ``A X = B`` (``X A = B`` with ``left=False``)."""
    _square("linalg.solve_triangular", A)
    if B.ndim < 2:
        raise RuntimeError(
            "linalg.solve_triangular: The input tensor B must have at least 2 dimensions."
        )
    _same_dtype("linalg.solve_triangular", A, B)
    n, k = A.shape[-1], (B.shape[-2] if left else B.shape[-1])
    if n != k:
        eq = "AX = B" if left else "XA = B"
        raise RuntimeError(
            f"linalg.solve_triangular: Incompatible shapes of A and B for the equation {eq} "
            f"({n}x{n} and {B.shape[-2]}x{B.shape[-1]})"
        )
    return call(T["solve_triangular"], A, B, upper=builtins.bool(upper), left=builtins.bool(left),
                unit=builtins.bool(unitriangular))  # fmt: skip


_TRIANGULAR_SOLVE = structseq("triangular_solve", ("solution", "cloned_coefficient"))


@public(method=True, out=True)
def triangular_solve(input, A, upper=True, transpose=False, unitriangular=False):
    """Deprecated: ``(solution, cloned_coefficient)`` of ``op(A) X = b``."""
    _deprecated("triangular_solve")
    if input.ndim < 2:
        raise RuntimeError(
            f"torch.triangular_solve: Expected b to have at least 2 dimensions, but it has "
            f"{input.ndim} dimensions instead"
        )
    if A.ndim < 2:
        raise RuntimeError(
            f"torch.triangular_solve: Expected A to have at least 2 dimensions, but it has "
            f"{A.ndim} dimensions instead"
        )
    _same_dtype("torch.triangular_solve", input, A, "b", "A")
    return _TRIANGULAR_SOLVE(*call(T["triangular_solve"], input, A, upper=builtins.bool(upper),
                                   transpose=builtins.bool(transpose),
                                   unit=builtins.bool(unitriangular)))  # fmt: skip


_LSTSQ = structseq("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))
_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


@public(function="linalg")
def lstsq(A, B, rcond=None, *, driver=None):
    """The least-squares solution of ``A X = B`` with torch's CPU drivers' outputs: residuals
    (``m > n``, full rank, not ``gelsy``), rank (not ``gels``), singular values (``gelsd``,
    ``gelss``)."""
    name = "torch.linalg.lstsq"
    if not (A.ndim >= B.ndim and A.ndim - B.ndim <= 1):
        raise RuntimeError(
            f"{name}: input.dim() must be greater or equal to other.dim() and (input.dim() - "
            "other.dim()) <= 1"
        )
    _matrix(name, A)
    _same_dtype(name, A, B, "input", "other")
    driver = "gelsy" if driver is None else driver
    if driver not in _DRIVERS:
        raise RuntimeError(f"{name}: parameter `driver` should be one of (gels, gelsy, gelsd, "
                           "gelss)")  # fmt: skip
    vector = B.ndim == A.ndim - 1
    m, n = A.shape[-2:]
    rows = B.shape[-1] if vector else B.shape[-2]
    if rows != m:
        raise RuntimeError(
            f"{name}: input.size(-2) should match other.size(-{1 if vector else 2})"
        )
    if rcond is None:
        rcond = float(np.finfo(A._dtype._np).eps) * max(m, n)
    rcond = 0.0 if driver == "gels" else builtins.float(rcond)
    residuals = m > n and driver != "gelsy"
    x, res, rank, sv = call(T["lstsq"], A, B, rcond, vector=vector, residuals=residuals,
                            rank=driver != "gels", svals=driver in ("gelsd", "gelss"))  # fmt: skip
    if residuals and driver != "gels":
        r = _host(rank)
        if r is not None and (r < n).any():
            res = res.new_zeros((0,)) if hasattr(res, "new_zeros") else res[..., :0]
    return _LSTSQ(x, res, rank, sv)


@public(function="linalg", out=True)
def tensorsolve(A, B, dims=None):
    """``X`` with ``tensordot(A, X, X.ndim) == B``."""
    if dims is not None:
        dims = [_wrap_dim(d, A.ndim) for d in dims]
        rest = [d for d in range(A.ndim) if d not in dims]
        A = A.permute(*rest, *dims)
    out_shape = A.shape[B.ndim:]
    n = math.prod(out_shape)
    if math.prod(A.shape[:B.ndim]) != n:
        raise RuntimeError(
            "Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
            "prod(self.shape[:other.ndim]), but got "
            f"{math.prod(A.shape[B.ndim:])} != {math.prod(A.shape[:B.ndim])}"
        )
    x = solve(A.reshape(n, n), B.reshape(n))
    return x.view(*out_shape)


@public(function="linalg", out=True)
def tensorinv(A, ind=2):
    """The inverse of ``A`` as a tensor product: ``tensordot(tensorinv(A), A, ind)`` is the
    identity."""
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    rows, cols = math.prod(A.shape[:ind]), math.prod(A.shape[ind:])
    if rows != cols:
        raise RuntimeError(
            "Expected self to satisfy the requirement prod(self.shape[ind:]) == "
            f"prod(self.shape[:ind]), but got {cols} != {rows}"
        )
    _, info = call(T["inv_ex"], A.reshape(rows, cols).detach())
    _raise_info("inv", info, _singular)
    return call(T["tensorinv"], A, ind=builtins.int(ind))


# -- QR, Householder ------------------------------------------------------------------------------
_LINALG_QR = structseq("linalg_qr", ("Q", "R"))
_QR = structseq("qr", ("Q", "R"))
_GEQRF = structseq("geqrf", ("a", "tau"))


@public(function="linalg", name="qr", out=True)
def linalg_qr(A, mode="reduced"):
    """``A = Q R`` (``mode``: ``'reduced'``, ``'complete'``, or ``'r'`` for ``R`` alone)."""
    _matrix("linalg.qr", A)
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
            "'r', or 'complete'"
        )
    return _LINALG_QR(*call(T["qr"], A, mode=mode))


@public(method=True, out=True)
def qr(input, some=True):
    """Deprecated ``torch.qr`` (``some=False``: the complete factorization)."""
    _deprecated("qr")
    _matrix("linalg.qr", input)
    return _QR(*call(T["qr"], input, mode="reduced" if some else "complete"))


@public(method=True, out=True)
def geqrf(input):
    """LAPACK's geqrf: ``R`` above the diagonal and the Householder reflectors below it, and
    their scalars ``tau``."""
    _matrix("torch.geqrf", input)
    return _GEQRF(*call(T["geqrf"], input))


@public(function="linalg", out=True)
def householder_product(A, tau):
    """The first columns of the product of Householder reflectors (LAPACK's orgqr)."""
    name = "torch.linalg.householder_product"
    if A.ndim < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    if A.shape[-2] < A.shape[-1]:
        raise RuntimeError(f"{name}: input.shape[-2] must be greater than or equal to "
                           "input.shape[-1]")  # fmt: skip
    if A.shape[-1] < tau.shape[-1]:
        raise RuntimeError(f"{name}: input.shape[-1] must be greater than or equal to "
                           "tau.shape[-1]")  # fmt: skip
    if A.ndim - tau.ndim != 1:
        raise RuntimeError(f"{name}: Expected tau to have one dimension less than input, but "
                           f"got tau.ndim equal to {tau.ndim} and input.ndim is equal to "
                           f"{A.ndim}")  # fmt: skip
    _same_dtype(name, A, tau, "input", "tau")
    return call(T["householder_product"], A, tau)


@public(method=True, out=True)
def orgqr(input, tau):
    """``torch.orgqr``: ``torch.linalg.householder_product``."""
    return householder_product(input, tau)


def _check_ormqr(input, tau, other, left):
    """torch.ormqr's argument checks, in its order."""

    def fail(msg):
        raise RuntimeError(f"torch.ormqr: {msg}")

    if input.ndim < 2:
        fail("input must have at least 2 dimensions.")
    if other.ndim < 2:
        fail("other must have at least 2 dimensions.")
    side = -2 if left else -1
    if tau.ndim and tau.shape[-1] != builtins.min(other.shape[side], input.shape[-1]):
        fail(f"tau.shape[-1] must be equal to min(other.shape[{side}], input.shape[-1])")
    if other.shape[side] != input.shape[-2]:
        fail(f"other.shape[{side}] must be equal to input.shape[-2]")
    if input.ndim - tau.ndim != 1:
        fail(
            "Expected tau to have one dimension less than input, but got tau.ndim equal to "
            f"{tau.ndim} and input.ndim is equal to {input.ndim}"
        )
    if input.ndim != other.ndim:
        fail(
            "Expected other to have the same number of dimensions as input, but got other.ndim "
            f"equal to {other.ndim} and input.ndim is equal to {input.ndim}"
        )
    batch = list(input.shape[:-2])
    for name, got in (("tau", list(tau.shape[:-1])), ("other", list(other.shape[:-2]))):
        if got != batch:
            fail(
                f"Expected batch dimensions of {name} to be equal to input.shape[:-2], but got "
                f"{got}"
            )
    for name, t in (("tau", tau), ("other", other)):
        if t._dtype is not input._dtype:
            fail(
                f"Expected input and {name} to have the same dtype, but input has dtype"
                f"{D._LEGACY[input._dtype]} and {name} has dtype {D._LEGACY[t._dtype]}"
            )


@public(method=True, out=True)
def ormqr(input, input2, input3, left=True, transpose=False):
    """``op(Q) @ C`` (or ``C @ op(Q)``) with ``Q`` given by ``geqrf``'s reflectors."""
    _check_ormqr(input, input2, input3, left)
    return call(T["ormqr"], input, input2, input3, left=builtins.bool(left),
                transpose=builtins.bool(transpose))  # fmt: skip


# -- eigenvalues, SVD -----------------------------------------------------------------------------
_EIGH = structseq("linalg_eigh", ("eigenvalues", "eigenvectors"))
_EIG = structseq("linalg_eig", ("eigenvalues", "eigenvectors"))
_SVD = structseq("linalg_svd", ("U", "S", "Vh"))
_LEGACY_SVD = structseq("svd", ("U", "S", "V"))


def _uplo(UPLO):
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return UPLO == "L"


@public(function="linalg", out=True)
def eigh(A, UPLO="L"):
    """Eigenvalues (ascending) and eigenvectors of Hermitian matrices, read from the ``UPLO``
    triangle."""
    _square("linalg.eigh", A)
    return _EIGH(*call(T["eigh"], A, lower=_uplo(UPLO)))


@public(function="linalg", out=True)
def eigvalsh(A, UPLO="L"):
    _square("linalg.eigvalsh", A)
    return call(T["eigvalsh"], A, lower=_uplo(UPLO))


@public(function="linalg", out=True)
def eig(A):
    """Eigenvalues and eigenvectors (complex) of general square matrices."""
    _square("linalg.eig", A)
    return _EIG(*call(T["eig"], A))


@public(function="linalg", out=True)
def eigvals(A):
    _square("linalg.eigvals", A)
    return call(T["eigvals"], A)


def _check_driver(name, driver):
    if driver is not None:
        raise RuntimeError(
            f"{name}: keyword argument `driver=` is only supported on CUDA inputs with cuSOLVER "
            "backend."
        )


@public(function="linalg", name="svd", out=True)
def linalg_svd(A, full_matrices=True, *, driver=None):
    """``A = U diag(S) Vh``, singular values descending."""
    _matrix("linalg.svd", A)
    _check_driver("torch.linalg.svd", driver)
    return _SVD(*call(T["svd"], A, full_matrices=builtins.bool(full_matrices)))


@public(function="linalg", out=True)
def svdvals(A, *, driver=None):
    _matrix("linalg.svdvals", A)
    _check_driver("torch.linalg.svdvals", driver)
    return call(T["svdvals"], A)


@public(method=True, out=True)
def svd(input, some=True, compute_uv=True):
    """``(U, S, V)`` with ``A = U diag(S) V^H`` (``torch.svd``; V, not Vh)."""
    _matrix("linalg.svd", input)
    if not compute_uv:
        s = call(T["svdvals"], input)
        m, n = input.shape[-2:]
        batch = input.shape[:-2]
        u = _zeros((*batch, m, m), input)
        v = _zeros((*batch, n, n), input)
        return _LEGACY_SVD(u, s, v)
    u, s, vh = call(T["svd"], input, full_matrices=not some)
    return _LEGACY_SVD(u, s, vh.mH)


def _zeros(shape, like):
    from .. import _creation

    return _creation.zeros(shape, dtype=like._dtype)


# -- pseudo-inverse, rank -------------------------------------------------------------------------
def _tols(A, atol, rtol, name):
    """torch's defaults: ``rtol = eps * max(m, n)`` unless ``atol`` is given (then 0)."""
    real = A._dtype.to_real() if A._dtype._cat == D._COMPLEX else A._dtype
    if rtol is None:
        given = atol is not None and (isinstance(atol, Tensor) or atol > 0)
        rtol = 0.0 if given else float(np.finfo(real._np).eps) * max(A.shape[-2:])
    atol = 0.0 if atol is None else atol
    return (atol if isinstance(atol, Tensor) else builtins.float(atol),
            rtol if isinstance(rtol, Tensor) else builtins.float(rtol))  # fmt: skip


@public(function="linalg", out=True)
def pinv(A, *, atol=None, rtol=None, hermitian=False):
    """The Moore-Penrose pseudo-inverse; singular values at most ``max(atol, rtol * s_max)``
    are treated as zero."""
    _matrix("linalg.pinv", A)
    atol, rtol = _tols(A, atol, rtol, "linalg.pinv")
    return call(T["pinv"], A, atol, rtol, hermitian=builtins.bool(hermitian))


@public(function="linalg", out=True)
def matrix_rank(A, *, atol=None, rtol=None, hermitian=False, tol=None):
    """The number of singular values above ``max(atol, rtol * s_max)``."""
    _matrix("torch.linalg.matrix_rank", A)
    if tol is not None:
        atol, rtol = tol, 0.0
    atol, rtol = _tols(A, atol, rtol, "linalg.matrix_rank")
    return call(T["matrix_rank"], A, atol, rtol, hermitian=builtins.bool(hermitian))


# -- norms ----------------------------------------------------------------------------------------
def _norm_dtype(name, x, dtype):
    if dtype is not None:
        if dtype._cat < D._FLOAT:
            raise RuntimeError(f"{name}: dtype should be floating point or complex. Got "
                               f"{D._LEGACY[dtype]}")  # fmt: skip
        x = x.to(dtype)
    return x


@public(function="linalg", out=True)
def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """The vector ``ord``-norm over ``dim`` (all elements when None)."""
    if x._dtype._cat < D._FLOAT:
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{D._LEGACY[x._dtype]}"
        )
    x = _norm_dtype("linalg.vector_norm", x, dtype)
    if isinstance(dim, builtins.int):
        dim = (dim,)
    if dim is not None:
        dim = tuple(_wrap_dim(d, x.ndim) for d in dim) or None
        if x.ndim == 0:
            dim = None  # NOTE: dim 0 of a 0-d tensor is its one element: all of it
    ord = builtins.float(ord)
    if ord < 0 or ord == math.inf:
        size = x.numel() if dim is None else math.prod(x.shape[d] for d in dim)
        if size == 0:
            what = "inf" if ord == math.inf else "negative"
            raise RuntimeError(
                f"linalg.vector_norm cannot compute the {what} norm on an empty tensor because "
                "the operation does not have an identity"
            )
    return call(T["vector_norm"], x, ord=ord, dim=dim, keepdim=builtins.bool(keepdim))


def _max_min(x, ord, dim, keepdim):
    from .reduction import amax, amin

    if ord > 0 and x.shape[dim] == 0:
        # NOTE: torch's largest norm over nothing is 0 (a constant), where amax would raise
        from .._creation import zeros

        d = dim % x.ndim
        shape = [*x.shape[:d], *([1] if keepdim else []), *x.shape[d + 1 :]]
        return zeros(shape, dtype=x._dtype)
    return (amax if ord > 0 else amin)(x, dim, keepdim)


@public(function="linalg", out=True)
def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """The matrix norm ``ord`` (``'fro'``, ``'nuc'``, ±1, ±2, ±inf) over the two ``dim``."""
    name = "linalg.matrix_norm"
    # NOTE: torch checks the order first, before the input's and dims' shapes
    if isinstance(ord, str):
        if ord not in ("fro", "nuc"):
            raise RuntimeError(f"{name}: Order {ord} not supported.")
    elif abs(ord) not in (2, 1, math.inf):
        raise RuntimeError(f"{name}: Order {_fmt_ord(ord)} not supported.")
    _matrix(name, A, float_only=False)
    dim = tuple(_wrap_dim(d, A.ndim) for d in ((dim,) if isinstance(dim, builtins.int) else dim))
    if len(dim) != 2:
        raise RuntimeError(f"{name}: dim must be a 2-tuple. Got {' '.join(map(str, dim))}")
    if dim[0] == dim[1]:
        raise RuntimeError(f"{name}: dims must be different. Got ({dim[0]}, {dim[1]})")
    if A._dtype._cat < D._FLOAT:
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got "
                           f"{D._LEGACY[A._dtype]}")  # fmt: skip
    if ord == "fro":
        return vector_norm(A, 2, dim, keepdim, dtype=dtype)
    A = _norm_dtype(name, A, dtype)
    if ord == "nuc" or abs(ord) == 2:
        perm = [d for d in range(A.ndim) if d not in dim] + list(dim)
        s = svdvals(A.permute(*perm))
        if ord == "nuc":
            from .reduction import sum as _sum

            r = _sum(s, -1, keepdim)
        else:
            r = _max_min(s, ord, -1, keepdim)
        if keepdim:
            inv_perm = [perm.index(d) for d in range(A.ndim)]
            r = r.unsqueeze(-1).permute(*inv_perm)
        return r
    d0, d1 = dim
    if abs(ord) == math.inf:
        d0, d1 = d1, d0
    if not keepdim and d0 < d1:
        d1 -= 1
    return _max_min(vector_norm(A, 1.0, d0, keepdim), ord, d1, keepdim)


def _fmt_ord(ord):
    return str(ord) if isinstance(ord, builtins.int) else repr(builtins.float(ord))


@public(function="linalg", name="norm", out=True)
def linalg_norm(input, ord=None, dim=None, keepdim=False, *, dtype=None):
    """A vector norm or a matrix norm, chosen by ``ord`` and ``dim`` as torch chooses."""
    if dim is not None:
        if isinstance(dim, builtins.int):
            dim = (dim,)
        if len(dim) not in (1, 2):
            raise RuntimeError(
                f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dim)}"
            )
    elif ord is not None and input.ndim not in (1, 2):
        raise RuntimeError(
            "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got "
            f"{input.ndim}D"
        )
    if ord is not None and ((dim is not None and len(dim) == 2) or
                            (dim is None and input.ndim == 2)):  # fmt: skip
        return matrix_norm(input, ord, (0, 1) if dim is None else dim, keepdim, dtype=dtype)
    return vector_norm(input, 2.0 if ord is None else ord, dim, keepdim, dtype=dtype)


def _empty_cond(A):
    # NOTE: torch returns zeros (not connected to A's graph) for a batch of empty matrices
    from .._creation import zeros

    return zeros(A.shape[:-2], dtype=A._dtype.to_real())


@public(function="linalg", out=True)
def cond(A, p=None):
    """The condition number in the norm ``p`` (the 2-norm by default)."""
    if p is None or p in (2, -2):
        _matrix("linalg.cond", A)
        if A.numel() == 0:
            return _empty_cond(A)
        s = svdvals(A)
        big, small = s[..., :1], s[..., -1:]
        r = big / small if p != -2 else small / big
        return r.squeeze(-1)
    if p not in ("fro", "nuc") and (isinstance(p, str) or abs(p) not in (1, math.inf)):
        raise RuntimeError(f"linalg.cond got an invalid norm type: {p}")
    _square(f"linalg.cond(ord={_fmt_ord(p) if not isinstance(p, str) else p})", A)
    if A.numel() == 0:
        return _empty_cond(A)
    inv_a, _info = call(T["inv_ex"], A)
    r = matrix_norm(A, p) * matrix_norm(inv_a, p)
    from .pointwise import nan_to_num

    return nan_to_num(r, nan=math.inf, posinf=math.inf)


# -- small composites -----------------------------------------------------------------------------
@public(function="linalg", name="cross", out=True)
def linalg_cross(input, other, *, dim=-1):
    """The cross product of 3-vectors along ``dim`` (operands broadcast)."""
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    d = _wrap_dim(dim, input.ndim)
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {dim} must have length 3. Got {input.shape[d]} and "
            f"{other.shape[d]}"
        )
    return call(T["cross"], input, other, dim=d)


@public(function="linalg", name="diagonal")
def linalg_diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """``torch.diagonal`` with the last two dims by default."""
    return A.diagonal(offset, dim1, dim2)


@public(function="linalg", out=True)
def vecdot(x, y, *, dim=-1):
    """``sum(conj(x) * y, dim)``."""
    from .reduction import sum as _sum

    if x._dtype is not y._dtype:
        raise RuntimeError(
            f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
            f"{D._LEGACY[x._dtype]} and y of type {D._LEGACY[y._dtype]} instead"
        )
    if x.ndim == 1 and y.ndim == 1:
        return vdot(x, y)
    if x._dtype._cat == D._COMPLEX:
        x = x.conj()
    return _sum(x * y, dim)


@public(function="linalg")
def vander(x, N=None):
    """Columns ``x**0, x**1, ..., x**(N-1)`` (``N`` defaults to ``x.shape[-1]``)."""
    from .combine import cat
    from .reduction import cumprod

    if x.ndim == 0:
        x = x.unsqueeze(0)
    n = x.shape[-1] if N is None else N
    if n <= 1:
        raise RuntimeError("N must be greater than 1.")
    x = x if x._dtype._cat > D._BOOL else x.to(D.int64)
    ones = x.unsqueeze(-1).new_ones((*x.shape, 1))
    rest = cumprod(x.unsqueeze(-1).expand(*x.shape, n - 1), -1)
    return cat([ones, rest], -1)


@public(function="linalg", out=True)
def multi_dot(tensors):
    """The product of a chain of matrices (first and last may be vectors)."""
    n = len(tensors)
    if n < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {n}")
    first, last = tensors[0], tensors[-1]
    for i, t in enumerate(tensors):
        need = 2 if 0 < i < n - 1 else (1, 2)
        if (t.ndim not in need) if isinstance(need, tuple) else t.ndim != need:
            which = "first" if i == 0 else "last" if i == n - 1 else None
            if which:
                raise RuntimeError(f"multi_dot(): the {which} tensor must be 1D or 2D but got "
                                   f"{t.ndim}D")  # fmt: skip
            raise RuntimeError(f"multi_dot(): tensor {i} must be 2D but got {t.ndim}D")
    mats = list(tensors)
    if first.ndim == 1:
        mats[0] = first.unsqueeze(0)
    if last.ndim == 1:
        mats[-1] = last.unsqueeze(-1)
    for i in range(n - 1):
        if mats[i].shape[1] != mats[i + 1].shape[0]:
            raise RuntimeError(
                f"multi_dot(): tensors {i} and {i + 1} with shapes {list(mats[i].shape)} and "
                f"{list(mats[i + 1].shape)} cannot be multiplied"
            )
    r = _chain(mats)
    shape = (() if first.ndim == 1 else (mats[0].shape[0],)) + (
        () if last.ndim == 1 else (mats[-1].shape[1],))
    return r.view(*shape) if shape else r.view(())


def _chain(mats):
    """The product in the order that needs the fewest scalar multiplications."""
    n = len(mats)
    if n == 2:
        return mm(mats[0], mats[1])
    dims = [m.shape[0] for m in mats] + [mats[-1].shape[1]]
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = math.inf
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k

    def product(i, j):
        if i == j:
            return mats[i]
        k = split[i][j]
        return mm(product(i, k), product(k + 1, j))

    return product(0, n - 1)


# -- distances, low-rank --------------------------------------------------------------------------
_CDIST_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                "donot_use_mm_for_euclid_dist")  # fmt: skip


@public
def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The ``p``-norm distance between each pair of rows of ``x1`` and ``x2`` (batched)."""
    if x1.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1.ndim}D")
    if x2.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X2 got: {x2.ndim}D")
    if x1._dtype._cat != D._FLOAT:
        raise RuntimeError(
            f"cdist only supports floating-point dtypes, X1 got: {D._LEGACY[x1._dtype]}"
        )
    if x2._dtype._cat != D._FLOAT:
        raise RuntimeError(
            f"cdist only supports floating-point dtypes, X2 got: {D._LEGACY[x2._dtype]}"
        )
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(
            f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: "
            f"{x2.shape[-1]}"
        )
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    if compute_mode not in _CDIST_MODES and compute_mode is not None:
        raise RuntimeError(f"{compute_mode} is not a valid value for compute_mode")
    mode = compute_mode or _CDIST_MODES[0]
    big = x1.shape[-2] > 25 or x2.shape[-2] > 25
    # NOTE: torch takes the direct path (CdistBackward0) for empty inputs whatever the mode.
    mm_path = (p == 2 and x1.numel() > 0 and x2.numel() > 0
               and (mode == _CDIST_MODES[1] or (mode == _CDIST_MODES[0] and big)))  # fmt: skip
    if x1._dtype is not x2._dtype:
        raise RuntimeError(
            f"cdist: X1 and X2 must have the same dtype, but got {D._LEGACY[x1._dtype]} and "
            f"{D._LEGACY[x2._dtype]}"
        )  # NOTE: not torch's exact text
    return call(T["cdist"], x1, x2, p=builtins.float(p), mm=mm_path)


def _approximate_basis(A, q, niter, M=None):
    from .. import _creation

    _m, n = A.shape[-2:]
    R = _creation.randn(*A.shape[:-2], n, q, dtype=A._dtype)
    X = matmul(A, R)
    if M is not None:
        X = X - matmul(M, R)
    Q = linalg_qr(X).Q
    for _ in range(niter):
        X = matmul(A.mH, Q)
        if M is not None:
            X = X - matmul(M.mH, Q)
        Q = linalg_qr(X).Q
        X = matmul(A, Q)
        if M is not None:
            X = X - matmul(M, Q)
        Q = linalg_qr(X).Q
    return Q


@public
def svd_lowrank(A, q=6, niter=2, M=None):
    """A randomized SVD ``(U, S, V)`` of rank ``q`` (Halko et al.), as ``torch.svd_lowrank``."""
    q = 6 if q is None else q
    m, n = A.shape[-2:]
    if M is not None:
        M = M.broadcast_to(A.shape) if M.shape != A.shape else M
    if m < n:
        A = A.mH
        M = None if M is None else M.mH
    Q = _approximate_basis(A, q, niter, M)
    B = matmul(Q.mH, A)
    if M is not None:
        B = B - matmul(Q.mH, M)
    U, S, Vh = linalg_svd(B, full_matrices=False)
    V = Vh.mH
    U = Q.matmul(U)
    if m < n:
        U, V = V, U
    return U, S, V


@public
def pca_lowrank(A, q=None, center=True, niter=2):
    """PCA of a low-rank matrix by a randomized SVD of the centered data: ``(U, S, V)``."""
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not (q >= 0 and q <= min(m, n)):
        raise ValueError(f"q(={q}) must be non-negative integer and not greater than "
                         f"min(m, n)={min(m, n)}")  # fmt: skip
    if niter < 0:
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if not center:
        return svd_lowrank(A, q, niter=niter)
    from .reduction import mean

    C = mean(A, -2, True)
    return svd_lowrank(A - C, q, niter=niter)


# -- LDL (LAPACK's sytrf, through SciPy on the host) ----------------------------------------------
_LDL_FACTOR = structseq("linalg_ldl_factor", ("LD", "pivots"))
_LDL_FACTOR_EX = structseq("linalg_ldl_factor_ex", ("LD", "pivots", "info"))


def _ldl_host(A, hermitian):
    from scipy.linalg import lapack

    from .._creation import tensor

    a = np.asarray(A.detach()._storage.array)
    batch = a.shape[:-2]
    flat = a.reshape((math.prod(batch), *a.shape[-2:]))
    complex_ = np.iscomplexobj(a)
    fn_name = ("he" if (hermitian and complex_) else "sy") + "trf"
    fn, = lapack.get_lapack_funcs((fn_name,), (flat,))
    lds, pivs, infos = [], [], []
    for mat in flat:
        ld, piv, info = fn(mat, lower=1)
        lds.append(np.tril(ld))
        pivs.append(piv)
        infos.append(info)
    ld = np.stack(lds).reshape(a.shape) if flat.shape[0] else a.copy()
    piv = np.stack(pivs).reshape(batch + a.shape[-1:]).astype(np.int32) if flat.shape[0] else \
        np.zeros(batch + a.shape[-1:], np.int32)
    info = np.asarray(infos, np.int32).reshape(batch)
    return (tensor(ld, dtype=A._dtype), tensor(piv, dtype=D.int32),
            tensor(info, dtype=D.int32))  # fmt: skip


@public(function="linalg", out=True)
def ldl_factor_ex(A, *, hermitian=False, check_errors=False):
    """The compact LDL factorization (Bunch-Kaufman pivoting, LAPACK's sytrf) with ``info``."""
    _square("torch.linalg.ldl_factor_ex", A)
    ld, piv, info = _ldl_host(A, hermitian)
    if check_errors:
        _raise_info("torch.linalg.ldl_factor_ex", info, lambda i: (
            f"The factorization could not be completed because the input is singular: "
            f"D[{i},{i}] is zero."))  # fmt: skip
    return _LDL_FACTOR_EX(ld, piv, info)


@public(function="linalg", out=True)
def ldl_factor(A, *, hermitian=False):
    """The compact LDL factorization ``(LD, pivots)`` (LAPACK's sytrf)."""
    _square("torch.linalg.ldl_factor", A)
    ld, piv, info = _ldl_host(A, hermitian)
    _raise_info("torch.linalg.ldl_factor", info, lambda i: (
        f"The factorization could not be completed because the input is singular: "
        f"D[{i},{i}] is zero."))  # fmt: skip
    return _LDL_FACTOR(ld, piv)


@public(function="linalg", out=True)
def ldl_solve(LD, pivots, B, *, hermitian=False):
    """Solve ``A X = B`` from ``ldl_factor``'s result (LAPACK's sytrs)."""
    from scipy.linalg import lapack

    from .._creation import tensor

    _square("torch.linalg.ldl_solve", LD)
    ld = np.asarray(LD.detach()._storage.array)
    piv = np.asarray(pivots._storage.array)
    b = np.asarray(B.detach()._storage.array)
    batch = np.broadcast_shapes(ld.shape[:-2], piv.shape[:-1], b.shape[:-2])
    n = math.prod(batch)
    ld = np.broadcast_to(ld, batch + ld.shape[-2:]).reshape((n, *ld.shape[-2:]))
    piv = np.broadcast_to(piv, batch + piv.shape[-1:]).reshape((n, *piv.shape[-1:]))
    bb = np.broadcast_to(b, batch + b.shape[-2:]).reshape((n, *b.shape[-2:]))
    complex_ = np.iscomplexobj(ld)
    fn, = lapack.get_lapack_funcs((("he" if hermitian and complex_ else "sy") + "trs",), (ld,))
    # NOTE: SciPy's sytrs rejects a 0x0 system (its workspace check); the solution is empty
    xs = [fn(ld[i], piv[i], bb[i], lower=1)[0] for i in range(n)] if bb.size else []
    x = np.stack(xs).reshape(batch + b.shape[-2:]) if xs else np.zeros(batch + b.shape[-2:],
                                                                        b.dtype)  # fmt: skip
    return tensor(x, dtype=B._dtype)
