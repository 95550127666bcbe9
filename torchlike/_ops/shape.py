"""Shape ops and indexing reads. Options are static (shapes, dims, index specs)."""

from __future__ import annotations

import jax.numpy as jnp

from ._registry import defop

_NONE = dict(dtypes="none", saves=())

reshape = defop("reshape", lambda x, *, shape: jnp.reshape(x, shape), "ViewBackward0", **_NONE)
t = defop("t", lambda x: x.T, "TBackward0", **_NONE)
transpose = defop("transpose", lambda x, *, dim0, dim1: jnp.swapaxes(x, dim0, dim1),
                  "TransposeBackward0", **_NONE)  # fmt: skip
permute = defop("permute", lambda x, *, dims: jnp.transpose(x, dims), "PermuteBackward0", **_NONE)
# ``overload``: 0 for ``squeeze()``, 1 for ``squeeze(dim)``, 2 for ``squeeze(dims)`` (``dim``
# holds the dims actually squeezed, which may be fewer).
squeeze = defop("squeeze", lambda x, *, dim, overload: jnp.squeeze(x, dim),
                lambda a, o: f"SqueezeBackward{o['overload']}", **_NONE)  # fmt: skip
unsqueeze = defop("unsqueeze", lambda x, *, dim: jnp.expand_dims(x, dim), "UnsqueezeBackward0",
                  **_NONE)  # fmt: skip
expand = defop("expand", lambda x, *, shape: jnp.broadcast_to(x, shape), "ExpandBackward0",
               **_NONE)  # fmt: skip
clone = defop("clone", lambda x: x, "CloneBackward0", **_NONE)
to_dtype = defop("to_dtype", lambda x, *, dtype: x.astype(dtype), "ToCopyBackward0", **_NONE)


def _index_name(args, opts):
    # The node of the last view torch applies; full slices and ``...`` apply nothing inside a
    # tuple key (a bare ``x[:]`` is a "slice" in the spec: torch slices it).
    kinds = [k for k, *_ in opts["spec"] if k not in ("full", "ellipsis")]
    if not kinds:
        return "AliasBackward0"
    if "tensor" in kinds:
        return "IndexBackward0"
    return {"int": "SelectBackward0", "slice": "SliceBackward0",
            "none": "UnsqueezeBackward0"}[kinds[-1]]  # fmt: skip


def _getitem(x, *tensors, spec):
    idx = []
    it = iter(tensors)
    for kind, *v in spec:
        if kind == "int":
            idx.append(v[0])
        elif kind in ("slice", "full"):
            idx.append(slice(*v) if v else slice(None))
        elif kind == "none":
            idx.append(None)
        elif kind == "ellipsis":
            idx.append(Ellipsis)
        else:
            idx.append(next(it))
    return x[tuple(idx)]


getitem = defop("getitem", _getitem, _index_name, dtypes="none", saves=())
