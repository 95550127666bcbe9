"""Matrix products."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from ._registry import defop


def _matmul_name(args, opts):
    a, b = args[0].ndim, args[1].ndim
    if a == 1 and b == 1:
        return "DotBackward0"
    if a == 2 and b == 2:
        return "MmBackward0"
    if a == 2 and b == 1:
        return "MvBackward0"
    if a == 1 and b == 2:
        return "SqueezeBackward4"
    if a == 2 and args[0].requires_grad:
        # torch computes (b^T @ a^T)^T and makes it contiguous when a needs grad.
        return "CloneBackward0"
    return "UnsafeViewBackward0"


def _check_dot(x, y):
    if x.ndim != 1 or y.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {x.ndim}D and {y.ndim}D tensors")
    if x.dtype != y.dtype:
        raise RuntimeError(
            "dot : expected both vectors to have same dtype, but found "
            f"{D._LEGACY[D._FROM_NP[x.dtype]]} and {D._LEGACY[D._FROM_NP[y.dtype]]}"
        )
    n, m = x.shape[0], y.shape[0]
    if n != m:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same "
            f"number of elements, but got {n} and {m} elements respectively"
        )


_CPP_NAMES = {"Float": "float", "Double": "double", "Long": "long int", "Int": "int",
              "Half": "c10::Half", "BFloat16": "c10::BFloat16"}  # fmt: skip


def _legacy(dtype) -> str:
    return D._LEGACY[D._FROM_NP[dtype]]


def _mm_check(a, b, name):
    """PyTorch's errors for a matrix product of arrays ``a`` and ``b`` (run while tracing)."""
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
        rows = a.shape if a.ndim <= 2 else (int(np.prod(a.shape[:-1])), a.shape[-1])
        sa, sb = "x".join(map(str, rows)), "x".join(map(str, b.shape))
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa} and {sb})")
    if a.dtype != b.dtype:
        ca, cb = (_CPP_NAMES.get(_legacy(d), D._FROM_NP[d]._name) for d in (a.dtype, b.dtype))
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {ca} != {cb}")


def _check_mv(a, v):
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {a.ndim}, {v.ndim}")
    _mm_check(a, v, "mv")


def _check_mm(a, b):
    if a.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if b.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _mm_check(a, b, "mm")


def _check_bmm(a, b):
    if a.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    n, _, k = a.shape
    if b.shape[:2] != (n, k):
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{n}, {k}] but got: "
            f"[{b.shape[0]}, {b.shape[1]}]."
        )
    _mm_check(a, b, "bmm")


def _check_outer(a, b):
    for name, v in (("self", a), ("vec2", b)):
        if v.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")


# NOTE: argument checks run while a kernel traces (``check=``): free once a shape is cached.
dot = defop("dot", jnp.dot, "DotBackward0", dtypes="none", check=_check_dot)
mv = defop("mv", jnp.matmul, "MvBackward0", dtypes="none", check=_check_mv)
mm = defop("mm", jnp.matmul, "MmBackward0", dtypes="none", check=_check_mm)
matmul = defop("matmul", jnp.matmul, _matmul_name, dtypes="none",
               check=lambda a, b: _mm_check(a, b, "matmul"))  # fmt: skip
bmm = defop("bmm", jnp.matmul, "BmmBackward0", dtypes="none", check=_check_bmm)
# torch's outer is a broadcast mul
outer = defop("outer", jnp.outer, "MulBackward0", check=_check_outer)


def _einsum_name(args, opts):
    """The node of the last op torch's einsum runs: a bmm's view for a contraction of two
    operands, a mul without one, a sum or a permute for one operand."""
    eq = opts["equation"].replace(" ", "")
    lhs, _, rhs = eq.partition("->")
    ins = lhs.split(",")
    letters = set("".join(ins)) - {"."}
    if not _:
        rhs = "".join(sorted(c for c in letters if "".join(ins).count(c) == 1))
    summed = letters - set(rhs)
    if len(ins) == 1:
        return "SumBackward1" if summed else "PermuteBackward0"
    return "ViewBackward0" if summed else "MulBackward0"


einsum = defop("einsum", lambda *xs, equation: jnp.einsum(equation, *xs), _einsum_name)


# -- fused multiply-adds (``beta * input + alpha * (product)``) -----------------------------------
def _fma(input, prod, beta, alpha):
    # NOTE: beta == 0 ignores ``input`` (nan and inf in it do not propagate), as torch's.
    prod = prod if alpha == 1 else alpha * prod
    if beta == 0:
        return jnp.broadcast_to(prod, jnp.broadcast_shapes(input.shape, prod.shape))
    return (input if beta == 1 else beta * input) + prod


def _check_same(x, *others, first="self", second="mat2"):
    for o in others:
        if x.dtype != o.dtype:
            raise RuntimeError(
                f"{first} and {second} must have the same dtype, but got {_legacy(x.dtype)} and "
                f"{_legacy(o.dtype)}"
            )


def _check_addmm(x, a, b, *, beta, alpha):
    for name, m in (("mat1", a), ("mat2", b)):
        if m.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {m.ndim}-D tensor")
    _mm_check(a, b, "addmm")
    _check_same(x, b)


def _check_addmv(x, a, v, *, beta, alpha):
    if a.ndim != 2 or v.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {x.ndim}, {a.ndim}, {v.ndim}")
    _mm_check(a, v, "addmv")
    _check_same(x, a, second="mat")


def _check_baddbmm(x, a, b, *, beta, alpha, reduce):
    for name, m in (("batch1", a), ("batch2", b)):
        if m.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")
    if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
        raise RuntimeError(
            f"Incompatible matrix sizes for bmm ({a.shape[1]}x{a.shape[2]} and "
            f"{b.shape[1]}x{b.shape[2]})"
        )
    _check_same(x, a, b, second="batch1")


def _check_addr(x, u, v, *, beta, alpha):
    for name, m in (("vec1", u), ("vec2", v)):
        if m.ndim != 1:
            raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {m.ndim}-D")


_FMA = dict(dtypes="none")
addmm = defop("addmm", lambda x, a, b, *, beta, alpha: _fma(x, a @ b, beta, alpha),
              "AddmmBackward0", check=_check_addmm, **_FMA)  # fmt: skip
addmv = defop("addmv", lambda x, a, v, *, beta, alpha: _fma(x, a @ v, beta, alpha),
              "AddmvBackward0", check=_check_addmv, **_FMA)  # fmt: skip
baddbmm = defop("baddbmm", lambda x, a, b, *, beta, alpha, reduce: _fma(
    x, (a @ b).sum(0) if reduce else a @ b, beta, alpha),
    lambda args, opts: "AddbmmBackward0" if opts["reduce"] else "BaddbmmBackward0",
    check=_check_baddbmm, **_FMA)  # fmt: skip
# addr promotes its operands (it is a broadcast mul-add in torch).
addr = defop("addr", lambda x, u, v, *, beta, alpha: _fma(x, jnp.outer(u, v), beta, alpha),
             "AddrBackward0", check=_check_addr)  # fmt: skip


def _vdot_check(x, y):
    _check_dot(x, y)


vdot = defop("vdot", lambda x, y: jnp.vdot(x, y), "VdotBackward0", dtypes="none",
             check=_vdot_check)  # fmt: skip


def _check_inner(x, y):
    if x.ndim and y.ndim and x.shape[-1] != y.shape[-1]:
        raise RuntimeError(
            f"inner() the last dimension must match on both input tensors but got shapes "
            f"{list(x.shape)} and {list(y.shape)}"
        )


# NOTE: torch's inner is a tensordot (a view of an mm) unless an operand is 0-d (a mul).
inner = defop("inner", jnp.inner, lambda a, o: "MulBackward0" if 0 in (a[0].ndim, a[1].ndim)
              else "ViewBackward0", check=_check_inner)  # fmt: skip
kron = defop("kron", jnp.kron, "UnsafeViewBackward0")


# -- inverses, determinants, matrix functions -----------------------------------------------------
def _slogdet(a):
    sign, logabs = jnp.linalg.slogdet(a)
    return sign, logabs


def _logdet(a):
    sign, logabs = jnp.linalg.slogdet(a)
    return jnp.where(sign < 0, jnp.nan, logabs)


def _matrix_power(a, *, n):
    if n == 0:
        return jnp.broadcast_to(jnp.eye(a.shape[-1], dtype=a.dtype), a.shape)
    if n < 0:
        a, n = jnp.linalg.inv(a), -n
    return jnp.linalg.matrix_power(a, n)


def _matrix_power_name(args, opts):
    n = opts["n"]
    return "CopyBackwards" if n == 0 else "CloneBackward0" if n == 1 else "MmBackward0"


_LA = dict(dtypes="none")
inverse = defop("inverse", jnp.linalg.inv, "LinalgInvExBackward0", **_LA)
det = defop("det", jnp.linalg.det, "LinalgDetBackward0", **_LA)
slogdet = defop("slogdet", _slogdet, "LinalgSlogdetBackward0", n_out=2, **_LA)
logdet = defop("logdet", _logdet, "WhereBackward0", **_LA)
pinverse = defop("pinverse", lambda a, *, rcond: jnp.linalg.pinv(a, rtol=rcond),
                 "LinalgPinvBackward0", **_LA)  # fmt: skip
matrix_exp = defop("matrix_exp", lambda a: jax.scipy.linalg.expm(a), "LinalgMatrixExpBackward0",
                   **_LA)  # fmt: skip
matrix_power = defop("matrix_power", _matrix_power, _matrix_power_name, **_LA)
