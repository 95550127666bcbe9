"""Eager backward fusion: a backward whose graph has the structure of one seen before runs as ONE
cached jitted program instead of one kernel call per node; a graph seen once runs node by node.

The structure (signature) of a graph lists its op nodes in the order the engine runs them
(descending ``_seq``), each as: the op, its options, mask, avals and output metadata, which
program inputs it reads, and its edges as ``(node index, output_nr)`` (leaves are numbered after
the op nodes, in the order first met). Program inputs are the saved arrays, the saved Python
scalars and the root cotangents, de-duplicated by identity; the signature holds each array's
shape and dtype and each scalar's type. Scalars are inputs, not constants: a value that changes
every step (a temperature, a schedule) then keeps one program instead of compiling one per value,
and the literal of ``y = y * 1.001`` in a loop is one object, so one input."""

from __future__ import annotations

import collections
import contextlib
import operator
import threading

import jax
import jax.numpy as jnp
import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from .graph import AccumulateGrad, PackedStorage

__all__ = ["stats", "clear", "node_by_node"]

# NOTE: the one-time trace + XLA compile grows faster than the node count (measured, 1 CPU thread,
# chains on 4 floats alternating sin and mul: 1,000 nodes 0.7 s, 2,000 nodes 1.8 s, 4,000 nodes
# 7.8 s; plain mul chains 0.26 / 0.5 / 1.1 s), while fusion saves ~8 us a node per run (14 -> 6).
# At 2,000 nodes the worst case pays off after ~120 repeats; longer graphs (the 20,000-node scalar
# chain) always run node by node.
MAX_NODES = 2000
_SEEN_MAX = 1024  # signatures counted once (most graphs of a training loop repeat at once)
_PROGRAMS_MAX = 128

# Counters, for tests and benchmarks: backwards run fused, programs compiled.
stats = {"fused": 0, "compiled": 0}

_lock = threading.Lock()
_seen: collections.OrderedDict = collections.OrderedDict()
_programs: collections.OrderedDict = collections.OrderedDict()

_SCALARS = (bool, int, float, complex, type(None))
_ARRAYS = (type(jnp.zeros(())), np.ndarray)
_SEQ = operator.attrgetter("_seq")


_local = threading.local()


@contextlib.contextmanager
def node_by_node():
    """Run every backward in this thread node by node. XLA contracts ``a * b + c`` into one
    fused multiply-add inside a fused program, so a fused backward may differ from the node-by-node
    one in the last bit; ``gradcheck`` compares repeated backwards bit for bit (its reentrancy
    check), so it runs them all one way."""
    before = getattr(_local, "off", False)
    _local.off = True
    try:
        yield
    finally:
        _local.off = before


def clear() -> None:
    with _lock:
        _seen.clear()
        _programs.clear()


def run(roots, root_cts, nodes, retain):
    """Run the backward of the graph ``nodes`` (the nodes reachable from ``roots`` that need to
    run; gradients flowing to other nodes are dropped) as one fused program if its structure was
    seen before. Returns ``[(leaf node, cotangent), ...]``, or None when the caller must run it
    node by node: first sighting, hooks, custom Functions, a stale saved tensor or a freed graph
    (the node-by-node path then raises those errors exactly where and as it always does)."""
    if len(nodes) > MAX_NODES or getattr(_local, "off", False):
        return None
    found = _signature(roots, root_cts, nodes)
    if found is None:
        return None
    key, ops, leaves, inputs = found
    with _lock:
        prog = _programs.get(key)
        if prog is not None:
            _programs.move_to_end(key)
        elif key.h in _seen:
            del _seen[key.h]
        else:
            _seen[key.h] = None  # NOTE: the hash only: a collision merely compiles early
            if len(_seen) > _SEEN_MAX:
                _seen.popitem(last=False)
            return None
    if prog is None:
        prog = _Program(key)
        with _lock:
            prog = _programs.setdefault(key, prog)
            if len(_programs) > _PROGRAMS_MAX:
                _programs.popitem(last=False)
        stats["compiled"] += 1
    leaf_cts = prog.fn(*inputs)
    stats["fused"] += 1
    if not retain:
        for i in prog.ran:
            node = ops[i]
            if node._op.saves:
                node._args = node._out = None
                node._freed = True
    return [(n, ct) for n, ct in zip(leaves, leaf_cts, strict=True) if ct is not None]


def _signature(roots, root_cts, nodes):
    """``(signature, op nodes, leaves, program inputs)``, or None if the graph cannot be fused."""
    ops = sorted((n for n in nodes if n.__class__ is not AccumulateGrad), key=_SEQ, reverse=True)
    n_ops = len(ops)
    index = {n: i for i, n in enumerate(ops)}
    leaves: list = []
    inputs: list = []
    in_keys: list = []
    where: dict = {}  # id of an input -> its position in ``inputs``

    def read(xs):
        ks = []
        for x in xs:
            if x.__class__ is Tensor or isinstance(x, Tensor):
                x = x._storage.array
            k = where.get(id(x))
            if k is None:
                cls = x.__class__
                if cls in _ARRAYS:
                    in_keys.append((x.shape, x.dtype))
                elif cls in _SCALARS:
                    in_keys.append(cls)
                else:
                    return None
                k = where[id(x)] = len(inputs)
                inputs.append(x)
            ks.append(k)
        return tuple(ks)

    def leaf(node):
        if node._pre_hooks or node._hooks or node.variable._hooks:
            return None
        i = index[node] = n_ops + len(leaves)
        leaves.append(node)
        return i

    sig = []
    for i, node in enumerate(ops):
        op = node._op
        if op is None or node._pre_hooks or node._hooks or node._freed:
            return None
        if op.out_deriv is not None:
            storage, vc, version = node._out[:3]
            if vc.value != version or storage.__class__ is PackedStorage:
                return None  # NOTE: a saved_tensors_hooks unpack runs once, in the eager pass
            saved = read((storage.array,))
        else:
            for _, vc, version in node._checks:
                if vc.value != version:
                    return None
            saved = read(node._args)
        if saved is None:
            return None
        edges = []
        for nxt, nr in node._next:
            if nxt is None:
                continue
            j = index.get(nxt)
            if j is None and nxt in nodes and (j := leaf(nxt)) is None:
                return None
            # NOTE: the program runs nodes in list order, so every consumer must come before its
            # producer (true when nodes are created after their inputs).
            if j is not None and j <= i:
                return None
            edges.append((j, nr))  # NOTE: j None: a node that need not run; the ct is dropped
        sig.append((op, node._opts, node._mask, node._avals, node._out_meta, saved, tuple(edges)))
    root_sig = []
    for (node, nr), ct in zip(roots, root_cts, strict=True):
        i = index.get(node)
        if i is None and node in nodes and (i := leaf(node)) is None:
            return None
        k = read((ct,))
        if k is None:
            return None
        root_sig.append((i, nr, k))
    key = (tuple(sig), tuple(root_sig), len(leaves), tuple(in_keys), D.get_default_dtype())
    return _Key(key), ops, leaves, inputs


class _Key:
    """A signature with its hash computed once (a long tuple is re-hashed on every lookup)."""

    __slots__ = ("t", "h")

    def __init__(self, t):
        self.t, self.h = t, hash(t)

    def __hash__(self):
        return self.h

    def __eq__(self, other):
        return self.h == other.h and self.t == other.t


class _Program:
    """The jitted backward of one signature. ``ran`` (set while tracing) lists the op nodes whose
    VJP runs: those whose saved arrays a backward without ``retain_graph`` frees."""

    __slots__ = ("fn", "ran")

    def __init__(self, key: _Key):
        sig, roots, n_leaves, _, _ = key.t
        n_ops = len(sig)
        self.ran = ()

        # The engine's traversal (engine._run / _apply_node) replayed on tracers: the same order,
        # the same sums where paths merge, zeros for missing outputs, nothing for undefined
        # gradients. Whether a cotangent is None is known while tracing.
        def backward(*inputs):
            bufs: dict = {}
            for i, nr, (k,) in roots:
                if i is not None:
                    _put(bufs, i, nr, inputs[k], sig)
            ran = []
            for i, (op, opts, mask, avals, out_meta, saved, edges) in enumerate(sig):
                cts = bufs.pop(i, None)
                if cts is None or all(c is None for c in cts):
                    continue
                if op.undefined_grad is not None and op.undefined_grad(dict(opts)):
                    continue
                ran.append(i)
                cts = [jnp.zeros(*out_meta[j]) if c is None else c for j, c in enumerate(cts)]
                if op.n_out > 1:
                    cts = [c for j, c in enumerate(cts) if j not in op.nondiff_out]
                # NOTE: the op's jitted VJP (the same function as vjp_pure): tracing a jitted
                # function reuses its cached jaxpr, 12x faster than re-tracing jax.vjp per node.
                vjp = op.vjp_kernel(opts, mask, avals)
                in_cts = vjp(*[inputs[k] for k in saved], *cts)
                for (j, nr), ct in zip(edges, in_cts, strict=True):
                    if j is not None:
                        _put(bufs, j, nr, ct, sig)
            self.ran = tuple(ran)
            return tuple(bufs.get(n_ops + j, (None,))[0] for j in range(n_leaves))

        self.fn = jax.jit(backward)


def _put(bufs, i, nr, ct, sig):
    buf = bufs.get(i)
    if buf is None:
        buf = bufs[i] = [None] * (len(sig[i][4]) if i < len(sig) else 1)
    buf[nr] = ct if buf[nr] is None else buf[nr] + ct
