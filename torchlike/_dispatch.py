"""One op call: unwrap tensors, run the op's cached jitted kernel, wrap the result, and record a
graph node when grad mode is on and an input requires grad."""

from __future__ import annotations

import weakref

import jax
import jax.numpy as jnp

from . import _dtype as D
from . import _grad_state
from ._ops._registry import Aval
from ._storage import Storage
from ._tensor import Tensor
from .autograd import grad_mode
from .autograd.graph import AccumulateGrad, Packed, PackedStorage, new_node, pack_saved

_state = grad_mode._state
_tangents = _grad_state.tangents
_FROM_NP = D._FROM_NP


def wrap(array, node=None, out_nr=0, dtype=None) -> Tensor:
    """A new tensor owning ``array`` (with ``node`` as its grad_fn, if given)."""
    t = object.__new__(Tensor)
    t._storage = Storage(array)
    t._vc = None  # NOTE: made on first need (Tensor._counter); most tensors never need one
    t._dtype = dtype or _FROM_NP[array.dtype]
    t._node, t._out_nr = node, out_nr
    t._req = False
    t._grad = t._hooks = t._accum = t._base = t._views = None
    t._retain = False
    if _state.inference:
        grad_mode.mark_inference(t)
    return t


_NO_EDGE = (None, 0)


def edge(t: Tensor):
    """The graph edge a gradient for ``t`` flows into: its grad_fn, or its AccumulateGrad."""
    if t._node is not None:
        return (t._node, t._out_nr)
    if not t._req:
        return _NO_EDGE
    acc = t._accum() if t._accum is not None else None
    if acc is None:
        acc = AccumulateGrad(t)
        t._accum = weakref.ref(acc)
    return (acc, 0)


_SCALARS: dict = {}
_SCALAR_TYPES = (bool, int, float, complex)


def _scalar(v):
    """A Python scalar as a cached weak-typed jax array: jit's fast path takes arrays, and weak
    typing keeps PyTorch's "wrapped number" promotion."""
    key = (v.__class__, v)
    a = _SCALARS.get(key)
    if a is None:
        a = jnp.asarray(v)
        if isinstance(a, jax.core.Tracer):
            # NOTE: made inside a jit trace (compile, jax.jit over torchlike code): the array is
            # that trace's value; cached, it would leak into later traces.
            return v
        if len(_SCALARS) > 4096:
            _SCALARS.clear()
        _SCALARS[key] = a
    return a


def _unwrap(a):
    if isinstance(a, Tensor):
        return a._storage.array
    if a.__class__ in _SCALAR_TYPES:
        return _scalar(a)
    return a


def broadcast_shape(shapes) -> tuple:
    """The shape ``shapes`` broadcast to, or PyTorch's RuntimeError naming the first clash."""
    out: list[int] = []
    for s in shapes:
        s = list(s)
        if len(s) > len(out):
            out = [1] * (len(s) - len(out)) + out
        for k in range(1, len(s) + 1):
            a, b = out[-k], s[-k]
            if a != b and a != 1 and b != 1:
                raise RuntimeError(
                    f"The size of tensor a ({a}) must match the size of tensor b ({b}) at "
                    f"non-singleton dimension {len(out) - k}"
                )
            if a == 1:
                out[-k] = b
    return tuple(out)


def call(op, *args, **opts):
    """Run ``op`` on ``args`` (tensors and Python scalars) with keyword-only ``opts``."""
    okey = tuple(opts.items()) if opts else ()
    kernel = op._kernels.get(okey) or op.kernel(okey)
    n = len(args)
    try:
        if n == 1:
            a = args[0]
            out = kernel(a._storage.array if a.__class__ is Tensor else _unwrap(a))
        elif n == 2:
            a, b = args
            out = kernel(a._storage.array if a.__class__ is Tensor else _unwrap(a),
                         b._storage.array if b.__class__ is Tensor else _unwrap(b))  # fmt: skip
        else:
            out = kernel(*[a._storage.array if a.__class__ is Tensor else _unwrap(a) for a in args])
    except Exception as e:
        if getattr(e, "_torchlike_check", False):
            # PyTorch's error from an entry's argument check: shown as torch shows it, without
            # JAX's note about filtered frames.
            e.__notes__ = [n for n in getattr(e, "__notes__", ()) if "JAX" not in n]
            raise e.with_traceback(None) from None
        if isinstance(e, (ValueError, TypeError)) and "shapes for broadcasting" in str(e):
            broadcast_shape([a.shape for a in args if isinstance(a, Tensor)])  # torch's error
        raise
    result = None
    if _state.enabled and op.grad_fn is not None and not _state.inference:
        for a in args:
            if isinstance(a, Tensor) and (a._node is not None or a._req):
                result = _record(op, okey, args, out)
                break
    if result is None:
        result = wrap(out) if op.n_out == 1 else _wrap_all(op, out, None)
    if _tangents:  # NOTE: dual tensors exist only once autograd.forward_ad installed its hook
        _grad_state.hooks.propagate_tangents(op, okey, args, result)
    return result


def _wrap_all(op, out, node):
    if op.n_out == 1:
        return wrap(out, node if node is not None and _diff(out) else None, 0)
    return tuple(
        wrap(o, node if node is not None and j not in op.nondiff_out and _diff(o) else None, j)
        for j, o in enumerate(out)
    )


def _diff(array) -> bool:
    return _FROM_NP[array.dtype]._cat >= D._FLOAT


def _record(op, okey, args, out):
    if op.n_out == 1:
        dt = _FROM_NP[out.dtype]
        if dt._cat < D._FLOAT:
            return wrap(out, dtype=dt)
        meta = ((out.shape, dt._np),)
    else:
        if not any(_diff(o) for j, o in enumerate(out) if j not in op.nondiff_out):
            return _wrap_all(op, out, None)
        meta = tuple((o.shape, o.dtype) for o in out)
    diff, scalar_edges = op.diff_args, op.scalar_edges
    mask, edges = [], []
    for i, a in enumerate(args):
        is_tensor = isinstance(a, Tensor)
        if diff is not None and i not in diff:
            mask.append(False)
            continue
        needs = is_tensor and (a._node is not None or a._req)
        mask.append(needs)
        if needs:
            edges.append(edge(a))
        elif is_tensor or scalar_edges:
            edges.append(_NO_EDGE)
    mask = tuple(mask)
    if True not in mask:
        return _wrap_all(op, out, None)
    saves = op.saves
    avals = None
    if saves == "out":
        saved_args, checks = None, ()
    elif not saves:
        # NOTE: the backward reads no differentiable input's value: keep shapes, not arrays
        # (integer arguments such as indices are still needed, and kept).
        avals = tuple(Aval(a._storage.array.shape, a._storage.array.dtype)
                      if isinstance(a, Tensor) and a._dtype._cat >= D._FLOAT else None
                      for a in args)  # fmt: skip
        saved_args = tuple(a for a, av in zip(args, avals, strict=True) if av is None)
        checks = ()
    else:
        saved_args = args
        idx = saves(mask) if callable(saves) else range(len(args)) if saves else ()
        checks = []
        for i in idx:
            a = args[i]
            if isinstance(a, Tensor):
                grad_mode.check_saved_inference(a)
                vc = a._counter()
                checks.append((i, vc, vc.value))
        if _state.saved_hooks:
            saved_args = pack_saved(args, idx)
    g = op.grad_fn
    name = g if g.__class__ is str else g(args, dict(okey))
    node = new_node(name, op, okey, mask, saved_args, checks, None, tuple(edges), meta)
    node._avals = avals
    result = wrap(out, node, 0, dt) if op.n_out == 1 else _wrap_all(op, out, node)
    if saves == "out":
        r = result
        vc = r._counter()
        storage = r._storage
        if _state.saved_hooks:
            storage = PackedStorage(Packed(r, _state.saved_hooks[-1]))
        node._out = (storage, vc, vc.value, r._dtype)
    return result
