"""``torchlike.compile``: run a function of tensors, or a module's forward, as one ``jax.jit``
program.

The function is traced with tensors holding JAX tracers. Tensors it reads without receiving
them — a module's parameters and buffers, tensors and modules in its closure or globals — are
found before tracing and passed in as arguments, so a compiled program never bakes in a value
that can change. Tensors it writes in place (BatchNorm's running statistics, an input) come out
as extra results and are written back. Random draws take a key split from the generator on each
call. The whole call is one op of the op table, so with grad mode on its outputs carry
``CompiledFunctionBackward`` and backward runs the program's VJP.

Guards decide when to trace again: input shapes, dtypes and requires_grad, Python arguments,
grad mode, the identity/shape/dtype of every state tensor, ``training`` flags of modules and
Python scalars the function reads from its globals. Each new trace is counted in
``stats["traces"]`` and logged (logger ``torchlike.compile``) with its reason.

Code that needs a value while tracing (``if x.sum() > 0``, ``.item()``), calls ``backward()`` or
steps an optimizer, or draws from a non-default generator breaks the graph: that call runs
eagerly, with a warning naming the reason the first time, and ``stats["graph_breaks"]`` counts it.
Compiling a whole training step into one program is the next step (issue 5).
"""

from __future__ import annotations

import functools
import logging
import threading
import types
import warnings
from collections import Counter

import jax

from . import _tracing
from ._dispatch import call
from ._ops._registry import Op
from ._storage import Storage
from ._tensor import Tensor
from ._tracing import GraphBreak
from .autograd import grad_mode

__all__ = ["compile", "stats", "reset"]

log = logging.getLogger("torchlike.compile")
stats: Counter = Counter()


def reset() -> None:
    stats.clear()


# -- state discovery ------------------------------------------------------------------------------
_PRIMITIVES = (bool, int, float, complex, str, type(None))


def _referenced(fn):
    """Objects ``fn`` reaches by name: its closure cells and the globals its code (and nested
    code, and the functions it calls by global name) uses. Iterative, not recursive."""
    seen_code, found = set(), []
    todo = [fn]
    while todo:
        f = todo.pop()
        if isinstance(f, (types.MethodType, functools.partial)):
            todo.append(f.__func__ if isinstance(f, types.MethodType) else f.func)
            if isinstance(f, types.MethodType):
                found.append(("self", f.__self__))
            continue
        code = getattr(f, "__code__", None)
        if code is None or id(code) in seen_code:
            continue
        seen_code.add(id(code))
        glob = getattr(f, "__globals__", {})
        for cell_name, cell in zip(code.co_freevars, f.__closure__ or ()):
            try:
                found.append((cell_name, cell.cell_contents))
            except ValueError:
                continue
        codes = [code]
        while codes:
            c = codes.pop()
            for name in c.co_names:
                if name in glob:
                    found.append((name, glob[name]))
            codes.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
        for _, v in found[-len(code.co_names) - len(code.co_freevars):]:
            if isinstance(v, types.FunctionType) and v.__module__ not in (None, "builtins"):
                if not v.__module__.startswith(("torchlike", "jax", "numpy")):
                    todo.append(v)
    return found


def _state_of(fn, module):
    """The tensors (in a stable order), modules and Python scalars ``fn`` reads."""
    from .nn.modules.module import Module
    from .optim.optimizer import Optimizer

    tensors, modules, scalars = {}, {}, []
    roots = [("self", module)] if module is not None else []
    roots += _referenced(module.forward if module is not None else fn)
    for name, v in roots:
        if isinstance(v, Module):
            modules[id(v)] = v
        elif isinstance(v, Tensor):
            tensors.setdefault(id(v), v)
        elif isinstance(v, Optimizer):
            raise GraphBreak("an optimizer used inside a compiled function")
        elif isinstance(v, _PRIMITIVES) and name != "self":
            scalars.append((name, v))
        elif isinstance(v, (list, tuple)) and all(isinstance(t, Tensor) for t in v):
            for t in v:
                tensors.setdefault(id(t), t)
    flags = []
    for m in list(modules.values()):
        for sub in m.modules():
            flags.append(sub.training)
        for t in list(m.parameters()) + list(m.buffers()):
            tensors.setdefault(id(t), t)
    return list(tensors.values()), tuple(flags), tuple(scalars)


# -- tracing --------------------------------------------------------------------------------------
def _flatten(obj, leaves):
    """``obj`` with each tensor replaced by its index in ``leaves`` (a hashable skeleton)."""
    if isinstance(obj, Tensor):
        leaves.append(obj)
        return ("T", len(leaves) - 1)
    if isinstance(obj, (list, tuple)):
        return (type(obj).__name__, tuple(_flatten(o, leaves) for o in obj))
    if isinstance(obj, dict):
        return ("dict", tuple((k, _flatten(v, leaves)) for k, v in obj.items()))
    try:
        hash(obj)
    except TypeError:
        raise GraphBreak(f"an argument of type {type(obj).__name__}") from None
    return ("C", obj)


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


def _sig(t: Tensor):
    a = t._storage.array
    return (a.shape, t._dtype, t.requires_grad)


_CONCRETE = (
    jax.errors.ConcretizationTypeError, jax.errors.TracerBoolConversionError,
    jax.errors.TracerIntegerConversionError, jax.errors.TracerArrayConversionError,
)  # fmt: skip


class _Program:
    """One trace of a function: the op that runs it, the shape of its results, and which of its
    tensors (inputs, then state) it writes in place."""

    def __init__(self, fn, skel, targets, uses_key):
        self.fn, self.skel, self.targets, self.uses_key = fn, skel, targets, uses_key
        self.out_skel, self.n_out, self.mutated, self.key_used = None, 0, (), False
        self.op = None

    def pure(self, *arrays):
        """Run the user's function on tensors holding ``arrays`` (tracers); return its tensor
        results, then the new arrays of the tensors it wrote in place."""
        from . import _creation

        targets = self.targets
        n = len(targets)
        gen = _creation.default_generator
        saved = [(t, t._storage, t._version) for t in targets]
        saved_key = gen._key
        _tracing.set_active(True)
        try:
            boxes = []
            for t, a in zip(targets, arrays[:n]):
                box = Storage(a)
                boxes.append(box)
                t._storage = box
            if self.uses_key:
                gen._key = arrays[n]
            with grad_mode.no_grad():
                args, kwargs = _unflatten(self.skel, targets)
                out = self.fn(*args, **kwargs)
            leaves = []
            out_skel = _flatten(out, leaves)
            mutated = tuple(i for i, (t, box) in enumerate(zip(targets, boxes))
                            if t._storage is not box or box.array is not arrays[i])  # fmt: skip
            results = [t._storage.array for t in leaves]
            results += [targets[i]._storage.array for i in mutated]
            self.key_used = self.uses_key and gen._key is not arrays[n]
        finally:
            _tracing.set_active(False)
            gen._key = saved_key
            for t, storage, version in saved:
                t._storage = storage
                if t._vc is not None:
                    t._vc.value = version
        if any(not isinstance(r, jax.core.Tracer) for r in results):
            raise GraphBreak("a result that does not depend on the inputs")
        self.out_skel, self.n_out, self.mutated = out_skel, len(leaves), mutated
        return tuple(results)


class _Compiled:
    """The callable ``torchlike.compile`` returns for a function."""

    def __init__(self, fn, module=None):
        self._fn, self._module = fn, module
        self._cache: dict = {}
        self._warned: set = set()
        self._lock = threading.Lock()
        functools.update_wrapper(self, fn)

    def __call__(self, *args, **kwargs):
        if _tracing.active():
            return self._fn(*args, **kwargs)
        try:
            return self._run(args, kwargs)
        except GraphBreak as e:
            stats["graph_breaks"] += 1
            reason = str(e)
            name = getattr(self._fn, "__qualname__", repr(self._fn))
            if reason not in self._warned:
                self._warned.add(reason)
                warnings.warn(f"torchlike.compile: {name} runs eagerly: {reason}.", UserWarning,
                              stacklevel=2)  # fmt: skip
            log.info("graph break in %s: %s", name, reason)
            return self._fn(*args, **kwargs)

    def _run(self, args, kwargs):
        from . import _creation

        leaves = []
        skel = _flatten((args, kwargs), leaves)
        state, flags, scalars = _state_of(self._fn, self._module)
        ids = {id(t) for t in leaves}
        state = [t for t in state if id(t) not in ids]
        guard = (skel, tuple(_sig(t) for t in leaves), grad_mode._state.enabled, flags, scalars,
                 tuple((id(t), *_sig(t)) for t in state))  # fmt: skip
        prog = self._cache.get(guard)
        if prog is None:
            prog = self._trace(guard, skel, [*leaves, *state])
        targets = [*leaves, *state]
        extra = (_creation.default_generator.next_key(),) if prog.uses_key else ()
        results = call(prog.op, *targets, *extra)
        if not isinstance(results, tuple):
            results = (results,)
        for i, r in zip(prog.mutated, results[prog.n_out:]):
            t = targets[i]
            t._storage.array = r._storage.array
            t._counter().value += 1
        return _unflatten(prog.out_skel, list(results[: prog.n_out]))

    def _trace(self, guard, skel, targets):
        from . import _creation

        stats["traces"] += 1
        name = getattr(self._fn, "__qualname__", repr(self._fn))
        log.info("tracing %s (%s)", name, "a guard changed" if self._cache else "first call")
        # NOTE: one abstract trace finds the results and the in-place writes; the op's kernels
        # then trace the same function for the forward and its VJP.
        probe = _Program(self._fn, skel, targets, uses_key=True)
        try:
            jax.eval_shape(probe.pure, *[t._storage.array for t in targets],
                           _creation.default_generator._key)  # fmt: skip
        except _CONCRETE as e:
            raise GraphBreak(f"a tensor's value is needed while tracing ({_first_line(e)})") from e
        prog = _Program(self._fn, skel, targets, uses_key=probe.key_used)
        prog.out_skel, prog.n_out, prog.mutated = probe.out_skel, probe.n_out, probe.mutated
        n_res = prog.n_out + len(prog.mutated)
        if not n_res:
            raise GraphBreak("no tensor results")
        written = set(prog.mutated)
        prog.op = Op(
            f"compiled_{getattr(self._fn, '__name__', 'fn')}",
            prog.pure if n_res > 1 else lambda *a: prog.pure(*a)[0],
            "CompiledFunctionBackward", dtypes="none", n_out=n_res,
            nondiff_out=tuple(range(prog.n_out, n_res)), diff_args=tuple(range(len(targets))),
            saves=lambda mask: [i for i in range(len(targets)) if i not in written],
        )  # fmt: skip
        prog.targets = targets
        with self._lock:
            self._cache[guard] = prog
        return prog


def _first_line(e) -> str:
    return str(e).strip().split("\n")[0]


class OptimizedModule:
    """``torchlike.compile(module)``: calls run the module's forward as one program."""

    def __init__(self, mod):
        from .nn.modules.module import Module

        self.__dict__["_orig_mod"] = mod
        self.__dict__["_compiled"] = _Compiled(mod.forward, module=mod)
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
    """Compile ``model`` (a function or an ``nn.Module``); usable as ``@compile`` or
    ``@compile(...)``. The torch keyword arguments are accepted; XLA is the only backend."""
    if model is None:
        return lambda m: compile(m, fullgraph=fullgraph, dynamic=dynamic, backend=backend,
                                 mode=mode, options=options, disable=disable)  # fmt: skip
    if disable:
        return model
    from .nn.modules.module import Module

    if isinstance(model, Module):
        return OptimizedModule(model)
    if not callable(model):
        raise RuntimeError("compile() expects a callable or an nn.Module")
    return _Compiled(model)

