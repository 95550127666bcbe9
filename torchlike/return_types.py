"""``torch.return_types``: the named tuples ops with several outputs return (``max(dim)`` ->
``torch.return_types.max(values=..., indices=...)``). A family declares its own with
``structseq`` where it defines the op; each becomes an attribute of this module."""

from __future__ import annotations

import collections

__all__ = ["structseq"]


def structseq(name: str, fields=("values", "indices")):
    """The ``torch.return_types.<name>`` type (made once; later calls return the same type)."""
    existing = globals().get(name)
    if isinstance(existing, type):
        return existing
    base = collections.namedtuple(name, fields)

    class R(base):
        __slots__ = ()

        def __repr__(self):
            body = ",\n".join(f"{f}={v!r}" for f, v in zip(fields, self, strict=True))
            return f"torch.return_types.{name}(\n{body})"

    R.__name__ = R.__qualname__ = name
    R.__module__ = "torch.return_types"
    globals()[name] = R
    __all__.append(name)
    return R
