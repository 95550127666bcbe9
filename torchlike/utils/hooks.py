"""``torch.utils.hooks``: the handle every ``register_*_hook`` returns. It imports nothing of
torchlike, so every layer (tensors, autograd nodes, modules, optimizers) can use it."""

from __future__ import annotations

import itertools

__all__ = ["RemovableHandle"]

_ids = itertools.count()  # NOTE: itertools.count is atomic under the GIL


class RemovableHandle:
    """``handle.remove()`` unregisters the hook. Hooks kept in dicts (modules, optimizers) are
    keyed by ``handle.id``; a hook kept in a list (tensors, autograd nodes) is given as ``item``
    and removed from that list."""

    _NO_ITEM = object()

    def __init__(self, hooks_dict, *extra_dicts, item=_NO_ITEM):
        self.hooks_dict_ref = hooks_dict
        self.id = next(_ids)
        self.extra_dicts = extra_dicts
        self._item = item

    def remove(self) -> None:
        if self._item is not RemovableHandle._NO_ITEM:
            if self._item in self.hooks_dict_ref:
                self.hooks_dict_ref.remove(self._item)
            return
        for d in (self.hooks_dict_ref, *self.extra_dicts):
            if isinstance(d, set):
                d.discard(self.id)
            else:
                d.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()
