"""What a compiled function touches without receiving it, and the guards that decide whether a
cached program still fits a call.

State is found by name: the function's closure cells and the globals its code uses (and those of
the plain functions it calls by global name), a bound method's ``self`` and that object's
attributes. Modules contribute their parameters and buffers; optimizers their parameters, their
per-parameter state and their hyper-parameters; each tensor that is a leaf requiring grad is a
gradient *owner*, whose ``.grad`` the program may read and write.
"""

from __future__ import annotations

import dis
import functools
import types

from ._tensor import Tensor
from .nn.modules.module import Module, _Members
from .optim.optimizer import Optimizer

_PRIMITIVES = (bool, int, float, complex, str, type(None))


_GLOBAL_LOADS = frozenset({"LOAD_GLOBAL", "LOAD_NAME"})
_CODE_NAMES: dict = {}


def _code_names(code) -> tuple:
    """(globals ``code`` loads, every attribute/global name and string constant it uses), for
    ``code`` and the code nested in it (comprehensions, inner functions); cached per code."""
    names = _CODE_NAMES.get(code)
    if names is None:
        loads, used = set(), set()
        codes = [code]
        while codes:
            c = codes.pop()
            loads.update(i.argval for i in dis.get_instructions(c) if i.opname in _GLOBAL_LOADS)
            used.update(c.co_names)
            used.update(k for k in c.co_consts if isinstance(k, (str, int)))
            codes.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
        names = _CODE_NAMES[code] = (tuple(sorted(loads)), frozenset(used))
    return names


def referenced(fn) -> tuple[list, set]:
    """``(name, object)`` pairs ``fn`` reaches by name — closure cells, the globals its code loads
    (following plain functions it calls by global name), a bound method's ``self``, a partial's
    arguments — and the set of attribute names and string constants its code uses.
    Iterative, not recursive."""
    seen_code, found, used = set(), [], set()
    todo = [fn]
    while todo:
        f = todo.pop()
        if isinstance(f, types.MethodType):
            todo.append(f.__func__)
            found.append(("self", f.__self__))
            continue
        if isinstance(f, functools.partial):
            todo.append(f.func)
            found += [("argument", a) for a in (*f.args, *f.keywords.values())]
            continue
        code = getattr(f, "__code__", None)
        if code is None or code in seen_code:
            continue
        seen_code.add(code)
        glob = getattr(f, "__globals__", {})
        start = len(found)
        for cell_name, cell in zip(code.co_freevars, f.__closure__ or ()):
            try:
                found.append((cell_name, cell.cell_contents))
            except ValueError:
                continue
        loads, names = _code_names(code)
        used |= names
        found += [(name, glob[name]) for name in loads if name in glob]
        for _, v in found[start:]:
            if isinstance(v, types.FunctionType) and v.__module__ not in (None, "builtins"):
                if not v.__module__.startswith(("torchlike", "jax", "numpy")):
                    todo.append(v)
    return found, used


class State:
    """The tensors (in a stable order) and optimizers a function touches, and the part of the
    guard they decide."""

    __slots__ = ("tensors", "optimizers", "guard")

    def __init__(self, tensors, optimizers, guard):
        self.tensors, self.optimizers, self.guard = tensors, optimizers, guard


class Finder:
    """Finds a function's state on every call. Walking modules is the costly part, so it is
    redone only when the objects the function names, or any module's members, have changed."""

    def __init__(self, fn, module=None):
        self.fn, self.module = fn, module
        self._key = self._roots = self._found = None

    def __call__(self, arguments=()) -> State:
        """The state now; ``arguments`` are ``(name, object)`` pairs for the non-tensor
        objects the call received."""
        module = self.module
        roots = [("self", module)] if module is not None else []
        roots += arguments
        found, used = referenced(module.forward if module is not None else self.fn)
        roots = _expand(roots + found, used)
        key = (tuple([id(v) for _, v in roots]), _Members.changes)
        if key != self._key:
            # NOTE: ``_roots`` keeps the objects alive, so their ids cannot be reused.
            self._key, self._roots, self._found = key, roots, _walk(roots)
        modules, tensors, optimizers, scalars = self._found
        opt_guard = []
        if optimizers:
            tensors = dict(tensors)
            for opt in optimizers:
                groups = []
                for group in opt.param_groups:
                    for t in group["params"]:
                        tensors.setdefault(id(t), t)
                    # NOTE: values as they are; an unhashable one is made hashable at lookup.
                    groups.append(tuple([kv for kv in group.items() if kv[0] not in _LIFTED]))
                per_param = []
                for p, st in opt.state.items():
                    keys = []
                    for k, v in st.items():
                        if isinstance(v, Tensor):
                            tensors.setdefault(id(v), v)
                            keys.append(k)
                        else:
                            keys.append((k, v))
                    per_param.append((id(p), tuple(keys)))
                opt_guard.append((id(opt), tuple(groups), tuple(per_param)))
        flags = tuple([m.training for m in modules])
        return State(list(tensors.values()), optimizers, (flags, scalars, tuple(opt_guard)))


_LIFTED = frozenset({"params", "lr"})  # NOTE: parameters are state tensors; lr is an argument

def hashable(obj):
    """``obj`` (nested tuples) with each unhashable leaf replaced by its repr."""
    if isinstance(obj, tuple):
        return tuple(hashable(o) for o in obj)
    try:
        hash(obj)
    except TypeError:
        return repr(obj)
    return obj


def _expand(roots, used) -> list:
    """``roots`` plus what one item or attribute reaches from them: the members of lists and
    tuples, and the dict items and attributes of plain objects (a trainer's ``self``, an ``args``
    namespace) whose key or name the code uses; only tensors, modules, optimizers and Python
    scalars are kept."""
    module_type, optimizer_type = Module, Optimizer
    kept = (Tensor, module_type, optimizer_type, *_PRIMITIVES)
    opaque = (*_OPAQUE, module_type, optimizer_type)
    out = []
    for name, v in roots:
        out.append((name, v))
        if isinstance(v, (list, tuple)):
            items = [(f"{name}[{i}]", a) for i, a in enumerate(v)]
        elif isinstance(v, dict):
            items = [(f"{name}[{k!r}]", a) for k, a in v.items() if k in used]
        elif isinstance(v, opaque) or not hasattr(v, "__dict__"):
            continue  # NOTE: modules and optimizers are walked by what they hold, below
        else:
            items = [(f"{name}.{k}", a) for k, a in vars(v).items() if k in used]
        out += [(n, a) for n, a in items if isinstance(a, kept)]
    return out


_OPAQUE = (Tensor, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, type,
           types.MethodType, functools.partial)  # fmt: skip


def _walk(roots):
    """Modules (with every submodule), tensors (with the modules' parameters and buffers),
    optimizers and Python scalars among ``roots``."""
    tensors, modules, optimizers, scalars = {}, {}, {}, []
    for name, v in roots:
        if isinstance(v, Module):
            modules[id(v)] = v
        elif isinstance(v, Tensor):
            tensors.setdefault(id(v), v)
        elif isinstance(v, Optimizer):
            optimizers[id(v)] = v
        elif isinstance(v, _PRIMITIVES):
            scalars.append((name, v))
    every = {}
    for m in modules.values():
        for sub in m.modules():
            every.setdefault(id(sub), sub)
        for t in m.parameters():
            tensors.setdefault(id(t), t)
        for t in m.buffers():
            tensors.setdefault(id(t), t)
    return list(every.values()), tensors, list(optimizers.values()), tuple(scalars)


def signature(t: Tensor) -> tuple:
    return (t._storage.array.shape, t._dtype, t._req)


GUARD_NAMES = ("the arguments' structure or Python values", "an argument's shape, dtype or "
               "requires_grad", "grad mode", "a module's training flag", "a global or closure "
               "Python scalar", "an optimizer's options or state", "the state tensors (identity, "
               "shape, dtype or requires_grad)")  # fmt: skip


def why_retrace(old: tuple | None, new: tuple) -> str:
    """The first part of the guard that differs between two calls, for the retrace log."""
    if old is None:
        return "first call"
    for name, a, b in zip(GUARD_NAMES, old, new):
        if a != b:
            if name == "a global or closure Python scalar":
                changed = [f"{n}: {x!r} -> {y!r}" for (n, x), (_, y) in zip(a, b) if x != y]
                return f"{name} changed ({', '.join(changed) or 'names differ'})"
            return f"{name} changed"
    return "a parameter's .grad appeared or disappeared"
