"""Shape functions, views and their in-place forms, ``T``/``mT``/``H``/``mH``, indexing."""

from __future__ import annotations

import builtins
import itertools

import jax
import numpy as np

from .. import _dtype as D
from .. import _view as V
from .._dispatch import call, wrap
from .._ops import TABLE as T
from .._ops import shape as _shape_ops
from .._tensor import Tensor, _wrap_dim
from .._view import make_view
from .._warn_once import warn_once
from ._common import _dims, check_expand
from ._surface import public


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
        if known == 0 and numel == 0:
            raise RuntimeError(
                f"cannot reshape tensor of 0 elements into shape {shape} because the "
                "unspecified dimension size -1 can be any value and is ambiguous"
            )
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape[shape.index(-1)] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


@public(method=True)
def reshape(input, *shape):
    shape = _infer_shape(_shape_arg(shape), input.numel())
    g = V.reshaped(V.geometry_of(input), shape)
    if g is None:
        # NOTE: torch copies here (``_unsafe_view`` of a clone): a new tensor, not a view.
        return call(T["unsafe_view"], input, shape=shape)
    return make_view(input, call(T["reshape"], input, shape=shape), g)


@public(method=True)
def view(input, *shape):
    if len(shape) == 1 and isinstance(shape[0], D.dtype):
        raise NotImplementedError("torchlike does not implement Tensor.view(dtype) yet")
    shape = _infer_shape(_shape_arg(shape), input.numel())
    g = V.reshaped(V.geometry_of(input), shape)
    if g is None:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        )
    return make_view(input, call(T["reshape"], input, shape=shape), g)


@public(method=True)
def view_as(input, other):
    return view(input, other.shape)


@public(method=True)
def reshape_as(input, other):
    return reshape(input, other.shape)


@public(method=True)
def flatten(input, start_dim=0, end_dim=-1):
    if input.ndim == 0:
        return reshape(input, 1)
    s, e = _wrap_dim(start_dim, input.ndim), _wrap_dim(end_dim, input.ndim)
    if s == e:
        return input
    shape = input.shape
    return reshape(input, (*shape[:s], int(np.prod(shape[s : e + 1])), *shape[e + 1 :]))


@public(method=True)
def unflatten(input, dim, sizes):
    dim = _wrap_dim(dim, input.ndim)
    sizes = list(sizes)
    if -1 in sizes:
        known = int(np.prod([s for s in sizes if s != -1]))
        sizes[sizes.index(-1)] = input.shape[dim] // known if known else 0
    if int(np.prod(sizes)) != input.shape[dim]:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {dim} "
            f"({input.shape[dim]}) in the input tensor"
        )
    shape = input.shape
    return view(input, (*shape[:dim], *sizes, *shape[dim + 1 :]))


def _permute(input, order, op, **opts):
    return make_view(input, call(T[op], input, **opts), V.permuted(V.geometry_of(input), order))


def _swap(n, d0, d1):
    dims = list(range(n))
    if n:
        dims[d0], dims[d1] = d1, d0
    return dims


def _t_(self):
    return _become_view(self, t(self))


def _transpose_(self, dim0, dim1):
    return _become_view(self, transpose(self, dim0, dim1))


@public(method=True, inplace=_t_)
def t(input):
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return _permute(input, tuple(reversed(range(input.ndim))), "t")


@public(method=True, inplace=_transpose_, aliases=("swapaxes", "swapdims"))
def transpose(input, dim0, dim1):
    n = input.ndim
    d0, d1 = _wrap_dim(dim0, n), _wrap_dim(dim1, n)
    return _permute(input, _swap(n, d0, d1), "transpose", dim0=d0, dim1=d1)


@public(method=True)
def permute(input, *dims):
    dims = _shape_arg(dims)
    if len(dims) != input.ndim:
        raise RuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            f"length of the desired ordering of dimensions i.e. input.dim() = {input.ndim} is "
            f"not equal to len(dims) = {len(dims)}"
        )
    dims = tuple(_wrap_dim(d, input.ndim) for d in dims)
    return _permute(input, dims, "permute", dims=dims)


@public(function=False, method="property", name="T")
def _T(input):
    if input.ndim != 2:
        warn_once(("T", input.ndim == 0),
            "Tensor.T is deprecated on 0-D tensors. This function is the identity in these cases."
            if input.ndim == 0 else
            "The use of `x.T` on tensors of dimension other than 2 to reverse their shape is "
            "deprecated and it will throw an error in a future release. Consider `x.mT` to "
            "transpose batches of matrices or `x.permute(*torch.arange(x.ndim - 1, -1, -1))` to "
            "reverse the dimensions of a tensor.", UserWarning, stacklevel=2)  # fmt: skip
    dims = tuple(reversed(range(input.ndim)))
    return _permute(input, dims, "permute", dims=dims)


def _of_0d(name, input, advice):
    """``Tensor.mT``/``mH``/``H`` of a 0-d tensor: deprecated in torch (warned once per process),
    the tensor itself, conjugated for ``mH``/``H``."""
    warn_once(("0-d", name), f"Tensor.{name} is deprecated on 0-D tensors. {advice}",
              UserWarning, stacklevel=3)  # fmt: skip
    return input.conj() if name != "mT" and input.is_complex() else input


def _matrix_transpose(name, input):
    if input.ndim < 2:
        raise RuntimeError(
            f"tensor.{name} is only supported on matrices or batches of matrices. Got "
            f"{input.ndim}-D tensor."
        )
    return transpose(input, -2, -1)


@public(function=False, method="property")
def mT(input):
    """The last two dimensions transposed (a view)."""
    if input.ndim == 0:
        return _of_0d("mT", input, "This function is the identity in these cases.")
    return _matrix_transpose("mT", input)


@public(function=False, method="property")
def mH(input):
    """``mT``, conjugated for a complex tensor."""
    if input.ndim == 0:
        return _of_0d("mH", input, "Consider using x.conj().")
    out = _matrix_transpose("mH", input)
    return out.conj() if input.is_complex() else out


@public(function=False, method="property")
def H(input):
    """``t()`` of a matrix, conjugated for a complex tensor."""
    if input.ndim == 0:
        return _of_0d("H", input, "Consider using x.conj().")
    if input.ndim != 2:
        raise RuntimeError(
            "tensor.H is only supported on matrices (2-D tensors). Got "
            f"{input.ndim}-D tensor." + (" For batches of matrices, consider using tensor.mH"
                                         if input.ndim > 2 else "")
        )  # fmt: skip
    # NOTE: torch's H is transpose(0, 1) (TransposeBackward0), not t() (TBackward0)
    out = transpose(input, 0, 1)
    return out.conj() if input.is_complex() else out


def _squeeze_(self, dim=None):
    return _become_view(self, squeeze(self, dim))


def _unsqueeze_(self, dim):
    return _become_view(self, unsqueeze(self, dim))


@public(method=True, inplace=_squeeze_)
def squeeze(input, dim=None):
    if dim is not None:
        dim = _dims(dim, input.ndim)
        dims = dim if isinstance(dim, tuple) else (dim,)
        dims = tuple(d for d in dims if input.ndim and input.shape[d] == 1)
        out = call(T["squeeze"], input, dim=dims, overload=2 if isinstance(dim, tuple) else 1)
    else:
        dims = tuple(d for d, n in enumerate(input.shape) if n == 1)
        out = call(T["squeeze"], input, dim=None, overload=0)
    return make_view(input, out, V.squeezed(V.geometry_of(input), dims))


@public(method=True, inplace=_unsqueeze_)
def unsqueeze(input, dim):
    dim = _wrap_dim(dim, input.ndim + 1)
    out = call(T["unsqueeze"], input, dim=dim)
    return make_view(input, out, V.unsqueezed(V.geometry_of(input), dim))


@public(method=True)
def expand(input, *sizes):
    sizes = list(_shape_arg(sizes))
    lead = len(sizes) - input.ndim
    if lead < 0:
        raise RuntimeError(
            f"expand({input.type()}{{{list(input.shape)}}}, size={sizes}): the number of sizes "
            f"provided ({len(sizes)}) must be greater or equal to the number of dimensions in "
            f"the tensor ({input.ndim})"
        )
    sizes = check_expand(input.shape, sizes)
    out = call(T["expand"], input, shape=tuple(sizes))
    return make_view(input, out, V.expanded(V.geometry_of(input), tuple(sizes)))


@public(method=True)
def expand_as(input, other):
    return expand(input, other.shape)


@public(method=True)
def narrow(input, dim, start, length):
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if isinstance(start, Tensor) and (
        start.ndim or start.dtype.is_floating_point or start.dtype.is_complex
        or start.dtype is D.bool
    ):  # fmt: skip
        raise RuntimeError("start must be an 0-dim integral Tensor.")
    dim = _wrap_dim(dim, input.ndim)
    size = input.shape[dim]
    start = builtins.int(start)
    if not -size <= start <= size:
        raise IndexError(
            f"start out of range (expected to be in range of [{-size}, {size}], but got {start})"
        )
    start = start % size if size and start < 0 else start
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return _basic_index(input, (("full",),) * dim + (("slice", start, start + length, None),))


@public(method=True)
def select(input, dim, index):
    dim = _wrap_dim(dim, input.ndim)
    size = input.shape[dim]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size {list(input.shape)} at "
            f"dimension {dim}"
        )
    return _basic_index(input, (("full",),) * dim + (("int", builtins.int(index)),))


@public(method=True)
def diagonal(input, offset=0, dim1=0, dim2=1):
    n = input.ndim
    d1, d2 = _wrap_dim(dim1, n), _wrap_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    out = call(T["diagonal"], input, offset=offset, dim1=d1, dim2=d2)
    return make_view(input, out, V.diagonal(V.geometry_of(input), offset, d1, d2))


@public(method=True)
def unbind(input, dim=0):
    if input.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    dim = _wrap_dim(dim, input.ndim)
    n = input.shape[dim]
    outs = call(_shape_ops.multi_output("unbind", n), input, dim=dim) if n else ()
    outs = (outs,) if isinstance(outs, Tensor) else outs
    g = V.geometry_of(input)
    return tuple(make_view(input, o, V.selected(g, dim, i)) for i, o in enumerate(outs))


def _split_sizes(input, sizes, dim, with_sizes):
    g = V.geometry_of(input)
    outs = call(_shape_ops.multi_output("split", len(sizes)), input, dim=dim, sizes=sizes,
                with_sizes=with_sizes)  # fmt: skip
    outs = (outs,) if isinstance(outs, Tensor) else outs
    views, start = [], 0
    for o, n in zip(outs, sizes):
        views.append(make_view(input, o, V.sliced(g, dim, start, start + n, 1)))
        start += n
    return tuple(views)


@public(method=True)
def split(tensor, split_size_or_sections, dim=0):
    dim = _wrap_dim(dim, tensor.ndim)
    size = tensor.shape[dim]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = tuple(builtins.int(s) for s in split_size_or_sections)
        if builtins.sum(sizes) != size:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's "
                f"size at dimension {dim}), but got split_sizes={list(sizes)}"
            )
        return _split_sizes(tensor, sizes, dim, True)
    step = builtins.int(split_size_or_sections)
    if step <= 0 and size:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension "
                           f"size of {size}")  # fmt: skip
    sizes = tuple(builtins.min(step, size - s) for s in range(0, size, step)) if size else (0,)
    return _split_sizes(tensor, sizes, dim, False)


@public(method=True)
def chunk(input, chunks, dim=0):
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    dim = _wrap_dim(dim, input.ndim)
    size = input.shape[dim]
    step = -(-size // chunks) if size else 1
    return split(input, step, dim)


@public(method=True)
def clone(input, *, memory_format=None):
    return call(T["clone"], input)


@public(function=False, method=True)
def contiguous(input, memory_format=None):
    return input if input.is_contiguous() else call(T["clone"], input)


def _become_view(self, out):
    """``unsqueeze_``/``t_``...: ``self`` takes the view ``out``'s shape and history."""
    # NOTE: a view keeps its base with the new geometry; a base becomes a strided window on
    # its old storage (so aliases made by detach() still share its values).
    if self._base is not None:
        self._storage = out._storage
    else:
        geometry = out._storage.geometry
        self._storage = V.ViewStorage(self._storage, geometry, out._array)
    if out._node is not None:
        self._node, self._out_nr = out._node, out._out_nr
    return self


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
        raise IndexError(f"too many indices for tensor of dimension {x.ndim}")
    try:
        np.broadcast_shapes(*(t.shape for t in tensors))
    except ValueError:
        shapes = ", ".join(str(list(t.shape)) for t in tensors)
        raise IndexError(
            f"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}"
        ) from None
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
                1 for k2, *_ in spec[spec.index((kind, *v)) + 1 :] if k2 != "none"
            )
        elif kind == "int":
            size = x.shape[d]
            if not -size <= v[0] < size:
                raise IndexError(
                    f"index {v[0]} is out of bounds for dimension {d} with size {size}"
                )
            d += 1
        elif kind != "none":
            d += 1


def _index_geometry(x, spec):
    """The view geometry of a basic index (ints, slices, None, ...), or None for advanced."""
    g = V.geometry_of(x)
    consumed = builtins.sum(1 for k, *_ in spec if k in ("int", "slice", "full", "tensor"))
    d = 0
    for kind, *v in spec:
        if kind == "int":
            g = V.selected(g, d, v[0])
        elif kind == "slice":
            g = V.sliced(g, d, *v)
            d += 1
        elif kind == "full":
            d += 1
        elif kind == "none":
            g = V.unsqueezed(g, d)
            d += 1
        elif kind == "ellipsis":
            d += x.ndim - consumed
        else:
            return None
    return g


def _dynamic_spec(x, spec):
    """A basic-index spec split into its static part (kinds, lengths, steps) and the positions,
    which the kernel takes as arguments."""
    static, starts = [], []
    consumed = builtins.sum(1 for k, *_ in spec if k in ("int", "slice", "full"))
    d = 0
    for kind, *v in spec:
        if kind == "int":
            starts.append(v[0] % x.shape[d])
            static.append(("int",))
            d += 1
        elif kind == "slice":
            start, stop, step = slice(*v).indices(x.shape[d])
            n = builtins.max(0, (stop - start + step - 1) // step)
            starts.append(start if n else 0)
            static.append(("slice", n, step))
            d += 1
        elif kind == "ellipsis":
            static.append(("ellipsis", x.ndim - consumed))
            d += x.ndim - consumed
        else:
            static.append((kind,))
            d += kind == "full"
    return tuple(static), starts


def _basic_index(input, spec):
    static, starts = _dynamic_spec(input, spec)
    # NOTE: NumPy integers reach the kernel as they are (a new Python int would first become a
    # cached jax scalar, which costs more than the whole indexing).
    out = call(T["basic_getitem"], input, *map(np.int64, starts), spec=static)
    return make_view(input, out, _index_geometry(input, spec))


def getitem(input, key):
    spec, tensors = _index_spec(input, key)
    if tensors:
        return call(T["getitem"], input, *tensors, spec=spec)
    return _basic_index(input, spec)


def _single_mask(key):
    return isinstance(key, Tensor) and key._dtype is D.bool


def setitem(input, key, value):
    """``input[key] = value``: a basic key writes through a view (torch's CopySlices); an
    advanced key is an index_put (IndexPutBackward0)."""
    from .inplace import _check_inplace, _inplace, _snapshot, copy_

    if not isinstance(value, Tensor):
        from .._creation import tensor

        value = tensor(value, dtype=input._dtype)
    if _single_mask(key) and value.numel() == 1:
        if key.shape != input.shape[: key.ndim]:
            _index_spec(input, key)  # raises torch's shape error
        _check_inplace(input)
        mask = key if key.ndim == input.ndim else reshape(key, key.shape + (1,) * (
            input.ndim - key.ndim))  # fmt: skip
        return _inplace(input, call(T["mask_put"], _snapshot(input), mask, reshape(value, ())))
    spec, tensors = _index_spec(input, key)
    if not tensors:
        target = getitem(input, key)
        if value.shape != target.shape:
            # NOTE: torch's setitem drops the value's leading 1s, then expands it to the target.
            lead = next((i for i, n in enumerate(value.shape) if n != 1), value.ndim)
            value = value.reshape(value.shape[lead:]).expand(target.shape)
        copy_(target, value)
        return None
    _put_inplace(input, spec, tensors, value, False)
    return None


# -- more views: movedim, ravel, broadcast_to, unfold, tensor_split, as_strided -------------------
def _type_desc(v, mark=False):
    if isinstance(v, (list, tuple)):
        desc = f"{type(v).__name__} of ({', '.join(type(i).__name__ for i in v)})"
    else:
        desc = type(v).__name__
    return f"!{desc}!" if mark else desc


@public(method=True, aliases=("moveaxis",))
def movedim(input, source, destination):
    n = input.ndim
    seq = isinstance(source, (list, tuple)), isinstance(destination, (list, tuple))
    if seq[0] != seq[1]:
        # NOTE: torch's argument parser rejects mixing an int and a sequence
        s, d = source, destination
        raise TypeError(
            f"movedim() received an invalid combination of arguments - got ({type(s).__name__}, "
            f"{type(d).__name__}), but expected one of:\n * (int source, int destination)\n"
            "      didn't match because some of the arguments have invalid types: "
            f"({_type_desc(s, seq[0])}, {_type_desc(d, seq[1])})\n"
            " * (tuple of ints source, tuple of ints destination)\n"
            "      didn't match because some of the arguments have invalid types: "
            f"({_type_desc(s, True)}, {_type_desc(d, True)})\n"
        )
    given = [list(source) if seq[0] else [source], list(destination) if seq[1] else [destination]]
    if len(given[0]) != len(given[1]):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({given[0]} dims) should "
            f"contain the same number of dims as destination ({given[1]} dims)"
        )
    src, dst = ([_wrap_dim(d, n) for d in dims] for dims in given)
    for which, dims, wrapped in zip(("source", "destination"), given, (src, dst), strict=True):
        if len(set(wrapped)) != len(wrapped):
            raise RuntimeError(f"movedim: repeated dim in `{which}` ({dims})")
    if n == 0:
        return input[...]  # NOTE: torch's movedim of a 0-d tensor is an alias (AliasBackward0)
    order = [None] * n
    for s, d in zip(src, dst):
        order[d] = s
    rest = iter(d for d in range(n) if d not in src)
    dims = tuple(o if o is not None else next(rest) for o in order)
    return permute(input, dims)


@public(method=True)
def ravel(input):
    return view(contiguous(input), -1)


@public(method=True)
def broadcast_to(input, size):
    return expand(input, size)


@public(method=True)
def unfold(input, dimension, size, step):
    d = _wrap_dim(dimension, input.ndim)
    length = input.shape[d] if input.ndim else 1
    if size > length:
        raise RuntimeError(
            f"maximum size for tensor at dimension {d} is {length} but size is {size}"
        )
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    shape, strides, offset = V.geometry_of(input)
    if not shape:  # NOTE: a 0-d tensor unfolds to shape (size,), as in torch
        out = call(T["unfold"], input, dim=0, size=size, step=step)
        return make_view(input, out, ((size,), (1,), offset))
    n = (length - size) // step + 1
    geometry = (
        (*shape[:d], n, *shape[d + 1 :], size),
        (*strides[:d], strides[d] * step, *strides[d + 1 :], strides[d]),
        offset,
    )
    return make_view(input, call(T["unfold"], input, dim=d, size=size, step=step), geometry)


@public(method=True)
def tensor_split(input, indices_or_sections, dim=0):
    d = _wrap_dim(dim, input.ndim)
    size = input.shape[d]
    if isinstance(indices_or_sections, Tensor):
        indices_or_sections = indices_or_sections.tolist()
    if isinstance(indices_or_sections, (list, tuple)):
        bounds = [0, *(builtins.min(builtins.max(int(i), 0), size) for i in indices_or_sections)]
        bounds.append(size)
    else:
        n = int(indices_or_sections)
        if n <= 0:
            raise RuntimeError(f"number of sections must be larger than 0, got {n}")
        q, r = divmod(size, n)
        bounds = [0]
        for i in range(n):
            bounds.append(bounds[-1] + q + (1 if i < r else 0))
    return tuple(narrow(input, d, a, builtins.max(b - a, 0))
                 for a, b in itertools.pairwise(bounds))  # fmt: skip


def _is_int(v):
    return not isinstance(v, builtins.bool) and hasattr(v, "__index__")


def _check_sections(name, sections):
    """torch's argument-parser errors for h/v/dsplit's ``int sections`` or ``tuple of ints
    indices`` (the function's wording)."""
    if isinstance(sections, (list, tuple)):
        for v in sections:
            if not _is_int(v):
                raise TypeError(
                    f"{name}(): argument 'indices' failed to unpack the object at pos 2 with "
                    f'error "type must be tuple of ints,but got {builtins.type(v).__name__}"'
                )
    elif not _is_int(sections):
        got = builtins.type(sections).__name__
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got (Tensor, {got}), but "
            "expected one of:\n * (Tensor input, int sections)\n      didn't match because some "
            f"of the arguments have invalid types: (Tensor, !{got}!)\n * (Tensor input, tuple "
            "of ints indices)\n      didn't match because some of the arguments have invalid "
            f"types: (Tensor, !{got}!)\n"
        )


def _split_dir(name, dim, min_dims):
    def f(input, indices_or_sections):
        if input.ndim < min_dims:
            raise RuntimeError(
                f"torch.{name} requires a tensor with at least {min_dims} dimension, but got a "
                f"tensor with {input.ndim} dimensions!"
            )
        _check_sections(name, indices_or_sections)
        d = 0 if name == "hsplit" and input.ndim == 1 else dim
        if isinstance(indices_or_sections, int) and (
            indices_or_sections == 0 or input.shape[d] % indices_or_sections
        ):
            raise RuntimeError(
                f"torch.{name} attempted to split along dimension {d}, but the size of the "
                f"dimension {input.shape[d]} is not divisible by the split_size "
                f"{indices_or_sections}!"
            )
        return tensor_split(input, indices_or_sections, d)

    f.__name__ = f.__qualname__ = name
    return public(f, method=True)


hsplit = _split_dir("hsplit", 1, 1)
vsplit = _split_dir("vsplit", 0, 2)
dsplit = _split_dir("dsplit", 2, 3)


@public(method=True)
def split_with_sizes(input, split_sizes, dim=0):
    return split(input, list(split_sizes), dim)


@public(method=True)
def as_strided(input, size, stride, storage_offset=None):
    """A window on ``input``'s storage. Read from ``input`` itself when it is a contiguous block
    holding the whole window (so gradients flow through ``input``, as torch's), else from the
    base."""
    shape, strides, own = V.geometry_of(input)
    offset = own if storage_offset is None else int(storage_offset)
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    V.check_window(input, size, stride, offset)
    last = offset + builtins.sum((n - 1) * st for n, st in zip(size, stride) if n)
    src, rel = input._base if input._base is not None else input, offset
    if V.is_contiguous(shape, strides):
        if own <= offset and last < own + input.numel():
            src, rel = input, offset - own
        elif input.requires_grad and src is not input:
            # the window leaves input's block: read the base's storage with input's block
            # spliced in, so the gradient of input's own elements still reaches input
            flat = src.detach().reshape(-1)
            src = flat.slice_scatter(input.reshape(-1), 0, own, own + input.numel())
    out = call(T["as_strided"], src, np.int64(rel), shape=size, strides=stride)
    return make_view(input, out, (size, stride, offset))


# -- index_put and the real/imaginary parts --------------------------------------------------------
def _put_args(input, indices, values):
    """``index_put``'s indices as an index spec, and ``values`` as a tensor."""
    if not isinstance(indices, (list, tuple)):
        raise TypeError("index_put(): argument 'indices' must be tuple of Tensors")
    spec, tensors = _index_spec(input, tuple(indices))
    if not isinstance(values, Tensor):
        from .._creation import tensor

        values = tensor(values, dtype=input._dtype)
    return spec, tensors, values


def _check_put_shape(input, spec, tensors, values):
    target = call(T["getitem"], input, *tensors, spec=spec).shape
    if values.shape != target:
        try:
            check_expand(values.shape, list(target))
        except RuntimeError:
            raise RuntimeError(
                f"shape mismatch: value tensor of shape {list(values.shape)} cannot be broadcast "
                f"to indexing result of shape {list(target)}"
            ) from None
    return values


def _put_inplace(input, spec, tensors, values, accumulate):
    """``input[indices] = values`` (or ``+=`` with ``accumulate``) in place: IndexPutBackward0."""
    from .inplace import _check_inplace, _inplace, _snapshot

    _check_inplace(input)
    values = _check_put_shape(input, spec, tensors, values)
    return _inplace(input, call(T["index_put"], _snapshot(input), values, *tensors, spec=spec,
                                accumulate=bool(accumulate)))  # fmt: skip


def index_put_(input, indices, values, accumulate=False):
    spec, tensors, values = _put_args(input, indices, values)
    return _put_inplace(input, spec, tensors, values, accumulate)


@public(method=True, inplace=index_put_)
def index_put(input, indices, values, accumulate=False):
    spec, tensors, values = _put_args(input, indices, values)
    values = _check_put_shape(input, spec, tensors, values)
    return call(T["index_put"], input, values, *tensors, spec=spec, accumulate=bool(accumulate))


def _real_only(what):
    def check(input):
        if input.is_complex():
            raise NotImplementedError(f"torchlike does not implement {what} of complex tensors yet")

    return check


def real(input):
    _real_only("real")(input)
    return input


def imag(input):
    _real_only("imag")(input)
    raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")


def conj(input):
    _real_only("conj")(input)
    return input
