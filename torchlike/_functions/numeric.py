"""The rest of torch's tensor math and construction: rank raising, broadcasting helpers, block
matrices and products, integration and numerical gradients, float decomposition, renorm,
log-spaced ranges, windows, resizing, strided/permuted empties and small predicates."""

from __future__ import annotations

import builtins
import itertools
import math
import warnings

import numpy as np

from .. import _dtype as D
from .._dispatch import broadcast_shape as _broadcast_pair_error
from .._dispatch import call
from .._ops import TABLE as T
from .._tensor import Size, Tensor, _wrap_dim
from ..return_types import structseq
from ._common import _arg, _dims, check_tensors
from ._surface import TORCH, public

__all__ = [
    "atleast_1d", "atleast_2d", "atleast_3d", "block_diag", "broadcast_tensors",
    "broadcast_shapes", "cartesian_prod", "combinations", "trapezoid", "trapz",
    "cumulative_trapezoid", "gradient", "frexp", "ldexp", "nextafter", "renorm", "logspace",
    "scalar_tensor", "empty_strided", "empty_permuted", "fill",
    "bartlett_window", "blackman_window", "hamming_window", "hann_window", "kaiser_window",
    "range", "row_stack", "chain_matmul", "adjoint", "fix", "frobenius_norm", "nuclear_norm",
    "is_same_size", "is_signed", "binomial", "resize_as_",
]  # fmt: skip

_frexp = structseq("frexp", ("mantissa", "exponent"))


def _F():
    """The ``_functions`` namespace (cat, stack, ...), read at call time: its modules are
    being rewritten, the public names are not."""
    from .. import _functions

    return _functions


def _creation():
    from .. import _creation

    return _creation


def _tensors(args):
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        return list(args[0]), True
    return list(args), len(args) != 1


# -- rank raising and broadcasting ----------------------------------------------------------------
def _atleast(args, raise_to):
    ts, several = _tensors(args)
    out = tuple(raise_to(t) for t in ts)
    return out if several else out[0]


@public
def atleast_1d(*tensors):
    """Each input viewed with at least one dimension (a tuple for several inputs)."""
    return _atleast(tensors, lambda t: t.reshape(1) if t.ndim == 0 else t)


@public
def atleast_2d(*tensors):
    """Each input viewed with at least two dimensions (``(n,)`` becomes ``(1, n)``)."""

    def up(t):
        if t.ndim == 0:
            return t.reshape(1, 1)
        return t.unsqueeze(0) if t.ndim == 1 else t

    return _atleast(tensors, up)


@public
def atleast_3d(*tensors):
    """Each input viewed with at least three dimensions (``(m, n)`` becomes ``(m, n, 1)``)."""

    def up(t):
        if t.ndim == 0:
            return t.reshape(1, 1, 1)
        if t.ndim == 1:
            return t.unsqueeze(0).unsqueeze(-1)
        return t.unsqueeze(-1) if t.ndim == 2 else t

    return _atleast(tensors, up)


@public
def broadcast_shapes(*shapes) -> Size:
    """The shape every one of ``shapes`` broadcasts to."""
    result: list[int] = []
    for s in shapes:
        s = (s,) if isinstance(s, builtins.int) else tuple(s)
        for n in s:
            if n < 0:
                raise ValueError("Attempting to broadcast a dimension with negative length!")
        if len(s) > len(result):
            result = [1] * (len(s) - len(result)) + result
    for i, s in enumerate(shapes):
        s = (s,) if isinstance(s, builtins.int) else tuple(s)
        for k in builtins.range(1, len(s) + 1):
            n = s[-k]
            if n == 1:
                continue
            if result[-k] == 1:
                result[-k] = n
            elif result[-k] != n:
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {n} at {-k}! Mismatching "
                    f"argument at index {i} had {tuple(s)}; but expected shape should be "
                    f"broadcastable to {result}"
                )
    return Size(result)




@public
def broadcast_tensors(*tensors):
    """The inputs expanded to one common shape (views; an input already of that shape is
    returned as it is)."""
    ts, _ = _tensors(tensors)
    shape = _broadcast_pair_error([t.shape for t in ts])
    return tuple(t if tuple(t.shape) == shape else t.expand(*shape) for t in ts)


# -- block matrices and products ------------------------------------------------------------------
@public
def block_diag(*tensors):
    """A block-diagonal matrix of the inputs (0-d and 1-d inputs are 1 x n blocks)."""
    for i, t in enumerate(tensors):
        if t.ndim > 2:
            raise RuntimeError(
                f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input {i} has "
                f"{t.ndim} dimensions"
            )
    if not tensors:
        return _creation().empty(1, 0)
    return call(T["block_diag"], *tensors)


def _check_vector(t):
    if t.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")


@public
def cartesian_prod(*tensors):
    """All tuples of one element from each 1-D input, as rows (one input: itself)."""
    for t in tensors:
        _check_vector(t)
    if len(tensors) == 1:
        return tensors[0]
    F = _F()
    grids = F.meshgrid(*tensors, indexing="ij")
    return F.stack([g.flatten() for g in grids], 1)


@public
def combinations(input, r=2, with_replacement=False):
    """The length-``r`` combinations of a 1-D tensor's elements, as rows."""
    _check_vector(input)
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return _creation().empty(0, dtype=input._dtype)
    pick = itertools.combinations_with_replacement if with_replacement else \
        itertools.combinations  # fmt: skip
    idx = np.array(list(pick(builtins.range(input.shape[0]), r)), np.int64).reshape(-1, r)
    from .._creation import tensor

    cols = [input.index_select(0, tensor(idx[:, k])) for k in builtins.range(r)]
    return _F().stack(cols, 1)


@public(out=True)
def chain_matmul(*matrices):
    """The product of the matrices, left to right (deprecated: ``torch.linalg.multi_dot``)."""
    warnings.warn(
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use "
        "torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than "
        "multiple parameters.", UserWarning, stacklevel=2,
    )  # fmt: skip
    if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)):
        matrices = tuple(matrices[0])
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for m in matrices:
        if m.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {m.ndim}, expected 2 instead.")
    if len(matrices) == 1:
        return matrices[0].clone()
    out = matrices[0]
    for m in matrices[1:]:
        out = out.mm(m)
    # NOTE: torch's chain_matmul returns multi_dot's result through a view.
    return out.view(*out.shape)


@public(method=True)
def adjoint(input):
    """The conjugate transpose of the last two dims (a view)."""
    if input.ndim < 2:
        raise RuntimeError(
            "tensor.adjoint() is only supported on matrices or batches of matrices. Got "
            f"{input.ndim}-D tensor."
        )
    out = input.transpose(-2, -1)
    return out.conj() if input._dtype.is_complex else out


# -- integration and numerical gradients ----------------------------------------------------------
def _trapezoid_args(name, y, x, dx, dim):
    if y._dtype is D.bool:
        raise RuntimeError(f"{name}: received a bool input for `y`, but bool is not supported")
    if x is not None and dx is not None:
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got (Tensor, x=Tensor, "
            f"dx={builtins.type(dx).__name__}), but expected one of:"
        )
    d = _wrap_dim(dim, y.ndim)
    if x is None or not isinstance(x, Tensor):
        return d, None, 1 if dx is None and x is None else (x if dx is None else dx)
    if x.ndim == 1:
        if x.shape[0] != y.shape[d]:
            raise RuntimeError(f"{name}: There must be one `x` value for each sample point")
        shape = [1] * y.ndim
        shape[d] = x.shape[0]
        xv = x.view(*shape)
    elif x.ndim < y.ndim:
        xv = x.view(*([1] * (y.ndim - x.ndim)), *x.shape)
    else:
        xv = x
    n = xv.shape[d]
    return d, xv.narrow(d, 1, n - 1) - xv.narrow(d, 0, n - 1), None


def _zeros_except(y, d):
    shape = [n for k, n in enumerate(y.shape) if k != d]
    return _creation().zeros(*shape, dtype=y._dtype)


@public
def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The trapezoid rule along ``dim``: samples ``y`` at points ``x`` (or spacing ``dx``)."""
    d, dxt, step = _trapezoid_args("trapezoid", y, x, dx, dim)
    n = y.shape[d]
    if n == 0:
        return _zeros_except(y, d)
    if dxt is None:
        ends = (y.select(d, 0) + y.select(d, -1)) * 0.5
        return call(T["mul_scalar"], y.sum(d) - ends, _arg(step))
    pair = y.narrow(d, 0, n - 1) + y.narrow(d, 1, n - 1)
    _broadcast_pair_error([pair.shape, dxt.shape])
    return call(T["div_scalar"], (pair * dxt).sum(d), 2.0)


@public
def trapz(y, x=None, *, dx=None, dim=-1):
    """``trapezoid`` (its older name)."""
    return trapezoid(y, x, dx=dx, dim=dim)


@public
def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """The running trapezoid-rule integral along ``dim`` (one fewer element)."""
    d, dxt, step = _trapezoid_args("cumulative_trapezoid", y, x, dx, dim)
    n = y.shape[d]
    left, right = (
        y.narrow(d, 0, builtins.max(n - 1, 0)),
        y.narrow(d, builtins.min(n, 1), builtins.max(n - 1, 0)),
    )
    if dxt is None:
        return call(T["mul_scalar"], left + right, _arg(step / 2.0)).cumsum(d)
    return call(T["div_scalar"], ((left + right) * dxt).cumsum(d), 2.0)


def _gradient_spacing(input, spacing, dims, dim_given):
    if isinstance(spacing, (list, tuple)):
        if len(spacing) != len(dims):
            if dim_given:
                raise RuntimeError(
                    "torch.gradient expected spacing to be unspecified, a scalar or it's spacing "
                    "and dim arguments to have the same length, but got a spacing argument of "
                    f"length {len(spacing)} and a dim argument of length {len(dims)}."
                )
            raise RuntimeError(
                "torch.gradient expected spacing to be unspecified, a scalar, or a list of "
                f"length equal to 'self.dim() = {input.ndim}', since dim argument was not "
                f"given, but got a list of length {len(spacing)}"
            )
        return list(spacing)
    if isinstance(spacing, Tensor):
        return [spacing.item()] * len(dims)
    if spacing is None:
        spacing = 1
    return [spacing] * len(dims)


def _gradient_1d(f, d, h, edge_order):
    n = f.shape[d]

    def sl(a, b):
        return f.narrow(d, a if a >= 0 else n + a, (b if b > 0 else n + b) - (a if a >= 0 else
                                                                            n + a))  # fmt: skip

    if not isinstance(h, Tensor):
        center = (sl(2, n) - sl(0, -2)) / (2.0 * h)
        if edge_order == 1:
            first = (sl(1, 2) - sl(0, 1)) / h
            last = (sl(-1, n) - sl(-2, -1)) / h
        else:
            first = (sl(0, 1) * -1.5 + sl(1, 2) * 2.0 - sl(2, 3) * 0.5) / h
            last = (sl(-3, -2) * 0.5 - sl(-2, -1) * 2.0 + sl(-1, n) * 1.5) / h
        return _F().cat([first, center, last], d)
    # Coordinates: second-order differences on an uneven grid (as numpy.gradient).
    shape = [1] * f.ndim
    shape[d] = -1
    x = h.to(f._dtype).view(*shape) if h.ndim == 1 else h
    m = x.shape[d]
    dx = x.narrow(d, 1, m - 1) - x.narrow(d, 0, m - 1)
    dx1, dx2 = dx.narrow(d, 0, m - 2), dx.narrow(d, 1, m - 2)
    a = -dx2 / (dx1 * (dx1 + dx2))
    b = (dx2 - dx1) / (dx1 * dx2)
    c = dx1 / (dx2 * (dx1 + dx2))
    center = a * sl(0, -2) + b * sl(1, -1) + c * sl(2, n)
    if edge_order == 1:
        first = (sl(1, 2) - sl(0, 1)) / dx.narrow(d, 0, 1)
        last = (sl(-1, n) - sl(-2, -1)) / dx.narrow(d, m - 2, 1)
    else:
        p, q = dx.narrow(d, 0, 1), dx.narrow(d, 1, 1)
        first = (-(2.0 * p + q) / (p * (p + q))) * sl(0, 1) + ((p + q) / (p * q)) * sl(1, 2) \
            + (-p / (q * (p + q))) * sl(2, 3)  # fmt: skip
        p, q = dx.narrow(d, m - 3, 1), dx.narrow(d, m - 2, 1)
        last = (q / (p * (p + q))) * sl(-3, -2) + (-(q + p) / (p * q)) * sl(-2, -1) \
            + ((2.0 * q + p) / (q * (p + q))) * sl(-1, n)  # fmt: skip
    return _F().cat([first, center, last], d)


@public
def gradient(input, *, spacing=1, dim=None, edge_order=1):
    """Central-difference estimates of ``input``'s derivative along each of ``dim`` (one
    tensor per dim); ``spacing``: a scalar, one scalar per dim, or one coordinate tensor per
    dim; ``edge_order`` 1 or 2 at the ends."""
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    dim_given = dim is not None
    if dim is None:
        dims = list(builtins.range(input.ndim))
    elif isinstance(dim, builtins.int):
        dims = [_wrap_dim(dim, input.ndim)]
    else:
        dims = [_wrap_dim(d, input.ndim) for d in dim]
    if len(set(dims)) != len(dims):
        dup = next(d for d in dims if dims.count(d) > 1)
        raise RuntimeError(f"dim {dup} appears multiple times in the list of dims")
    hs = _gradient_spacing(input, spacing, dims, dim_given)
    for d in dims:
        if input.shape[d] < edge_order + 1:
            raise RuntimeError(
                "torch.gradient expected each dimension size to be at least edge_order+1"
            )
    f = input if input._dtype._cat >= D._FLOAT else input.to(D.get_default_dtype())
    return tuple(_gradient_1d(f, d, h, edge_order) for d, h in zip(dims, hs, strict=True))


# -- floats ---------------------------------------------------------------------------------------
@public(method=True, out=True)
def frexp(input):
    """``(mantissa, exponent)`` with ``input = mantissa * 2**exponent``, ``|mantissa|`` in
    [0.5, 1)."""
    if input._dtype._cat != D._FLOAT:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    m, e = call(T["frexp"], input)
    return _frexp(m, e)


def _float_of(dt):
    return dt if dt._cat >= D._FLOAT else D.get_default_dtype()


@public(method=True, inplace=True, torch_inplace=True, out=True)
def ldexp(input, other):
    """``input * 2**other``."""
    from .._ops._registry import result_dtype

    check_tensors("ldexp", input, other)

    x, e = _arg(input), _arg(other)
    # NOTE: torch computes input * pow(2.0, other): the power is float, so is the result.
    if isinstance(e, Tensor):
        e = e if e._dtype._cat >= D._FLOAT else e.to(D.get_default_dtype())
    else:
        e = builtins.float(e)
    dt = result_dtype([a._array if isinstance(a, Tensor) else a for a in (x, e)])
    dt = _float_of(dt)
    return call(T["ldexp"], _as(x, dt), _as(e, dt))


def _as(x, dt):
    if isinstance(x, Tensor):
        return x if x._dtype is dt else x.to(dt)
    return x


def _nextafter_inplace(self, other):
    from .inplace import _check_inplace, _inplace, _snapshot

    _check_inplace(self)
    return _inplace(self, nextafter(_snapshot(self), other))


@public(method=True, inplace=_nextafter_inplace, out=True)
def nextafter(input, other):
    """The next representable float after ``input`` towards ``other``."""
    from .._ops._registry import result_dtype

    dt = result_dtype([input._array, _arg(other)._array if isinstance(other, Tensor) else other])
    if dt._cat != D._FLOAT:
        raise NotImplementedError(f"\"nextafter_cpu\" not implemented for '{D._LEGACY[dt]}'")
    return call(T["nextafter"], input, _arg(other))


@public(method=True, inplace=True, aliases=(), out=True)
def renorm(input, p, dim, maxnorm):
    """Each slice along ``dim`` whose ``p``-norm exceeds ``maxnorm`` scaled down to it."""
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {_num(maxnorm)}")
    if input.ndim < 2:
        raise RuntimeError(
            f"renorm: input needs at least 2 dimensions, got {input.ndim} dimensions"
        )
    if input._dtype._cat < D._FLOAT:
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{D._LEGACY[input._dtype]}"
        )
    return call(T["renorm"], input, p=builtins.float(p), dim=_wrap_dim(dim, input.ndim),
                maxnorm=builtins.float(maxnorm))  # fmt: skip


def _num(v):
    return builtins.int(v) if builtins.float(v).is_integer() else v


@public(method=True, torch_inplace=True, inplace=True, out=True)
def fix(input):
    """``trunc`` (its NumPy name)."""
    return input.trunc()


@public
def frobenius_norm(input, dim, keepdim=False):
    """The Frobenius norm over ``dim`` (at most two dims)."""
    warnings.warn(
        "at::frobenius_norm is deprecated and it is just left for JIT compatibility. It will be "
        "removed in a future PyTorch release. Please use `linalg.vector_norm(A, 2., dim, "
        "keepdim)` instead", UserWarning, stacklevel=2,
    )  # fmt: skip
    dim = (dim,) if isinstance(dim, builtins.int) else tuple(dim)
    if len(dim) > 2:
        raise RuntimeError(f"Expected at most 2 dimensions, but got {len(dim)} dimensions instead.")
    if input._dtype._cat < D._FLOAT:
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{D._LEGACY[input._dtype]}"
        )
    dims = tuple(_wrap_dim(d, input.ndim) for d in dim) or tuple(builtins.range(input.ndim))
    return call(T["frobenius_norm"], input, dims=dims, keepdim=builtins.bool(keepdim))


@public
def nuclear_norm(input, dim=None, keepdim=False):
    """The sum of singular values of the matrices in the two dims ``dim`` (default the last
    two of a matrix)."""
    from .linalg import matrix_norm

    warnings.warn(
        "at::nuclear_norm is deprecated and it is just left for JIT compatibility. It will be "
        "removed in a future PyTorch release. Please use `linalg.matrix_norm(A, 'nuc', dim, "
        "keepdim)` instead", UserWarning, stacklevel=2,
    )  # fmt: skip
    if input.ndim < 2:
        raise RuntimeError(
            "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
        )
    return matrix_norm(input, "nuc", dim=(-2, -1) if dim is None else tuple(dim), keepdim=keepdim)


# -- construction ---------------------------------------------------------------------------------
def _device(device):
    return device


def check_space_args(name, start, end, steps):
    """torch's argument errors of linspace/logspace: ``steps`` an int (or a tensor), ``start``
    and ``end`` numbers or 0-d tensors."""
    if isinstance(steps, builtins.bool) or not isinstance(
        steps, (builtins.int, np.integer, Tensor)
    ):
        names = ", ".join(
            "Tensor" if isinstance(a, Tensor) else builtins.type(a).__name__
            for a in (start, end, steps)
        )
        raise TypeError(
            f"{name}() received an invalid combination of arguments - got ({names}), but "
            "expected one of:"
        )
    tensors = [(which, t) for which, t in (("start", start), ("end", end)) if isinstance(t, Tensor)]
    # torch names every tensor bound (a 0-d one too) once one of them is not 0-d
    bad = [f"{which} with {t.ndim} dimension(s)" for which, t in tensors]
    if builtins.any(t.ndim for _, t in tensors):
        raise RuntimeError(
            f"{name} only supports 0-dimensional start and end tensors, but got "
            f"{' and '.join(bad)}."
        )


@public(out=True)
def logspace(start, end, steps, base=10.0, *, dtype=None, layout=None, device=None,
             requires_grad=False):  # fmt: skip
    """``steps`` values ``base ** v`` for ``v`` evenly spaced from ``start`` to ``end``."""
    check_space_args("logspace", start, end, steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dtype = dtype or D.get_default_dtype()
    start, end = (builtins.float(v.item() if isinstance(v, Tensor) else v) for v in (start, end))
    if dtype._cat <= D._INT:
        start, end = builtins.float(builtins.int(start)), builtins.float(builtins.int(end))
    v = np.linspace(start, end, steps) if steps != 1 else np.array([start])
    out = np.power(builtins.float(base), v)
    if dtype._cat <= D._INT:
        out = np.trunc(out)
    from .._creation import tensor

    return tensor(out.astype(dtype._np) if dtype is not D.bfloat16 else out, dtype=dtype,
                  device=device, requires_grad=requires_grad)  # fmt: skip


@public
def scalar_tensor(s, *, dtype=None, layout=None, device=None, pin_memory=False,
                  requires_grad=False):  # fmt: skip
    """A 0-d tensor holding ``s`` (of the default float dtype unless ``dtype`` is given)."""
    from .._creation import full

    return full((), s.item() if isinstance(s, Tensor) else s, dtype=dtype or D.get_default_dtype(),
                device=device, requires_grad=requires_grad)  # fmt: skip


def _size_arg(size):
    if len(size) == 1 and isinstance(size[0], (list, tuple, Size)):
        size = size[0]
    return tuple(builtins.int(s) for s in size)


@public
def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):  # fmt: skip
    """A new tensor of ``size`` (zeros: XLA has no uninitialised memory; its layout is
    contiguous whatever ``stride`` asks)."""
    size = _size_arg((size,))
    if len(tuple(stride)) != len(size):
        raise RuntimeError("mismatch in length of strides and shape")
    return _creation().zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)


@public
def empty_permuted(size, physical_layout, *, dtype=None, layout=None, device=None,
                   requires_grad=False, pin_memory=False):  # fmt: skip
    """A new tensor of ``size`` (zeros; contiguous whatever ``physical_layout`` asks)."""
    size = _size_arg((size,))
    if len(size) != len(physical_layout):
        raise RuntimeError(
            "Number of dimensions in size does not match the length of the physical_layout; "
            f"i.e. len(size) = {len(size)} is not equal to len(physical_layout) = "
            f"{len(physical_layout)}"
        )
    seen = set()
    for i, d in enumerate(physical_layout):
        if not 0 <= d < len(size):
            raise RuntimeError(
                f"Dimension out of range (expected to be between 0 and {len(size) - 1}, but got "
                f"{d} at index {i}).  NB: negative dims not currently supported; file an issue "
                "if you want it."
            )
        if d in seen:
            raise RuntimeError("Duplicate dim not allowed")
        seen.add(d)
    return _creation().zeros(*size, dtype=dtype, device=device, requires_grad=requires_grad)


def new_empty_strided(self, size, stride, *, dtype=None, layout=None, device=None,
                      requires_grad=False, pin_memory=False):  # fmt: skip
    """A new tensor of ``size`` with ``self``'s dtype (zeros, contiguous)."""
    return empty_strided(size, stride, dtype=dtype or self._dtype, device=device,
                         requires_grad=requires_grad)  # fmt: skip


public(new_empty_strided, function=False, method=True)


@public
def fill(input, value):
    """A new tensor of ``input``'s shape and dtype filled with ``value`` (a number or a 0-d
    tensor, which receives the gradient)."""
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(
            f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} "
            "dimensions."
        )
    return call(T["fill_new"], input, _arg(value))


def fill_(input, value):
    """``torch.fill_``: ``input.fill_(value)``."""
    return input.fill_(value)


TORCH["fill_"] = fill_


def _window(name, n, periodic, dtype, requires_grad, device, formula):
    if n < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got window_length={n}")
    dtype = dtype or D.get_default_dtype()
    if dtype._cat != D._FLOAT:
        raise RuntimeError(
            f"{name} expects floating point dtypes, got: TensorOptions(dtype={_c_name(dtype)}, "
            "device=cpu, layout=Strided (default), requires_grad=false (default), "
            "pinned_memory=false, memory_format=(nullopt))"
        )
    if n <= 1:
        w = np.ones(n)
    else:
        m = n + 1 if periodic else n
        w = formula(np.arange(m, dtype=np.float64), m)[:n]
    from .._creation import tensor

    return tensor(w, dtype=dtype, device=device, requires_grad=requires_grad)


def _c_name(dt):
    return {D.int64: "long int", D.int32: "int", D.int16: "short int", D.int8: "signed char",
            D.uint8: "unsigned char", D.bool: "bool"}.get(dt, str(dt))  # fmt: skip


@public
def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None,
                   layout=None, device=None, pin_memory=False, requires_grad=False):  # fmt: skip
    """``alpha - beta * cos(2 pi n / (N - 1))`` (``periodic``: one longer, last dropped)."""
    return _window("hamming_window", window_length, periodic, dtype, requires_grad, device,
                   lambda k, m: alpha - beta * np.cos(2 * np.pi * k / (m - 1)))  # fmt: skip


@public
def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                pin_memory=False, requires_grad=False):  # fmt: skip
    """``0.5 - 0.5 * cos(2 pi n / (N - 1))``."""
    return _window("hann_window", window_length, periodic, dtype, requires_grad, device,
                   lambda k, m: 0.5 - 0.5 * np.cos(2 * np.pi * k / (m - 1)))  # fmt: skip


@public
def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    pin_memory=False, requires_grad=False):  # fmt: skip
    """The triangular window ``1 - |2n / (N - 1) - 1|``."""
    return _window("bartlett_window", window_length, periodic, dtype, requires_grad, device,
                   lambda k, m: 1 - np.abs(2 * k / (m - 1) - 1))  # fmt: skip


@public
def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    pin_memory=False, requires_grad=False):  # fmt: skip
    """``0.42 - 0.5 cos(2 pi n / (N - 1)) + 0.08 cos(4 pi n / (N - 1))``."""
    return _window("blackman_window", window_length, periodic, dtype, requires_grad, device,
                   lambda k, m: 0.42 - 0.5 * np.cos(2 * np.pi * k / (m - 1))
                   + 0.08 * np.cos(4 * np.pi * k / (m - 1)))  # fmt: skip


@public
def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None,
                  device=None, pin_memory=False, requires_grad=False):  # fmt: skip
    """``I0(beta * sqrt(1 - (2n / (N - 1) - 1)**2)) / I0(beta)``."""
    return _window("kaiser_window", window_length, periodic, dtype, requires_grad, device,
                   lambda k, m: np.i0(beta * np.sqrt(np.clip(1 - (2 * k / (m - 1) - 1) ** 2, 0,
                                                             None))) / np.i0(beta))  # fmt: skip


@public(out=True)
def range(start=0, end=None, step=1, *, dtype=None, layout=None, device=None,
          requires_grad=False):  # fmt: skip
    """Values from ``start`` to ``end`` *inclusive* by ``step`` (deprecated: ``arange``)."""
    warnings.warn(
        "torch.range is deprecated and will be removed in a future release because its behavior "
        "is inconsistent with Python's range builtin. Instead, use torch.arange, which produces "
        "values in [start, end).", UserWarning, stacklevel=2,
    )  # fmt: skip
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    n = math.floor((end - start) / step) + 1
    dtype = dtype or D.get_default_dtype()
    vals = start + np.arange(n, dtype=np.float64) * step
    from .._creation import tensor

    return tensor(vals.astype(dtype._np) if dtype is not D.bfloat16 else vals, dtype=dtype,
                  device=device, requires_grad=requires_grad)  # fmt: skip


@public(out=True)
def row_stack(tensors):
    """``vstack`` (its NumPy name)."""
    return _F().vstack(tensors)


# -- small predicates -----------------------------------------------------------------------------
@public
def is_same_size(input, other) -> bool:
    return input.shape == other.shape


@public
def is_signed(input) -> bool:
    return input.is_signed()


# -- sampling -------------------------------------------------------------------------------------
@public
def binomial(count, prob, generator=None):
    """Draws from Binomial(``count``, ``prob``) elementwise (float tensors)."""
    if count._dtype._cat != D._FLOAT:
        raise ValueError(
            f"binomial only supports floating-point dtypes for count, got: "
            f"{D._LEGACY[count._dtype]}"
        )
    if prob._dtype is not count._dtype:
        raise RuntimeError(
            f"Found dtype {D._LEGACY[prob._dtype]} but expected {D._LEGACY[count._dtype]}"
        )
    import jax
    import jax.numpy as jnp

    from .._creation import _key
    from .._dispatch import wrap

    shape = _broadcast_pair_error([count.shape, prob.shape])
    n = jnp.broadcast_to(count._array, shape)
    p = jnp.broadcast_to(prob._array, shape)
    # NOTE: a draw, not an op: no gradient flows (torch's binomial has no derivative either).
    draw = jax.random.binomial(_key(generator), n, p, dtype=n.dtype)
    return wrap(jnp.where(p >= 1, n, jnp.where(p <= 0, 0, draw)).astype(n.dtype))


# -- resizing -------------------------------------------------------------------------------------
def resize_(self, *sizes, memory_format=None):
    """Give ``self`` a new shape in place: its first elements are kept, new ones are zeros
    (torch's are uninitialised). ``self`` gets a fresh storage."""
    import jax.numpy as jnp

    from .._storage import Storage

    if self.requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    shape = _size_arg(sizes)
    if any(s < 0 for s in shape):
        raise RuntimeError(
            f"Trying to create tensor with negative dimension {min(shape)}: {list(shape)}"
        )
    n = math.prod(shape)
    flat = self._array.reshape(-1)[:n]
    if flat.shape[0] < n:
        flat = jnp.concatenate([flat, jnp.zeros(n - flat.shape[0], flat.dtype)])
    if tuple(self.shape) != shape:
        self._storage = Storage(flat.reshape(shape))
        self._base = self._views = None
        self._counter().value += 1
    return self


public(resize_, function=False, method=True)


@public(method=True)
def resize_as_(input, the_template, *, memory_format=None):
    """``input.resize_(the_template.shape)``."""
    return resize_(input, the_template.shape)


def resize(self, *sizes):
    """A copy of ``self`` in a new shape of the same number of elements (deprecated)."""
    warnings.warn("non-inplace resize is deprecated", UserWarning, stacklevel=2)
    shape = _size_arg(sizes)
    if math.prod(shape) != self.numel():
        desc = "x".join(str(s) for s in shape)
        have = "x".join(str(s) for s in self.shape)
        raise RuntimeError(
            f"requested resize to {desc} ({math.prod(shape)} elements in total), but the given "
            f"tensor has a size of {have} ({self.numel()} elements). autograd's resize can only "
            "change the shape of a given tensor, while preserving the number of elements. "
        )
    return call(T["resize_copy"], self, shape=shape)


public(resize, function=False, method=True)


def resize_as(self, tensor):
    """``self.resize(tensor.shape)`` (deprecated)."""
    warnings.warn("non-inplace resize_as is deprecated", UserWarning, stacklevel=2)
    return call(T["resize_copy"], self, shape=tuple(tensor.shape)) if math.prod(
        tensor.shape) == self.numel() else resize(self, *tensor.shape)  # fmt: skip


public(resize_as, function=False, method=True)


def sum_to_size(self, *size):
    """``self`` summed down to ``size`` (which must expand to ``self``'s shape)."""
    shape = _size_arg(size)
    lead = self.ndim - len(shape)
    ok = lead >= 0 and all(s in (1, n) for s, n in zip(shape, self.shape[lead:], strict=True))
    if not ok:
        raise RuntimeError(
            f"size {{{list(shape)}}} is not expandable to size {{{list(self.shape)}}}."
        )
    if not shape:
        # NOTE: torch's sum_to starts with this full sum, so even a 0-d ``self`` gets a new
        # (SumBackward0, integer-promoted) result.
        return self.sum()
    if tuple(self.shape) == shape:
        return self
    # NOTE: as torch's sum_to: one keepdim sum over the leading and the size-1 dims, then a
    # view dropping the leading ones.
    dims = tuple(builtins.range(lead)) + tuple(
        lead + k for k, s in enumerate(shape) if s == 1 and self.shape[lead + k] != 1
    )
    out = self.sum(dims, keepdim=True) if dims else self
    return out.view(*shape) if lead else out


public(sum_to_size, function=False, method=True)


@public(method=True, out=True)
def hash_tensor(input, dim=None, *, keepdim=False, mode=0):
    """The xor of ``input``'s elements, each widened to 64 bits (float64 for floating types,
    int64 otherwise) and read as uint64; over ``dim`` (an int or a tuple, default all)."""
    if mode != 0:
        raise RuntimeError(f"Unknown hash_tensor mode: {mode}")
    if dim is None and input.numel() == 0:
        raise RuntimeError(
            "hash_tensor: Expected reduction dim to be specified for input.numel() == 0. "
            "Specify the reduction dim with the 'dim' argument."
        )
    dims = _dims(dim, input.ndim)
    if dims is None or dims == ():
        dims = tuple(builtins.range(input.ndim))
    elif isinstance(dims, builtins.int):
        dims = (dims,)
    dims = dims if input.ndim else ()
    for d in dims:
        if input.shape[d] == 0:
            raise IndexError(f"hash_tensor: Expected reduction dim {d} to have non-zero size.")
    return call(T["hash_tensor"], input, dims=dims, keepdim=keepdim)
