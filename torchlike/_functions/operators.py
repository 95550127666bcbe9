"""Python's operators on Tensor, one line each. Each binds the plain Tensor method (never the
``out=`` wrapper of the ``torch.`` function), so ``x + y`` costs one call into ``Tensor.add``."""

from __future__ import annotations

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from . import linalg  # noqa: F401  (declares Tensor.matmul)
from ._common import _Scalar
from .pointwise import rsub
from .shape import getitem, setitem

_OPERANDS = (Tensor, *_Scalar, np.generic, np.ndarray)


def _binop(f):
    """``self <op> other`` as ``f(self, other)``; ``NotImplemented`` for other operand types."""

    def op(self, other):
        if not isinstance(other, _OPERANDS):
            return NotImplemented
        return f(self, other)

    op.__name__ = op.__qualname__ = getattr(f, "__name__", "op")
    return op


def _reflected(f):
    """``other <op> self`` as ``f(other, self)``."""

    def op(self, other):
        if not isinstance(other, _OPERANDS):
            return NotImplemented
        return f(other, self)

    op.__name__ = op.__qualname__ = getattr(f, "__name__", "op")
    return op


def _rtruediv(self, other):
    return Tensor.mul(Tensor.reciprocal(self), other)


def _invert(self):
    return Tensor.logical_not(self) if self._dtype is D.bool else Tensor.bitwise_not(self)


def _pos(self):
    return self


Tensor.__getitem__ = getitem
Tensor.__setitem__ = setitem

Tensor.__add__ = _binop(Tensor.add)
Tensor.__radd__ = _binop(Tensor.add)  # NOTE: torch keeps the tensor first (x + 2 for 2 + x).
Tensor.__iadd__ = Tensor.add_
Tensor.__sub__ = _binop(Tensor.sub)
Tensor.__rsub__ = _binop(rsub)
Tensor.__isub__ = Tensor.sub_
Tensor.__mul__ = _binop(Tensor.mul)
Tensor.__rmul__ = _binop(Tensor.mul)
Tensor.__imul__ = Tensor.mul_
Tensor.__truediv__ = _binop(Tensor.div)
Tensor.__rtruediv__ = _binop(_rtruediv)
Tensor.__rdiv__ = Tensor.__rtruediv__  # NOTE: Python 2's name, which torch still defines
Tensor.__itruediv__ = Tensor.div_
Tensor.__floordiv__ = _binop(Tensor.floor_divide)
Tensor.__rfloordiv__ = _reflected(Tensor.floor_divide)
Tensor.__mod__ = _binop(Tensor.remainder)
Tensor.__rmod__ = _reflected(Tensor.remainder)
Tensor.__pow__ = _binop(Tensor.pow)
Tensor.__rpow__ = _reflected(Tensor.pow)
Tensor.__ipow__ = Tensor.pow_
Tensor.__matmul__ = _binop(Tensor.matmul)
Tensor.__rmatmul__ = _reflected(Tensor.matmul)
Tensor.__and__ = _binop(Tensor.bitwise_and)
Tensor.__rand__ = _reflected(Tensor.bitwise_and)
Tensor.__or__ = _binop(Tensor.bitwise_or)
Tensor.__ror__ = _reflected(Tensor.bitwise_or)
Tensor.__xor__ = _binop(Tensor.bitwise_xor)
Tensor.__rxor__ = _reflected(Tensor.bitwise_xor)
Tensor.__lshift__ = _binop(Tensor.bitwise_left_shift)
Tensor.__rlshift__ = _reflected(Tensor.bitwise_left_shift)
Tensor.__rshift__ = _binop(Tensor.bitwise_right_shift)
Tensor.__rrshift__ = _reflected(Tensor.bitwise_right_shift)

Tensor.__eq__ = _binop(Tensor.eq)
Tensor.__ne__ = _binop(Tensor.ne)
Tensor.__lt__ = _binop(Tensor.lt)
Tensor.__le__ = _binop(Tensor.le)
Tensor.__gt__ = _binop(Tensor.gt)
Tensor.__ge__ = _binop(Tensor.ge)

Tensor.__neg__ = Tensor.neg
Tensor.__pos__ = _pos
Tensor.__abs__ = Tensor.abs
Tensor.__invert__ = _invert
