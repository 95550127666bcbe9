"""Matrix products."""

from __future__ import annotations

import builtins
import collections
import functools

import jax
import jax.extend
import jax.numpy as jnp
import numpy as np
from jax.interpreters import ad as _ad
from jax.interpreters import batching as _batching
from jax.interpreters import mlir as _mlir

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
        # torch computes (b^T @ a^T)^T when a needs grad, and copies it to make it contiguous
        # unless it already is (a row or a column, or nothing).
        m, n = args[0].shape[0], args[1].shape[-1]
        done = m <= 1 or n <= 1 or 0 in args[1].shape[:-2]
        return "TransposeBackward0" if done else "CloneBackward0"
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


def _einsum_labels(term, ndim):
    """One operand's labels, its ellipsis dims named ``("...", k)`` by their place from the
    right (so operands' ellipses broadcast)."""
    head, ell, tail = term.partition("...")
    n = ndim - len(head) - len(tail) if ell else 0
    return [*head, *(("...", n - 1 - i) for i in range(n)), *tail]


def _einsum_dtype(equation, xs):
    """The dtype of torch's einsum: it sums a label found in one operand only with ``sum``
    (which gives an integer operand int64), multiplies pairs that share no summed label (which
    promotes) and contracts the others with ``bmm`` (which needs one dtype)."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(xs):
        more = "more" if len(terms) < len(xs) else "fewer"
        raise RuntimeError(
            f"einsum(): {more} operands were provided than specified in the equation"
        )
    for i, (t, x) in enumerate(zip(terms, xs, strict=True)):
        n, ell = len(t.replace("...", "")), "..." in t
        if n > x.ndim or (n != x.ndim and not ell):
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({n}) "
                + (f"is more than the number of dimensions ({x.ndim}) for operand {i}" if ell else
                   f"does not match the number of dimensions ({x.ndim}) for operand {i} and no "
                   "ellipsis was given")
            )  # fmt: skip
    labels = [_einsum_labels(t, x.ndim) for t, x in zip(terms, xs, strict=True)]
    every = [lab for ls in labels for lab in ls]
    for i, lab in enumerate(rhs.replace("...", "")):
        if lab not in every or lab in rhs.replace("...", "")[:i]:
            why = "appears more than once in the output" if lab in every else (
                "does not appear in the equation for any input operand")
            raise RuntimeError(f"einsum(): output subscript {lab} {why}")
    ell = {lab for lab in every if isinstance(lab, tuple)}
    out = set(rhs.replace("...", "")) | (ell if "..." in rhs or not arrow else set())
    if not arrow:
        out |= {lab for lab in every if isinstance(lab, str) and every.count(lab) == 1}
    summed = set(every) - out
    dts = [D._FROM_NP[x.dtype] for x in xs]

    def sum_dtype(dt):
        return D.int64 if dt._cat <= D._INT else dt

    if len(xs) == 1:
        return sum_dtype(dts[0]) if summed else dts[0]
    # the labels of each operand that are not broadcast (of size != 1), and their counts
    live = [{lab for lab, n in zip(ls, x.shape, strict=True) if n != 1 and lab in summed}
            for ls, x in zip(labels, xs, strict=True)]  # fmt: skip
    counts = collections.Counter(lab for ls in live for lab in ls)
    # NOTE: torch contracts 3+ operands in opt_einsum's order; the result's dtype is the same
    # in any order (only which mixed-dtype calls fail may differ).
    a, da = live[0], dts[0]
    for b, db in zip(live[1:], dts[1:], strict=True):
        contracted = False
        for lab in sorted(a | b, key=str):
            if lab in a and lab in b:
                counts[lab] -= 1
                contracted |= counts[lab] == 1
            elif counts[lab] == 1:
                da, db = (sum_dtype(da), db) if lab in a else (da, sum_dtype(db))
        if contracted and da is not db:
            raise RuntimeError(
                f"expected scalar type {D._LEGACY[da]} but found {D._LEGACY[db]}"
            )
        if contracted and da is D.bool:
            raise NotImplementedError("\"bmm\" not implemented for 'Bool'")
        a = {lab for lab in a | b if counts[lab] > 1}
        da = da if contracted else D.promote_types(da, db)
    return da


def _einsum(*xs, equation):
    dt = _einsum_dtype(equation, xs)._np
    return jnp.einsum(equation, *(x.astype(dt) for x in xs), preferred_element_type=dt)


einsum = defop("einsum", _einsum, _einsum_name, dtypes="none")


# -- fused multiply-adds (``beta * input + alpha * (product)``) -----------------------------------
def _fma(input, prod, beta, alpha):
    # NOTE: beta == 0 ignores ``input`` (nan and inf in it do not propagate), as torch's.
    # Integer kernels take alpha and beta in the tensors' dtype (0.6 -> 0), bool ones as
    # logical and/or: the result keeps the dtype.
    dt = jnp.result_type(input, prod)
    if dt == jnp.bool_:
        prod = prod & builtins.bool(alpha)
    else:
        if jnp.issubdtype(dt, jnp.integer):
            beta, alpha = builtins.int(beta), builtins.int(alpha)
        prod = prod if alpha == 1 else alpha * prod
    if beta == 0:
        return jnp.broadcast_to(prod, jnp.broadcast_shapes(input.shape, prod.shape))
    if dt == jnp.bool_:
        return input | prod
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
    x, (a @ b).sum(0, dtype=a.dtype) if reduce else a @ b, beta, alpha),
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
def _kron(a, b):
    if a.dtype == jnp.bool_:  # NOTE: lax.mul takes no bools; a product of bools is their and
        return jnp.kron(a.astype(jnp.uint8), b.astype(jnp.uint8)).astype(jnp.bool_)
    return jnp.kron(a, b)


kron = defop("kron", _kron, "UnsafeViewBackward0")


# -- inverses, determinants, matrix functions -----------------------------------------------------
def _slogdet(a):
    sign, logabs = jnp.linalg.slogdet(a)
    return sign, logabs


def _det(a):
    if a.shape[-1] == 0:
        # NOTE: jnp.linalg.det's derivative indexes the LU factors, which a 0x0 matrix lacks
        return jnp.ones(a.shape[:-2], a.dtype)
    return jnp.linalg.det(a)


def _logdet(a):
    sign, logabs = jnp.linalg.slogdet(a)
    return jnp.where(sign < 0, jnp.nan, logabs)


# -- the matrix exponential, by torch's algorithm ---------------------------------------------
# Bader, Blanes & Casas (2019), "Computing the matrix exponential with an optimized Taylor
# polynomial approximation": a polynomial of degree 1, 2, 4, 8, 12 or 18 picked by the 1-norm
# (a batch of more than one matrix always takes 18), scaling and squaring past the last bound.
_MEXP_THETAS = {
    np.float32: (1.192092800768788e-07, 5.978858893805233e-04, 5.116619363445086e-02,
                 5.800524627688768e-01, 1.461661507209034e00, 3.010066362817634e00),
    np.float64: (2.220446049250313e-16, 2.580956802971767e-08, 3.397168839976962e-04,
                 4.991228871115323e-02, 2.996158913811580e-01, 1.090863719290036e00),
}  # fmt: skip
# rows: the coefficients of (I, A, A^2, A^3[, A^6]) in each of the paper's B_i
_MEXP_T12 = (
    (9.0198e-16, 0.46932117595418237389, -0.20099424927047284052, -0.04623946134063071740),
    (5.31597895759871264183, 1.19926790417132231573, 0.01179296240992997031,
     0.01108844528519167989),
    (0.18188869982170434744, 0.05502798439925399070, 0.09351590770535414968,
     0.00610700528898058230),
    (-2.0861320e-13, -0.13181061013830184015, -0.02027855540589259079,
     -0.00675951846863086359),
)  # fmt: skip
_MEXP_T18 = (
    (0.0, -1.00365581030144618291e-01, -8.02924648241156932449e-03,
     -8.92138498045729985177e-04, 0.0),
    (0.0, 3.97849749499645077844e-01, 1.36783778460411720168e00, 4.98289622525382669416e-01,
     -6.37898194594723280150e-04),
    (-1.09676396052962061844e01, 1.68015813878906206114e00, 5.71779846478865511061e-02,
     -6.98210122488052056106e-03, 3.34975017086070470649e-05),
    (-9.04316832390810593223e-02, -6.76404519071381882256e-02, 6.75961301770459654925e-02,
     2.95552570429315521194e-02, -1.39180257516060693404e-05),
    (0.0, 0.0, -9.23364619367118555360e-02, -1.69364939002081722752e-02,
     -1.40086798182036094347e-05),
)  # fmt: skip


def _lincomb(mats, coeffs):
    out = 0
    for m, c in zip(mats, coeffs, strict=True):
        out = out + m * c
    return out


def _t8_coeffs(real):
    # NOTE: torch rounds sqrt(177) and 2/3 to the dtype before deriving the others in double
    r = real.type
    s, x3 = float(r(0.1330413469565007072504e2)), float(r(2.0 / 3.0))
    return (x3 * ((1 + s) / 88), x3 * ((1 + s) / 352), x3, (-271 + 29 * s) / (315 * x3),
            (-11 + 11 * s) / (1260 * x3), (-99 + 11 * s) / (5040 * x3), (89 - s) / (5040 * x3),
            (857 - 58 * s) / 630)  # fmt: skip


def _mexp_taylor(a, degree):
    eye = jnp.broadcast_to(jnp.eye(a.shape[-1], dtype=a.dtype), a.shape)
    if degree == 1:
        return eye + a
    a2 = a @ a
    if degree == 2:
        return eye + a + a2 / 2
    if degree == 4:
        return _lincomb((eye, a, a2, a2 @ _lincomb((eye, a, a2), (1 / 2, 1 / 6, 1 / 24))),
                        (1, 1, 0, 1))  # fmt: skip
    if degree == 8:
        x1, x2, x3, x4, x5, x6, x7, y2 = _t8_coeffs(jnp.finfo(a.dtype).dtype)
        a4 = a2 @ _lincomb((a, a2), (x1, x2))
        a8 = _lincomb((a2, a4), (x3, 1)) @ _lincomb((eye, a, a2, a4), (x4, x5, x6, x7))
        return _lincomb((eye, a, a2, a4, a8), (1, 1, y2, 0, 1))
    pows = (eye, a, a2, a @ a2)
    if degree == 12:
        b = [_lincomb(pows, row) for row in _MEXP_T12]
        b2 = b[2] + b[3] @ b[3]
        return b[0] + (b[1] + b2) @ b2
    pows = (*pows, pows[3] @ pows[3])
    b = [_lincomb(pows, row) for row in _MEXP_T18]
    b3 = b[3] + b[0] @ b[4]
    return b[1] + (b[2] + b3) @ b3


def _mexp_scaled(a, norm, theta):
    s = jnp.maximum(jnp.ceil(jnp.log2(norm / theta)), 0)
    out = _mexp_taylor(a * jnp.exp2(-s).astype(a.dtype)[:, None, None], 18)
    s = jnp.where(jnp.isfinite(s), s, 0).astype(jnp.int32)

    def square(carry):
        k, out = carry
        return k + 1, jnp.where((k < s)[:, None, None], out @ out, out)

    return jax.lax.while_loop(lambda c: c[0] < jnp.max(s, initial=0), square, (0, out))[1]


def _mexp(a):
    n = a.shape[-1]
    if n <= 1:
        return jnp.exp(a)
    flat = a.reshape(-1, n, n)
    thetas = _MEXP_THETAS[jnp.finfo(a.dtype).dtype.type]
    norm = jnp.max(jnp.sum(jnp.abs(flat), -2), -1)
    if flat.shape[0] != 1:
        return _mexp_scaled(flat, norm, thetas[5]).reshape(a.shape)
    nan = jnp.full_like(flat, jnp.nan)
    branches = [functools.partial(_mexp_taylor, flat, d) for d in (1, 2, 4, 8, 12)]
    branches += [lambda: _mexp_scaled(flat, norm, thetas[5]), lambda: nan]
    k = jnp.where(norm[0] >= thetas[4], 5, jnp.sum(norm[0] > jnp.asarray(thetas[:4])))
    k = jnp.where(jnp.isnan(norm[0]), 6, k)
    return jax.lax.switch(k, [lambda _, f=f: f() for f in branches], None).reshape(a.shape)


def _upper_block(a, e):
    """``[[a, e], [0, a]]``."""
    top = jnp.concatenate([a, e], -1)
    return jnp.concatenate([top, jnp.concatenate([jnp.zeros_like(a), a], -1)], -2)


def _mexp_frechet_impl(a, e):
    n = a.shape[-1]
    return _mexp(_upper_block(a, e))[..., :n, n:]


# NOTE: the derivative of exp at ``a`` in the direction ``e`` (linear in ``e``) is the top-right
# block of exp([[a, e], [0, a]]); torch computes both its forward and its backward derivative so
# (``linalg_matrix_exp_differential``), which keeps torch's rounding. A primitive rather than a
# custom_vjp/custom_jvp: it is linear in ``e`` with a known transpose, so JAX can run it forward
# (jvp), transpose it (vjp) and differentiate it in ``a`` again (double backward, hessians).
_frechet_p = jax.extend.core.Primitive("matrix_exp_frechet")
_frechet_p.def_impl(jax.jit(_mexp_frechet_impl))
_frechet_p.def_abstract_eval(lambda a, e: jax.core.ShapedArray(e.shape, e.dtype))
_mlir.register_lowering(_frechet_p, _mlir.lower_fun(_mexp_frechet_impl, multiple_results=False))


def _frechet_jvp(primals, tangents):
    (a, e), (da, de) = primals, tangents
    out = _frechet_p.bind(a, e)
    t = jnp.zeros_like(out)
    if type(de) is not _ad.Zero:
        t = t + _frechet_p.bind(a, de)
    if type(da) is not _ad.Zero:
        # d/da of the top-right block of exp(M), M = [[a, e], [0, a]], is that block of the
        # derivative of exp at M in the direction [[da, 0], [0, da]]
        n = a.shape[-1]
        dm = _frechet_p.bind(_upper_block(a, e), _upper_block(da, jnp.zeros_like(da)))
        t = t + dm[..., :n, n:]
    return out, t


def _frechet_transpose(ct, a, e):
    if type(ct) is _ad.Zero:
        return None, _ad.Zero(e.aval)
    return None, _frechet_p.bind(jnp.swapaxes(a, -1, -2), ct)


def _frechet_batch(args, dims):
    size = next(x.shape[d] for x, d in zip(args, dims, strict=True) if d is not None)
    a, e = (_batching.bdim_at_front(x, d, size) for x, d in zip(args, dims, strict=True))
    return _frechet_p.bind(a, e), 0


_ad.primitive_jvps[_frechet_p] = _frechet_jvp
_ad.primitive_transposes[_frechet_p] = _frechet_transpose
_batching.primitive_batchers[_frechet_p] = _frechet_batch


@jax.custom_jvp
def _matrix_exp(a):
    return _mexp(a)


@_matrix_exp.defjvp
def _matrix_exp_jvp(primals, tangents):
    (a,), (t,) = primals, tangents
    return _matrix_exp(a), _frechet_p.bind(a, t)


def _matrix_power(a, *, n):
    if n == 0:
        return jnp.broadcast_to(jnp.eye(a.shape[-1], dtype=a.dtype), a.shape)
    if n < 0:
        a, n = jnp.linalg.inv(a), -n
    return jnp.linalg.matrix_power(a, n)


def _matrix_power_name(args, opts):
    n = opts["n"]
    if n == 0:
        return "CopyBackwards"
    if n == 1:
        return "CloneBackward0"
    if n == -1:
        return "LinalgInvExBackward0"
    return "UnsafeViewBackward0" if args[0].ndim > 2 else "MmBackward0"


_LA = dict(dtypes="none")
inverse = defop("inverse", jnp.linalg.inv, "LinalgInvExBackward0", **_LA)
det = defop("det", _det, "LinalgDetBackward0", **_LA)
slogdet = defop("slogdet", _slogdet, "LinalgSlogdetBackward0", n_out=2, **_LA)
logdet = defop("logdet", _logdet, "WhereBackward0", **_LA)
pinverse = defop("pinverse", lambda a, *, rcond: jnp.linalg.pinv(a, rtol=rcond),
                 "LinalgPinvBackward0", **_LA)  # fmt: skip
matrix_exp = defop("matrix_exp", _matrix_exp, "LinalgMatrixExpBackward0",
                   bwd_name="SliceBackward0", **_LA)  # fmt: skip
matrix_power = defop("matrix_power", _matrix_power, _matrix_power_name, **_LA)


# -- torch.linalg: factorizations, solvers, decompositions ----------------------------------------
# NOTE: every entry computes in the input's dtype (the public functions check dtypes and shapes
# with torch's messages first). Integer ``info`` outputs carry no gradient.
def _mh(a):
    return jnp.conj(jnp.swapaxes(a, -1, -2))


def _hermitian(a, lower=True):
    """The Hermitian matrix torch reads from one triangle of ``a``. Its gradient is the
    symmetric part of the cotangent, as torch's cholesky/eigh backward formulas give."""
    tri = jnp.tril(a) if lower else jnp.triu(a)
    strict = jnp.tril(a, -1) if lower else jnp.triu(a, 1)
    full = tri + _mh(strict)
    if jnp.iscomplexobj(a):
        d = jnp.real(jnp.diagonal(a, axis1=-2, axis2=-1))
        full = full - jnp.eye(a.shape[-1], dtype=a.dtype) * (jnp.diagonal(
            full, axis1=-2, axis2=-1) - d)[..., None, :]
    s = (a + _mh(a)) / 2
    return jax.lax.stop_gradient(full - s) + s


def _batch(*arrays, core=2):
    """Broadcast the batch dims (all but the last ``core``) of ``arrays``."""
    shape = jnp.broadcast_shapes(*(a.shape[:-core] for a in arrays))
    return [jnp.broadcast_to(a, shape + a.shape[-core:]) for a in arrays]


def _first_zero(d):
    """1-based index of the first zero along the last axis (0 if none), as LAPACK's info."""
    if d.shape[-1] == 0:
        return jnp.zeros(d.shape[:-1], jnp.int32)
    z = d == 0
    return jnp.where(z.any(-1), jnp.argmax(z, -1) + 1, 0).astype(jnp.int32)


def _leading_minor_info(a):
    """LAPACK potrf's info: the order of the first leading minor that is not positive-definite."""
    n = a.shape[-1]
    if n == 0:
        return jnp.zeros(a.shape[:-2], jnp.int32)
    idx = jnp.arange(n)
    ks = jnp.arange(1, n + 1)[:, None, None]
    inside = (idx[None, :, None] < ks) & (idx[None, None, :] < ks)
    eye = jnp.eye(n, dtype=a.dtype)
    minors = jnp.where(inside, a[..., None, :, :], eye)
    sign, _ = jnp.linalg.slogdet(minors)
    bad = jnp.real(sign) <= 0
    return jnp.where(bad.any(-1), jnp.argmax(bad, -1) + 1, 0).astype(jnp.int32)


def _cholesky_ex(a, *, upper):
    h = _hermitian(a, lower=not upper)
    low = jax.lax.linalg.cholesky(h, symmetrize_input=False)
    ok = jnp.all(jnp.isfinite(low))
    info = jax.lax.cond(ok, lambda x: jnp.zeros(x.shape[:-2], jnp.int32),
                        _leading_minor_info, jax.lax.stop_gradient(h))  # fmt: skip
    return (_mh(low) if upper else low), info


@jax.custom_vjp
def _lu_torch_grad(a):
    """``jax.lax.linalg.lu`` differentiated by torch's formula (``linalg_lu_backward``): the
    same derivative, rounded as torch's. (JAX pads a wide or tall matrix to a square one, which
    loses float32 accuracy when its leading block is ill-conditioned.)"""
    return jax.lax.linalg.lu(a)


def _lu_torch_grad_fwd(a):
    out = jax.lax.linalg.lu(a)
    return out, (out[0], out[2])


def _lu_torch_grad_bwd(res, cts):
    lu, perm = res
    g = jnp.conj(cts[0])  # NOTE: torch's formula takes and gives conjugated cotangents
    m, n = lu.shape[-2:]
    k = min(m, n)
    low, up = _unpack(lu)
    gl, gu = jnp.tril(g[..., :, :k], -1), jnp.triu(g[..., :k, :])
    if m == n:  # P L^-H (tril(L^H gL, -1) + triu(gU U^H)) U^-H
        x = jnp.tril(_mh(low) @ gl, -1) + jnp.triu(gu @ _mh(up))
        x = _tri(up, x, lower=False, left=False, trans=True)
        x = _tri(low, x, lower=True, unit=True, trans=True)
    elif m < n:  # U = [U1 U2]
        x = jnp.tril(_mh(low) @ gl - gu @ _mh(up), -1)
        x = _tri(up[..., :k], x, lower=False, left=False, trans=True)
        x = jnp.concatenate([x + gu[..., :k], gu[..., k:]], -1)
        x = _tri(low, x, lower=True, unit=True, trans=True)
    else:  # L = [L1; L2]
        x = jnp.triu(gu @ _mh(up) - _mh(low) @ gl)
        x = _tri(low[..., :k, :], x, lower=True, unit=True, trans=True)
        x = jnp.concatenate([x + gl[..., :k, :], gl[..., k:, :]], -2)
        x = _tri(up, x, lower=False, left=False, trans=True)
    inv = jnp.argsort(perm, axis=-1)
    return (jnp.conj(jnp.take_along_axis(x, inv[..., :, None], axis=-2)),)


_lu_torch_grad.defvjp(_lu_torch_grad_fwd, _lu_torch_grad_bwd)


def _lu(a, torch_grad=False):
    lu, piv, perm = (_lu_torch_grad if torch_grad else jax.lax.linalg.lu)(a)
    k = min(a.shape[-2:])
    return lu, piv, perm, _first_zero(jnp.diagonal(lu, axis1=-2, axis2=-1)[..., :k])


def _tri(a, b, *, lower, left=True, trans=False, unit=False):
    a, b = _batch(a, b)
    return jax.lax.linalg.triangular_solve(a, b, left_side=left, lower=lower,
                                           transpose_a=trans, conjugate_a=trans,
                                           unit_diagonal=unit)  # fmt: skip


def _lu_apply(lu, perm, b, *, adjoint=False):
    """Solve ``A x = b`` (``A^H x = b`` with ``adjoint``) from ``A[perm] = L U``."""
    lu, b = _batch(lu, b)
    perm = jnp.broadcast_to(perm, lu.shape[:-2] + perm.shape[-1:])
    if not adjoint:
        pb = jnp.take_along_axis(b, perm[..., :, None], axis=-2)
        y = _tri(lu, pb, lower=True, unit=True)
        return _tri(lu, y, lower=False)
    y = _tri(lu, b, lower=False, trans=True)
    z = _tri(lu, y, lower=True, unit=True, trans=True)
    inv = jnp.argsort(perm, axis=-1)
    return jnp.take_along_axis(z, inv[..., :, None], axis=-2)


def _inv_ex(a):
    lu, _, perm, info = _lu(a)
    eye = jnp.broadcast_to(jnp.eye(a.shape[-1], dtype=a.dtype), a.shape)
    return _lu_apply(lu, perm, eye), info


def _solve_ex(a, b, *, left, vector):
    if vector:
        b = b[..., None]
    if not left:
        a, b = jnp.swapaxes(a, -1, -2), jnp.swapaxes(b, -1, -2)
    lu, _, perm, info = _lu(a)
    x = _lu_apply(lu, perm, b)
    if not left:
        x = jnp.swapaxes(x, -1, -2)
    if vector:
        x = x[..., 0]
    batch = x.shape[:-1] if vector else x.shape[:-2]
    return x, jnp.broadcast_to(info, batch)


def _lu_factor_ex(a):
    lu, piv, _, info = _lu(a, torch_grad=True)
    return lu, piv + 1, info


def _permutation(pivots, m):
    """The permutation ``perm`` (``A[perm] = L U``) from LAPACK's 1-based row swaps."""
    return jax.lax.linalg.lu_pivots_to_permutation(pivots.astype(jnp.int32) - 1, m)


def _perm_matrix(perm, dtype):
    return jnp.swapaxes(jax.nn.one_hot(perm, perm.shape[-1], dtype=dtype), -1, -2)


def _unpack(lu):
    m, n = lu.shape[-2:]
    k = min(m, n)
    low = jnp.tril(lu[..., :, :k], -1) + jnp.eye(m, k, dtype=lu.dtype)
    return low, jnp.triu(lu[..., :k, :])


def _linalg_lu(a):
    lu, _, perm, _ = _lu(a, torch_grad=True)
    low, up = _unpack(lu)
    return _perm_matrix(perm, a.dtype), low, up


def _lu_unpack(lu, pivots, *, data, pivots_):
    m = lu.shape[-2]
    empty = jnp.zeros((0,), lu.dtype)
    p = _perm_matrix(_permutation(pivots, m), lu.dtype) if pivots_ else empty
    low, up = _unpack(lu) if data else (empty, empty)
    return p, low, up


def _lu_solve(lu, pivots, b, *, left, adjoint):
    perm = _permutation(pivots, lu.shape[-1])
    if left:
        return _lu_apply(lu, perm, b, adjoint=adjoint)
    # X A = B  <=>  A^H X^H = B^H
    return _mh(_lu_apply(lu, perm, _mh(b), adjoint=not adjoint))


def _solve_triangular(a, b, *, upper, left, unit):
    return _tri(a, b, lower=not upper, left=left, unit=unit)


def _triangular_solve(b, a, *, upper, transpose, unit):
    x = _tri(a, b, lower=not upper, trans=transpose, unit=unit)
    if jnp.iscomplexobj(a) and transpose:
        x = jnp.conj(_tri(jnp.conj(a), jnp.conj(b), lower=not upper, trans=True, unit=unit))
    return x, jnp.broadcast_to(a, x.shape[:-2] + a.shape[-2:]) * 1


def _cholesky_solve(b, low, *, upper):
    # NOTE: torch's backward differentiates ``(L L^H)^-1 B`` in the whole of ``L`` (its gradient
    # is not triangular) while the forward reads one triangle: value from the triangle, gradient
    # through the full product.
    full = _mh(low) @ low if upper else low @ _mh(low)
    a, b2 = _batch(full, b)
    g = jnp.linalg.solve(a, b2)
    return jax.lax.stop_gradient(_cholesky_solve_tri(b, low, upper=upper) - g) + g


def _cholesky_solve_tri(b, low, *, upper):
    if upper:
        y = _tri(low, b, lower=False, trans=True)
        return _tri(low, y, lower=False)
    y = _tri(low, b, lower=True)
    return _tri(low, y, lower=True, trans=True)


def _cholesky_inverse(low, *, upper):
    eye = jnp.broadcast_to(jnp.eye(low.shape[-1], dtype=low.dtype), low.shape)
    return _cholesky_solve(eye, low, upper=upper)


def _qr(a, *, mode):
    if mode == "r":
        return jnp.zeros((0,), a.dtype), jnp.linalg.qr(a, mode="r")
    return tuple(jnp.linalg.qr(a, mode=mode))


def _eigh(a, *, lower):
    w, v = jnp.linalg.eigh(_hermitian(a, lower), symmetrize_input=False)
    return w, v


def _svd(a, *, full_matrices):
    m, n = a.shape[-2:]
    u, s, vh = jnp.linalg.svd(a, full_matrices=False)
    if full_matrices and m != n:
        # NOTE: torch's backward ignores the extra singular vectors of a full SVD (it narrows
        # U and Vh to the first k columns); so do these, which carry no gradient here.
        uf, _, vhf = jnp.linalg.svd(jax.lax.stop_gradient(a), full_matrices=True)
        k = min(m, n)
        u = jnp.concatenate([u, uf[..., :, k:]], -1)
        vh = jnp.concatenate([vh, vhf[..., k:, :]], -2)
    return u, s, vh


def _threshold(s_max, atol, rtol):
    return jnp.maximum(atol, rtol * s_max)


def _pinv_value(a, atol, rtol, hermitian):
    if hermitian:
        w, v = jnp.linalg.eigh(_hermitian(a), symmetrize_input=False)
        aw = jnp.abs(w)
        s_max = jnp.max(aw, -1, keepdims=True) if aw.shape[-1] else 0
        thr = _threshold(s_max, atol[..., None], rtol[..., None])
        w_inv = jnp.where(aw > thr, 1 / jnp.where(aw > thr, w, 1), 0).astype(a.dtype)
        return v @ (w_inv[..., :, None] * _mh(v))
    u, s, vh = jnp.linalg.svd(a, full_matrices=False)
    thr = _threshold(s[..., :1], atol[..., None], rtol[..., None]) if s.shape[-1] else 0
    s_inv = jnp.where(s > thr, 1 / jnp.where(s > thr, s, 1), 0).astype(a.dtype)
    return _mh(vh) @ (s_inv[..., :, None] * _mh(u))


@functools.partial(jax.custom_jvp, nondiff_argnums=(3,))
def _pinv(a, atol, rtol, hermitian=False):
    return _pinv_value(a, atol, rtol, hermitian)


@_pinv.defjvp
def _pinv_jvp(hermitian, primals, tangents):
    # NOTE: the derivative of the pseudo-inverse at constant rank (Golub & Pereyra), which torch
    # uses for both paths: with hermitian=True too it differentiates in the whole of A.
    a, atol, rtol = primals
    da = tangents[0]
    p = _pinv(a, atol, rtol, hermitian)
    pa, ap = p @ a, a @ p
    eye_n, eye_m = jnp.eye(pa.shape[-1], dtype=a.dtype), jnp.eye(ap.shape[-1], dtype=a.dtype)
    dp = (-p @ da @ p + (eye_n - pa) @ _mh(da) @ _mh(p) @ p
          + p @ _mh(p) @ _mh(da) @ (eye_m - ap))  # fmt: skip
    return p, dp


def _pinv_op(a, atol, rtol, *, hermitian):
    real = jnp.finfo(a.dtype).dtype
    atol, rtol = jnp.asarray(atol, real), jnp.asarray(rtol, real)
    return _pinv(a, atol, rtol, hermitian)


def _matrix_rank(a, atol, rtol, *, hermitian):
    real = jnp.finfo(a.dtype).dtype
    atol, rtol = jnp.asarray(atol, real), jnp.asarray(rtol, real)
    if hermitian:
        s = jnp.abs(jnp.linalg.eigh(_hermitian(a), symmetrize_input=False)[0])
        s_max = jnp.max(s, -1, keepdims=True) if s.shape[-1] else jnp.zeros((*s.shape[:-1], 1))
    else:
        s = jnp.linalg.svd(a, compute_uv=False)
        s_max = s[..., :1] if s.shape[-1] else jnp.zeros((*s.shape[:-1], 1), real)
    thr = _threshold(s_max, atol[..., None], rtol[..., None])
    return jnp.sum(s > thr, -1).astype(jnp.int64)


def _lstsq(a, b, rcond, *, vector, residuals, rank, svals):
    if vector:
        b = b[..., None]
    real = jnp.finfo(a.dtype).dtype
    a, b = _batch(a, b)
    zero = jnp.zeros((), real)
    x = _pinv(a, zero, jnp.asarray(rcond, real)) @ b
    res = jnp.sum(jnp.abs(a @ x - b) ** 2, -2) if residuals else jnp.zeros((0,), real)
    s = jnp.linalg.svd(a, compute_uv=False) if (rank or svals) else None
    if rank:
        thr = jnp.asarray(rcond, real) * s[..., :1]
        r = jnp.sum(s > thr, -1).astype(jnp.int64)
    else:
        r = jnp.zeros((0,), jnp.int64)
    sv = jax.lax.stop_gradient(s) if svals else jnp.zeros((0,), real)
    return (x[..., 0] if vector else x), res, r, sv


def _householder_product(a, tau, *, square=False):
    """``H_1 ... H_k`` applied to the first columns of the identity (LAPACK's orgqr), with
    ``H_i = I - tau_i v_i v_i^H``; differentiable as written."""
    m, n = a.shape[-2:]
    a, tau = _batch(a, tau[..., None, :])
    tau = tau[..., 0, :]
    k = tau.shape[-1]
    rows = jnp.arange(m)
    q = jnp.broadcast_to(jnp.eye(m, n, dtype=a.dtype), (*a.shape[:-2], m, n))
    if k == 0:
        return q  # NOTE: fori_loop traces its body even for no steps (jnp.take of an empty axis)

    def step(j, q):
        i = k - 1 - j
        col = jnp.take(a, i, axis=-1)
        v = jnp.where(rows < i, 0, jnp.where(rows == i, 1, col)).astype(a.dtype)
        t = jnp.take(tau, i, axis=-1)[..., None, None]
        return q - t * v[..., :, None] * (jnp.conj(v)[..., None, :] @ q)

    return jax.lax.fori_loop(0, k, step, q)


def _ormqr(a, tau, c, *, left, transpose):
    m = a.shape[-2]
    k = tau.shape[-1]
    refl = a[..., :, :min(k, m)]
    pad = m - refl.shape[-1]
    refl = jnp.pad(refl, [(0, 0)] * (refl.ndim - 1) + [(0, pad)])
    tau = jnp.pad(tau[..., :min(k, m)], [(0, 0)] * (tau.ndim - 1) + [(0, m - min(k, m))])
    q = _householder_product(refl, tau)
    if transpose:
        q = _mh(q)
    return q @ c if left else c @ q


@jax.custom_vjp
def _geqrf(a):
    from jax._src.lax import linalg as lax_linalg  # NOTE: geqrf is not re-exported by jax.lax

    return tuple(lax_linalg.geqrf(a))


def _geqrf_fwd(a):
    return _geqrf(a), None


def _geqrf_bwd(res, ct):
    raise RuntimeError("the derivative for 'geqrf' is not implemented.")


_geqrf.defvjp(_geqrf_fwd, _geqrf_bwd)


def _vector_norm(x, *, ord, dim, keepdim):
    ax = jnp.abs(x) if jnp.iscomplexobj(x) else x
    if ord == 2:
        s = jnp.sum(ax * jnp.conj(ax) if jnp.iscomplexobj(x) else ax * ax, axis=dim,
                    keepdims=keepdim)  # fmt: skip
        s = jnp.real(s)
        zero = s == 0
        return jnp.where(zero, 0, jnp.sqrt(jnp.where(zero, 1, s)))
    a = ax * jnp.sign(ax)  # |x| with derivative 0 at 0, as torch's sgn-based backward
    if ord == float("inf"):
        return jnp.max(a, axis=dim, keepdims=keepdim)
    if ord == float("-inf"):
        return jnp.min(a, axis=dim, keepdims=keepdim)
    if ord == 0:
        return jnp.sum(a != 0, axis=dim, keepdims=keepdim).astype(a.dtype)
    if ord == 1:
        return jnp.sum(a, axis=dim, keepdims=keepdim)
    # NOTE: torch's backward gives a zero element the subgradient 0 (for ord < 1 too, where
    # d|x|^ord/dx is infinite): the power is taken on a stand-in 1 there, its value put back.
    zero_el = a == 0
    pw = jnp.where(zero_el, 0 if ord > 0 else jnp.inf, jnp.where(zero_el, 1, a) ** ord)
    if ord > 0:
        s = jnp.sum(pw, axis=dim, keepdims=keepdim)
        zero = s == 0
        return jnp.where(zero, 0, jnp.where(zero, 1, s) ** (1.0 / ord))
    return jnp.sum(pw, axis=dim, keepdims=keepdim) ** (1.0 / ord)


def _cdist(x1, x2, *, p, mm):
    x1, x2 = _batch(x1, x2)
    if mm:
        # torch's matrix-product form of the euclidean distance (and its rounding)
        n1 = jnp.sum(x1 * x1, -1, keepdims=True)
        n2 = jnp.sum(x2 * x2, -1, keepdims=True)
        d2 = (-2 * x1) @ jnp.swapaxes(x2, -1, -2) + n1 + jnp.swapaxes(n2, -1, -2)
        return jnp.sqrt(jnp.maximum(d2, 1e-30))
    d = x1[..., :, None, :] - x2[..., None, :, :]
    return _vector_norm(d, ord=p, dim=-1, keepdim=False)


def _tensordot(a, b, *, dims_a, dims_b):
    # NOTE: a contracted dim of size 1 broadcasts: torch sums the other side over it first
    for i, j in zip(dims_a, dims_b, strict=True):
        if a.shape[i] != b.shape[j]:
            if b.shape[j] == 1:
                a = a.sum(i, keepdims=True, dtype=a.dtype)
            else:
                b = b.sum(j, keepdims=True, dtype=b.dtype)
    return jnp.tensordot(a, b, axes=(dims_a, dims_b))


def _tensorinv(a, *, ind):
    out_shape = a.shape[ind:] + a.shape[:ind]
    n = int(np.prod(a.shape[:ind]))
    return jnp.linalg.inv(a.reshape(n, n)).reshape(out_shape)


_INFO = dict(dtypes="none", nondiff_out=(1,))
cholesky_ex = defop("cholesky_ex", _cholesky_ex, "LinalgCholeskyExBackward0", n_out=2, **_INFO)
cholesky_legacy = defop("cholesky_legacy", lambda a, *, upper: _cholesky_ex(a, upper=upper),
                        "CholeskyBackward0", n_out=2, **_INFO)  # fmt: skip
inv_ex = defop("inv_ex", _inv_ex, "LinalgInvExBackward0", n_out=2, **_INFO)
solve_ex = defop("solve_ex", _solve_ex, "LinalgSolveExBackward0", n_out=2, **_INFO)
lu_factor_ex = defop("lu_factor_ex", _lu_factor_ex, "LinalgLuFactorExBackward0", n_out=3,
                     dtypes="none", nondiff_out=(1, 2))  # fmt: skip
linalg_lu = defop("linalg_lu", _linalg_lu, "LinalgLuBackward0", n_out=3, dtypes="none",
                  nondiff_out=(0,))  # fmt: skip
lu_unpack = defop("lu_unpack", _lu_unpack, "LuUnpackBackward0", n_out=3, dtypes="none",
                  nondiff_out=(0,), diff_args=(0,))  # fmt: skip
lu_solve = defop("lu_solve", _lu_solve, "LinalgLuSolveBackward0", dtypes="none",
                 diff_args=(0, 2))  # fmt: skip
solve_triangular = defop("solve_triangular", _solve_triangular, "LinalgSolveTriangularBackward0",
                         dtypes="none")  # fmt: skip
triangular_solve = defop("triangular_solve", _triangular_solve, "TriangularSolveBackward0",
                         n_out=2, dtypes="none")  # fmt: skip
cholesky_solve = defop("cholesky_solve", _cholesky_solve, "CholeskySolveBackward0",
                       dtypes="none")  # fmt: skip
cholesky_inverse = defop("cholesky_inverse", _cholesky_inverse, "CholeskyInverseBackward0",
                         dtypes="none")  # fmt: skip
qr = defop("qr", _qr, "LinalgQrBackward0", n_out=2, dtypes="none")
eigh = defop("eigh", _eigh, "LinalgEighBackward0", n_out=2, dtypes="none")
eigvalsh = defop("eigvalsh", lambda a, *, lower: _eigh(a, lower=lower)[0], "LinalgEighBackward0",
                 dtypes="none")  # fmt: skip
svd = defop("svd", _svd, "LinalgSvdBackward0", n_out=3, dtypes="none")
svdvals = defop("svdvals", lambda a: jnp.linalg.svd(a, compute_uv=False), "LinalgSvdBackward0",
                dtypes="none")  # fmt: skip
pinv = defop("pinv", _pinv_op, "LinalgPinvBackward0", dtypes="none", diff_args=(0,))
matrix_rank = defop("matrix_rank", _matrix_rank, None, dtypes="none")
lstsq = defop("lstsq", _lstsq, "LinalgLstsqBackward0", n_out=4, dtypes="none",
              nondiff_out=(2, 3), diff_args=(0, 1))  # fmt: skip
householder_product = defop("householder_product", _householder_product,
                            "LinalgHouseholderProductBackward0", dtypes="none")  # fmt: skip
ormqr = defop("ormqr", _ormqr, "OrmqrBackward0", dtypes="none")
geqrf = defop("geqrf", _geqrf, "GeqrfBackward0", n_out=2, dtypes="none")
vector_norm = defop("vector_norm", _vector_norm, "LinalgVectorNormBackward0", dtypes="none",
                    undefined_grad=lambda opts: opts["ord"] == 0)  # fmt: skip
cdist = defop("cdist", _cdist, lambda args, opts: "ViewBackward0" if opts["mm"]
              else "CdistBackward0", dtypes="none")  # fmt: skip
tensordot = defop("tensordot", _tensordot, "ViewBackward0", dtypes="none")
# NOTE: torch's last step reshapes the inverse: a view (not a copy's alias) when it is empty
tensorinv = defop("tensorinv", _tensorinv, lambda args, opts: "ViewBackward0"
                  if args[0].numel() == 0 else "ReshapeAliasBackward0", dtypes="none")  # fmt: skip


def _eig_lax(a, vectors=True):
    # NOTE: JAX differentiates eigenvectors (normalised as LAPACK's geev: unit norm, largest
    # component real) only with enable_eigvec_derivs. For a loss that does not depend on the
    # eigenvectors' phases (what torch accepts) its gradient is torch's, and being the exact
    # derivative of one convention it also gives torch's second derivatives.
    if a.shape[-1] == 0:  # NOTE: the JVP takes an argmax over the (empty) eigenvectors
        c = a.astype(jnp.result_type(a.dtype, jnp.complex64))
        w = jnp.diagonal(c, axis1=-2, axis2=-1)
        return (w, c) if vectors else (w,)
    return tuple(jax.lax.linalg.eig(a, compute_left_eigenvectors=False,
                                    compute_right_eigenvectors=vectors,
                                    enable_eigvec_derivs=True))  # fmt: skip


eig = defop("eig", _eig_lax, "LinalgEigBackward0", n_out=2, dtypes="none")
eigvals = defop("eigvals", lambda a: _eig_lax(a, vectors=False)[0], "LinalgEigBackward0",
                dtypes="none")  # fmt: skip
