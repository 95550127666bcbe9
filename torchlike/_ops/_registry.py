"""The op table's schema and the jitted kernels derived from each entry.

An entry (``Op``) is the single definition of an operation:

    name       the op's name in the table (``"mul"``)
    fn         a pure function over jax arrays: positional arrays (or Python scalars),
               keyword-only hashable options
    grad_fn    the PyTorch backward-node name: a string, or ``f(args, opts) -> str`` for ops
               whose name depends on the overload (``PowBackward0`` vs ``PowBackward1``)
    dtypes     how input dtypes become the compute dtype (see ``_DTYPE_RULES``):
               "promote" | "float" | "int64" | "float_only" | "none"
    promote    positions of the arguments that take part in promotion (default: all)
    saves      what the backward reads, for version checks: "inputs", "out", () (nothing), or
               ``f(mask) -> indices`` when it depends on which inputs need grad
    out_deriv  for ops whose PyTorch backward reads the *output* (sigmoid, exp...):
               ``d(out) -> dout/dx``, so the backward is ``ct * d(out)`` on the saved output
    n_out      number of outputs; ``nondiff_out`` lists outputs that carry no gradient
    diff_args  positions of the differentiable arguments (default: all); only they get graph
               edges (``next_functions``), like the inputs torch's derivatives.yaml lists
    scalar_edges  True for ops whose torch overload wraps a Python scalar operand as a tensor
               (``x + 2`` is add.Tensor): such a scalar shows as a ``(None, 0)`` edge
    bwd_name   grad_fn name of this op's gradient under ``create_graph=True``: the last op of
               torch's backward formula (``PowBackward0`` -> ``MulBackward0``)
    undefined_grad  ``f(opts) -> bool``: True where torch's backward returns an *undefined*
               gradient (nothing flows; a leaf's ``.grad`` stays None), e.g. ``norm(p=0)``
    check      ``f(*args, **opts)`` raising PyTorch's error for bad arguments. It runs while the
               kernel is traced, so it costs nothing once a shape signature is cached.

Everything else — forward kernels, backward (VJP) kernels, create_graph backward ops —
is derived here from that entry. Kernels are ``jax.jit`` functions cached per options.
"""

from __future__ import annotations

import builtins
import collections
import threading

import jax
import jax.numpy as jnp
from jax import lax

from .. import _dtype as D

__all__ = ["Op", "Aval", "defop", "TABLE"]

TABLE: dict[str, Op] = {}


class Aval(collections.namedtuple("Aval", "shape dtype")):
    """Shape and dtype of an argument whose value a backward does not read."""

    __slots__ = ()

_lock = threading.Lock()


def _category_dtype(a):
    """(group, torchlike dtype) of one argument as promotion sees it, while tracing."""
    if isinstance(a, builtins.bool):
        return 1, D.bool
    if isinstance(a, (builtins.int, builtins.float, builtins.complex)):
        return 2, D.scalar_dtype(a)
    dt = D._FROM_NP[a.dtype]
    if getattr(a, "weak_type", False) or (hasattr(a, "aval") and a.aval.weak_type):
        # A Python scalar that jit turned into a weak-typed array.
        cat, default = dt._cat, D.get_default_dtype()
        if cat == D._COMPLEX:
            return 2, default.to_complex()
        return 2, (D.bool if cat == D._BOOL else D.int64 if cat == D._INT else default)
    return (0 if a.ndim else 1), dt


def result_dtype(args) -> D.dtype:
    groups = ([], [], [])
    for a in args:
        g, dt = _category_dtype(a)
        groups[g].append(dt)
    return D.result_type_of(*groups)


def _to_float(dt):
    return dt if dt._cat >= D._FLOAT else D.get_default_dtype()


def _to_int64(dt):
    return D.int64 if dt._cat <= D._INT else dt


def _float_only(dt, op):
    if dt._cat < D._FLOAT:
        raise RuntimeError(
            f"{op.name}(): could not infer output dtype. Input dtype must be either a floating "
            f"point or complex dtype. Got: {D._LEGACY[dt]}"
        )
    return dt


_DTYPE_RULES = {
    "promote": lambda dt, op: dt,
    "float": lambda dt, op: _to_float(dt),
    "int64": lambda dt, op: _to_int64(dt),
    "float_only": _float_only,
}


def _cast(a, dt):
    if isinstance(a, (builtins.bool, builtins.int, builtins.float, builtins.complex)):
        return jnp.asarray(a, dt._np)
    if a.dtype == dt._np and not getattr(a, "weak_type", False):
        return a
    return lax.convert_element_type(a, dt._np)


class Op:
    __slots__ = ("name", "fn", "grad_fn", "dtypes", "promote", "saves", "out_deriv", "n_out",
                 "nondiff_out", "diff_args", "scalar_edges", "bwd_name", "undefined_grad",
                 "check", "_kernels", "_vjps", "_bwd_ops", "__weakref__")  # fmt: skip

    def __init__(self, name, fn, grad_fn, *, dtypes="promote", promote=None, saves="inputs",
                 out_deriv=None, n_out=1, nondiff_out=(), diff_args=None, scalar_edges=False,
                 bwd_name=None, undefined_grad=None, check=None):  # fmt: skip
        self.name, self.fn, self.grad_fn = name, fn, grad_fn
        self.dtypes, self.promote, self.saves = dtypes, promote, saves
        self.out_deriv, self.n_out, self.nondiff_out = out_deriv, n_out, tuple(nondiff_out)
        self.diff_args, self.scalar_edges, self.bwd_name = diff_args, scalar_edges, bwd_name
        self.undefined_grad, self.check = undefined_grad, check
        self._kernels, self._vjps, self._bwd_ops = {}, {}, {}

    def __repr__(self):
        return f"<op {self.name}>"

    def node_name(self, args, opts) -> str:
        g = self.grad_fn
        return g if g.__class__ is str else g(args, dict(opts))

    # -- the pure function with promotion applied (what every kernel traces) -----------------
    def pure(self, opts: tuple):
        fn, rule, promote, check = self.fn, self.dtypes, self.promote, self.check
        kw = dict(opts)
        if check is not None:
            inner = fn

            def fn(*args, **kw):
                try:
                    check(*args, **kw)
                except Exception as e:
                    e._torchlike_check = True  # NOTE: lets dispatch drop JAX's traceback note
                    raise
                return inner(*args, **kw)

        if rule == "none":
            return lambda *args: fn(*args, **kw)

        def traced(*args):
            idx = range(len(args)) if promote is None else promote
            dt = _DTYPE_RULES[rule](result_dtype([args[i] for i in idx]), self)
            args = list(args)
            for i in idx:
                args[i] = _cast(args[i], dt)
            return fn(*args, **kw)

        return traced

    def kernel(self, opts: tuple):
        k = self._kernels.get(opts)
        if k is None:
            with _lock:
                k = self._kernels.setdefault(opts, jax.jit(self.pure(opts)))
        return k

    # -- backward -------------------------------------------------------------------------------
    def vjp_pure(self, opts: tuple, mask: tuple, avals: tuple | None = None):
        """``(*args, ct) -> cotangents of the args where mask is True``; for out_deriv ops
        ``(out, ct) -> (ct * d(out),)``. With ``avals`` (an ``Aval`` or None per argument), the
        arguments given as Avals are not passed: their values do not matter (``saves=()``), so
        zeros of that shape stand in, constants XLA folds away."""
        n_ct = 1 if self.out_deriv is not None else self.n_out - len(self.nondiff_out)
        return _torch_convention(self._jax_vjp(opts, mask, avals), n_ct)

    def _jax_vjp(self, opts, mask, avals):
        """The VJP in JAX's convention (``vjp_pure`` converts it to PyTorch's)."""
        if self.out_deriv is not None:
            d = self.out_deriv
            return lambda out, ct: (ct * d(out).astype(ct.dtype),)
        f, n_out, nondiff = self.pure(opts), self.n_out, self.nondiff_out
        diff_idx = [i for i, m in enumerate(mask) if m]

        n_ct = n_out - len(nondiff)

        def vjp(*args_ct):
            args, cts = args_ct[:-n_ct], args_ct[-n_ct:]
            ct = cts[0] if n_out == 1 else tuple(cts)
            if avals is not None:
                it = iter(args)
                args = [next(it) if av is None else jnp.zeros(av.shape, av.dtype) for av in avals]

            def g(*d):
                full = list(args)
                for i, v in zip(diff_idx, d, strict=True):
                    full[i] = v
                out = f(*full)
                if n_out > 1:
                    return tuple(o for j, o in enumerate(out) if j not in nondiff)
                return out

            _, pull = jax.vjp(g, *[args[i] for i in diff_idx])
            return pull(ct)

        return vjp

    def vjp_kernel(self, opts: tuple, mask: tuple, avals: tuple | None = None):
        key = (opts, mask, avals)
        k = self._vjps.get(key)
        if k is None:
            with _lock:
                k = self._vjps.setdefault(key, jax.jit(self.vjp_pure(opts, mask, avals)))
        return k

    def backward_op(self, opts: tuple, mask: tuple, name: str, avals=None) -> Op:
        """The op whose forward is this op's VJP, so ``create_graph=True`` records it."""
        key = (opts, mask, avals)
        op = self._bwd_ops.get(key)
        if op is None:
            vjp = self.vjp_pure(opts, mask, avals)
            n = 1 if self.out_deriv is not None else builtins.sum(mask)
            fn = (lambda *a: vjp(*a)[0]) if n == 1 else (lambda *a: tuple(vjp(*a)))
            op = Op(f"{self.name}_backward", fn, self.bwd_name or name, dtypes="none", n_out=n)
            with _lock:
                op = self._bwd_ops.setdefault(key, op)
        return op


def _conj(x):
    if not jnp.iscomplexobj(x):
        return x
    # NOTE: ``0 - im`` rather than ``-im``: a zero imaginary part stays +0, as torch's are.
    return lax.complex(jnp.real(x), jnp.zeros((), jnp.real(x).dtype) - jnp.imag(x))


def _torch_convention(vjp, n_ct):
    """``vjp`` (JAX's convention) as PyTorch computes it. For a real loss L of complex z, torch's
    gradient is dL/dRe(z) + i dL/dIm(z) while JAX's cotangent is its conjugate; conjugation is
    R-linear, so converting every node's cotangents in and out keeps the chain rule (checked
    against torch in tests/test_complex.py; a no-op for real dtypes)."""

    def converted(*args_ct):
        args, cts = args_ct[:-n_ct], args_ct[-n_ct:]
        return tuple(_conj(c) for c in vjp(*args, *(_conj(c) for c in cts)))

    return converted


def defop(name, fn, grad_fn, **kw) -> Op:
    """Add an entry to the op table and return it."""
    if name in TABLE:
        raise ValueError(f"op {name!r} defined twice")
    op = TABLE[name] = Op(name, fn, grad_fn, **kw)
    return op


def not_for(kernel, *kinds):
    """A ``check`` raising torch's error where ATen has no kernel for an argument's dtype;
    ``kinds`` among "bool", "int", "half" (float16, bfloat16), "float", "complex"; ``kernel``
    is the kernel's name or ``f(opts) -> name``."""

    def check(*args, **opts):
        for a in args:
            dt = D._FROM_NP.get(getattr(a, "dtype", None))
            if dt is None:
                continue
            kind = ("bool" if dt is D.bool else "int" if dt._cat < D._FLOAT else
                    "complex" if dt._cat == D._COMPLEX else
                    "half" if dt in (D.float16, D.bfloat16) else "float")  # fmt: skip
            if kind in kinds:
                name = kernel(opts) if callable(kernel) else kernel
                raise NotImplementedError(f"\"{name}\" not implemented for '{D._LEGACY[dt]}'")

    return check


def clear_kernels():
    """Drop cached kernels (the default dtype is baked into promotion when tracing)."""
    for op in TABLE.values():
        op._kernels.clear()
        op._vjps.clear()
        op._bwd_ops.clear()
