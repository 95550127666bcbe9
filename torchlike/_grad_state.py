"""Grad mode's thread-local state and the set of inference tensors: below ``_tensor`` so that
Tensor can read them (the public API is ``torchlike.autograd.grad_mode``)."""

from __future__ import annotations

import threading
import weakref


class _State(threading.local):
    enabled = True
    inference = False
    saved_hooks = ()  # the (pack, unpack) pairs of active saved_tensors_hooks, innermost last
    saved_hooks_disabled = None  # disable_saved_tensors_hooks's message while it is active


state = _State()

# Storages of tensors made in inference mode, by id: an alias or view of an inference tensor is
# one too, while a view made in inference mode of a normal tensor is normal (its storage is a
# window on the base's). NOTE: not a WeakSet, whose lookups would compare with ``==``.
inference_marks: dict = {}


def mark_inference(t) -> None:
    """Record that ``t`` was made in inference mode."""
    key = id(t._storage)
    inference_marks[key] = weakref.ref(t._storage, lambda _: inference_marks.pop(key, None))


def is_inference(t) -> bool:
    if not inference_marks:
        return False
    s = t._storage
    while s is not None:
        if id(s) in inference_marks:
            return True
        s = getattr(s, "parent", None)
    return False


class _Anomaly:
    """Anomaly detection (process-wide, as torch's): ``enabled`` records forward tracebacks in
    new nodes; ``check_nan`` makes backward refuse NaN gradients."""

    enabled = False
    check_nan = True


anomaly = _Anomaly()

# Forward-mode AD: the tangents of dual tensors at the open dual level, by id (as above).
tangents: dict = {}


class _Hooks:
    """What a higher layer installs for the dispatcher when it is imported:
    ``propagate_tangents(op, okey, args, result)`` (``autograd.forward_ad``) gives an op's
    outputs the tangents of its dual inputs."""

    propagate_tangents = None


hooks = _Hooks()
