"""The backward engine: iterative, dependency-counted traversal of the graph; each node's VJP is
a cached jitted kernel (or, with ``create_graph=True``, a recorded op so higher orders work)."""

from __future__ import annotations

import heapq
import re
import weakref

import jax
import jax.numpy as jnp

from .. import (
    _dispatch,  # NOTE: partially initialised here (it imports autograd); used late.
    _tracing,
)
from .. import _dtype as D
from .._grad_state import anomaly as _anomaly
from .._tensor import Tensor
from .._warn_once import warn_once
from ..utils.hooks import RemovableHandle
from . import anomaly_mode, fusion
from .graph import AccumulateGrad, Node, Packed, _running

__all__ = ["backward", "grad"]

_SECOND_BACKWARD = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you "
    "call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward "
    "through the graph a second time or if you need to access saved tensors after calling "
    "backward."
)
_CYCLE_WARNING = (
    "Using backward() with create_graph=True will create a reference cycle between the "
    "parameter and its gradient which can cause a memory leak. We recommend using autograd.grad "
    "when creating the graph to avoid this. If you have to use this function, make sure to "
    "reset the .grad fields of your parameters to None after use to break the cycle and avoid "
    "the leak."
)
_HINT = (
    "Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
    "with torch.autograd.set_detect_anomaly(True, check_nan=False)."
)


def _as_list(x):
    if x is None:
        return None
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _make_roots(outputs, grad_outputs, create_graph):

    grads = _as_list(grad_outputs) or [None] * len(outputs)
    if len(grads) < len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    grads = grads[: len(outputs)]  # NOTE: torch zips them: extra gradients are ignored
    roots, cts = [], []
    for i, (out, g) in enumerate(zip(outputs, grads, strict=True)):
        if not out.requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        if g is None:
            if out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if out._dtype.is_complex:
                raise RuntimeError(
                    "grad can be implicitly created only for real scalar outputs but got "
                    f"{out._dtype}"
                )
            g = _dispatch.wrap(_implicit_ones(out._array))
        elif not isinstance(g, Tensor):
            g = _dispatch.wrap(jnp.asarray(g, out._array.dtype))
        if g.shape != out.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and output[{i}] "
                f"has a shape of {out.shape}."
            )
        if g._dtype.is_complex != out._dtype.is_complex:
            raise RuntimeError(
                "For complex Tensors, both grad_output and output are required to have the same "
                f"dtype. Mismatch in dtype: grad_output[{i}] has a dtype of {g._dtype} and "
                f"output[{i}] has a dtype of {out._dtype}."
            )
        if g._dtype != out._dtype:
            # NOTE: torch's engine casts a root's gradient to its output's dtype (validate_outputs);
            # a VJP takes cotangents in exactly the dtype of the output (x.half() with a float
            # grad_output).
            g = g.to(out._dtype)
        roots.append(_dispatch.edge(out))
        cts.append(g if create_graph else g._array)
    return roots, cts


_ones_like = jax.jit(jnp.ones_like)
_ONES: dict = {}


def _implicit_ones(array):
    """The implicit ``grad_output`` of a one-element output. Cached: arrays are immutable, and
    every later write (``.grad`` accumulation) replaces a storage's array, never mutates it."""
    if isinstance(array, jax.core.Tracer):
        return _ones_like(array)
    key = (array.shape, array.dtype, array.sharding)
    ones = _ONES.get(key)
    if ones is None:
        ones = _ONES[key] = _ones_like(array)
    return ones


_zeros = jax.jit(jnp.zeros, static_argnums=(0, 1))


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate into the leaves' ``.grad`` the gradient of ``tensors`` (weighted by
    ``grad_tensors``) — ``torch.autograd.backward``."""
    if _tracing.active():
        _tracing.note_step()  # NOTE: a training step being compiled; see torchlike/_compile.py
    outputs = _as_list(tensors)
    if retain_graph is None:
        retain_graph = create_graph
    roots, cts = _make_roots(outputs, grad_tensors, create_graph)
    only = None
    if inputs is not None:
        inputs = _as_list(inputs)
        if not inputs:
            raise RuntimeError("'inputs' argument to backward() cannot be empty.")
        only = {_dispatch.edge(t)[0]: t for t in inputs}
    _run(roots, cts, retain_graph, create_graph, accumulate_only=only)


def grad(
    outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
    allow_unused=None, is_grads_batched=False, materialize_grads=False,
):  # fmt: skip
    """The gradients of ``outputs`` w.r.t. ``inputs``, returned (not accumulated) —
    ``torch.autograd.grad``."""

    if is_grads_batched:
        raise NotImplementedError(
            "torchlike does not implement autograd.grad(is_grads_batched=True) yet"
        )
    if _tracing.active():
        _tracing.note_step()  # NOTE: gradients taken inside a compiled function (see backward)
    outputs, inputs = _as_list(outputs), _as_list(inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if retain_graph is None:
        retain_graph = create_graph
    if allow_unused is None:
        allow_unused = materialize_grads
    for t in inputs:
        if not t.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    roots, cts = _make_roots(outputs, grad_outputs, create_graph)
    targets = [_dispatch.edge(t) for t in inputs]
    got = _run(roots, cts, retain_graph, create_graph, capture=targets)
    result = []
    for i, (t, target) in enumerate(zip(inputs, targets, strict=True)):
        g = got.get(target)
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior."
                )
            if materialize_grads:
                g = jnp.zeros(t._array.shape, t._array.dtype)
        result.append(None if g is None else g if create_graph else _dispatch.wrap(g))
    return tuple(result)


_add_arrays = jax.jit(jnp.add)


def _add(a, b):
    """Sum two gradients meeting at one input (recorded when they are tensors)."""
    return a + b if isinstance(a, Tensor) else _add_arrays(a, b)


def _merge_roots(roots, root_cts):
    """One seed per output edge (gradients given for the same output are summed), so several
    outputs of one node (``Q, R = qr(A)``) start the traversal from that node once."""
    merged: dict = {}
    for edge, ct in zip(roots, root_cts, strict=True):
        merged[edge] = _add(merged[edge], ct) if edge in merged else ct
    return list(merged), list(merged.values())


def _run(roots, root_cts, retain, create_graph, capture=None, accumulate_only=None):
    roots, root_cts = _merge_roots(roots, root_cts)
    # Discover the graph and count, for each node, the edges that feed it.
    deps: dict = {}
    stack = list(dict.fromkeys(n for n, _ in roots))
    seen = set(stack)
    while stack:
        node = stack.pop()
        for nxt, _ in node._next:
            if nxt is None:
                continue
            deps[nxt] = deps.get(nxt, 0) + 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)

    needed = None
    targets = None
    if capture is not None or accumulate_only is not None:
        targets = set(n for n, _ in capture) if capture is not None else set(accumulate_only)
        needed = _needed(seen, deps, targets)

    # NOTE: inside a compiled function the outer jit fuses the backward anyway. Only leaves can
    # be targets: then the leaves among the needed nodes are exactly the targets.
    if (
        not create_graph
        and not _anomaly.enabled
        and not _tracing.active()
        and (targets is None or all(n.__class__ is AccumulateGrad for n in targets))
    ):
        fused = fusion.run(roots, root_cts, seen if needed is None else needed, retain)
        if fused is not None:
            if capture is not None:
                return {(leaf, 0): ct for leaf, ct in fused}
            for leaf, ct in fused:
                _accumulate(leaf.variable, ct, False)
            return {}

    _running.stack.append((object(), seen if needed is None else needed))
    try:
        return _run_nodes(roots, root_cts, retain, create_graph, capture, accumulate_only,
                          deps, needed, targets)  # fmt: skip
    finally:
        _running.stack.pop()


def _run_nodes(roots, root_cts, retain, create_graph, capture, accumulate_only, deps, needed,
               targets):  # fmt: skip
    buffers: dict = {}
    for (node, nr), ct in zip(roots, root_cts, strict=True):
        buf = buffers.setdefault(node, [None] * _n_out(node))
        buf[nr] = ct if buf[nr] is None else _add(buf[nr], ct)
    ready = []
    for node in buffers:
        if deps.get(node, 0) == 0:
            heapq.heappush(ready, (-node._seq, id(node), node))

    captured = {}
    while ready:
        node = heapq.heappop(ready)[2]
        cts = buffers.pop(node)
        if node._pre_hooks:
            cts = _run_pre_hooks(node, cts, create_graph)
        if capture is not None and node in targets:
            for nr, ct in enumerate(cts):
                if ct is not None:
                    captured[(node, nr)] = ct
        if node.__class__ is AccumulateGrad:
            if (
                cts[0] is not None
                and capture is None
                and (accumulate_only is None or node in accumulate_only)
            ):
                _accumulate(node.variable, cts[0], create_graph)
                if node._hooks:
                    _run_post_hooks(node, (), cts, create_graph)
            continue
        if needed is not None and node not in needed:
            continue
        if all(c is None for c in cts):
            in_cts = [None] * len(node._next)
        elif _anomaly.enabled:
            in_cts = _apply_node_anomaly(node, cts, create_graph, retain)
        else:
            in_cts = _apply_node(node, cts, create_graph, retain)
        if node._hooks:
            _run_post_hooks(node, in_cts, cts, create_graph)
        it = iter(in_cts)
        for nxt, nr in node._next:
            if nxt is None:
                continue
            ct = next(it)
            buf = buffers.get(nxt)
            if buf is None:
                buf = buffers[nxt] = [None] * _n_out(nxt)
            if ct is not None:
                buf[nr] = ct if buf[nr] is None else _add(buf[nr], ct)
            deps[nxt] -= 1
            if deps[nxt] == 0:
                heapq.heappush(ready, (-nxt._seq, id(nxt), nxt))
    return captured


def _apply_node_anomaly(node, cts, create_graph, retain):
    """``_apply_node`` under anomaly detection: an error is preceded by a warning showing the
    node's forward call; with ``check_nan`` a NaN gradient is an error."""
    try:
        in_cts = _apply_node(node, cts, create_graph, retain)
        if _anomaly.check_nan:
            slots = [i for i, (nxt, _) in enumerate(node._next) if nxt is not None]
            for i, ct in zip(slots, in_cts, strict=False):
                array = ct._array if isinstance(ct, Tensor) else ct
                if array is not None and bool(jnp.isnan(array).any()):
                    raise RuntimeError(
                        f"Function '{node.name()}' returned nan values in its {i}th output."
                    )
    except Exception:
        anomaly_mode.warn_error_in(node)
        raise
    return in_cts


def _n_out(node) -> int:
    return 1 if node.__class__ is AccumulateGrad else len(node._out_meta)


def _needed(nodes, deps, targets) -> set:
    """Nodes from which a target can be reached (only they need to run)."""
    # Kahn's order from the roots, then a reverse sweep: children before parents.
    indeg = {n: deps.get(n, 0) for n in nodes}
    order = [n for n in nodes if indeg[n] == 0]
    i = 0
    while i < len(order):
        for nxt, _ in order[i]._next:
            if nxt is not None:
                indeg[nxt] -= 1
                if indeg[nxt] == 0:
                    order.append(nxt)
        i += 1
    needed = set()
    for n in reversed(order):
        if n in targets or any(nxt in needed for nxt, _ in n._next if nxt is not None):
            needed.add(n)
    return needed


def _run_pre_hooks(node, cts, create_graph):

    cts = list(cts)
    # NOTE: PyTorch's order: tensor hooks, then retain_grad's (which see the hooked gradient),
    # then the node's own pre-hooks (``nr is None``), which see all its gradients at once.
    for retain in (False, True):
        for nr, hook in node._pre_hooks:
            if nr is None or isinstance(hook, _RetainGrad) is not retain or cts[nr] is None:
                continue
            g = cts[nr] if create_graph else _dispatch.wrap(cts[nr])
            r = hook(g)
            if r is not None:
                cts[nr] = r if create_graph else r._array
    for nr, hook in node._pre_hooks:
        if nr is None:
            r = hook(_as_tensors(cts, create_graph))
            if r is not None:
                cts = [None if g is None else g if create_graph else g._array for g in r]
    return cts


def _as_tensors(cts, create_graph) -> tuple:
    return tuple(c if c is None or create_graph else _dispatch.wrap(c) for c in cts)


def _run_post_hooks(node, in_cts, cts, create_graph):
    """``hook(grad_inputs, grad_outputs)``: one grad_input per edge (None where none flows)."""
    it = iter(in_cts)
    per_edge = [None if nxt is None else next(it) for nxt, _ in node._next]
    grad_inputs = _as_tensors(per_edge, create_graph)
    grad_outputs = _as_tensors(cts, create_graph)
    for hook in node._hooks:
        hook(grad_inputs, grad_outputs)


class _RetainGrad:
    """The pre-hook ``retain_grad()`` installs: store the gradient on the (weakly held) tensor."""

    __slots__ = ("ref",)

    def __init__(self, ref):
        self.ref = ref

    def __call__(self, g):
        t = self.ref()
        if t is None:
            return None
        if t._grad is None:
            t._grad = g.detach() if not g.requires_grad else g
        else:
            t._grad = t._grad + g
        return None


def _accumulate(t, ct, create_graph):
    if _tracing.active():
        _tracing.grad_read(t)

    hooks = t._hooks or ()
    for hook in hooks:
        if hook.__class__ is not PostAccumulateGradHook:
            r = hook(ct if isinstance(ct, Tensor) else _dispatch.wrap(ct))
            if r is not None:
                ct = r if create_graph else r._array
    if create_graph:
        g = ct if isinstance(ct, Tensor) else _dispatch.wrap(ct)
        t._grad = g if t._grad is None else t._grad + g
        if t._grad.requires_grad:
            warn_once("backward create_graph cycle", _CYCLE_WARNING, UserWarning, stacklevel=5)
    else:
        if isinstance(ct, Tensor):
            ct = ct._array
        if t._grad is None:
            t._grad = _dispatch.wrap(ct)
        else:
            # NOTE: in place, like PyTorch: a reference to .grad taken earlier sees the sum.
            g = t._grad
            g._storage.array = _add_arrays(g._storage.array, ct)
            g._counter().value += 1
    for hook in hooks:
        if hook.__class__ is PostAccumulateGradHook:
            hook.fn(t)


_BACKWARD_SUFFIX = re.compile(r"Backward\d*$")


_ANOMALY_HINT = (
    "Hint: the backtrace further above shows the operation that failed to compute its gradient. "
    "The variable in question was changed in there or anywhere later. Good luck!"
)


def _version_error(dtype, shape, node_name, version, expected):
    which = ""
    if node_name is not None:
        which = f", which is output 0 of {_BACKWARD_SUFFIX.sub('', node_name)},"
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: [{D.legacy_type_name(dtype)} [{', '.join(map(str, shape))}]]{which} is at "
        f"version {version}; expected version {expected} instead. "
        f"{_ANOMALY_HINT if _anomaly.enabled else _HINT}"
    )


def _apply_node(node, cts, create_graph, retain):
    """Run one node's backward: gradients for its inputs that require grad, in edge order."""

    op = node._op
    if op is None:  # NOTE: an autograd.Function node: the user's backward, a Python call
        return node._apply_custom(cts, create_graph, retain)
    if node._freed:
        raise RuntimeError(_SECOND_BACKWARD)
    if op.undefined_grad is not None and op.undefined_grad(dict(node._opts)):
        return [None] * sum(node._mask)
    for j, ct in enumerate(cts):
        if ct is None:
            shape, dt = node._out_meta[j]
            z = _zeros(shape, dt)
            cts[j] = _dispatch.wrap(z) if create_graph else z
    if op.n_out > 1:
        cts = [c for j, c in enumerate(cts) if j not in op.nondiff_out]
    if op.out_deriv is not None:
        storage, vc, version, dt, *owner = node._out
        if vc.value != version:
            # NOTE: an output written into a view is named by the view's regenerated node.
            name = owner[0] if owner else node.name()
            raise _version_error(dt, storage.array.shape, name, vc.value, version)
        if create_graph:
            out = _dispatch.wrap(storage.array, node, 0)
            out._vc = vc
            saved = [out]
        else:
            saved = [storage.array]
    else:
        args = node._args
        if any(a.__class__ is Packed for a in args):
            args = [a.unpack() if a.__class__ is Packed else a for a in args]
        for i, vc, version in node._checks:
            if vc.value != version:
                a = args[i]
                name = a._node.name() if a._node is not None else None
                raise _version_error(a._dtype, a._array.shape, name, vc.value, version)
        if create_graph:
            # NOTE: only values the backward reads are graph inputs of the gradient, so a
            # gradient that does not depend on x (of x * 2, x.sum()) does not require grad.
            read = {i for i, _, _ in node._checks}
            saved = [a if i in read or not isinstance(a, Tensor) else a.detach()
                     for i, a in enumerate(args)]  # fmt: skip
        else:
            saved = [a._storage.array if isinstance(a, Tensor) else a for a in args]
    if create_graph:
        bwd = op.backward_op(node._opts, node._mask, node.name(), node._avals)
        res = _dispatch.call(bwd, *saved, *cts)
        in_cts = [res] if bwd.n_out == 1 else list(res)
    else:
        in_cts = list(op.vjp_kernel(node._opts, node._mask, node._avals)(*saved, *cts))
    if not retain and op.saves:
        node._args = node._out = None
        node._freed = True
    return in_cts


# -- the Tensor and Node methods that run the engine (installed here: tensors and nodes sit in
# lower layers, which never import the engine) -------------------------------------------------
def _tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Compute the gradient of this tensor w.r.t. graph leaves (see ``autograd.backward``)."""
    backward(self, gradient, retain_graph, create_graph, inputs=inputs)


def _tensor_retain_grad(self) -> None:
    """Keep ``.grad`` for this non-leaf tensor after backward."""
    if self._node is None:
        if not self._req:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        return
    if not self._retain:
        self._retain = True
        self._node_hooks().append((self._out_nr, _RetainGrad(weakref.ref(self))))


class PostAccumulateGradHook:
    """A ``register_post_accumulate_grad_hook`` entry in a leaf's hook list: ``fn(tensor)`` runs
    after the gradient is accumulated into ``.grad``."""

    __slots__ = ("fn",)

    def __init__(self, fn):
        self.fn = fn


def _tensor_register_post_accumulate_grad_hook(self, hook):
    """``hook(tensor)`` runs after this leaf's gradient has been accumulated into ``.grad``."""
    if not self.requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if self._node is not None:
        raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
    if self._hooks is None:
        self._hooks = []
    entry = PostAccumulateGradHook(hook)
    self._hooks.append(entry)
    return RemovableHandle(self._hooks, item=entry)


def retain_grad_follows(t, old_node) -> None:
    """After an in-place op gave ``t`` a new grad_fn, its ``retain_grad()`` moves there (as in
    torch: ``.grad`` is then the gradient of the new value)."""
    if old_node is None or old_node is t._node or not old_node._pre_hooks:
        return
    hooks = old_node._pre_hooks
    for entry in hooks:
        hook = entry[1]
        if isinstance(hook, _RetainGrad) and hook.ref() is t:
            hooks.remove(entry)
            if t._node is not None:
                t._node_hooks().append((t._out_nr, hook))
            return


def _node_call(self, *grads):
    return _apply_node(self, list(grads), create_graph=False, retain=True)


Tensor.backward = _tensor_backward
Tensor.backward.__name__ = "backward"
Tensor.retain_grad = _tensor_retain_grad
Tensor.retain_grad.__name__ = "retain_grad"
Tensor.register_post_accumulate_grad_hook = _tensor_register_post_accumulate_grad_hook
Tensor.register_post_accumulate_grad_hook.__name__ = "register_post_accumulate_grad_hook"
Node.__call__ = _node_call
