"""``torch.autograd.Function``: user-defined forward and backward.

>>> class MyReLU(torchlike.autograd.Function):
...     @staticmethod
...     def forward(ctx, x):
...         ctx.save_for_backward(x)
...         return x.clamp(min=0)
...     @staticmethod
...     def backward(ctx, g):
...         (x,) = ctx.saved_tensors
...         return g * (x > 0)
>>> y = MyReLU.apply(torchlike.tensor([-1.0, 2.0], requires_grad=True))   # grad_fn=<MyReLUBackward>

As in PyTorch, ``ctx`` *is* the graph node (``y.grad_fn``): an instance of ``<Name>Backward``.
The engine runs ``backward`` as a plain Python call (never jitted), with grad mode on only under
``create_graph=True`` — so a backward written with differentiable torchlike ops differentiates
again. Inside ``torchlike.func`` transforms, ``forward`` is traced and differentiated by JAX;
the user's ``backward`` is not used there.
"""

from __future__ import annotations

import functools
import warnings

import jax.numpy as jnp

from .. import _dtype as D
from .._grad_state import anomaly as _anomaly
from .._tensor import Tensor
from . import grad_mode
from .graph import Node, Packed, record_forward_trace
from .graph import _seq as _node_seq

__all__ = ["Function", "FunctionCtx", "BackwardCFunction", "once_differentiable"]


class FunctionCtx:
    """What ``forward``/``setup_context`` may call on ``ctx``."""

    def save_for_backward(self, *tensors) -> None:
        """Keep ``tensors`` (or None) for ``backward``; in-place changes to them are detected."""
        saved = []
        for t in tensors:
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    "save_for_backward can only save variables, but argument "
                    f"{len(saved)} is of type {type(t).__name__}"
                )
            if t is None:
                saved.append(None)
            else:
                vc = t._counter()
                hooks = grad_mode._state.saved_hooks
                saved.append((Packed(t, hooks[-1]) if hooks else t, vc, vc.value))
        self._saved = saved

    def save_for_forward(self, *tensors) -> None:
        self._saved_forward = tensors

    def mark_dirty(self, *tensors) -> None:
        """Declare inputs that ``forward`` modified in place (and returns)."""
        self._dirty = tensors

    def mark_non_differentiable(self, *tensors) -> None:
        """Declare outputs that carry no gradient (``backward`` gets zeros for them)."""
        self._non_diff = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """With False, ``backward`` receives None (not zeros) for outputs that got no gradient."""
        self.materialize_grads = bool(value)

    @property
    def saved_tensors(self) -> tuple:
        if self._freed:
            from .engine import _SECOND_BACKWARD

            raise RuntimeError(_SECOND_BACKWARD)
        out = []
        for s in self._saved:
            if s is None:
                out.append(None)
                continue
            t, vc, version = s
            if t.__class__ is Packed:
                t = t.unpack()
            if vc.value != version:
                from .engine import _version_error

                # NOTE: torch names a saved *output* by this node even after a later in-place
                # op gave it a new grad_fn; a saved input by its current grad_fn.
                node = self if any(o is t for o in self._outputs) else t._node
                name = node.name() if node is not None else None
                raise _version_error(t._dtype, t.shape, name, vc.value, version)
            out.append(t)
        return tuple(out)

    saved_variables = saved_tensors


class BackwardCFunction(Node, FunctionCtx):
    """The graph node of one ``Function.apply`` call (and its ``ctx``). Subclasses are named
    ``<FunctionName>Backward``; instances have a ``__dict__`` for the user's attributes."""

    _forward_cls: type

    def __init__(self):
        self._op, self._opts, self._mask = None, (), ()
        self._args = self._avals = self._out = None
        self._checks = ()
        self._next = ()
        self._seq = next(_node_seq)
        self._pre_hooks = self._hooks = None
        self._out_meta = ()
        self._freed = False
        self._saved = ()
        self._dirty = self._non_diff = ()
        self.materialize_grads = True
        self.needs_input_grad = ()
        self._input_meta = ()
        self._outputs = ()
        if _anomaly.enabled:
            record_forward_trace(self)

    def __repr__(self) -> str:
        return f"<torch.autograd.function.{type(self).__name__} object at {id(self):#x}>"

    def _apply_custom(self, cts, create_graph, retain):
        """Engine entry: run the user's backward; return one gradient per non-None edge."""
        from .. import _dispatch

        grads = []
        for j, ct in enumerate(cts):
            if ct is None:
                if self.materialize_grads:
                    shape, dt = self._out_meta[j]
                    grads.append(_dispatch.wrap(jnp.zeros(shape, dt)))
                else:
                    grads.append(None)
            else:
                grads.append(ct if isinstance(ct, Tensor) else _dispatch.wrap(ct))
        with grad_mode.set_grad_enabled(create_graph):
            res = self._forward_cls.backward(self, *grads)
            if not isinstance(res, tuple):
                res = (res,)
            res = self._check_grads(res)
        if not retain:
            self._saved = ()
            self._freed = True
        out = []
        for (nxt, _), g in zip(self._next, res, strict=True):
            if nxt is None:
                continue
            if g is not None and not create_graph:
                g = g._array
            out.append(g)
        return out

    def _check_grads(self, res):
        name = type(self).__name__
        n = len(self._input_meta)
        if len(res) != n:
            if len(res) > n and all(g is None for g in res[n:]):
                res = res[:n]
            else:
                raise RuntimeError(
                    f"function {name} returned an incorrect number of gradients (expected {n}, "
                    f"got {len(res)})"
                )
        tensor_res = []
        for i, (g, meta) in enumerate(zip(res, self._input_meta, strict=True)):
            if meta is None:
                if g is not None:
                    raise RuntimeError(
                        f"function {name} returned a gradient different than None at position "
                        f"{i + 1}, but the corresponding forward input was not a Variable"
                    )
                continue
            if g is not None:
                g = _fit_grad(g, meta, name, i)
            tensor_res.append(g)
        return tensor_res


def _fit_grad(g, meta, name, i):
    """PyTorch's ``validate_outputs``: sum a broadcast gradient down, cast its dtype."""
    shape, dtype = meta
    if not isinstance(g, Tensor):
        raise TypeError(f"expected Tensor as gradient {i} returned by {name}, got {type(g)}")
    if tuple(g.shape) != shape:
        gshape = tuple(g.shape)
        lead = len(gshape) - len(shape)
        ok = lead >= 0 and all(s == 1 or s == t for s, t in zip(shape, gshape[lead:], strict=True))
        if not ok:
            raise RuntimeError(
                f"Function {name} returned an invalid gradient at index {i} - got "
                f"{list(gshape)} but expected shape compatible with {list(shape)}"
            )
        dims = list(range(lead)) + [
            lead + k for k, s in enumerate(shape) if s == 1 and gshape[lead + k] != 1
        ]
        if dims:
            g = g.sum(dims, keepdim=True)
        g = g.reshape(shape)
    if g.dtype is not dtype:
        g = g.to(dtype)
    return g


_BACKWARD_CLASSES: dict = {}


class Function(FunctionCtx):
    """Base class of user-defined differentiable operations: define static ``forward(ctx,
    *args)`` (or ``forward(*args)`` plus ``setup_context(ctx, inputs, output)``) and
    ``backward(ctx, *grad_outputs)``, then call ``YourFunction.apply(*args)``."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._backward_cls = type(
            f"{cls.__name__}Backward", (BackwardCFunction,), {"_forward_cls": cls}
        )

    def __init__(self, *args, **kwargs):
        warnings.warn(
            f"{self.__class__} should not be instantiated. Methods on autograd functions are all "
            "static, so you should invoke them on the class itself. Instantiating an autograd "
            "function will raise an error in a future version of PyTorch.",
            DeprecationWarning,
            stacklevel=2,
        )

    def __call__(self, *args, **kwargs):
        raise RuntimeError(
            "Legacy autograd function with non-static forward method is deprecated. Please use "
            "new-style autograd function with static forward method. (Example: "
            "https://pytorch.org/docs/stable/autograd.html#torch.autograd.Function)"
        )

    @staticmethod
    def forward(*args, **kwargs):
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        raise NotImplementedError(
            "You must implement the jvp function for custom autograd.Function to use it with "
            "forward mode AD."
        )

    @classmethod
    def apply(cls, *args, **kwargs):
        from .. import _dispatch

        if kwargs:
            # NOTE: like torch, keyword arguments are bound to forward's positional parameters.
            import inspect

            sig = inspect.signature(cls.forward)
            params = list(sig.parameters)
            skip = 0 if _uses_setup_context(cls) else 1
            bound = sig.bind(*([None] * skip), *args, **kwargs)
            bound.apply_defaults()
            args = tuple(bound.arguments[p] for p in params[skip:])
        ctx = cls._backward_cls()
        enabled = grad_mode.is_grad_enabled()
        needs = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        ctx.needs_input_grad = needs
        with grad_mode.no_grad():
            if _uses_setup_context(cls):
                output = cls.forward(*args)
                cls.setup_context(ctx, args, output)
            else:
                output = cls.forward(ctx, *args)
        if not (enabled and any(needs)):
            return output
        ctx._input_meta = tuple(
            (tuple(a.shape), a.dtype) if isinstance(a, Tensor) else None for a in args
        )  # fmt: skip
        ctx._next = tuple(
            _dispatch.edge(a) if n else (None, 0)
            for a, n in zip(args, needs, strict=True)
            if isinstance(a, Tensor)
        )
        is_tuple = isinstance(output, tuple)
        outs = list(output) if is_tuple else [output]
        non_diff = {id(t) for t in ctx._non_diff}
        dirty = {id(t) for t in ctx._dirty}
        inputs = {id(a) for a in args if isinstance(a, Tensor)}
        meta, nr = [], 0
        for k, o in enumerate(outs):
            if not isinstance(o, Tensor):
                continue
            meta.append((tuple(o.shape), o.dtype._np))
            if id(o) in non_diff or o.dtype._cat < D._FLOAT:
                nr += 1
                continue
            if id(o) in dirty:
                if o._node is None and o._req:
                    raise RuntimeError(
                        "a leaf Variable that requires grad has been used in an in-place operation."
                    )
            elif id(o) in inputs or o._node is not None or o._req:
                o = outs[k] = o.detach()
            o._node, o._out_nr = ctx, nr
            nr += 1
        ctx._out_meta = tuple(meta)
        ctx._outputs = tuple(o for o in outs if isinstance(o, Tensor) and o._node is ctx)
        return tuple(outs) if is_tuple else outs[0]


def _uses_setup_context(cls) -> bool:
    return cls.setup_context is not Function.setup_context


def once_differentiable(fn):
    """Run a ``backward`` without recording, even under ``create_graph=True``."""

    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with grad_mode.no_grad():
            return fn(ctx, *args)

    return wrapper
