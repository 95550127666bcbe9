"""Graph nodes: what ``tensor.grad_fn`` is. A node records one op call: the op, its options,
the inputs it needs (checked against their version counters), and edges to the inputs' nodes."""

from __future__ import annotations

import itertools
import threading
import weakref

from .._grad_state import anomaly as _anomaly
from .._grad_state import state as _state
from ..utils.hooks import RemovableHandle

__all__ = [
    "Node", "AccumulateGrad", "saved_tensors_hooks", "save_on_cpu", "disable_saved_tensors_hooks",
    "register_multi_grad_hook", "increment_version",
]  # fmt: skip

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


# -- saved tensors hooks ---------------------------------------------------------------------------
class saved_tensors_hooks:
    """Inside, each tensor a node saves for backward is kept as ``pack_hook(tensor)``, and
    ``unpack_hook(packed)`` gives it back when backward needs it (thread-local, nestable).

    >>> with torch.autograd.graph.saved_tensors_hooks(lambda t: t.cpu(), lambda t: t):
    ...     y = x.sin()       # x is saved as x.cpu()
    """

    def __init__(self, pack_hook, unpack_hook) -> None:
        self.pack_hook, self.unpack_hook = pack_hook, unpack_hook

    def __enter__(self) -> None:
        if _state.saved_hooks_disabled is not None:
            raise RuntimeError(_state.saved_hooks_disabled)
        _state.saved_hooks = (*_state.saved_hooks, (self.pack_hook, self.unpack_hook))

    def __exit__(self, *exc) -> None:
        _state.saved_hooks = _state.saved_hooks[:-1]


class save_on_cpu(saved_tensors_hooks):
    """Saved tensors are kept on the CPU and moved back to their device for backward."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        def pack(t):
            return t.device, t.cpu()

        def unpack(packed):
            device, t = packed
            return t.to(device)

        super().__init__(pack, unpack)


class disable_saved_tensors_hooks:
    """Inside, entering ``saved_tensors_hooks`` raises ``RuntimeError(error_message)``."""

    def __init__(self, error_message: str) -> None:
        self.error_message = error_message

    def __enter__(self) -> None:
        self.prev = _state.saved_hooks_disabled
        _state.saved_hooks_disabled = self.error_message

    def __exit__(self, *exc) -> None:
        _state.saved_hooks_disabled = self.prev

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self:
                return fn(*args, **kwargs)

        return wrapper


class Packed:
    """A saved tensor as the innermost ``saved_tensors_hooks``' pack hook returned it."""

    __slots__ = ("packed", "unpack_hook")

    def __init__(self, t, hooks) -> None:
        pack, self.unpack_hook = hooks
        self.packed = pack(t)

    def unpack(self):
        t = self.unpack_hook(self.packed)
        if not _is_tensor(t):
            raise TypeError(
                f"Output of saved tensor unpack_hook expected to be a Tensor but got result of "
                f"type {type(t).__name__}"
            )
        return t


class PackedStorage:
    """A packed saved output, read like the storage the engine otherwise keeps."""

    __slots__ = ("saved",)

    def __init__(self, saved: Packed) -> None:
        self.saved = saved

    @property
    def array(self):
        return self.saved.unpack()._storage.array


def pack_saved(args, indices):
    """``args`` with the tensors at ``indices`` packed by the active saved-tensors hooks (None
    when no hooks are active)."""
    hooks = _state.saved_hooks
    if not hooks:
        return None
    args = list(args)
    for i in indices:
        if _is_tensor(args[i]):
            args[i] = Packed(args[i], hooks[-1])
    return tuple(args)


def _is_tensor(x) -> bool:
    from .._tensor import Tensor

    return isinstance(x, Tensor)


# -- hooks over several tensors, versions ----------------------------------------------------------
def increment_version(tensor) -> None:
    """Bump the version counter of ``tensor`` (or of each tensor in an iterable), as an in-place
    write would."""
    for t in (tensor,) if _is_tensor(tensor) else tensor:
        t._counter().value += 1


class _MultiHandle:
    __slots__ = ("handles",)

    def __init__(self, handles) -> None:
        self.handles = handles

    def remove(self) -> None:
        for h in self.handles:
            h.remove()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.remove()


class _Running(threading.local):
    """The backward passes running on this thread, innermost last: (token, their nodes)."""

    def __init__(self):
        self.stack = []


_running = _Running()


def current_backward():
    """A token for the innermost backward pass running on this thread (None outside one)."""
    return _running.stack[-1][0] if _running.stack else None


def will_execute(t) -> bool:
    """Whether the innermost running backward will compute a gradient for ``t``."""
    node = t._node if t._node is not None else t._accum() if t._accum is not None else None
    return bool(_running.stack) and node in _running.stack[-1][1]


def register_multi_grad_hook(tensors, fn, *, mode: str = "all"):
    """``mode="all"``: ``fn(grads)`` once per backward that computes a gradient for any of
    ``tensors``, with one entry per tensor (None for those that got none). ``mode="any"``:
    ``fn(grad)`` with the first of their gradients each backward computes."""
    if mode not in ("all", "any"):
        raise ValueError(f"Expects mode to be one of ('all', 'any') but got {mode}")
    tensors = tuple(tensors)
    state = {"run": None, "expected": 0, "grads": {}}

    def hook_for(i):
        def hook(g):
            grads = state["grads"]
            if state["run"] is not current_backward():
                # NOTE: as torch, "all" fires when the last gradient this backward will compute
                # for the tensors arrives.
                state["run"] = current_backward()
                state["expected"] = sum(will_execute(t) for t in tensors)
                grads.clear()
                if mode == "any":
                    fn(g)
            if i in grads:
                return
            grads[i] = g
            if mode == "all" and len(grads) == state["expected"]:
                fn([grads.get(j) for j in range(len(tensors))])

        return hook

    return _MultiHandle([t.register_hook(hook_for(i)) for i, t in enumerate(tensors)
                         if t.requires_grad])  # fmt: skip
