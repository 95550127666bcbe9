"""dtype objects, PyTorch's type promotion, and the bridge to JAX/numpy dtypes."""

from __future__ import annotations

import builtins

import jax.numpy as jnp
import numpy as np

__all__ = [
    "dtype", "float16", "bfloat16", "float32", "float64", "complex64", "complex128",
    "uint8", "int8", "int16", "int32", "int64", "uint64", "bool",
    "half", "float", "double", "cfloat", "cdouble", "short", "int", "long",
    "promote_types", "get_default_dtype", "set_default_dtype",
]  # fmt: skip

# Category order used by promotion: bool < integral < floating < complex.
_BOOL, _INT, _FLOAT, _COMPLEX = 0, 1, 2, 3


class dtype:
    """A tensor element type, printed as PyTorch prints it (``torch.float32``)."""

    __slots__ = ("_name", "_np", "_cat", "itemsize", "is_signed")

    def __init__(self, name: str, np_dtype, cat: int, is_signed: bool):
        self._name = name
        self._np = np.dtype(np_dtype)
        self._cat = cat
        self.itemsize = self._np.itemsize
        self.is_signed = is_signed

    @property
    def is_floating_point(self) -> bool:
        return self._cat == _FLOAT

    @property
    def is_complex(self) -> bool:
        return self._cat == _COMPLEX

    def to_complex(self) -> dtype:
        return {float64: complex128, complex128: complex128}.get(self, complex64)

    def to_real(self) -> dtype:
        return {complex64: float32, complex128: float64}.get(self, self)

    def __repr__(self) -> str:
        return f"torch.{self._name}"

    def __reduce__(self):
        return self._name


float16 = dtype("float16", jnp.float16, _FLOAT, True)
bfloat16 = dtype("bfloat16", jnp.bfloat16, _FLOAT, True)
float32 = dtype("float32", np.float32, _FLOAT, True)
float64 = dtype("float64", np.float64, _FLOAT, True)
complex64 = dtype("complex64", np.complex64, _COMPLEX, True)
complex128 = dtype("complex128", np.complex128, _COMPLEX, True)
uint8 = dtype("uint8", np.uint8, _INT, False)
int8 = dtype("int8", np.int8, _INT, True)
int16 = dtype("int16", np.int16, _INT, True)
int32 = dtype("int32", np.int32, _INT, True)
int64 = dtype("int64", np.int64, _INT, True)
bool = dtype("bool", np.bool_, _BOOL, False)
# NOTE: like torch's "barebones" unsigned types, uint64 only holds values (hash_tensor's
# result); torch promotes it with nothing but itself and the floating/complex types.
uint64 = dtype("uint64", np.uint64, _INT, False)

half, float, double = float16, float32, float64
cfloat, cdouble = complex64, complex128
short, int, long = int16, int32, int64

_ALL = (bool, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64,
        complex64, complex128)  # fmt: skip
_FROM_NP = {d._np: d for d in (*_ALL, uint64)}

# The legacy type names used in error messages ("[torch.FloatTensor [3]]").
_LEGACY = {
    float32: "Float", float64: "Double", float16: "Half", bfloat16: "BFloat16",
    int64: "Long", int32: "Int", int16: "Short", int8: "Char", uint8: "Byte", bool: "Bool",
    complex64: "ComplexFloat", complex128: "ComplexDouble", uint64: "UInt64",
}  # fmt: skip


def legacy_type_name(dt: dtype) -> str:
    return f"torch.{_LEGACY[dt]}Tensor"


# The C++ type names some of torch's messages print ("with dtype 'long int'").
_CPP = {
    float32: "float", float64: "double", float16: "c10::Half", bfloat16: "c10::BFloat16",
    int64: "long int", int32: "int", int16: "short int", int8: "signed char",
    uint8: "unsigned char", bool: "bool", complex64: "c10::complex<float>",
    complex128: "c10::complex<double>", uint64: "unsigned long",
}  # fmt: skip


def cpp_type_name(dt: dtype) -> str:
    return _CPP[dt]


def from_numpy_dtype(np_dtype) -> dtype:
    try:
        return _FROM_NP[np.dtype(np_dtype)]
    except KeyError:
        raise TypeError(
            f"can't convert np.ndarray of type {np.dtype(np_dtype)}. The only supported types "
            "are: float64, float32, float16, complex64, complex128, int64, int32, int16, int8, "
            "uint8, and bool."
        ) from None


# PyTorch's promotion lattice (c10/core/ScalarType.cpp), written as the promoted
# result of each pair in the order of _ALL.
_ORDER = "b1 u1 i1 i2 i4 i8 f2 bf f4 f8 c4 c8".split()
_TABLE = """
b1 b1 u1 i1 i2 i4 i8 f2 bf f4 f8 c4 c8
u1 u1 u1 i2 i2 i4 i8 f2 bf f4 f8 c4 c8
i1 i1 i2 i1 i2 i4 i8 f2 bf f4 f8 c4 c8
i2 i2 i2 i2 i2 i4 i8 f2 bf f4 f8 c4 c8
i4 i4 i4 i4 i4 i4 i8 f2 bf f4 f8 c4 c8
i8 i8 i8 i8 i8 i8 i8 f2 bf f4 f8 c4 c8
f2 f2 f2 f2 f2 f2 f2 f2 f4 f4 f8 c4 c8
bf bf bf bf bf bf bf f4 bf f4 f8 c4 c8
f4 f4 f4 f4 f4 f4 f4 f4 f4 f4 f8 c4 c8
f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 f8 c8 c8
c4 c4 c4 c4 c4 c4 c4 c4 c4 c4 c8 c4 c8
c8 c8 c8 c8 c8 c8 c8 c8 c8 c8 c8 c8 c8
"""
_BY_CODE = dict(zip(_ORDER, _ALL, strict=True))
_PROMOTE = {}
for _row in _TABLE.strip().splitlines():
    _a, *_cells = _row.split()
    for _b, _c in zip(_ORDER, _cells, strict=True):
        _PROMOTE[_BY_CODE[_a], _BY_CODE[_b]] = _BY_CODE[_c]
_PROMOTE[uint64, uint64] = uint64
for _d in (float16, bfloat16, float32, float64, complex64, complex128):
    _PROMOTE[uint64, _d] = _PROMOTE[_d, uint64] = _d


def promote_types(type1: dtype, type2: dtype) -> dtype:
    """The smallest dtype both ``type1`` and ``type2`` convert to, as ``torch.promote_types``."""
    try:
        return _PROMOTE[type1, type2]
    except KeyError:
        raise RuntimeError(
            "Promotion for uint16, uint32, uint64 types is not supported, attempted to promote "
            f"{_LEGACY[type1]} and {_LEGACY[type2]}"
        ) from None


class _DefaultDtype:
    value = float32


def get_default_dtype() -> dtype:
    return _DefaultDtype.value


def set_default_dtype(d: dtype) -> None:
    if d not in (float32, float64, float16, bfloat16):
        raise TypeError("only floating-point types are supported as the default type")
    _DefaultDtype.value = d


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    # Mirrors at::native::combine_categories: a lower-priority group only wins
    # when it is of a higher category.
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher._cat == _COMPLEX:
        return higher
    if lower._cat == _COMPLEX:
        return higher.to_complex() if higher._cat == _FLOAT else lower
    if higher._cat == _FLOAT:
        return higher
    if higher is bool or lower._cat == _FLOAT:
        return promote_types(higher, lower)
    return higher


def scalar_dtype(value) -> dtype:
    """The dtype a Python scalar takes as a wrapped number in promotion."""
    if isinstance(value, (builtins.bool, np.bool_)):
        return bool
    if isinstance(value, complex):
        return get_default_dtype().to_complex()
    if isinstance(value, (builtins.float, np.floating)):
        return get_default_dtype()
    return int64


def result_type_of(dims: list[dtype], zero_dims: list[dtype], scalars: list[dtype]) -> dtype:
    """PyTorch's result type given the dtypes of dimensioned tensors, 0-dim tensors and
    Python scalars (each group promoted within, then combined by category)."""
    groups = []
    for group in (dims, zero_dims, scalars):
        acc = None
        for d in group:
            acc = d if acc is None else promote_types(acc, d)
        groups.append(acc)
    return _combine(groups[0], _combine(groups[1], groups[2]))
