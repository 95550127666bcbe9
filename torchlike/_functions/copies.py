"""The ``*_copy`` functions (a view op's result as a fresh tensor, with the view's
``..._copy`` backward node) and the ``unsafe_*`` splits. Arguments are checked by making the
view itself (outside autograd), so every error is the view's."""

from __future__ import annotations

import builtins

from .. import _dtype as D
from .._dispatch import call
from .._ops import TABLE as T
from .._tensor import _wrap_dim
from ..autograd import grad_mode
from ._surface import public

__all__ = [
    "alias_copy", "as_strided_copy", "detach_copy", "diagonal_copy", "expand_copy", "narrow_copy",
    "permute_copy", "select_copy", "slice_copy", "split_copy", "split_with_sizes_copy",
    "squeeze_copy", "t_copy", "transpose_copy", "unbind_copy", "unfold_copy", "unsqueeze_copy",
    "view_copy", "view_as_real_copy", "view_as_complex_copy", "unsafe_chunk", "unsafe_split",
    "unsafe_split_with_sizes",
]  # fmt: skip


def _probe(make):
    """The view ``make()`` builds, made outside autograd: it checks the arguments (raising the
    view's error) and gives the result's shape."""
    with grad_mode.no_grad():
        return make()


def _copy(name, input, **opts):
    return call(T[f"{name}_copy"], input, **opts)


@public(out=True)
def alias_copy(input):
    """A fresh copy of ``input`` (``AliasBackward0_copy``)."""
    return _copy("alias", input)


@public(out=True)
def as_strided_copy(input, size, stride, storage_offset=None):
    """The values of ``input.as_strided(size, stride, storage_offset)`` in a fresh tensor
    (indices into ``input``'s storage, as torch's)."""
    view = _probe(lambda: input.as_strided(size, stride, storage_offset))
    # NOTE: strides index the storage of ``input``'s base; for a base tensor (the common case)
    # that is ``input`` itself, laid out contiguously.
    if input._base is not None or not input.is_contiguous():
        return view.clone()
    return _copy("as_strided", input, size=tuple(view.shape), stride=tuple(view.stride()),
                 offset=builtins.int(view.storage_offset()))  # fmt: skip


@public(out=True)
def detach_copy(input):
    """A fresh copy of ``input`` outside the graph."""
    return input.detach().clone()


@public(out=True)
def diagonal_copy(input, offset=0, dim1=0, dim2=1):
    """``input.diagonal(offset, dim1, dim2)`` in a fresh tensor."""
    from .indexing import diagonal_shape

    d1, d2, _ = diagonal_shape(tuple(input.shape), offset, dim1, dim2)
    return _copy("diagonal", input, offset=builtins.int(offset), dim1=d1, dim2=d2)


@public(out=True)
def expand_copy(input, size, *, implicit=False):
    """``input.expand(size)`` in a fresh tensor."""
    view = _probe(lambda: input.expand(*size))
    return _copy("expand", input, shape=tuple(view.shape))


def _slice_copy(name, input, dim, start, end, step):
    d = _wrap_dim(dim, input.ndim)
    lo, hi, _ = builtins.slice(start, end, step).indices(input.shape[d])
    return call(T[name], input, dim=d, start=lo, end=builtins.max(lo, hi), step=step)


@public(method=True, out=True)
def narrow_copy(input, dim, start, length):
    """``input.narrow(dim, start, length)`` in a fresh tensor."""
    # NOTE: torch's narrow_copy checks on its own, with messages of its own (not narrow's)
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if isinstance(dim, builtins.int) and dim >= input.ndim:
        raise RuntimeError(
            "Expected dim < static_cast<int64_t>(self_sizes.size()) to be true, but got false.  "
            "(Could this error message be improved?  If so, please report an enhancement request "
            "to PyTorch.)"
        )
    d = _wrap_dim(dim, input.ndim)
    n = input.shape[d]
    s0 = builtins.int(start)
    if not -n <= s0 <= n:
        raise IndexError(
            f"start out of range (expected to be in range of [{-n}, {n}], but got {s0})"
        )
    s = s0 + n if s0 < 0 else s0
    if builtins.int(length) < 0 or s > n - builtins.int(length):
        raise RuntimeError(
            f"start ({s}) + length ({builtins.int(length)}) exceeds dimension size ({n})."
        )
    _probe(lambda: input.narrow(dim, start, length))
    return call(T["narrow_copy"], input, dim=d, start=s, end=s + builtins.int(length), step=1)


@public(out=True)
def permute_copy(input, dims):
    """``input.permute(dims)`` in a fresh tensor."""
    _probe(lambda: input.permute(*dims))
    return _copy("permute", input, dims=tuple(_wrap_dim(d, input.ndim) for d in dims))


@public(out=True)
def select_copy(input, dim, index):
    """``input.select(dim, index)`` in a fresh tensor."""
    _probe(lambda: input.select(dim, index))
    d = _wrap_dim(dim, input.ndim)
    i = builtins.int(index)
    return _copy("select", input, dim=d, index=i + input.shape[d] if i < 0 else i)


@public(out=True)
def slice_copy(input, dim=0, start=None, end=None, step=1):
    """``input[..., start:end:step]`` along ``dim`` in a fresh tensor."""
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    return _slice_copy("slice_copy", input, dim, start, end, step)


def _split_sizes(input, split_size, dim):
    """The piece sizes of ``split(split_size, dim)``, with torch's errors."""
    if input.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    n = input.shape[_wrap_dim(dim, input.ndim)]
    if split_size < 0:
        raise RuntimeError(
            f"split expects split_size be non-negative, but got split_size={split_size}"
        )
    if split_size == 0:
        if n:
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}"
            )
        return [0]
    return [builtins.min(split_size, n - k) for k in builtins.range(0, n, split_size)] or [0]


def _check_sizes(input, sizes, dim):
    if input.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    d = _wrap_dim(dim, input.ndim)
    sizes = [builtins.int(s) for s in sizes]
    if builtins.any(s < 0 for s in sizes):
        raise RuntimeError(
            "split_with_sizes expects split_sizes have only non-negative entries, but got "
            f"split_sizes={sizes}"
        )
    if builtins.sum(sizes) != input.shape[d]:
        raise RuntimeError(
            f"split_with_sizes expects split_sizes to sum exactly to {input.shape[d]} (input "
            f"tensor's size at dimension {dim}), but got split_sizes={sizes}"
        )
    return sizes


def _pieces(op, input, sizes, dim):
    d = _wrap_dim(dim, input.ndim)
    out, start = [], 0
    for n in sizes:
        out.append(call(T[op], input, dim=d, start=start, end=start + n, step=1))
        start += n
    return tuple(out)


@public(out=True)
def split_copy(input, split_size, dim=0):
    """``input.split(split_size, dim)`` as fresh tensors."""
    return _pieces("split_copy", input, _split_sizes(input, split_size, dim), dim)


@public(out=True)
def split_with_sizes_copy(input, split_sizes, dim=0):
    """``input.split_with_sizes(split_sizes, dim)`` as fresh tensors."""
    return _pieces("split_with_sizes_copy", input, _check_sizes(input, split_sizes, dim), dim)


@public(method=True)
def unsafe_split(input, split_size, dim=0):
    """``split`` whose pieces are not views."""
    return _pieces("unsafe_split", input, _split_sizes(input, split_size, dim), dim)


@public(method=True)
def unsafe_split_with_sizes(input, split_sizes, dim=0):
    """``split_with_sizes`` whose pieces are not views."""
    sizes = _check_sizes(input, split_sizes, dim)
    return _pieces("unsafe_split_with_sizes", input, sizes, dim)


@public(method=True)
def unsafe_chunk(input, chunks, dim=0):
    """``chunk`` whose pieces are not views."""
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    if input.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    n = input.shape[_wrap_dim(dim, input.ndim)]
    sizes = [0] * chunks if n == 0 else _split_sizes(input, -(-n // chunks), dim)
    return _pieces("unsafe_split", input, sizes, dim)


@public(out=True)
def squeeze_copy(input, dim=None):
    """``input.squeeze(dim)`` in a fresh tensor."""
    view = _probe(lambda: input.squeeze() if dim is None else input.squeeze(dim))
    overload = 0 if dim is None else 2 if isinstance(dim, (list, tuple)) else 1
    return _copy("squeeze", input, shape=tuple(view.shape), overload=overload)


@public(out=True)
def t_copy(input):
    """``input.t()`` in a fresh tensor."""
    _probe(lambda: input.t())
    return _copy("t", input)


@public(out=True)
def transpose_copy(input, dim0, dim1):
    """``input.transpose(dim0, dim1)`` in a fresh tensor."""
    order = list(builtins.range(input.ndim))
    a, b = _wrap_dim(dim0, input.ndim), _wrap_dim(dim1, input.ndim)
    if input.ndim:
        order[a], order[b] = order[b], order[a]
    return _copy("transpose", input, dims=tuple(order))


@public(out=True)
def unbind_copy(input, dim=0):
    """``input.unbind(dim)`` as fresh tensors."""
    if input.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    views = _probe(lambda: input.unbind(dim))
    d = _wrap_dim(dim, input.ndim)
    return tuple(call(T["unbind_copy"], input, dim=d, index=i) for i in builtins.range(len(views)))


@public(out=True)
def unfold_copy(input, dimension, size, step):
    """``input.unfold(dimension, size, step)`` in a fresh tensor."""
    _probe(lambda: input.unfold(dimension, size, step))
    d = _wrap_dim(dimension, builtins.max(input.ndim, 1))
    return _copy("unfold", input, dim=d, size=builtins.int(size), step=builtins.int(step))


@public(out=True)
def unsqueeze_copy(input, dim):
    """``input.unsqueeze(dim)`` in a fresh tensor."""
    view = _probe(lambda: input.unsqueeze(dim))
    return _copy("unsqueeze", input, shape=tuple(view.shape))


@public(out=True)
def view_copy(input, size):
    """``input.view(size)`` (a shape, or a dtype) in a fresh tensor."""
    if isinstance(size, D.dtype):
        return _probe(lambda: input.view(size)).clone()
    view = _probe(lambda: input.view(*size) if isinstance(size, (list, tuple)) else
                  input.view(size))  # fmt: skip
    return _copy("view", input, shape=tuple(view.shape))


@public(out=True)
def view_as_real_copy(input):
    """``torch.view_as_real(input)`` in a fresh tensor."""
    from .. import _functions

    return _copy("view_as_real", _functions.view_as_real(input))


@public(out=True)
def view_as_complex_copy(input):
    """``torch.view_as_complex(input)`` in a fresh tensor."""
    from .. import _functions

    if input.requires_grad and grad_mode.is_grad_enabled():
        raise RuntimeError(
            "view_as_complex_copy does not support automatic differentiation for outputs with "
            "complex dtype."
        )
    return _functions.view_as_complex(input).clone()
