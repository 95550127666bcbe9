"""Shape functions and indexing reads."""

from __future__ import annotations

import builtins

import jax
import numpy as np

from .. import _dtype as D
from .._dispatch import call, wrap
from .._ops import TABLE as T
from .._tensor import Tensor, _wrap_dim
from ._common import _dims


# -- shapes ---------------------------------------------------------------------------------------
def _shape_arg(shape):
    if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
        shape = shape[0]
    return tuple(builtins.int(s) for s in shape)


def _infer_shape(shape, numel):
    shape = list(shape)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape[shape.index(-1)] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


def reshape(input, *shape):
    return call(T["reshape"], input, shape=_infer_shape(_shape_arg(shape), input.numel()))


def view(input, *shape):
    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        raise NotImplementedError("torchlike does not implement Tensor.view(dtype) yet")
    return reshape(input, *shape)


def view_as(input, other):
    return reshape(input, other.shape)


reshape_as = view_as


def flatten(input, start_dim=0, end_dim=-1):
    if input.ndim == 0:
        return reshape(input, 1)
    s, e = _wrap_dim(start_dim, input.ndim), _wrap_dim(end_dim, input.ndim)
    if s == e:
        return input
    shape = input.shape
    return reshape(input, (*shape[:s], int(np.prod(shape[s : e + 1])), *shape[e + 1 :]))


def t(input):
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return call(T["t"], input)


def transpose(input, dim0, dim1):
    n = input.ndim
    return call(T["transpose"], input, dim0=_wrap_dim(dim0, n), dim1=_wrap_dim(dim1, n))


swapaxes = swapdims = transpose


def permute(input, *dims):
    dims = _shape_arg(dims)
    if len(dims) != input.ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {input.ndim} is "
            f"not equal to len(dims) = {len(dims)}"
        )
    return call(T["permute"], input, dims=tuple(_wrap_dim(d, input.ndim) for d in dims))


def _T(input):
    return call(T["permute"], input, dims=tuple(reversed(range(input.ndim))))


def squeeze(input, dim=None):
    if dim is not None:
        dim = _dims(dim, input.ndim)
        dims = dim if isinstance(dim, tuple) else (dim,)
        dims = tuple(d for d in dims if input.ndim and input.shape[d] == 1)
        return call(T["squeeze"], input, dim=dims, overload=2 if isinstance(dim, tuple) else 1)
    return call(T["squeeze"], input, dim=None, overload=0)


def unsqueeze(input, dim):
    return call(T["unsqueeze"], input, dim=_wrap_dim(dim, input.ndim + 1))


def expand(input, *sizes):
    sizes = list(_shape_arg(sizes))
    lead = len(sizes) - input.ndim
    for i in range(input.ndim):
        if sizes[lead + i] == -1:
            sizes[lead + i] = input.shape[i]
    return call(T["expand"], input, shape=tuple(sizes))


def expand_as(input, other):
    return expand(input, other.shape)


def clone(input, *, memory_format=None):
    return call(T["clone"], input)


def contiguous(input, memory_format=None):
    return input


# -- indexing -------------------------------------------------------------------------------------
def _index_spec(x, key):
    # NOTE: torch slices a bare ``x[:]`` (SliceBackward0) but skips a full slice in a tuple.
    bare = isinstance(key, slice)
    if not isinstance(key, tuple):
        key = (key,)
    spec, tensors = [], []
    for k in key:
        if k is None:
            spec.append(("none",))
        elif k is Ellipsis:
            spec.append(("ellipsis",))
        elif isinstance(k, (builtins.int, np.integer)) and not isinstance(k, builtins.bool):
            spec.append(("int", builtins.int(k)))
        elif isinstance(k, Tensor) and k.ndim == 0 and k._dtype._cat == D._INT:
            spec.append(("int", k.item()))
        elif isinstance(k, slice):
            v = [None if s is None else builtins.int(s) for s in (k.start, k.stop, k.step)]
            if v[2] is not None and v[2] <= 0:
                raise ValueError("step must be greater than zero")
            full = v[0] is None and v[1] is None and v[2] in (None, 1) and not bare
            spec.append(("full",) if full else ("slice", *v))
        else:
            if not isinstance(k, Tensor):
                from .._creation import tensor

                k = tensor(k)
            if k._dtype._cat != D._INT and k._dtype is not D.bool:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if k._dtype is D.bool or k._dtype is D.uint8:
                # NOTE: a mask's result shape depends on its values, so it becomes integer
                # indices here (outside any jit).
                for i in np.nonzero(np.asarray(k._array)):
                    spec.append(("tensor",))
                    tensors.append(wrap(jax.numpy.asarray(i.astype(np.int64))))
                continue
            spec.append(("tensor",))
            tensors.append(k)
    _check_bounds(x, spec, tensors)
    return tuple(spec), tensors


def _check_bounds(x, spec, tensors):
    consumed = builtins.sum(1 for k, *_ in spec if k in ("int", "slice", "full", "tensor"))
    if consumed > x.ndim:
        raise IndexError(
            f"too many indices for tensor of dimension {x.ndim}"
        )
    d = 0
    it = iter(tensors)
    for kind, *v in spec:
        if kind == "tensor":
            t = next(it)
            size = x.shape[d]
            bad = np.asarray(t._array)
            bad = bad[(bad < -size) | (bad >= size)]
            if bad.size:
                raise IndexError(
                    f"index {bad.flat[0]} is out of bounds for dimension {d} with size {size}"
                )
            d += 1
        elif kind == "ellipsis":
            d = x.ndim - builtins.sum(
                1 for k2, *_ in spec[spec.index((kind, *v)) + 1:] if k2 != "none")
        elif kind == "int":
            size = x.shape[d]
            if not -size <= v[0] < size:
                raise IndexError(
                    f"index {v[0]} is out of bounds for dimension {d} with size {size}"
                )
            d += 1
        elif kind != "none":
            d += 1


def getitem(input, key):
    spec, tensors = _index_spec(input, key)
    return call(T["getitem"], input, *tensors, spec=spec)
