"""Graph nodes: what ``tensor.grad_fn`` is. A node records one op call: the op, its options,
the inputs it needs (checked against their version counters), and edges to the inputs' nodes."""

from __future__ import annotations

import itertools
import threading
import weakref

from .._grad_state import anomaly as _anomaly
from ..utils.hooks import RemovableHandle

__all__ = ["Node", "AccumulateGrad"]

_seq = itertools.count()
_node_classes: dict[str, type] = {}
_node_classes_lock = threading.Lock()


class Node:
    """Base of every ``grad_fn``. ``type(t.grad_fn).__name__`` is PyTorch's name
    (``MulBackward0``); ``next_functions`` holds ``(node, output_nr)`` edges."""

    __slots__ = ("_op", "_opts", "_mask", "_args", "_avals", "_checks", "_out", "_next", "_seq",
                 "_pre_hooks", "_hooks", "_out_meta", "_freed", "__weakref__")  # fmt: skip

    def name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {id(self):#x}>"

    @property
    def next_functions(self) -> tuple:
        if len(self._next) >= 2 and self._op is not None and self._op.name == "linear":
            return _linear_edges(self)
        return tuple(self._next)

    @property
    def metadata(self) -> dict:
        """A dict kept with the node (anomaly mode stores the forward traceback here)."""
        md = _metadata.get(self)
        if md is None:
            md = _metadata[self] = {}
        return md

    def register_hook(self, hook):
        """``hook(grad_inputs, grad_outputs)`` runs after this node computes its gradients."""
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(hook)
        return RemovableHandle(self._hooks, item=hook)

    def register_prehook(self, hook):
        """``hook(grad_outputs)`` runs before this node computes; it may return new grads."""
        if self._pre_hooks is None:
            self._pre_hooks = []
        entry = (None, hook)  # NOTE: (output slot, hook); None marks a whole-node pre-hook
        self._pre_hooks.append(entry)
        return RemovableHandle(self._pre_hooks, item=entry)


class AccumulateGrad(Node):
    """The node of a leaf tensor that requires grad: adds incoming gradients into ``.grad``."""

    __slots__ = ("variable",)

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def __init__(self, variable):
        self.variable = variable
        self._next = ()
        self._seq = -1  # NOTE: leaves run after every op node that feeds them (as in torch).
        self._pre_hooks = self._hooks = None
        self._freed = False
        self._args = None


_t_nodes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_metadata: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def record_forward_trace(node) -> None:
    """Anomaly mode: keep the forward call's traceback with ``node``."""
    from .anomaly_mode import forward_trace

    node.metadata["traceback_"] = forward_trace()


def _linear_edges(node) -> tuple:
    """Torch computes a 2-D ``linear`` as ``addmm(bias, input, weight.t())`` (``mm`` without a
    bias): its node shows the bias's edge first and the weight behind a ``TBackward0``. Here one
    node computes the whole op; it shows torch's edges, with a stand-in ``TBackward0`` (made once
    per node) for the transpose."""
    edges = node._next
    if node.name() not in ("AddmmBackward0", "MmBackward0"):
        return tuple(edges)
    weight = edges[1]
    if weight[0] is not None:
        t = _t_nodes.get(node)
        if t is None:
            t = _t_nodes[node] = new_node("TBackward0", None, (), (True,), None, (), None,
                                          (weight,), ())  # fmt: skip
        weight = (t, 0)
    return (*edges[2:], edges[0], weight)


def node_class(name: str) -> type:
    """The Node subclass named ``name`` (``MulBackward0``), made once."""
    cls = _node_classes.get(name)
    if cls is None:
        body = {"__slots__": ()}
        if name in _CPP_NODES:
            body["name"] = lambda self: f"torch::autograd::{name}"
        with _node_classes_lock:
            cls = _node_classes.setdefault(name, type(name, (Node,), body))
    return cls


# Nodes torch defines by hand in C++ (not generated): their name() carries the namespace.
_CPP_NODES = frozenset({"CopyBackwards", "CopySlices", "GraphRoot", "Error", "DelayedError"})


def new_node(name, op, opts, mask, args, checks, out, next_edges, out_meta) -> Node:
    node = object.__new__(node_class(name))
    node._op, node._opts, node._mask = op, opts, mask
    node._args, node._checks, node._out = args, checks, out
    node._next, node._out_meta = next_edges, out_meta
    node._seq = next(_seq)
    node._pre_hooks = node._hooks = node._avals = None
    node._freed = False
    if _anomaly.enabled:
        record_forward_trace(node)
    return node


class CopySlices(Node):
    """Writing into a view: the base's new history. Its edges are (old base, the in-place op's
    node); like torch, it shows the in-place op's own inputs after the base's edge."""

    __slots__ = ()

    def name(self) -> str:
        return "torch::autograd::CopySlices"

    @property
    def next_functions(self) -> tuple:
        if len(self._next) < 2:
            # NOTE: an op torch computes by writes into views of a fresh tensor (fill_diagonal_,
            # circular pad) is one node here, named CopySlices; it shows its own edges.
            return tuple(self._next)
        first, (op_node, _) = self._next[0], self._next[1]
        rest = op_node.next_functions[1:] if op_node is not None else ((None, 0),)
        return (first, *rest)


_node_classes["CopySlices"] = CopySlices
