"""``torchlike.compile``: run a function of tensors, a module's forward, or a whole training step
(``zero_grad``, forward, ``backward()``, ``optimizer.step()``) as one ``jax.jit`` program.

The function is traced with tensors holding JAX tracers. State it reads or writes without
receiving it (``_compile_state.State``: parameters, buffers, ``.grad``, optimizer state and
learning rates, the random generator's key) is passed into the program and written back after
the call, so eager code before and after sees the updated values. Two kinds of program:

- ``_Step``: a plain ``jax.jit`` program. Used for training steps (a ``backward()`` or optimizer
  step ran while tracing) and for calls whose results need no graph (grad mode off, or nothing
  requires grad). Its results carry no ``grad_fn``.
- ``_Forward``: the call is one op of the op table, so its outputs carry
  ``CompiledFunctionBackward`` and a later ``backward()`` runs the program's VJP. Used for a
  function or forward whose results need a graph.

Guards decide when to trace again (``_compile_state``): the arguments' structure, shapes, dtypes
and requires_grad, Python arguments, grad mode, modules' ``training`` flags, Python scalars the
function reads from globals and closures, optimizers' options and state layout, the identity and
signature of every state tensor, and whether each parameter has a ``.grad`` — unless the step
resets it (``zero_grad()``) before reading it, which the trace records. Each trace is counted in
``stats["traces"]`` and logged with its reason (logger ``torchlike.compile.recompiles``; turn it
on with ``torchlike._logging.set_logs(recompiles=True)`` or ``TORCHLIKE_LOGS=recompiles``).

Code that needs a tensor's value while tracing (``if x.sum() > 0``, ``.item()``) cannot be one
program: that call runs eagerly, with a warning naming the line and suggesting ``torch.where``,
and ``stats["graph_breaks"]`` counts it; the same guard then stays eager without tracing again.
"""

from __future__ import annotations

import functools
import linecache
import logging
import os
import sys
import threading
import warnings
from collections import Counter

import jax
import jax.numpy as jnp
import numpy as np

from . import _creation, _tracing
from ._compile_state import _PRIMITIVES, Finder, hashable, signature, why_retrace
from ._dispatch import call, wrap
from ._ops._registry import Op
from ._storage import Storage
from ._tensor import Tensor
from ._tracing import GraphBreak
from .autograd import grad_mode
from .nn.modules.module import Module

__all__ = ["compile", "stats", "reset"]

_recompiles = logging.getLogger("torchlike.compile.recompiles")
_graph_breaks = logging.getLogger("torchlike.compile.graph_breaks")
stats: Counter = Counter()


def reset() -> None:
    stats.clear()


# -- arguments and results as (skeleton, tensors) -------------------------------------------------
def _flatten(obj, leaves, objects=None):
    """``obj`` with each tensor replaced by its index in ``leaves`` (a hashable skeleton).
    Other objects (a module, a trainer's ``self``) go into ``objects``: what they hold is
    state, found and guarded like a global's."""
    if isinstance(obj, Tensor):
        leaves.append(obj)
        return ("T", len(leaves) - 1)
    if isinstance(obj, (list, tuple)):
        return (type(obj).__name__, tuple(_flatten(o, leaves, objects) for o in obj))
    if isinstance(obj, dict):
        return ("dict", tuple((k, _flatten(v, leaves, objects)) for k, v in obj.items()))
    try:
        hash(obj)
    except TypeError:
        raise GraphBreak(f"an argument of type {type(obj).__name__}") from None
    if objects is not None and not isinstance(obj, _PRIMITIVES):
        objects.append(("argument", obj))
    return ("C", obj)


_POSITIONAL: dict = {}


def _positional(n):
    """The skeleton ``_flatten`` gives ``(args, {})`` for ``n`` tensor arguments."""
    skel = _POSITIONAL[n] = ("tuple", (("tuple", tuple(("T", i) for i in range(n))), ("dict", ())))
    return skel


def _unflatten(skel, leaves):
    kind, v = skel
    if kind == "T":
        return leaves[v]
    if kind in ("list", "tuple"):
        items = [_unflatten(s, leaves) for s in v]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {k: _unflatten(s, leaves) for k, s in v}
    return v


# -- value-dependent code --------------------------------------------------------------------------
_CONCRETE = (
    jax.errors.ConcretizationTypeError, jax.errors.TracerBoolConversionError,
    jax.errors.TracerIntegerConversionError, jax.errors.TracerArrayConversionError,
)  # fmt: skip
_LIBRARY_DIRS = tuple(os.path.dirname(m.__file__) + os.sep for m in (jax, np))
_OWN_DIR = os.path.dirname(__file__) + os.sep


def _user_line(exc) -> str:
    """``file:line (source)`` of the innermost frame outside torchlike, JAX and NumPy."""
    where = None
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        name = code.co_filename
        if not name.startswith(_LIBRARY_DIRS) and not name.startswith(_OWN_DIR):
            where = (name, tb.tb_lineno)
        tb = tb.tb_next
    if where is None:
        return "an unknown line"
    source = linecache.getline(*where).strip()
    return f"{where[0]}:{where[1]} (`{source}`)" if source else f"{where[0]}:{where[1]}"


def _value_needed(exc) -> GraphBreak:
    return GraphBreak(
        f"a tensor's value is needed while tracing, at {_user_line(exc)}. A branch on a tensor's "
        "value, .item(), or a result whose shape depends on values (x[mask], nonzero) cannot be "
        "one program: use torch.where for a value-dependent choice, or move that code out of the "
        "compiled function"
    )


# -- one trace's sandbox --------------------------------------------------------------------------
class _Sandbox:
    """Everything a trace may change on live objects, put back when it ends: the targets'
    storages and versions, the owners' ``.grad``, optimizers' state, the generator's key."""

    def __init__(self, targets, owners, optimizers):
        self.storages = [(t, t._storage, t._vc, t._version) for t in targets]
        self.grads = [(o, o._grad) for o in owners]
        self.states = [(opt, {p: dict(s) for p, s in opt.state.items()}) for opt in optimizers]
        self.gen = _creation.default_generator
        self.key = self.gen._key

    def restore(self):
        for t, storage, vc, version in self.storages:
            t._storage, t._vc = storage, vc
            if vc is not None:
                vc.value = version
        for o, g in self.grads:
            o._grad = g
        for opt, snapshot in self.states:
            for p in [p for p in opt.state if p not in snapshot]:
                del opt.state[p]
            for p, s in snapshot.items():
                opt.state[p].clear()
                opt.state[p].update(s)
        self.gen._key = self.key


def _swap_in(targets, arrays) -> list:
    """Give each target a new storage holding its tracer; the boxes show what was written."""
    boxes = []
    for t, a in zip(targets, arrays, strict=True):
        box = Storage(a)
        boxes.append(box)
        t._storage = box
    return boxes


def _written(targets, boxes, arrays) -> tuple:
    return tuple(i for i, (t, box) in enumerate(zip(targets, boxes))
                 if t._storage is not box or box.array is not arrays[i])  # fmt: skip


# grad_spec entries: what a program needs of one owner's .grad.
_ABSENT, _PRESENT, _ANY_PASSED, _ANY = "absent", "present", "any (passed)", "any"


class _Step:
    """A call as one plain ``jax.jit`` program over (target arrays, passed gradients, generator
    key, learning rates); it returns the function's results and every piece of state to write
    back. The trace fills in the write-back plan."""

    def __init__(self, fn, skel, targets, owners, optimizers, n_args):
        self.fn, self.skel, self.targets, self.owners = fn, skel, targets, owners
        self.optimizers, self.n_args = optimizers, n_args
        self.grad_in = frozenset(k for k, o in enumerate(owners) if o._grad is not None)
        self.groups = [g for opt in optimizers for g in opt.param_groups]
        # NOTE: the state's arrays are donated: each comes back (new or passed through), so XLA
        # writes new parameters and optimizer state into the old buffers instead of new ones.
        self.jitted = jax.jit(self.pure, donate_argnums=(0, 2), keep_unused=True)
        self._undonated, self._warm = None, False
        self._lrs = (None, None)  # the last learning rates and their array
        self.stepped = False
        self.out_skel = self.out_plan = self.grad_plan = self.grad_spec = None
        self.mutated, self.state_plan, self.key_out = (), (), False

    def inputs(self, targets, owners):
        """The program's arguments, and whether every donated array may be given up."""
        grads, donatable, sole = [], True, []
        for k, o in enumerate(owners):
            g = o._grad
            sole.append(g is not None and _sole(g))
            if sole[-1]:
                grads.append(g._storage.array)
            elif k in self.grad_in:
                # NOTE: a gradient the step resets before reading is not read: zeros stand in
                # when it is absent now. One held elsewhere cannot be donated.
                donatable = donatable and g is None
                grads.append(_new_zeros(o) if g is None else g._storage.array)
            else:
                # NOTE: not read: a buffer the new gradient is written into (donated), the old
                # gradient's when nothing else holds it.
                grads.append(_new_zeros(o))
        lrs = [g["lr"] for g in self.groups]
        if lrs != self._lrs[0]:
            self._lrs = (lrs, np.array([float(_scalar(lr)) for lr in lrs], np.float64))
        n = self.n_args
        state = tuple(t._storage.array for t in targets[n:])
        kept = tuple(t._storage.array for t in targets[:n])
        args = (state, kept, tuple(grads), _creation.default_generator._key, self._lrs[1])
        return args, donatable and _unshared(state), sole

    def fits(self, owners) -> bool:
        for spec, o in zip(self.grad_spec, owners):
            if (spec == _PRESENT and o._grad is None) or (spec == _ABSENT and o._grad is not None):
                return False
        return True

    def pure(self, donated, kept, grads, key, lrs):
        arrays = (*kept, *donated)
        targets, owners = self.targets, self.owners
        sandbox = _Sandbox(targets, owners, self.optimizers)
        _tracing.set_active(True)
        _tracing.set_hyper({id(g): lrs[k] for k, g in enumerate(self.groups)})
        try:
            boxes = _swap_in(targets, arrays)
            passed = {}
            for o in owners:
                o._grad = None
            for k in self.grad_in:
                owners[k]._grad = passed[k] = wrap(grads[k], dtype=owners[k]._dtype)
            sandbox.gen._key = key
            args, kwargs = _unflatten(self.skel, targets)
            out = self.fn(*args, **kwargs)
            results = self._plan(out, arrays, boxes, passed)
            if sandbox.gen._key is not key:
                self.key_out = True
                results.append(sandbox.gen._key)
            self.stepped = _tracing.stepped()
            events = _tracing.grad_events()
            self.grad_spec = tuple(
                (_ANY_PASSED if k in passed else _ANY) if events.get(id(o)) == "reset"
                else (_PRESENT if k in passed else _ABSENT)
                for k, o in enumerate(owners)
            )  # fmt: skip
        finally:
            _tracing.set_active(False)
            sandbox.restore()
        return tuple(results)

    def _plan(self, out, arrays, boxes, passed) -> list:
        """The arrays the program returns, and how each is written back (set on ``self``)."""
        targets = self.targets
        index = {id(t): i for i, t in enumerate(targets)}
        leaves = []
        self.out_skel = _flatten(out, leaves)
        results, out_plan = [], []
        for t in leaves:
            i = index.get(id(t))
            out_plan.append(("target", i) if i is not None else ("new", t._dtype))
            if i is None:
                results.append(t._storage.array)
        self.out_plan = out_plan
        self.mutated = _written(targets, boxes, arrays)
        n = self.n_args
        results += [t._storage.array for t in targets[n:]]  # every donated array comes back
        results += [targets[i]._storage.array for i in self.mutated if i < n]
        grad_plan = []
        for k, o in enumerate(self.owners):
            g = o._grad
            if g is None:
                grad_plan.append(None)
            else:
                grad_plan.append((passed.get(k) is g, g._dtype))
                results.append(g._storage.array)
        self.grad_plan = grad_plan
        state_plan = []
        for n, opt in enumerate(self.optimizers):
            for p, s in opt.state.items():
                for name, v in s.items():
                    if isinstance(v, Tensor) and id(v) not in index:
                        state_plan.append((n, p, name, v._dtype))
                        results.append(v._storage.array)
        self.state_plan = state_plan
        return results

    def run(self, targets, owners):
        gen = _creation.default_generator
        with gen._lock:
            inputs, donatable, sole = self.inputs(targets, owners)
            program = self.jitted if donatable else self._without_donation()
            if self._warm:
                results = program(*inputs)
            else:
                with warnings.catch_warnings():
                    # NOTE: a gradient buffer no result can reuse (a parameter without grad).
                    warnings.filterwarnings("ignore", "Some donated buffers were not usable")
                    results = program(*inputs)
                self._warm = True
            if self.key_out:
                gen._key = results[-1]
        del inputs
        it = iter(results)
        outs = [targets[ref] if kind == "target" else wrap(next(it), dtype=ref)
                for kind, ref in self.out_plan]  # fmt: skip
        n = self.n_args
        for t in targets[n:]:
            t._storage.array = next(it)
        for i in self.mutated:
            t = targets[i]
            if i < n:
                t._storage.array = next(it)
            t._counter().value += 1
        for o, plan, reuse in zip(owners, self.grad_plan, sole, strict=True):
            if plan is None:
                o._grad = None
                continue
            same, dt = plan
            if same:  # NOTE: accumulated in place: a reference to .grad taken earlier sees it
                o._grad._storage.array = next(it)
                o._grad._counter().value += 1
            elif reuse and o._grad._dtype is dt:
                # NOTE: a new gradient; the old tensor, which nothing else holds, becomes it
                # (as good as new: version 0), saving two objects per parameter and call.
                g = o._grad
                g._storage.array, g._vc = next(it), None
            else:
                o._grad = wrap(next(it), dtype=dt)
        for n, p, name, dt in self.state_plan:
            self.optimizers[n].state[p][name] = wrap(next(it), dtype=dt)
        return _unflatten(self.out_skel, outs)

    def _without_donation(self):
        """The same program, not donating: for a call where a state array is also held
        elsewhere (donating it would leave the other holder with a deleted buffer)."""
        stats["calls_without_donation"] += 1
        if self._undonated is None:
            self._undonated = jax.jit(self.pure)
        return self._undonated


def _scalar(x):
    return x.item() if isinstance(x, Tensor) else x


def _refs(arrays) -> int:
    return max((sys.getrefcount(a) for a in arrays), default=0)


def _own_refs() -> int:
    """The references an array held by one storage (and the inputs tuple) has while ``_refs``
    looks at it."""
    box = Storage(np.zeros(1))
    return _refs((box.array,))


_OWN_REFS = _own_refs()


def _unshared(arrays) -> bool:
    """Whether every array is held only by its one storage (so it can be donated)."""
    return _refs(arrays) <= _OWN_REFS


def _new_zeros(like):
    # NOTE: a NumPy array: jnp.zeros would compile a kernel per new shape on a first call.
    a = like._storage.array
    return np.zeros(a.shape, a.dtype)


def _grad_refs(g) -> tuple:
    return sys.getrefcount(g), sys.getrefcount(g._storage), sys.getrefcount(g._storage.array)


def _sole_refs() -> tuple:
    """``_grad_refs`` of a gradient held only by its parameter's ``.grad``, seen as ``_sole``
    sees it."""

    class Owner:
        pass

    def probe(g):  # NOTE: called as ``_sole`` calls ``_grad_refs``: one frame deep
        return _grad_refs(g)

    owner = Owner()
    owner._grad = wrap(jnp.zeros(1))
    g = owner._grad
    return probe(g)


_SOLE = _sole_refs()


def _sole(g) -> bool:
    """Whether a gradient is held only by its parameter (its buffer can be donated unseen)."""
    return all(a <= b for a, b in zip(_grad_refs(g), _SOLE))


class _Forward:
    """A call as one op of the op table (its outputs carry ``CompiledFunctionBackward``); the
    op's kernels trace ``pure`` for the forward and for its VJP."""

    def __init__(self, fn, skel, targets, uses_key):
        self.fn, self.skel, self.targets, self.uses_key = fn, skel, targets, uses_key
        self.out_skel, self.n_out, self.mutated, self.key_used = None, 0, (), False
        self.op = None

    def fits(self, owners) -> bool:
        return True

    def pure(self, *arrays):
        """The function's tensor results on tracers, then the new arrays of the tensors it wrote
        in place."""
        targets = self.targets
        n = len(targets)
        sandbox = _Sandbox(targets, (), ())
        _tracing.set_active(True)
        try:
            boxes = _swap_in(targets, arrays[:n])
            if self.uses_key:
                sandbox.gen._key = arrays[n]
            with grad_mode.no_grad():
                args, kwargs = _unflatten(self.skel, targets)
                out = self.fn(*args, **kwargs)
            leaves = []
            out_skel = _flatten(out, leaves)
            mutated = _written(targets, boxes, arrays)
            results = [t._storage.array for t in leaves]
            results += [targets[i]._storage.array for i in mutated]
            self.key_used = self.uses_key and sandbox.gen._key is not arrays[n]
        finally:
            _tracing.set_active(False)
            sandbox.restore()
        if any(not isinstance(r, jax.core.Tracer) for r in results):
            raise GraphBreak("a result that does not depend on the inputs")
        self.out_skel, self.n_out, self.mutated = out_skel, len(leaves), mutated
        return tuple(results)

    def build(self, name):
        n_res = self.n_out + len(self.mutated)
        if not n_res:
            raise GraphBreak("no tensor results")
        written, n = set(self.mutated), len(self.targets)
        self.op = Op(
            f"compiled_{name}", self.pure if n_res > 1 else lambda *a: self.pure(*a)[0],
            "CompiledFunctionBackward", dtypes="none", n_out=n_res,
            nondiff_out=tuple(range(self.n_out, n_res)), diff_args=tuple(range(n)),
            saves=lambda mask: [i for i in range(n) if i not in written],
        )  # fmt: skip
        return self

    def run(self, targets, owners):
        extra = (_creation.default_generator.next_key(),) if self.uses_key else ()
        results = call(self.op, *targets, *extra)
        if not isinstance(results, tuple):
            results = (results,)
        for i, r in zip(self.mutated, results[self.n_out :]):
            t = targets[i]
            t._storage.array = r._storage.array
            t._counter().value += 1
        return _unflatten(self.out_skel, list(results[: self.n_out]))


class _Eager:
    """A guard whose trace broke: calls with it run eagerly without tracing again."""

    def __init__(self, reason):
        self.reason = reason


class _Compiled:
    """The callable ``torchlike.compile`` returns for a function."""

    def __init__(self, fn, module=None, fullgraph=False):
        self._fn, self._module, self._fullgraph = fn, module, fullgraph
        self._find = Finder(fn, module)
        self._cache: dict = {}
        self._last_guard = None
        self._warned: set = set()
        self._lock = threading.Lock()
        functools.update_wrapper(self, fn)

    def __get__(self, instance, owner=None):
        # NOTE: ``@torch.compile`` on a method: the instance is an argument whose attributes
        # are state.
        return self if instance is None else functools.partial(self, instance)

    def __call__(self, *args, **kwargs):
        if _tracing.active():
            return self._fn(*args, **kwargs)
        try:
            return self._run(args, kwargs)
        except GraphBreak as e:
            stats["graph_breaks"] += 1
            reason = str(e)
            name = getattr(self._fn, "__qualname__", repr(self._fn))
            if self._fullgraph:
                raise RuntimeError(f"torch.compile(fullgraph=True): {name}: {reason}.") from None
            if reason not in self._warned:
                self._warned.add(reason)
                warnings.warn(f"torchlike.compile: {name} runs eagerly: {reason}.", UserWarning,
                              stacklevel=2)  # fmt: skip
            _graph_breaks.info("graph break in %s: %s", name, reason)
            return self._fn(*args, **kwargs)

    def _run(self, args, kwargs):
        leaves, objects = [], []
        if not kwargs and all(a.__class__ is Tensor for a in args):
            leaves[:] = args  # NOTE: the common call, tensors only: its skeleton is cached
            skel = _POSITIONAL.get(len(args)) or _positional(len(args))
        else:
            skel = _flatten((args, kwargs), leaves, objects)
        state = self._find(objects)
        ids = {id(t) for t in leaves}
        tensors = [t for t in state.tensors if id(t) not in ids]
        guard = (skel, tuple(signature(t) for t in leaves), grad_mode._state.enabled,
                 *state.guard, tuple((id(t), *signature(t)) for t in tensors))  # fmt: skip
        targets = [*leaves, *tensors]
        owners = [t for t in targets if t._req and t._node is None]
        try:
            entry = self._cache.get(guard)
        except TypeError:  # NOTE: an unhashable value (a list in an optimizer's options)
            guard = hashable(guard)
            entry = self._cache.get(guard)
        if entry.__class__ is _Eager:
            raise GraphBreak(entry.reason)
        prog = next((p for p in entry if p.fits(owners)), None) if entry else None
        if prog is None:
            prog = self._trace(guard, skel, targets, owners, state, len(leaves))
        return prog.run(targets, owners)

    def _trace(self, guard, skel, targets, owners, state, n_args):
        stats["traces"] += 1
        name = getattr(self._fn, "__qualname__", repr(self._fn))
        _recompiles.info("tracing %s: %s", name, why_retrace(self._last_guard, guard))
        self._last_guard = guard
        prog = _Step(self._fn, skel, targets, owners, state.optimizers, n_args)
        try:
            prog.jitted.trace(*prog.inputs(targets, owners)[0])
            needs_graph = grad_mode._state.enabled and any(
                t._req or t._node is not None for t in targets
            )
            if needs_graph and not prog.stepped:
                prog = self._forward(skel, targets)
        except (GraphBreak, *_CONCRETE) as e:
            brk = e if isinstance(e, GraphBreak) else _value_needed(e)
            with self._lock:
                self._cache[guard] = _Eager(str(brk))
            raise brk from None
        with self._lock:
            entry = self._cache.setdefault(guard, [])
            if entry.__class__ is list:
                entry.append(prog)
        return prog

    def _forward(self, skel, targets):
        # NOTE: one abstract trace finds the results and the in-place writes; the op's kernels
        # then trace the same function for the forward and its VJP.
        probe = _Forward(self._fn, skel, targets, uses_key=True)
        jax.eval_shape(probe.pure, *[t._storage.array for t in targets],
                       _creation.default_generator._key)  # fmt: skip
        prog = _Forward(self._fn, skel, targets, uses_key=probe.key_used)
        prog.out_skel, prog.n_out, prog.mutated = probe.out_skel, probe.n_out, probe.mutated
        return prog.build(getattr(self._fn, "__name__", "fn"))


class OptimizedModule:
    """``torchlike.compile(module)``: calls run the module's forward as one program."""

    def __init__(self, mod, fullgraph=False):
        self.__dict__["_orig_mod"] = mod
        self.__dict__["_compiled"] = _Compiled(mod.forward, module=mod, fullgraph=fullgraph)
        assert isinstance(mod, Module)

    def __call__(self, *args, **kwargs):
        return self._compiled(*args, **kwargs)

    forward = __call__

    def __getattr__(self, name):
        return getattr(self.__dict__["_orig_mod"], name)

    def __setattr__(self, name, value):
        setattr(self._orig_mod, name, value)

    def __repr__(self):
        inner = repr(self._orig_mod).replace("\n", "\n  ")
        return f"OptimizedModule(\n  (_orig_mod): {inner}\n)"


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None,
            options=None, disable=False):  # fmt: skip
    """Compile ``model`` (a function, a training step, or an ``nn.Module``); usable as
    ``@compile`` or ``@compile(...)``. The torch keyword arguments are accepted; XLA is the only
    backend."""
    if model is None:
        return lambda m: compile(m, fullgraph=fullgraph, dynamic=dynamic, backend=backend,
                                 mode=mode, options=options, disable=disable)  # fmt: skip
    if disable:
        return model
    if isinstance(model, Module):
        return OptimizedModule(model, fullgraph)
    if not callable(model):
        raise RuntimeError("compile() expects a callable or an nn.Module")
    return _Compiled(model, fullgraph=fullgraph)


def _compile_module_in_place(self, *args, **kwargs) -> None:
    """``Module.compile``: compile this module's forward in place (``torch.compile`` with these
    arguments); later calls run it as one program, hooks still run around it."""
    self.__dict__["forward"] = compile(type(self).forward.__get__(self), *args, **kwargs)


# NOTE: nn sits below compile, so compile installs the method (nn never imports compile).
Module.compile = _compile_module_in_place
