"""Optimizer: the stateful shell (param groups, per-parameter state, state dicts, hooks) around
pure per-group update functions (``_functional.py``)."""

from __future__ import annotations

import functools
import itertools
import warnings
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from copy import deepcopy
from typing import Any

import jax.numpy as jnp

from .. import _dtype as D
from .. import _tracing
from .._dispatch import wrap
from .._functions.inplace import zero_grads
from .._tensor import Tensor
from ..autograd import grad_mode
from ..utils.hooks import RemovableHandle

__all__ = ["Optimizer", "required", "register_optimizer_step_pre_hook",
           "register_optimizer_step_post_hook"]  # fmt: skip


class _RequiredParameter:
    """Singleton marking a hyper-parameter the user must give (``lr`` of a custom optimizer)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()

_global_pre_hooks: OrderedDict = OrderedDict()
_global_post_hooks: OrderedDict = OrderedDict()


def _add_hook(hooks: OrderedDict, hook, prepend: bool = False) -> RemovableHandle:
    # NOTE: the handle is the modules' one, as torch's optimizers return
    # ``torch.utils.hooks.RemovableHandle`` too.
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    if prepend:
        hooks.move_to_end(handle.id, last=False)
    return handle


def register_optimizer_step_pre_hook(hook) -> RemovableHandle:
    """A pre-step hook for every optimizer: ``hook(optimizer, args, kwargs)``."""
    return _add_hook(_global_pre_hooks, hook)


def register_optimizer_step_post_hook(hook) -> RemovableHandle:
    """A post-step hook for every optimizer: ``hook(optimizer, args, kwargs)``."""
    return _add_hook(_global_post_hooks, hook)


def _typename(obj) -> str:
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(type(obj), "__module__", "") or ""
    name = type(obj).__qualname__
    return name if module in ("", "builtins") else f"{module}.{name}"


def _to_scalar(x):
    return x.item() if isinstance(x, Tensor) else x


def _lr(group):
    """The group's learning rate as the update rules take it (a float64 scalar); inside a
    compiled step, the program's argument, so a scheduler changing it does not retrace."""
    if _tracing.active():
        lr = _tracing.hyper(group)
        if lr is not None:
            return lr
    return float(_to_scalar(group["lr"]))


def _scalar_dtype():
    """The dtype of ``state["step"]``: float32, or float64 under a float64 default dtype."""
    return D.float64 if D.get_default_dtype() is D.float64 else D.float32


def _new_state(array) -> Tensor:
    """A state tensor (``exp_avg``, ``momentum_buffer``...) holding ``array``."""
    return wrap(array)


def _zero_step() -> Tensor:
    return wrap(jnp.zeros((), _scalar_dtype()._np))


def _write(t: Tensor, array) -> None:
    """Replace ``t``'s value in place: every alias (``.data``, ``detach()``) sees it and the
    version counter moves, as a torch in-place op under ``no_grad``."""
    if array.dtype != t._storage.array.dtype:
        array = array.astype(t._storage.array.dtype)
    t._storage.array = array
    t._counter().value += 1


_LABELS = {"lr": "learning rate", "eps": "epsilon value"}


def _invalid(name: str, value) -> ValueError:
    """torch's error for an out-of-range hyper-parameter: ``Invalid learning rate: -1``,
    ``Invalid epsilon value: ...``, ``Invalid <name> value: ...``."""
    return ValueError(f"Invalid {_LABELS.get(name, name + ' value')}: {value}")


def _check_nonnegative(*, nan_passes: bool = False, **values) -> None:
    """torch's constructor checks ``if not 0.0 <= x: raise ...``, one per keyword, in the order
    given (NaN fails them); with ``nan_passes``, SGD's form ``if x < 0.0`` (NaN passes)."""
    for name, value in values.items():
        if (value < 0.0) if nan_passes else (not 0.0 <= value):
            raise _invalid(name, value)


def _check_tensor_hyper(name: str, value, *, foreach=False, capturable=False) -> None:
    """A hyper-parameter given as a Tensor (``lr``, ``betas[0]``) must hold one element; Adam
    also refuses one under ``foreach=True, capturable=False``."""
    if isinstance(value, Tensor):
        if foreach and not capturable:
            raise ValueError(
                f"{name} as a Tensor is not supported for capturable=False and foreach=True"
            )
        if value.numel() != 1:
            raise ValueError(f"Tensor {name} must be 1-element")


def _check_fused(fused, differentiable, foreach) -> None:
    """The ``fused`` option's exclusions, checked (as torch does) after the groups are built."""
    if fused:
        if differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def _hooked_step(func):
    @functools.wraps(func)
    def step(*args, **kwargs):
        # NOTE: hooks see ``args`` with the optimizer first, as torch's wrapper passes them.
        self = args[0]
        for pre in itertools.chain(_global_pre_hooks.values(),
                                   self._optimizer_step_pre_hooks.values()):  # fmt: skip
            result = pre(self, args, kwargs)
            if result is not None:
                if isinstance(result, tuple) and len(result) == 2:
                    args, kwargs = result
                else:
                    raise RuntimeError(
                        f"{func} must return None or a tuple of (new_args, new_kwargs), but got "
                        f"{result}."
                    )
        out = func(*args, **kwargs)
        for post in itertools.chain(self._optimizer_step_post_hooks.values(),
                                    _global_post_hooks.values()):  # fmt: skip
            post(self, args, kwargs)
        return out

    step._torchlike_hooked = True
    return step


class Optimizer:
    """Base class of all optimizers.

    ``params`` is an iterable of tensors, of ``(name, tensor)`` pairs, or of dicts (parameter
    groups, each with its own options); ``defaults`` fills the options a group leaves out.
    Subclasses implement ``step``; ``_group_defaults`` lists the ``(option, value)`` pairs
    ``__setstate__`` gives a group that lacks them (a state pickled by an older version).
    """

    _group_defaults: tuple[tuple[str, Any], ...] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "_torchlike_hooked", False):
            cls.step = _hooked_step(step)

    def __init__(self, params, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self._optimizer_step_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_step_post_hooks: OrderedDict = OrderedDict()
        self._optimizer_state_dict_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_state_dict_post_hooks: OrderedDict = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks: OrderedDict = OrderedDict()
        self._optimizer_load_state_dict_post_hooks: OrderedDict = OrderedDict()
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                "dicts, but got " + _typename(params)
            )
        self.state: defaultdict = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        groups = list(params)
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        for name in ("_optimizer_step_pre_hooks", "_optimizer_step_post_hooks",
                     "_optimizer_state_dict_pre_hooks", "_optimizer_state_dict_post_hooks",
                     "_optimizer_load_state_dict_pre_hooks",
                     "_optimizer_load_state_dict_post_hooks"):  # fmt: skip
            self.__dict__.setdefault(name, OrderedDict())
        self.defaults.setdefault("differentiable", False)
        if self._group_defaults:
            for group in self.param_groups:
                for key, value in self._group_defaults:
                    group.setdefault(key, value)

    def __repr__(self) -> str:
        text = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            text += "".join(f"    {k}: {group[k]}\n" for k in sorted(group) if k != "params")
        return text + ")"

    # -- hooks -------------------------------------------------------------------------------------
    def register_step_pre_hook(self, hook) -> RemovableHandle:
        """``hook(optimizer, args, kwargs)`` runs before ``step``; it may return new
        ``(args, kwargs)``."""
        return _add_hook(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook) -> RemovableHandle:
        """``hook(optimizer, args, kwargs)`` runs after ``step``."""
        return _add_hook(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook, prepend: bool = False) -> RemovableHandle:
        return _add_hook(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend: bool = False) -> RemovableHandle:
        return _add_hook(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend: bool = False) -> RemovableHandle:
        return _add_hook(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend: bool = False) -> RemovableHandle:
        return _add_hook(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # -- state dicts -------------------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [indices]}]}``: parameters
        are replaced by their position across the groups; state tensors are not copied."""
        for hook in self._optimizer_state_dict_pre_hooks.values():
            hook(self)
        index: dict[int, int] = {}
        groups = []
        start = 0
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                index.setdefault(id(p), i)
            packed["params"] = [index[id(p)] for p in group["params"]]
            start += len(packed["params"])
            groups.append(packed)
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        out = {"state": state, "param_groups": groups}
        for hook in self._optimizer_state_dict_post_hooks.values():
            result = hook(self, out)
            if result is not None:
                out = result
        return out

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Load a ``state_dict()`` (matched to this optimizer's parameters by position)."""
        state_dict = state_dict.copy()
        for hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = deepcopy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"])
               for g, s in zip(groups, saved_groups, strict=True)):  # fmt: skip
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of "
                "optimizer's group"
            )
        id_map = dict(zip(itertools.chain.from_iterable(g["params"] for g in saved_groups),
                          itertools.chain.from_iterable(g["params"] for g in groups),
                          strict=True))  # fmt: skip
        # NOTE: state that belongs to a capturable/fused group keeps "step" as float32; else
        # "step" is left as saved and floating state follows the parameter's dtype.
        policy = {}
        for g in state_dict["param_groups"]:
            for pid in g["params"]:
                policy.setdefault(pid, bool(g.get("fused") or g.get("capturable")))

        def cast(param, value, pid, key=None):
            if isinstance(value, Tensor):
                if key == "step":
                    return value.to(dtype=D.float32) if policy.get(pid) else value
                if param.is_floating_point():
                    return value.to(dtype=param.dtype)
                return value
            if isinstance(value, dict):
                return {k: cast(param, v, pid, k) for k, v in value.items()}
            if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
                return type(value)(cast(param, v, pid) for v in value)
            return value

        state: defaultdict = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = cast(param, v, k)
            else:
                state[k] = v
        new_groups = []
        for g, ng in zip(groups, saved_groups, strict=True):
            ng["params"] = g["params"]
            if "param_names" in g and "param_names" not in ng:
                ng["param_names"] = g["param_names"]
            new_groups.append(ng)
        self.__setstate__({"state": state, "param_groups": new_groups})
        for hook in self._optimizer_load_state_dict_post_hooks.values():
            hook(self)

    # -- gradients and groups ----------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients of every parameter: to None (default), or to zeros in place."""
        zero_grads((p for group in self.param_groups for p in group["params"]), set_to_none)

    def step(self, closure=None):
        """Perform one optimization step (``closure`` re-evaluates the model, returns the loss)."""
        raise NotImplementedError

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters (with its own options) to ``param_groups``."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead."
            )
        else:
            params = list(params)
        tensors, names = [], []
        for p in params:
            if isinstance(p, tuple):
                names.append(p[0])
                tensors.append(p[1])
            else:
                tensors.append(p)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError(
                    "all optimizer params should be with/without names. Some param names are "
                    "missing"
                )
            param_group["param_names"] = names
        for p in tensors:
            if not isinstance(p, Tensor):
                raise TypeError(
                    "optimizer can only optimize Tensors, but one of the params is " + _typename(p)
                )
            if not self.defaults.get("differentiable", None) and not (p.is_leaf or p.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(
                    "parameter group didn't specify a value of required optimization parameter "
                    f"{name}"
                )
            param_group.setdefault(name, default)
        if len(tensors) != len({id(p) for p in tensors}):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, this "
                "will cause an error; see github.com/pytorch/pytorch/issues/40967 for more "
                "information",
                stacklevel=3,
            )
        seen: set[int] = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError(
                    "all optimizer param groups should be with/without names. "
                    f"cannot add param group {which} to the optimizer"
                )
        if not seen.isdisjoint(id(p) for p in tensors):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # -- helpers for subclasses --------------------------------------------------------------------
    @staticmethod
    def _with_grads(group) -> list[Tensor]:
        """The group's parameters that have a gradient (the others are skipped, as in torch)."""
        params = group["params"]
        if _tracing.active():
            for p in params:
                _tracing.grad_read(p)
        return [p for p in params if p._grad is not None]

    def _closure_loss(self, closure):
        if closure is None:
            return None
        with grad_mode.enable_grad():
            return closure()

    def _step_groups(self, closure, update_group):
        """The body of a ``step``: ``closure()``'s loss (under grad mode), then
        ``update_group(group, params)`` for every group with at least one gradient."""
        if _tracing.active():
            _tracing.note_step()  # NOTE: a compiled function stepping an optimizer is a step
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            params = self._with_grads(group)
            if params:
                update_group(group, params)
        return loss

    def _fill_state(self, p, keys, fill=0) -> dict:
        """Set ``self.state[p]``'s ``step`` to 0 and each of ``keys`` to a new tensor of
        ``fill`` shaped like ``p``; returns that state."""
        state = self.state[p]
        array = jnp.full_like(p._storage.array, fill)
        state["step"] = _zero_step()
        for key in keys:
            state[key] = _new_state(array)
        return state

    def _lazy_state(self, p, *keys) -> dict:
        """``self.state[p]``, filled with ``step`` and zero ``keys`` on first use."""
        state = self.state[p]
        return state if len(state) else self._fill_state(p, keys)

    @staticmethod
    def _apply_update(update, params, states, keys, *hyper, **switches) -> None:
        """Run ``update`` (a rule of ``_functional.py``) over a group and write the new parameters
        and state back in place. ``keys`` maps each state entry the rule takes, in its order, to
        whether it is in use; one not in use goes in as None and is not written back."""
        columns = [*_param_columns(params)]
        columns += [tuple(s[k]._storage.array if on else None for s in states)
                    for k, on in keys.items()]  # fmt: skip
        results = update(tuple(columns), *hyper, **switches)
        for p, s, (a, *new) in zip(params, states, results, strict=True):
            _write(p, a)
            for (key, on), value in zip(keys.items(), new, strict=True):
                if on:
                    _write(s[key], value)


def _param_columns(params) -> tuple[tuple, tuple]:
    """The parameters' arrays and their gradients' arrays: the first two columns of a rule."""
    return tuple(p._storage.array for p in params), tuple(p._grad._storage.array for p in params)
