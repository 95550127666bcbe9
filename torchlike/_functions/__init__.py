"""The public op functions (``torchlike.add``, ``torchlike.sum``...), by family: argument handling
in PyTorch's signatures, then one call into the op table. Tensor methods and operators are these
same functions, attached here."""

from __future__ import annotations

import functools
import inspect

import numpy as np

from .. import _dtype as D
from .._dispatch import call
from .._ops import TABLE as T
from .._tensor import Tensor
from . import complex_numbers, copies, fft, indexing, numeric, runtime, special
from ._common import _Scalar, numpy_aliases
from ._surface import DECLARED, TORCH
from .combine import *
from .combine import _ALL_D, _INPLACE_D, _METHODS_D, _attach_d
from .conversion import *
from .conversion import _converter
from .inplace import *
from .inplace import _make_inplace
from .linalg import *
from .pointwise import *
from .pointwise import _out
from .reduction import *
from .shape import *
from .shape import _T, _view_inplace

# -- attach to Tensor -----------------------------------------------------------------------------
_METHODS = (
    "add sub subtract mul multiply div divide true_divide floor_divide remainder fmod pow "
    "maximum minimum clamp clip where lerp eq ne lt le gt ge greater greater_equal less "
    "less_equal not_equal logical_and logical_or bitwise_and bitwise_or bitwise_xor equal "
    "allclose nonzero sum mean prod norm max min amax amin argmax argmin all any cumsum cumprod "
    "dot mv mm matmul bmm outer reshape view view_as reshape_as flatten t transpose swapaxes "
    "permute squeeze unsqueeze expand expand_as clone contiguous to type zero_ fill_ copy_ "
    "narrow select diagonal unbind split chunk unflatten movedim moveaxis ravel broadcast_to "
    "unfold tensor_split hsplit vsplit dsplit split_with_sizes as_strided swapdims index_put "
    "index_put_ conj"
).split()
_METHODS += [n for n in _METHODS_D if n not in _METHODS]
_INPLACE = (
    "add sub mul div pow clamp clip neg exp sigmoid tanh sqrt relu rsqrt log sin cos "
    "abs sign floor ceil round trunc reciprocal square remainder fmod lerp"
).split()


_OPERANDS = (Tensor, *_Scalar, np.generic, np.ndarray)


# Functions whose own bodies take ``out=`` but do not write it: wrapped here so ``out=`` gets
# torch's semantics (written in place, resized, no autograd); multi-output ones refuse it.
_OUT_VIA_WRAPPER = (
    "logcumsumexp quantile nanquantile histc neg clamp xlogy logit heaviside addcmul addcdiv "
    "nan_to_num float_power addmv baddbmm addbmm addr vdot inner kron inverse hstack vstack dstack "
    "column_stack tril triu gather index_select masked_select diag cross eq ne lt le gt ge "
    "logical_and logical_or"
).split()
_OUT_REFUSED = ("sort", "topk", "kthvalue")


def _support_out():
    g = globals()
    wrapped = {}
    for name in _OUT_VIA_WRAPPER + list(_OUT_REFUSED):
        if name in DECLARED:
            continue
        fn = g[name]
        if id(fn) in wrapped:
            continue

        def make(fn=fn, name=name):
            @functools.wraps(fn)
            def f(*args, out=None, **kwargs):
                if out is None:
                    return fn(*args, **kwargs)
                if name in _OUT_REFUSED:
                    raise NotImplementedError(f"torchlike does not implement {name}(out=...) yet")
                return _out(name, out, lambda: fn(*args, **kwargs), args)

            return f

        wrapped[id(fn)] = make()
    for key, value in list(g.items()):
        if callable(value) and id(value) in wrapped:
            g[key] = wrapped[id(value)]


_support_out()


def _accept_numpy_names():
    g = globals()
    for name in _METHODS:
        if name in DECLARED:
            continue
        fn = g[name]
        if callable(fn) and "dim" in inspect.signature(fn).parameters:
            g[name] = numpy_aliases(fn)


def _matrix_transpose(name):
    def f(self):
        if self.ndim < 2:
            raise RuntimeError(
                f"tensor.{name} is only supported on matrices or batches of matrices. Got "
                f"{self.ndim}-D tensor."
            )
        out = transpose(self, -2, -1)
        return out.conj() if name == "mH" and self.is_complex() else out

    return f


def _attach():
    g = globals()
    for name in _METHODS:
        if name not in DECLARED:
            setattr(Tensor, name, g[name])
    for name in _INPLACE:
        if name not in DECLARED:
            setattr(Tensor, name + "_", _make_inplace(g[name]))
    for name in ("unsqueeze", "squeeze", "t", "transpose", "swapaxes", "swapdims"):
        setattr(Tensor, name + "_", _view_inplace(g[name]))
    for name, dt in (("float", D.float32), ("double", D.float64), ("half", D.float16),
                     ("bfloat16", D.bfloat16), ("long", D.int64), ("int", D.int32),
                     ("short", D.int16), ("char", D.int8), ("byte", D.uint8), ("bool", D.bool),
                     ("cfloat", D.complex64)):  # fmt: skip
        setattr(Tensor, name, _converter(dt))
    Tensor.T = property(_T)
    Tensor.mT = property(_matrix_transpose("mT"))
    Tensor.mH = property(_matrix_transpose("mH"))
    Tensor.H = property(lambda self: t(self).conj() if self.is_complex() else t(self))
    Tensor.__getitem__ = getitem
    Tensor.__setitem__ = setitem
    Tensor.real = property(real)
    Tensor.imag = property(imag)
    Tensor.cpu = lambda self, memory_format=None: to(self, "cpu")
    Tensor.cuda = lambda self, device=None, non_blocking=False: to(self, device or "cuda")

    def binop(f, reflected=False):
        def op(self, other):
            if not isinstance(other, _OPERANDS):
                return NotImplemented
            return f(other, self) if reflected else f(self, other)

        return op

    for dunder, f in (("add", add), ("sub", sub), ("mul", mul), ("truediv", div),
                      ("floordiv", floor_divide), ("mod", remainder), ("pow", pow),
                      ("matmul", matmul), ("and", bitwise_and), ("or", bitwise_or),
                      ("xor", bitwise_xor), ("lshift", bitwise_left_shift),
                      ("rshift", bitwise_right_shift)):  # fmt: skip
        setattr(Tensor, f"__{dunder}__", binop(f))
        setattr(Tensor, f"__r{dunder}__", binop(f, reflected=True))
    Tensor.__radd__ = binop(add)  # NOTE: torch keeps the tensor first (x + 2 for 2 + x).
    Tensor.__rmul__ = binop(mul)
    Tensor.__rsub__ = binop(rsub)
    Tensor.__rtruediv__ = binop(lambda self, other: mul(reciprocal(self), other))
    for dunder, f in (("eq", eq), ("ne", ne), ("lt", lt), ("le", le), ("gt", gt), ("ge", ge)):
        setattr(Tensor, f"__{dunder}__", binop(f))
    for dunder, name in (("iadd", "add_"), ("isub", "sub_"), ("imul", "mul_"),
                         ("itruediv", "div_"), ("ipow", "pow_")):  # fmt: skip
        setattr(Tensor, f"__{dunder}__", getattr(Tensor, name))
    Tensor.__neg__ = neg
    Tensor.__pos__ = lambda self: self
    Tensor.__abs__ = abs
    Tensor.__invert__ = lambda self: (logical_not(self) if self._dtype is D.bool
                                      else call(T["bitwise_not"], self))  # fmt: skip


_INPLACE += [n for n in _INPLACE_D if n not in _INPLACE]
_accept_numpy_names()
_attach()
_attach_d(globals())

__all__ = [n for n in _METHODS if not n.endswith("_") and n not in ("type", "to", "contiguous")]
__all__ += ["clamp", "nonzero", "rsub", "swapdims", "real", "imag"]
__all__ += [n for n in _ALL_D if n not in __all__]

# Names declared with ``@public`` (see ``_surface``) join the namespace here.
globals().update(TORCH)
__all__ += [n for n in TORCH if n not in __all__]
