"""``torch.func.functional_call``: run a module with some parameters/buffers swapped in."""

from __future__ import annotations

import contextlib

__all__ = ["functional_call"]


def _owner(module, path: str):
    *mods, name = path.split(".")
    for m in mods:
        module = getattr(module, m)
    return module, name


@contextlib.contextmanager
def _swapped(module, tensors: dict, strict: bool):
    undo = []
    try:
        if strict:
            expected = {n for n, _ in module.named_parameters()} | {
                n for n, _ in module.named_buffers()
            }
            missing = sorted(expected - tensors.keys())
            unexpected = sorted(tensors.keys() - expected)
            if missing or unexpected:
                parts = []
                if unexpected:
                    parts.append(f"Unexpected key(s): {', '.join(map(repr, unexpected))}.")
                if missing:
                    parts.append(f"Missing key(s): {', '.join(map(repr, missing))}.")
                raise RuntimeError(
                    f"Error(s) in reparametrizing for {type(module).__name__}:\n\t"
                    + "\n\t".join(parts)
                )
        for path, value in tensors.items():
            owner, name = _owner(module, path)
            # NOTE: the stores are swapped directly: assigning a plain tensor where a Parameter
            # is registered would be refused by Module.__setattr__ (as in torch).
            for store in ("_parameters", "_buffers"):
                d = owner.__dict__.get(store)
                if d is not None and name in d:
                    undo.append((d, name, d[name]))
                    d[name] = value
                    break
            else:
                undo.append((owner.__dict__, name, owner.__dict__.get(name, _MISSING)))
                owner.__dict__[name] = value
        yield
    finally:
        for d, name, old in reversed(undo):
            if old is _MISSING:
                d.pop(name, None)
            else:
                d[name] = old


_MISSING = object()


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *,
                    tie_weights: bool = True, strict: bool = False):  # fmt: skip
    """Call ``module(*args, **kwargs)`` with its parameters and buffers replaced by the given
    tensors (keys are ``named_parameters()``/``named_buffers()`` names); the module is restored
    afterwards. Composes with ``torchlike.func`` transforms, e.g. per-sample gradients::

        grad(lambda p, x: loss(functional_call(model, p, (x,))))(params, x)
    """
    if isinstance(parameter_and_buffer_dicts, dict):
        tensors = dict(parameter_and_buffer_dicts)
    else:
        tensors = {}
        for d in parameter_and_buffer_dicts:
            dup = tensors.keys() & d.keys()
            if dup:
                raise ValueError(
                    f"{', '.join(sorted(dup))} appeared in multiple dictionaries; behavior of "
                    "functional call is ambiguous"
                )
            tensors.update(d)
    if tie_weights:
        # NOTE: a tensor registered under two names (tied weights) follows the one given.
        by_id: dict = {}
        for n, p in module.named_parameters(remove_duplicate=False):
            by_id.setdefault(id(p), []).append(n)
        for names in by_id.values():
            given = [n for n in names if n in tensors]
            if given:
                for n in names:
                    tensors.setdefault(n, tensors[given[0]])
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    with _swapped(module, tensors, strict):
        return module(*args, **(kwargs or {}))
