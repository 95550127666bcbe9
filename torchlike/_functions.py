"""The public op functions (``torchlike.add``, ``torchlike.sum``...): argument handling in
PyTorch's signatures, then one call into the op table. Tensor methods and operators are these
same functions, attached at the bottom."""

from __future__ import annotations

import builtins
import collections

import jax
import numpy as np

from . import _dtype as D
from ._dispatch import call, wrap
from ._ops import TABLE as T
from ._tensor import Tensor, _wrap_dim
from .autograd import grad_mode

_Scalar = (builtins.bool, builtins.int, builtins.float, builtins.complex)


def _arg(x):
    """A tensor or a Python scalar, as op calls take them."""
    if x.__class__ is Tensor or isinstance(x, (Tensor, *_Scalar)):
        return x
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, (np.ndarray, list, tuple)):
        from ._creation import tensor

        return tensor(x)
    raise TypeError(f"unsupported operand type: '{builtins.type(x).__name__}'")


def _dims(dim, ndim):
    """``dim`` normalised to a hashable option: None, an int, or a tuple of ints."""
    if dim is None:
        return None
    if isinstance(dim, (list, tuple)):
        return tuple(_wrap_dim(d, ndim) for d in dim)
    return _wrap_dim(dim, ndim)


def _dim_kw(dim, kw):
    # numpy-style aliases that PyTorch accepts
    if "axis" in kw:
        dim = kw.pop("axis")
    keepdim = kw.pop("keepdims", None)
    if kw:
        raise TypeError(f"got an unexpected keyword argument '{next(iter(kw))}'")
    return dim, keepdim


# -- arithmetic -----------------------------------------------------------------------------------
def add(input, other, *, alpha=1, out=None):
    return call(T["add"], _arg(input), _arg(other), alpha=alpha)


def _is_bool(x):
    return x.__class__ is builtins.bool or (isinstance(x, Tensor) and x._dtype is D.bool)


def _check_bool_sub(input, other):
    if _is_bool(input) and _is_bool(other):
        raise RuntimeError(
            "Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` "
            "or `logical_xor()` operator instead."
        )
    if _is_bool(input) or _is_bool(other):
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )


def sub(input, other, *, alpha=1, out=None):
    _check_bool_sub(input, other)
    return call(T["sub"], _arg(input), _arg(other), alpha=alpha)


subtract = sub


def rsub(input, other, *, alpha=1):
    _check_bool_sub(input, other)
    return call(T["rsub"], _arg(input), _arg(other), alpha=alpha)


def mul(input, other, *, out=None):
    return call(T["mul"], _arg(input), _arg(other))


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    if rounding_mode is None:
        return call(T["div"], _arg(input), _arg(other))
    if rounding_mode not in ("floor", "trunc"):
        raise RuntimeError(
            "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'"
        )
    return call(T["div_mode"], _arg(input), _arg(other), rounding_mode=rounding_mode)


divide = true_divide = div


def floor_divide(input, other):
    return call(T["floor_divide"], _arg(input), _arg(other))


def remainder(input, other):
    if not isinstance(input, Tensor):
        return call(T["rremainder"], _arg(input), _arg(other))
    return call(T["remainder"], _arg(input), _arg(other))


def fmod(input, other):
    return call(T["fmod"], _arg(input), _arg(other))


def pow(input, exponent):
    return call(T["pow"], _arg(input), _arg(exponent))


def maximum(input, other):
    return call(T["maximum"], input, other)


def minimum(input, other):
    return call(T["minimum"], input, other)


def _unary(name):
    op = T[name]

    def f(input, *, out=None):
        return call(op, input)

    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Elementwise ``{name}`` (``torch.{name}``)."
    return f


_UNARY = ("neg exp sigmoid tanh sqrt relu rsqrt exp2 log log2 log10 log1p expm1 sin cos tan "
          "asin acos atan sinh cosh reciprocal square abs sign floor ceil round trunc "
          "logical_not isnan isinf isfinite").split()  # fmt: skip
for _name in _UNARY:
    globals()[_name] = _unary(_name)


def neg(input, *, out=None):
    """Elementwise ``neg`` (``torch.neg``)."""
    if input._dtype is D.bool:
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to "
            "invert a mask, use the `~` or `logical_not()` operator instead."
        )
    return call(T["neg"], input)


negative, arcsin, arccos, arctan, absolute = neg, asin, acos, atan, abs  # noqa: F821


def clamp(input, min=None, max=None, *, out=None):
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        bounds = [b for b in (min, max) if b is not None]
        return call(T["clamp_tensor"], input, *bounds, has_min=min is not None,
                    has_max=max is not None)  # fmt: skip
    return call(T["clamp"], input, min=min, max=max)


clip = clamp


def where(condition, input=None, other=None):
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    return call(T["where"], condition, _arg(input), _arg(other))


def _where_method(self, condition, other):
    """``x.where(c, y)`` is ``where(c, x, y)``."""
    return where(condition, self, other)


def lerp(input, end, weight):
    return call(T["lerp"], input, end, _arg(weight))


# -- comparisons and logic ------------------------------------------------------------------------
def _cmp(name):
    op = T[name]

    def f(input, other, *, out=None):
        return call(op, _arg(input), _arg(other))

    f.__name__ = f.__qualname__ = name
    return f


eq, ne, lt, le, gt, ge = (_cmp(n) for n in ("eq", "ne", "lt", "le", "gt", "ge"))
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne
logical_and, logical_or = _cmp("logical_and"), _cmp("logical_or")
bitwise_and, bitwise_or, bitwise_xor = (_cmp(n) for n in ("bitwise_and", "bitwise_or",
                                                          "bitwise_xor"))  # fmt: skip


def equal(input, other) -> bool:
    return input.shape == other.shape and builtins.bool(eq(input, other).all())


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    return builtins.bool(np.allclose(np.asarray(input._array), np.asarray(other._array), rtol,
                                     atol, equal_nan))  # fmt: skip


def nonzero(input, *, as_tuple=False):
    idx = np.nonzero(np.asarray(input._array))
    if as_tuple:
        return tuple(wrap(jax.numpy.asarray(i.astype(np.int64))) for i in idx)
    return wrap(jax.numpy.asarray(np.stack(idx, axis=1).astype(np.int64)))


# -- reductions -----------------------------------------------------------------------------------
def sum(input, dim=None, keepdim=False, *, dtype=None, **kw):
    dim, kd = _dim_kw(dim, kw)
    return call(T["sum"], input, dim=_dims(dim, input.ndim), keepdim=kd or keepdim,
                dtype=None if dtype is None else dtype._np)  # fmt: skip


def mean(input, dim=None, keepdim=False, *, dtype=None, **kw):
    dim, kd = _dim_kw(dim, kw)
    if dtype is not None:
        input = input.to(dtype)
    return call(T["mean"], input, dim=_dims(dim, input.ndim), keepdim=kd or keepdim)


def prod(input, dim=None, keepdim=False, *, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    return call(T["prod"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    if p == "fro" or p is None:
        p = 2
    if p == "nuc":
        raise NotImplementedError("torchlike does not implement the nuclear norm yet")
    if dtype is not None:
        input = input.to(dtype)
    if input._dtype._cat < D._FLOAT:
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{D._LEGACY[input._dtype]}"
        )
    return call(T["norm"], input, p=builtins.float(p), dim=_dims(dim, input.ndim), keepdim=keepdim)


_MinMax = {n: collections.namedtuple(n, ["values", "indices"]) for n in ("max", "min")}


def _return_type(name):
    base = _MinMax[name]

    class R(base):
        __slots__ = ()

        def __repr__(self):
            return f"torch.return_types.{name}(\nvalues={self.values!r},\nindices={self.indices!r})"

    R.__name__ = R.__qualname__ = name
    return R


_ReturnTypes = {n: _return_type(n) for n in ("max", "min")}


def _extreme(name, input, dim, keepdim, other, kw):
    dim, kd = _dim_kw(dim, kw)
    keepdim = kd or keepdim
    if isinstance(dim, Tensor):
        dim, other = None, dim
    if other is not None:
        return (maximum if name == "max" else minimum)(input, other)
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError(
                f"{name}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        return call(T[name], input)
    vals, idx = call(T[f"{name}_dim"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)
    return _ReturnTypes[name](vals, idx)


def max(input, dim=None, keepdim=False, *, other=None, **kw):
    return _extreme("max", input, dim, keepdim, other, kw)


def min(input, dim=None, keepdim=False, *, other=None, **kw):
    return _extreme("min", input, dim, keepdim, other, kw)


def _reduce_dims(dim, ndim):
    """``amax``'s ``dim``: ``()`` (the default) reduces over every dim."""
    return None if isinstance(dim, (list, tuple)) and not dim else _dims(dim, ndim)


def amax(input, dim=(), keepdim=False):
    return call(T["amax"], input, dim=_reduce_dims(dim, input.ndim), keepdim=keepdim)


def amin(input, dim=(), keepdim=False):
    return call(T["amin"], input, dim=_reduce_dims(dim, input.ndim), keepdim=keepdim)


def argmax(input, dim=None, keepdim=False):
    return call(T["argmax"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def argmin(input, dim=None, keepdim=False):
    return call(T["argmin"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def all(input, dim=None, keepdim=False):
    return call(T["all"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def any(input, dim=None, keepdim=False):
    return call(T["any"], input, dim=_dims(dim, input.ndim), keepdim=keepdim)


def cumsum(input, dim, *, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    return call(T["cumsum"], input, dim=_wrap_dim(dim, input.ndim))


def cumprod(input, dim, *, dtype=None):
    if dtype is not None:
        input = input.to(dtype)
    return call(T["cumprod"], input, dim=_wrap_dim(dim, input.ndim))


# -- matrix products ------------------------------------------------------------------------------
def _mm_check(a, b, name):
    sa, sb = a._array.shape, b._array.shape
    if sa and sb and sa[-1] == sb[-1 if len(sb) == 1 else -2] and a._dtype is b._dtype:
        return  # the common, valid case: no error text to build
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to {name} need to be at least 1D, but they are {a.ndim}D and "
            f"{b.ndim}D"
        )
    k_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    if a.shape[-1] != k_b:
        if a.ndim == 1 and b.ndim == 1:
            n, m = a.shape[0], b.shape[0]
            raise RuntimeError(
                f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the same "
                f"number of elements, but got {n} and {m} elements respectively"
            )
        if a.ndim == 2 and b.ndim == 1:
            raise RuntimeError(
                f"size mismatch, got input ({a.shape[0]}), mat ({a.shape[0]}x{a.shape[1]}), "
                f"vec ({b.shape[0]})"
            )
        sa = "x".join(map(str, a.shape if a.ndim <= 2 else (np.prod(a.shape[:-1]), a.shape[-1])))
        sb = "x".join(map(str, b.shape))
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa} and {sb})")
    if a._dtype is not b._dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: {_legacy(a)} != {_legacy(b)}"
        )


_CPP_NAMES = {"Float": "float", "Double": "double", "Long": "long int", "Int": "int",
              "Half": "c10::Half", "BFloat16": "c10::BFloat16"}  # fmt: skip


def _legacy(t):
    return _CPP_NAMES.get(D._LEGACY[t._dtype], t._dtype._name)


def dot(input, other):
    sa, sb = input._array.shape, other._array.shape
    if len(sa) == 1 and sa == sb and input._dtype is other._dtype:
        return call(T["dot"], input, other)
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(
            f"1D tensors expected, but got {input.ndim}D and {other.ndim}D tensors"
        )
    if input._dtype is not other._dtype:
        raise RuntimeError(
            "dot : expected both vectors to have same dtype, but found "
            f"{D._LEGACY[input._dtype]} and {D._LEGACY[other._dtype]}"
        )
    _mm_check(input, other, "dot")
    return call(T["dot"], input, other)


def mv(input, vec):
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(
            f"vector + matrix @ vector expected, got 1, {input.ndim}, {vec.ndim}"
        )
    _mm_check(input, vec, "mv")
    return call(T["mv"], input, vec)


def mm(input, mat2):
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    _mm_check(input, mat2, "mm")
    return call(T["mm"], input, mat2)


def matmul(input, other):
    _mm_check(input, other, "matmul")
    return call(T["matmul"], input, other)


def bmm(input, mat2):
    if input.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    b, _, k = input.shape
    if mat2.shape[:2] != (b, k):
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {k}] but got: "
            f"[{mat2.shape[0]}, {mat2.shape[1]}]."
        )
    _mm_check(input, mat2, "bmm")
    return call(T["bmm"], input, mat2)


def outer(input, vec2):
    for name, v in (("self", input), ("vec2", vec2)):
        if v.ndim != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {name}, but got {v.ndim}-D")
    return call(T["outer"], input, vec2)


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
                from ._creation import tensor

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


# -- conversions ----------------------------------------------------------------------------------
def _to_dtype(input, dtype):
    if dtype is input._dtype:
        return input
    return call(T["to_dtype"], input, dtype=dtype._np)


def to(input, *args, **kwargs):
    """``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other)``."""
    dtype, device = kwargs.pop("dtype", None), kwargs.pop("device", None)
    kwargs.pop("non_blocking", None), kwargs.pop("memory_format", None)
    copy = kwargs.pop("copy", False)
    for a in args:
        if isinstance(a, D.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            dtype, device = a._dtype, a.device
        elif a is not None:
            device = a
    out = _to_dtype(input, dtype) if dtype is not None else input
    if device is not None:
        from ._device import device as _dev

        dev = _dev(device)
        if dev != input.device:
            moved = call(T["clone"], out)
            moved._storage.array = jax.device_put(moved._array, dev.jax_device())
            out = moved
    if copy and out is input:
        out = clone(input)
    return out


def type(input, dtype=None, non_blocking=False):
    if dtype is None:
        return D.legacy_type_name(input._dtype)
    if isinstance(dtype, str):
        dtype = {v: k for k, v in D._LEGACY.items()}[dtype.split(".")[-1][:-len("Tensor")]]
    return _to_dtype(input, dtype)


def _converter(dt):
    def f(input, memory_format=None):
        return _to_dtype(input, dt)

    return f


# -- in-place -------------------------------------------------------------------------------------
def _inplace(self, result):
    """Make ``self`` hold ``result``: same storage (so every alias sees it), version bumped, and
    ``result``'s graph node becomes ``self``'s history."""
    if result._dtype is not self._dtype:
        if not _can_cast(result._dtype, self._dtype):
            raise RuntimeError(
                f"result type {D._LEGACY[result._dtype]} can't be cast to the desired output "
                f"type {D._LEGACY[self._dtype]}"
            )
        result = wrap(result._array.astype(self._dtype._np), result._node, result._out_nr)
    self._storage.array = result._array
    self._vc.value += 1
    if result._node is not None:
        node = result._node
        self._node, self._out_nr = node, result._out_nr
        if node._out is not None:
            node._out = (self._storage, self._vc, self._vc.value, self._dtype)
    return self


def _can_cast(src, dst):
    return src._cat <= dst._cat


def _check_inplace(self):
    if self._req and self._node is None and grad_mode._state.enabled:
        raise RuntimeError(
            "a leaf Variable that requires grad is being used in an in-place operation."
        )


def _snapshot(self):
    """``self`` as the in-place op's own input: the same (immutable) array and graph position in
    a storage of its own, so the op's backward reads the values from before its own write, as
    torch's (which saves the original ``self``, or the result)."""
    t = wrap(self._array, self._node, self._out_nr)
    t._req, t._accum = self._req, self._accum
    return t


def _make_inplace(fn):
    def f(self, *args, **kwargs):
        _check_inplace(self)
        return _inplace(self, fn(_snapshot(self), *args, **kwargs))

    f.__name__ = fn.__name__ + "_"
    return f


def zero_(self):
    _check_inplace(self)
    return _inplace(self, call(T["zero"], self))


def fill_(self, value):
    _check_inplace(self)
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value.ndim} dimensions."
            )
        return _inplace(self, call(T["fill_tensor"], self, value))
    return _inplace(self, call(T["fill"], self, value=value))


def copy_(self, src, non_blocking=False):
    _check_inplace(self)
    return _inplace(self, call(T["copy"], self, _arg(src)))


# -- attach to Tensor -----------------------------------------------------------------------------
_METHODS = (
    "add sub subtract mul multiply div divide true_divide floor_divide remainder fmod pow "
    "maximum minimum clamp clip where lerp eq ne lt le gt ge greater greater_equal less "
    "less_equal not_equal logical_and logical_or bitwise_and bitwise_or bitwise_xor equal "
    "allclose nonzero sum mean prod norm max min amax amin argmax argmin all any cumsum cumprod "
    "dot mv mm matmul bmm outer reshape view view_as reshape_as flatten t transpose swapaxes "
    "permute squeeze unsqueeze expand expand_as clone contiguous to type zero_ fill_ copy_"
).split()
_METHODS += [*_UNARY, "negative", "arcsin", "arccos", "arctan", "absolute"]
_INPLACE = (
    "add sub mul div pow clamp clip neg exp sigmoid tanh sqrt relu rsqrt log sin cos "
    "abs sign floor ceil round trunc reciprocal square remainder fmod lerp"
).split()


def _attach():
    g = globals()
    for name in _METHODS:
        setattr(Tensor, name, g[name])
    for name in _INPLACE:
        setattr(Tensor, name + "_", _make_inplace(g[name]))
    for name, dt in (("float", D.float32), ("double", D.float64), ("half", D.float16),
                     ("bfloat16", D.bfloat16), ("long", D.int64), ("int", D.int32),
                     ("short", D.int16), ("char", D.int8), ("byte", D.uint8), ("bool", D.bool),
                     ("cfloat", D.complex64)):  # fmt: skip
        setattr(Tensor, name, _converter(dt))
    Tensor.where = _where_method
    Tensor.T = property(_T)
    Tensor.mT = property(lambda self: transpose(self, -2, -1))
    Tensor.__getitem__ = getitem
    Tensor.cpu = lambda self, memory_format=None: to(self, "cpu")
    Tensor.cuda = lambda self, device=None, non_blocking=False: to(self, device or "cuda")

    def binop(f, reflected=False):
        def op(self, other):
            if not isinstance(other, (Tensor, *_Scalar, np.generic, np.ndarray)):
                return NotImplemented
            return f(other, self) if reflected else f(self, other)

        return op

    for dunder, f in (("add", add), ("sub", sub), ("mul", mul), ("truediv", div),
                      ("floordiv", floor_divide), ("mod", remainder), ("pow", pow),
                      ("matmul", matmul), ("and", bitwise_and), ("or", bitwise_or),
                      ("xor", bitwise_xor)):  # fmt: skip
        setattr(Tensor, f"__{dunder}__", binop(f))
        setattr(Tensor, f"__r{dunder}__", binop(f, reflected=True))
    Tensor.__radd__ = binop(add)  # NOTE: torch keeps the tensor first (x + 2 for 2 + x).
    Tensor.__rmul__ = binop(mul)
    Tensor.__rsub__ = binop(rsub)
    Tensor.__rtruediv__ = binop(lambda self, other: mul(reciprocal(self), other))  # noqa: F821
    for dunder, f in (("eq", eq), ("ne", ne), ("lt", lt), ("le", le), ("gt", gt), ("ge", ge)):
        setattr(Tensor, f"__{dunder}__", binop(f))
    for dunder, name in (("iadd", "add_"), ("isub", "sub_"), ("imul", "mul_"),
                         ("itruediv", "div_"), ("ipow", "pow_")):  # fmt: skip
        setattr(Tensor, f"__{dunder}__", getattr(Tensor, name))
    Tensor.__neg__ = neg
    Tensor.__pos__ = lambda self: self
    Tensor.__abs__ = abs
    Tensor.__invert__ = lambda self: (logical_not(self) if self._dtype is D.bool  # noqa: F821
                                      else call(T["bitwise_not"], self))  # fmt: skip


_attach()

__all__ = [n for n in _METHODS if not n.endswith("_") and n not in ("type", "to", "contiguous")]
__all__ += ["clamp", "nonzero", "rsub", "swapdims"]
