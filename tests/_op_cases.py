"""The op reference table: one line per case, driving ``tests/test_ops.py``.

A case is ``C(id, fn, *inputs, **flags)``. ``fn(m, *args)`` runs the case on a module ``m``
(``torch`` or ``torchlike``); each input is an ``In`` spec (built from the same NumPy array for
both libraries) or a plain Python value passed through unchanged. Inputs whose dtype is ``"f"``
take the case's float dtype: such cases run once for float32 and once for float64.

Flags:
    numgrad   run the float64 central-difference gradient check (default: when the case has
              a differentiable ``"f"`` input and no ``edge`` flag)
    edge      the inputs sit on a kink (zeros, ties, bounds): compare with torch only
    err       an error-parity case: torch must raise, and torchlike the same type and text
    xfail     reason string: a known mismatch that only a file outside the op table can fix
"""

from __future__ import annotations

import dataclasses
import zlib
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["CASES", "Case", "In", "expand"]

_INF, _NAN = float("inf"), float("nan")


@dataclasses.dataclass(frozen=True)
class In:
    """One tensor input: ``shape`` and ``dtype`` ("f" = the case's float dtype, else a NumPy
    dtype name), drawn by ``kind`` or given by ``values``; ``grad`` marks it differentiable."""

    shape: tuple = ()
    dtype: str = "f"
    kind: str = "randn"
    values: Any = None
    grad: bool = True

    def make(self, rng: np.random.Generator, fdtype: str) -> np.ndarray:
        dt = np.dtype(fdtype if self.dtype == "f" else self.dtype)
        if self.values is not None:
            return np.array(self.values, dtype=dt)
        s = self.shape
        if dt == np.bool_:
            return rng.random(s) < 0.5
        if dt.kind in "iu":
            lo, hi = {"randn": (-5, 6), "pos": (1, 6), "nonzero": (1, 6), "idx": (0, 2)}[self.kind]
            a = rng.integers(lo, hi, s)
            if self.kind == "nonzero":
                a = a * rng.choice([-1, 1], s)
            return a.astype(dt)
        draw = {
            "randn": lambda: rng.standard_normal(s),
            "pos": lambda: rng.uniform(0.5, 2.0, s),
            "unit": lambda: rng.uniform(-0.9, 0.9, s),
            "away": lambda: rng.uniform(0.3, 1.5, s) * rng.choice([-1.0, 1.0], s),
        }[self.kind]
        return np.asarray(draw(), dtype=dt)


def F(*shape, kind="randn", grad=True):
    return In(shape, "f", kind, None, grad)


def V(values, dtype="f", grad=True):
    return In(np.shape(values), dtype, "values", values, grad)


def I64(*shape, kind="randn"):
    return In(shape, "int64", kind, None, False)


def I32(*shape, kind="randn"):
    return In(shape, "int32", kind, None, False)


def B(*shape):
    return In(shape, "bool", "randn", None, False)


def F32(*shape, kind="randn", grad=True):
    return In(shape, "float32", kind, None, grad)


def F64(*shape, kind="randn", grad=True):
    return In(shape, "float64", kind, None, grad)


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    fn: Callable
    inputs: tuple
    fdtype: str = "float32"
    numgrad: bool = True
    edge: bool = False
    err: bool = False
    xfail: str | None = None

    def arrays(self, fdtype: str | None = None) -> list:
        rng = np.random.default_rng(zlib.crc32(self.id.encode()))
        fd = fdtype or self.fdtype
        return [a.make(rng, fd) if isinstance(a, In) else a for a in self.inputs]

    @property
    def floating(self) -> bool:
        return any(isinstance(a, In) and a.dtype == "f" for a in self.inputs)

    @property
    def gradcheck(self) -> bool:
        """Whether the float64 numerical gradient check applies."""
        diff = [a for a in self.inputs if isinstance(a, In) and a.grad and a.dtype != "bool"
                and not a.dtype.startswith(("int", "uint"))]  # fmt: skip
        return (self.numgrad and not self.edge and not self.err and bool(diff)
                and all(a.dtype == "f" for a in diff))  # fmt: skip


def C(id, fn, *inputs, **flags) -> Case:
    return Case(id, fn, inputs, **flags)


def expand(cases) -> list[Case]:
    """Each case with ``"f"`` inputs becomes a float32 and a float64 case."""
    out = []
    for c in cases:
        if c.floating:
            out += [dataclasses.replace(c, id=f"{c.id}-{t}", fdtype=f"float{t[1:]}")
                    for t in ("f32", "f64")]  # fmt: skip
        else:
            out.append(c)
    return out


def _F(m):
    return m.nn.functional


# fmt: off
_MASK = [[True, False, True], [False, False, True]]
_TIES = [[1.0, 3.0, 3.0], [2.0, 2.0, -1.0]]
_EDGES = [-2.0, -0.5, 0.0, 0.5, 2.0, 0.25]

CASES = [
    # -- add / sub / mul: tensors, broadcasting, scalars on either side, promotion ------------
    C("add",                  lambda m, x, y: m.add(x, y), F(2, 3), F(2, 3)),
    C("add-broadcast",        lambda m, x, y: x + y, F(2, 3), F(3)),
    C("add-broadcast-both",   lambda m, x, y: x + y, F(2, 1), F(1, 3)),
    C("add-alpha",            lambda m, x, y: m.add(x, y, alpha=2), F(2, 3), F(3)),
    C("add-scalar",           lambda m, x: x + 2, F(2, 3)),
    C("radd-scalar",          lambda m, x: 2.5 + x, F(2, 3)),
    C("add-0d",               lambda m, x, y: x + y, F(3), F()),
    C("add-0d-0d",            lambda m, x, y: x + y, F(), F()),
    C("add-empty",            lambda m, x, y: x + y, F(0, 3), F(3)),
    C("add-int-float-scalar", lambda m, x: x + 1.5, I64(2, 3)),
    C("add-int-int",          lambda m, x, y: x + y, I64(2, 3), I32(3)),
    C("add-int32-0d-int64",   lambda m, x, y: x + y, I32(3), I64()),
    C("add-int-0d-float",     lambda m, x, y: x + y, I64(3), F()),
    C("add-f32-0d-f64",       lambda m, x, y: x + y, F32(3), F64()),
    C("add-f32-f64",          lambda m, x, y: x + y, F32(3), F64(3)),
    C("add-bool-bool",        lambda m, x, y: x + y, B(4), B(4)),
    C("add-bool-int-scalar",  lambda m, x: x + 3, B(4)),
    C("add-float-bool",       lambda m, x, y: x + y, F(4), B(4)),
    C("sub",                  lambda m, x, y: x - y, F(2, 3), F(3)),
    C("subtract-alias",       lambda m, x, y: m.subtract(x, y), F(3), F(3)),
    C("multiply-alias",       lambda m, x, y: x.multiply(y), F(3), F(3)),
    C("true-divide-alias",    lambda m, x, y: m.true_divide(x, y), F(3), F(3, kind="pos")),
    C("sub-alpha",            lambda m, x, y: m.sub(x, y, alpha=3), F(2, 3), F(2, 3)),
    C("sub-scalar",           lambda m, x: x - 2, F(2, 3)),
    C("rsub-scalar",          lambda m, x: 2 - x, F(2, 3)),
    C("rsub-fn",              lambda m, x, y: m.rsub(x, y), F(2, 3), F(3)),
    C("sub-int",              lambda m, x: x - 1.5, I64(3)),
    C("sub-bool-bool",        lambda m, x, y: x - y, B(3), B(3), err=True),
    C("rsub-bool-scalar",     lambda m, x: True - x, B(3), err=True),
    C("sub-float-bool-scalar", lambda m, x: x - True, F(3), err=True),
    C("sub-bool-float",       lambda m, x, y: x - y, B(3), F(3), err=True),
    C("mul-float-bool-scalar", lambda m, x: x * True, I32(3)),
    C("mul",                  lambda m, x, y: x * y, F(2, 3), F(3)),
    C("mul-scalar",           lambda m, x: x * 3, F(2, 3)),
    C("rmul-scalar",          lambda m, x: 0.5 * x, F(2, 3)),
    C("mul-0d",               lambda m, x, y: x * y, F(), F(3)),
    C("mul-int-float-scalar", lambda m, x: x * 0.5, I64(2, 3)),
    C("mul-bool-bool",        lambda m, x, y: x * y, B(4), B(4)),
    C("mul-same-input",       lambda m, x: x * x, F(2, 3)),
    # -- division family --------------------------------------------------------------------
    C("div",                  lambda m, x, y: x / y, F(2, 3), F(3, kind="pos")),
    C("div-scalar",           lambda m, x: x / 4, F(2, 3)),
    C("rdiv-scalar",          lambda m, x: 2 / x, F(2, 3, kind="pos")),
    C("div-int-int",          lambda m, x, y: x / y, I64(2, 3), I64(3, kind="nonzero")),
    C("div-int-scalar",       lambda m, x: x / 2, I64(4)),
    C("div-floor",            lambda m, x, y: m.div(x, y, rounding_mode="floor"),
      F(2, 3), F(3, kind="away")),
    C("div-trunc",            lambda m, x, y: x.div(y, rounding_mode="trunc"),
      F(2, 3), F(3, kind="away")),
    C("div-floor-scalar",     lambda m, x: x.div(2, rounding_mode="floor"), F(2, 3)),
    C("div-floor-int",        lambda m, x, y: m.div(x, y, rounding_mode="floor"),
      V([-7, -3, 3, 7]), V([2, 2, -2, -2])),
    C("div-floor-int64",      lambda m, x, y: m.div(x, y, rounding_mode="floor"),
      V([-7, -3, 3, 7], "int64"), V([2, 2, -2, -2], "int64")),
    C("div-trunc-int64",      lambda m, x, y: m.div(x, y, rounding_mode="trunc"),
      V([-7, -3, 3, 7], "int64"), V([2, 2, -2, -2], "int64")),
    C("div-bad-mode",         lambda m, x: m.div(x, 2, rounding_mode="round"), F(3), err=True),
    C("floordiv",             lambda m, x, y: x // y, F(2, 3, grad=False), F(3, kind="away"),
      numgrad=False),
    C("floordiv-neg",         lambda m, x, y: x // y,
      V([-7.0, -3.5, 3.0, 7.5], grad=False), V([2.0, -2.0, -2.0, 2.0], grad=False)),
    C("floordiv-int-neg",     lambda m, x, y: x // y,
      V([-7, -3, 3, 7, 0], "int64"), V([2, -2, -2, 2, -3], "int64")),
    C("floordiv-int-scalar",  lambda m, x: x // 2, V([-7, -3, 3, 7], "int64")),
    C("floordiv-backward",    lambda m, x, y: x // y, F(3), F(3, kind="away"), numgrad=False),
    C("remainder",            lambda m, x, y: x % y, F(2, 3), F(3, kind="away")),
    C("remainder-scalar",     lambda m, x: x % 1.5, F(2, 3)),
    C("remainder-neg",        lambda m, x, y: m.remainder(x, y),
      V([-7.0, -3.5, 3.0, 7.5, 0.0]), V([2.0, -2.0, -2.0, 2.0, -3.0]), edge=True),
    C("remainder-int-neg",    lambda m, x, y: x % y,
      V([-7, -3, 3, 7, 0], "int64"), V([2, -2, -2, 2, -3], "int64")),
    C("remainder-int-scalar", lambda m, x: x % -3, V([-7, -3, 3, 7], "int64")),
    C("rremainder-scalar",    lambda m, x: 5 % x, F(3, kind="away"), numgrad=False),
    C("remainder-scalar-fn",  lambda m, x: m.remainder(-5, x), I64(3, kind="nonzero")),
    C("fmod",                 lambda m, x, y: m.fmod(x, y), F(2, 3), F(3, kind="away")),
    C("fmod-scalar",          lambda m, x: x.fmod(-1.5), F(2, 3)),
    C("fmod-int-neg",         lambda m, x, y: m.fmod(x, y),
      V([-7, -3, 3, 7], "int64"), V([2, -2, -2, 2], "int64")),
    # -- pow ----------------------------------------------------------------------------------
    C("pow-scalar",           lambda m, x: x ** 2, F(2, 3)),
    C("pow-scalar-frac",      lambda m, x: x ** 2.5, F(2, 3, kind="pos")),
    C("pow-scalar-neg",       lambda m, x: x.pow(-1), F(2, 3, kind="pos")),
    C("pow-tensor",           lambda m, x, y: x ** y, F(2, 3, kind="pos"), F(3)),
    C("pow-tensor-0d",        lambda m, x, y: m.pow(x, y), F(2, 3, kind="pos"), F()),
    C("rpow-scalar",          lambda m, x: 2 ** x, F(2, 3)),
    C("pow-int-scalar",       lambda m, x: x ** 2, I64(2, 3)),
    C("pow-int-float-scalar", lambda m, x: x ** 0.5, I64(3, kind="pos")),
    C("pow-int-tensor",       lambda m, x, y: x ** y, I64(3, kind="pos"), I64(3, kind="pos")),
    C("pow-at-zero",          lambda m, x: x ** 2, V([0.0, 1.0, -2.0]), edge=True),
    C("pow-zero-base",        lambda m, x, y: x ** y, V([0.0, 0.0, 2.0]), V([2.0, 0.0, 1.5]),
      edge=True),
    C("pow-zero-exponent",    lambda m, x: x ** 0, V([0.0, 1.5, -2.0]), edge=True),
    C("pow-zero-exp-tensor",  lambda m, x, y: m.pow(x, y), V([0.0, 1.5, -2.0]), V([0.0, 0.0, 0.0]),
      edge=True),
    C("pow-float-int-tensor", lambda m, x, y: x.pow(y), F(2, 3), I64(3, kind="pos")),
    C("pow-square",           lambda m, x: m.square(x), F(2, 3)),
    # -- binary max / min ---------------------------------------------------------------------
    C("maximum",              lambda m, x, y: m.maximum(x, y), F(2, 3), F(3)),
    C("minimum",              lambda m, x, y: m.minimum(x, y), F(2, 3), F(3)),
    C("maximum-ties",         lambda m, x, y: m.maximum(x, y), V([1.0, 2.0, 3.0]),
      V([1.0, 0.0, 3.0]), edge=True),
    C("maximum-int-float",    lambda m, x, y: m.maximum(x, y), I64(3), F(3, grad=False)),
    C("max-binary",           lambda m, x, y: m.max(x, y), F(2, 3), F(2, 3)),
    C("min-binary",           lambda m, x, y: x.min(y), F(2, 3), F(3)),
    # -- comparisons and logic ----------------------------------------------------------------
    C("lt",                   lambda m, x, y: x < y, F(2, 3), F(3), numgrad=False),
    C("le-scalar",            lambda m, x: x <= 0.5, F(2, 3), numgrad=False),
    C("gt-reflected",         lambda m, x: 0 > x, F(2, 3), numgrad=False),
    C("ge-int-float",         lambda m, x, y: x >= y, I64(3), F(3), numgrad=False),
    C("eq",                   lambda m, x, y: x == y, V([1.0, 2.0, 3.0]), V([1.0, 0.0, 3.0]),
      numgrad=False),
    C("ne-scalar",            lambda m, x: x != 2, I64(4)),
    C("eq-fn",                lambda m, x, y: m.eq(x, y), I64(2, 3), I64(3)),
    C("logical-and",          lambda m, x, y: m.logical_and(x, y), B(4), I64(4)),
    C("logical-or",           lambda m, x, y: m.logical_or(x, y), F(4), B(4), numgrad=False),
    C("logical-not",          lambda m, x: m.logical_not(x), I64(4)),
    C("bitwise-and-bool",     lambda m, x, y: x & y, B(4), B(4)),
    C("bitwise-or-int",       lambda m, x, y: x | y, I64(4), I64(4)),
    C("bitwise-xor-int",      lambda m, x: x ^ 3, I64(4)),
    C("invert-bool",          lambda m, x: ~x, B(4)),
    C("invert-int",           lambda m, x: ~x, I64(4)),
    C("isnan",                lambda m, x: m.isnan(x), V([1.0, _NAN, _INF, -_INF]), numgrad=False),
    C("isinf",                lambda m, x: m.isinf(x), V([1.0, _NAN, _INF, -_INF]), numgrad=False),
    C("isfinite",             lambda m, x: x.isfinite(), V([1.0, _NAN, _INF, -_INF]),
      numgrad=False),
    C("isfinite-int",         lambda m, x: m.isfinite(x), I64(3)),
    C("equal",                lambda m, x, y: m.equal(x, y), V([1.0, 2.0]), V([1.0, 2.0]),
      numgrad=False),
    C("allclose",             lambda m, x, y: m.allclose(x, y), V([1.0, 2.0]), V([1.0, 2.1]),
      numgrad=False),
    C("nonzero",              lambda m, x: m.nonzero(x), V([[0, 1, 2], [3, 0, 0]], "int64")),
    C("nonzero-tuple",        lambda m, x: x.nonzero(as_tuple=True)[1], V([[0.0, 1.0], [2.0, 0.0]]),
      numgrad=False),
    C("where-cond-only",      lambda m, x: m.where(x)[0], B(2, 3)),
    # -- unary --------------------------------------------------------------------------------
    C("neg",                  lambda m, x: -x, F(2, 3)),
    C("neg-fn-int",           lambda m, x: m.neg(x), I64(3)),
    C("neg-bool",             lambda m, x: -x, B(3), err=True),
    C("exp",                  lambda m, x: m.exp(x), F(2, 3)),
    C("exp-int",              lambda m, x: x.exp(), I64(3)),
    C("exp2",                 lambda m, x: m.exp2(x), F(2, 3)),
    C("expm1",                lambda m, x: m.expm1(x), F(2, 3)),
    C("sigmoid",              lambda m, x: m.sigmoid(x), F(2, 3)),
    C("sigmoid-int",          lambda m, x: m.sigmoid(x), I64(3)),
    C("tanh",                 lambda m, x: x.tanh(), F(2, 3)),
    C("sqrt",                 lambda m, x: m.sqrt(x), F(2, 3, kind="pos")),
    C("sqrt-at-zero",         lambda m, x: m.sqrt(x), V([0.0, 1.0, 4.0]), edge=True),
    C("sqrt-int",             lambda m, x: m.sqrt(x), I64(3, kind="pos")),
    C("rsqrt",                lambda m, x: m.rsqrt(x), F(2, 3, kind="pos")),
    C("log",                  lambda m, x: m.log(x), F(2, 3, kind="pos")),
    C("log-int",              lambda m, x: m.log(x), I64(3, kind="pos")),
    C("log2",                 lambda m, x: m.log2(x), F(2, 3, kind="pos")),
    C("log10",                lambda m, x: m.log10(x), F(2, 3, kind="pos")),
    C("log1p",                lambda m, x: m.log1p(x), F(2, 3, kind="pos")),
    C("sin",                  lambda m, x: m.sin(x), F(2, 3)),
    C("cos",                  lambda m, x: m.cos(x), F(2, 3)),
    C("tan",                  lambda m, x: m.tan(x), F(2, 3, kind="unit")),
    C("asin",                 lambda m, x: m.asin(x), F(2, 3, kind="unit")),
    C("acos",                 lambda m, x: m.arccos(x), F(2, 3, kind="unit")),
    C("atan",                 lambda m, x: m.atan(x), F(2, 3)),
    C("sinh",                 lambda m, x: m.sinh(x), F(2, 3)),
    C("cosh",                 lambda m, x: m.cosh(x), F(2, 3)),
    C("reciprocal",           lambda m, x: m.reciprocal(x), F(2, 3, kind="away")),
    C("reciprocal-int",       lambda m, x: m.reciprocal(x), I64(3, kind="nonzero")),
    C("abs",                  lambda m, x: m.abs(x), F(2, 3)),
    C("abs-at-zero",          lambda m, x: abs(x), V([0.0, -1.0, 2.0, -0.0]), edge=True),
    C("abs-int",              lambda m, x: x.abs(), I64(4)),
    C("sign",                 lambda m, x: m.sign(x), F(2, 3)),
    C("sign-at-zero",         lambda m, x: m.sign(x), V([0.0, -1.0, 2.0]), edge=True),
    C("sign-int",             lambda m, x: m.sign(x), I64(4)),
    C("sign-bool",            lambda m, x: m.sign(x), B(4)),
    C("floor",                lambda m, x: m.floor(x), F(2, 3)),
    C("floor-int",            lambda m, x: m.floor(x), I64(3)),
    C("ceil",                 lambda m, x: x.ceil(), F(2, 3)),
    C("round",                lambda m, x: m.round(x), F(2, 3)),
    C("round-half-even",      lambda m, x: m.round(x), V([0.5, 1.5, 2.5, -0.5]), edge=True),
    C("trunc",                lambda m, x: m.trunc(x), F(2, 3)),
    C("relu",                 lambda m, x: m.relu(x), F(2, 3)),
    C("relu-at-zero",         lambda m, x: m.relu(x), V([0.0, -1.0, 2.0]), edge=True),
    C("relu-int",             lambda m, x: m.relu(x), I64(4)),
    C("unary-0d",             lambda m, x: m.exp(x), F()),
    C("unary-empty",          lambda m, x: m.sin(x), F(0, 2)),
    # -- clamp / where / lerp -----------------------------------------------------------------
    C("clamp",                lambda m, x: m.clamp(x, -0.5, 0.5), F(2, 3)),
    C("clamp-min",            lambda m, x: x.clamp(min=0.1), F(2, 3)),
    C("clamp-max",            lambda m, x: x.clamp(max=0.1), F(2, 3)),
    C("clip",                 lambda m, x: m.clip(x, -1, 1), F(2, 3)),
    C("clamp-at-bounds",      lambda m, x: m.clamp(x, -0.5, 0.5), V(_EDGES), edge=True),
    C("clamp-lo-gt-hi",       lambda m, x: m.clamp(x, 1.0, -1.0), F(4), edge=True),
    C("clamp-tensor",         lambda m, x, lo, hi: m.clamp(x, lo, hi), F(2, 3),
      F(3, kind="unit"), F(3, kind="pos")),
    C("clamp-tensor-min",     lambda m, x, lo: m.clamp(x, min=lo), F(2, 3), F(3)),
    C("clamp-tensor-bounds",  lambda m, x, lo, hi: m.clamp(x, lo, hi), V(_EDGES),
      V([-0.5] * 6), V([0.5] * 6), edge=True),
    C("clamp-int",            lambda m, x: x.clamp(-2, 2), I64(6)),
    C("clamp-int-float",      lambda m, x: x.clamp(0.5, 2.5), I64(6)),
    C("clamp-none",           lambda m, x: m.clamp(x), F(3), err=True),
    C("where",                lambda m, c, x, y: m.where(c, x, y), B(2, 3), F(2, 3), F(3)),
    C("where-scalar",         lambda m, c, x: m.where(c, x, 0.0), B(2, 3), F(2, 3)),
    C("where-scalar-first",   lambda m, c, x: m.where(c, 2, x), B(2, 3), F(3)),
    C("where-method",         lambda m, c, x, y: x.where(c, y), B(3), F(3), F(3)),
    C("where-int-float",      lambda m, c, x, y: m.where(c, x, y), B(3), I64(3), F(3)),
    C("where-int-scalars",    lambda m, c: m.where(c, 1, 0), B(3)),
    C("where-float-scalars",  lambda m, c: m.where(c, 1.0, 0), B(3)),
    C("lerp",                 lambda m, x, y: m.lerp(x, y, 0.3), F(2, 3), F(3)),
    C("lerp-tensor-weight",   lambda m, x, y, w: x.lerp(y, w), F(2, 3), F(3), F(3, kind="unit")),
    # -- reductions ---------------------------------------------------------------------------
    C("sum",                  lambda m, x: x.sum(), F(2, 3)),
    C("sum-dim",              lambda m, x: m.sum(x, 1), F(2, 3)),
    C("sum-dim-neg-keepdim",  lambda m, x: x.sum(-1, keepdim=True), F(2, 3)),
    C("sum-dims",             lambda m, x: x.sum((0, 2)), F(2, 3, 2)),
    C("sum-axis-keepdims",    lambda m, x: m.sum(x, axis=0, keepdims=True), F(2, 3)),
    C("sum-empty-dims",       lambda m, x: x.sum(()), F(2, 3)),
    C("mean-empty-dims",      lambda m, x: m.mean(x, ()), F(2, 3)),
    C("sum-0d",               lambda m, x: x.sum(), F()),
    C("sum-empty",            lambda m, x: x.sum(), F(0, 3)),
    C("sum-empty-dim",        lambda m, x: x.sum(0), F(0, 3)),
    C("sum-int",              lambda m, x: x.sum(), I32(2, 3)),
    C("sum-bool-dim",         lambda m, x: x.sum(0), B(2, 3)),
    C("sum-dtype",            lambda m, x: x.sum(dtype=m.float64), F32(2, 3)),
    C("sum-int-dtype",        lambda m, x: m.sum(x, 1, dtype=m.float32), I64(2, 3)),
    C("sum-dim-oob",          lambda m, x: x.sum(2), F(2, 3), err=True),
    C("mean",                 lambda m, x: x.mean(), F(2, 3)),
    C("mean-dim",             lambda m, x: m.mean(x, 0), F(2, 3)),
    C("mean-dims-keepdim",    lambda m, x: x.mean((0, 1), keepdim=True), F(2, 3)),
    C("max-dim-oob",          lambda m, x: x.max(2), F(2, 3), err=True),
    C("argmax-dim-oob",       lambda m, x: x.argmax(-3), F(2, 3), err=True),
    C("cumsum-dim-oob",       lambda m, x: x.cumsum(2), F(2, 3), err=True),
    C("transpose-dim-oob",    lambda m, x: x.transpose(0, 2), F(2, 3), err=True),
    C("norm-dim-oob",         lambda m, x: x.norm(dim=2), F(2, 3), err=True),
    C("mean-int",             lambda m, x: x.mean(), I64(2, 3), err=True),
    C("mean-int-dtype",       lambda m, x: x.mean(dtype=m.float64), I64(2, 3)),
    C("mean-empty",           lambda m, x: x.mean(), F(0), numgrad=False),
    C("prod",                 lambda m, x: x.prod(), F(2, 3)),
    C("prod-dim",             lambda m, x: m.prod(x, 1), F(2, 3)),
    C("prod-keepdim",         lambda m, x: x.prod(0, keepdim=True), F(2, 3)),
    C("prod-with-zero",       lambda m, x: x.prod(), V([2.0, 0.0, 3.0]), edge=True),
    C("prod-two-zeros",       lambda m, x: x.prod(1), V([[2.0, 0.0, 0.0], [0.0, 1.0, 3.0]]),
      edge=True),
    C("prod-int",             lambda m, x: x.prod(), I32(4)),
    C("norm",                 lambda m, x: x.norm(), F(2, 3)),
    C("norm-dim",             lambda m, x: m.norm(x, dim=1), F(2, 3)),
    C("norm-keepdim",         lambda m, x: x.norm(dim=0, keepdim=True), F(2, 3)),
    C("norm-p1",              lambda m, x: x.norm(p=1), F(2, 3)),
    C("norm-p3",              lambda m, x: x.norm(3), F(2, 3)),
    C("norm-inf",             lambda m, x: x.norm(p=float("inf"), dim=1), F(2, 3)),
    C("norm-p0",              lambda m, x: x.norm(p=0), V([0.0, 1.5, -2.0, 0.0], grad=False)),
    C("norm-p0-grad",         lambda m, x: x.norm(p=0), V([0.0, 1.5, -2.0, 0.0]), numgrad=False),
    C("norm-fro",             lambda m, x: m.norm(x, p="fro"), F(2, 3)),
    C("norm-at-zero",         lambda m, x: x.norm(), V([0.0, 0.0, 0.0]), edge=True),
    C("norm-dim-at-zero",     lambda m, x: x.norm(dim=1), V([[0.0, 0.0], [3.0, 4.0]]),
      edge=True),
    C("norm-p1-at-zero",      lambda m, x: x.norm(p=1), V([0.0, -1.0, 2.0]), edge=True),
    C("norm-inf-ties",        lambda m, x: x.norm(p=float("inf")), V([1.0, -3.0, 3.0]),
      edge=True),
    C("norm-p3-at-zero",      lambda m, x: x.norm(p=3), V([0.0, 0.0]), edge=True),
    C("norm-int",             lambda m, x: x.norm(), I64(3), err=True),
    C("max",                  lambda m, x: x.max(), F(2, 3)),
    C("max-ties",             lambda m, x: m.max(x), V(_TIES), edge=True),
    C("max-dim",              lambda m, x: x.max(1), F(2, 3)),
    C("max-dim-keepdim",      lambda m, x: m.max(x, 0, keepdim=True), F(2, 3)),
    C("max-dim-kw",           lambda m, x: x.max(dim=-1).values, F(2, 3)),
    C("max-dim-ties",         lambda m, x: x.max(1), V(_TIES), edge=True),
    C("max-dim-kw-keepdim",   lambda m, x: x.max(dim=1, keepdim=True)[0], F(2, 3)),
    C("min-dim-indices",      lambda m, x: x.min(1).indices, F(2, 3), numgrad=False),
    C("max-dim-int",          lambda m, x: x.max(0), I64(2, 3)),
    C("max-empty",            lambda m, x: x.max(), F(0), err=True),
    C("min",                  lambda m, x: m.min(x), F(2, 3)),
    C("min-ties",             lambda m, x: x.min(), V(_TIES), edge=True),
    C("min-dim",              lambda m, x: x.min(0), F(2, 3)),
    C("min-dim-ties",         lambda m, x: m.min(x, 1), V(_TIES), edge=True),
    C("amax",                 lambda m, x: m.amax(x, 1), F(2, 3)),
    C("amax-full",            lambda m, x: x.amax(), F(2, 3)),
    C("amax-dims-keepdim",    lambda m, x: x.amax((0, 1), keepdim=True), F(2, 3)),
    C("amax-ties",            lambda m, x: x.amax(1), V(_TIES), edge=True),
    C("amin-ties",            lambda m, x: m.amin(x, 0), V(_TIES), edge=True),
    C("amin",                 lambda m, x: x.amin(0), F(2, 3)),
    C("argmax",               lambda m, x: x.argmax(), F(2, 3), numgrad=False),
    C("argmax-dim",           lambda m, x: m.argmax(x, 1), F(2, 3), numgrad=False),
    C("argmax-keepdim",       lambda m, x: x.argmax(0, keepdim=True), F(2, 3), numgrad=False),
    C("argmax-full-keepdim",  lambda m, x: x.argmax(keepdim=True), F(2, 3), numgrad=False),
    C("argmax-ties",          lambda m, x: x.argmax(1), V(_TIES), numgrad=False),
    C("argmin-ties",          lambda m, x: m.argmin(x), V(_TIES), numgrad=False),
    C("argmin-dim-int",       lambda m, x: x.argmin(0), I64(2, 3)),
    C("all",                  lambda m, x: x.all(), B(2, 3)),
    C("all-dim-int",          lambda m, x: m.all(x, 1), I64(2, 3)),
    C("any-dim-keepdim",      lambda m, x: x.any(0, keepdim=True), B(2, 3)),
    C("any-float",            lambda m, x: m.any(x), V([0.0, 0.0, 1.5]), numgrad=False),
    C("cumsum",               lambda m, x: x.cumsum(0), F(2, 3)),
    C("cumsum-neg-dim",       lambda m, x: m.cumsum(x, -1), F(2, 3)),
    C("cumsum-int",           lambda m, x: m.cumsum(x, 0), I32(4)),
    C("cumsum-bool",          lambda m, x: x.cumsum(0), B(4)),
    C("cumsum-dtype",         lambda m, x: x.cumsum(0, dtype=m.float64), F32(4)),
    C("cumsum-0d",            lambda m, x: x.cumsum(0), F()),
    C("cumprod",              lambda m, x: x.cumprod(1), F(2, 3)),
    C("cumprod-with-zero",    lambda m, x: x.cumprod(0), V([2.0, 0.0, 3.0, 0.5]), edge=True),
    C("cumprod-int",          lambda m, x: m.cumprod(x, 0), I64(4)),
    # -- matrix products ----------------------------------------------------------------------
    C("matmul-1d-1d",         lambda m, x, y: x @ y, F(3), F(3)),
    C("matmul-2d-2d",         lambda m, x, y: x @ y, F(2, 3), F(3, 4)),
    C("matmul-2d-1d",         lambda m, x, y: x @ y, F(2, 3), F(3)),
    C("matmul-1d-2d",         lambda m, x, y: m.matmul(x, y), F(3), F(3, 4)),
    C("matmul-3d-2d",         lambda m, x, y: x @ y, F(2, 2, 3), F(3, 4)),
    C("matmul-3d-3d",         lambda m, x, y: x @ y, F(2, 2, 3), F(2, 3, 4)),
    C("matmul-3d-1d",         lambda m, x, y: x @ y, F(2, 2, 3), F(3)),
    C("matmul-2d-3d",         lambda m, x, y: x @ y, F(2, 3), F(2, 3, 4)),
    C("matmul-1d-3d",         lambda m, x, y: x @ y, F(3), F(2, 3, 4)),
    C("matmul-int",           lambda m, x, y: x @ y, I64(2, 3), I64(3, 2)),
    C("matmul-bad-shape",     lambda m, x, y: x @ y, F(2, 3), F(2, 3), err=True),
    C("matmul-1d-1d-bad",     lambda m, x, y: x @ y, F(3), F(2), err=True),
    C("matmul-0d",            lambda m, x, y: m.matmul(x, y), F(), F(3), err=True),
    C("mm",                   lambda m, x, y: m.mm(x, y), F(2, 3), F(3, 2)),
    C("mm-bad-shape",         lambda m, x, y: x.mm(y), F(2, 3), F(2, 3), err=True),
    C("mm-bad-dtype",         lambda m, x, y: m.mm(x, y), F32(2, 3), F64(3, 2), err=True),
    C("mm-1d",                lambda m, x, y: m.mm(x, y), F(3), F(3, 2), err=True),
    C("mv",                   lambda m, x, y: m.mv(x, y), F(2, 3), F(3)),
    C("mv-bad-shape",         lambda m, x, y: x.mv(y), F(2, 3), F(2), err=True),
    C("dot",                  lambda m, x, y: m.dot(x, y), F(3), F(3)),
    C("dot-int",              lambda m, x, y: x.dot(y), I64(3), I64(3)),
    C("dot-bad-dtype",        lambda m, x, y: m.dot(x, y), F32(3), F64(3), err=True),
    C("dot-bad-shape",        lambda m, x, y: m.dot(x, y), F(3), F(4), err=True),
    C("bmm",                  lambda m, x, y: m.bmm(x, y), F(2, 2, 3), F(2, 3, 4)),
    C("bmm-bad-shape",        lambda m, x, y: m.bmm(x, y), F(2, 2, 3), F(2, 4, 4), err=True),
    C("bmm-2d",               lambda m, x, y: m.bmm(x, y), F(2, 3), F(3, 4), err=True),
    C("outer",                lambda m, x, y: m.outer(x, y), F(2), F(3)),
    C("outer-2d",             lambda m, x, y: m.outer(x, y), F(2, 2), F(3), err=True),
    C("mv-1d",                lambda m, x, y: m.mv(x, y), F(3), F(3), err=True),
    C("matmul-empty",         lambda m, x, y: x @ y, F(2, 0), F(0, 3)),
    # -- shape ops ----------------------------------------------------------------------------
    C("reshape",              lambda m, x: x.reshape(3, 2), F(2, 3)),
    C("reshape-tuple-infer",  lambda m, x: m.reshape(x, (-1,)), F(2, 3)),
    C("reshape-0d",           lambda m, x: x.reshape(1, 1), F()),
    C("reshape-bad",          lambda m, x: x.reshape(4, 2), F(2, 3), err=True),
    C("reshape-bad-infer",    lambda m, x: x.reshape(-1, 4), F(2, 3), err=True),
    C("view",                 lambda m, x: x.view(6), F(2, 3)),
    C("view-as",              lambda m, x, y: x.view_as(y), F(2, 3), F(3, 2, grad=False)),
    C("flatten",              lambda m, x: x.flatten(), F(2, 3, 2)),
    C("flatten-range",        lambda m, x: m.flatten(x, 1), F(2, 3, 2)),
    C("flatten-0d",           lambda m, x: x.flatten(), F()),
    C("t",                    lambda m, x: x.t(), F(2, 3)),
    C("t-1d",                 lambda m, x: m.t(x), F(3)),
    C("t-3d",                 lambda m, x: x.t(), F(2, 2, 2), err=True),
    C("T",                    lambda m, x: x.T, F(2, 3)),
    C("mT",                   lambda m, x: x.mT, F(2, 2, 3)),
    C("transpose",            lambda m, x: m.transpose(x, 0, -1), F(2, 3, 2)),
    C("swapaxes",             lambda m, x: x.swapaxes(0, 1), F(2, 3)),
    C("permute",              lambda m, x: x.permute(2, 0, 1), F(2, 3, 2)),
    C("permute-tuple",        lambda m, x: m.permute(x, (1, 0)), F(2, 3)),
    C("permute-bad",          lambda m, x: x.permute(1, 0), F(2, 3, 2), err=True),
    C("squeeze",              lambda m, x: x.squeeze(), F(2, 1, 3, 1)),
    C("squeeze-dim",          lambda m, x: m.squeeze(x, 1), F(2, 1, 3)),
    C("squeeze-dim-noop",     lambda m, x: x.squeeze(0), F(2, 1, 3)),
    C("squeeze-dims",         lambda m, x: x.squeeze((1, 3)), F(2, 1, 3, 1)),
    C("unsqueeze",            lambda m, x: x.unsqueeze(1), F(2, 3)),
    C("unsqueeze-neg",        lambda m, x: m.unsqueeze(x, -1), F(2, 3)),
    C("unsqueeze-oob",        lambda m, x: x.unsqueeze(3), F(2, 3), err=True),
    C("expand",               lambda m, x: x.expand(2, 3), F(1, 3)),
    C("expand-new-dims",      lambda m, x: x.expand(4, -1, 3), F(2, 1)),
    C("expand-as",            lambda m, x, y: x.expand_as(y), F(3), F(2, 3, grad=False)),
    # views with nodes of their own (values and grads; write-through is in tests/test_views.py)
    C("narrow",               lambda m, x: x.narrow(1, 1, 2), F(2, 4)),
    C("narrow-neg-start",     lambda m, x: m.narrow(x, 0, -2, 2), F(3, 2)),
    C("narrow-too-long",      lambda m, x: x.narrow(1, 2, 3), F(2, 4), err=True),
    C("select",               lambda m, x: x.select(1, 2), F(2, 4)),
    C("select-neg",           lambda m, x: m.select(x, 0, -1), F(3, 2)),
    C("select-oob",           lambda m, x: x.select(0, 3), F(3, 2), err=True),
    C("diagonal",             lambda m, x: x.diagonal(), F(3, 4)),
    C("diagonal-offset",      lambda m, x: m.diagonal(x, 1), F(3, 4)),
    C("diagonal-neg-offset",  lambda m, x: x.diagonal(-1, 0, 2), F(3, 2, 4)),
    C("unbind",               lambda m, x: x.unbind(1), F(2, 3)),
    C("split",                lambda m, x: x.split(2, 1), F(2, 5)),
    C("split-sizes",          lambda m, x: m.split(x, [1, 3], 0), F(4, 2)),
    C("split-bad-sizes",      lambda m, x: x.split([1, 2], 0), F(4, 2), err=True),
    C("chunk",                lambda m, x: x.chunk(3, 1), F(2, 5)),
    C("chunk-more-than-size", lambda m, x: m.chunk(x, 4, 0), F(2, 3)),
    C("unflatten",            lambda m, x: x.unflatten(1, (2, -1)), F(3, 4)),
    C("unflatten-bad",        lambda m, x: x.unflatten(1, (3, 2)), F(3, 4), err=True),
    C("view-of-transpose",    lambda m, x: x.t().reshape(6), F(2, 3)),
    C("contiguous-t",         lambda m, x: x.t().contiguous(), F(2, 3)),
    C("view-incompatible",    lambda m, x: x.t().view(6), F(2, 3), err=True),
    C("movedim-T",            lambda m, x: x.mT, F(2, 3, 4)),
    C("clone",                lambda m, x: m.clone(x), F(2, 3)),
    C("to-float64",           lambda m, x: x.to(m.float64), F32(2, 3)),
    C("to-same",              lambda m, x: x.to(m.float32) * 1, F32(2, 3)),
    C("double",               lambda m, x: x.double(), F32(3)),
    C("float-from-int",       lambda m, x: x.float(), I64(3)),
    C("long-from-float",      lambda m, x: x.long(), V([-1.5, 0.5, 2.7]), numgrad=False),
    C("bool-from-float",      lambda m, x: x.bool(), V([0.0, 0.5, -2.0]), numgrad=False),
    C("byte-char-wrap",       lambda m, x: (x.byte(), x.char(), x.short()),
      V([-2.5, 300.7, 127.9, -129.2]), numgrad=False),
    # -- indexing reads -----------------------------------------------------------------------
    C("index-int",            lambda m, x: x[0], F(2, 3)),
    C("index-neg-int",        lambda m, x: x[-1], F(2, 3)),
    C("index-int-int",        lambda m, x: x[1, 2], F(2, 3)),
    C("index-slice",          lambda m, x: x[1:], F(3, 2)),
    C("index-slice-step",     lambda m, x: x[::2], F(5)),
    C("index-slice-2nd-dim",  lambda m, x: x[:, 1:], F(2, 3)),
    C("index-full-slice",     lambda m, x: x[:], F(2, 3)),
    C("index-none",           lambda m, x: x[None], F(2, 3)),
    C("index-ellipsis-int",   lambda m, x: x[..., 1], F(2, 3)),
    C("index-step-one",       lambda m, x: x[::1], F(2, 3)),
    C("index-step-one-tuple", lambda m, x: x[::1, 0], F(2, 3)),
    C("index-full-full",      lambda m, x: x[:, :], F(2, 3)),
    C("index-slice-none",     lambda m, x: x[1:, None], F(2, 3)),
    C("index-int-none",       lambda m, x: x[0, None], F(2, 3)),
    C("index-ellipsis",       lambda m, x: x[...], F(2, 3)),
    C("index-int-slice",      lambda m, x: x[0, 1:], F(2, 3)),
    C("index-slice-int",      lambda m, x: x[1:, 0], F(3, 3)),
    C("index-tensor",         lambda m, x, i: x[i], F(3, 2), V([2, 0, 2], "int64")),
    C("index-tensor-2nd-dim", lambda m, x, i: x[:, i], F(2, 3), V([2, 0], "int64")),
    C("index-tensor-2d",      lambda m, x, i: x[i], F(3), V([[0, 1], [2, 2]], "int64")),
    C("index-list",           lambda m, x: x[[0, 0, 1]], F(2, 3)),
    C("index-0d-tensor",      lambda m, x, i: x[i], F(3, 2), V(1, "int64")),
    C("index-mask",           lambda m, x, k: x[k], F(2, 3), V(_MASK, "bool")),
    C("index-mask-row",       lambda m, x, k: x[k], F(2, 3), V([True, False], "bool")),
    C("index-mask-empty",     lambda m, x, k: x[k], F(3), V([False] * 3, "bool")),
    C("index-int-tensor",     lambda m, x, i: x[0, i], F(2, 3), V([1, 2], "int64")),
    C("index-0d",             lambda m, x: x[None, ...], F()),
    C("index-int-oob",        lambda m, x: x[5], F(2, 3), err=True),
    C("index-neg-oob",        lambda m, x: x[0, -4], F(2, 3), err=True),
    C("index-too-many",       lambda m, x: x[0, 0, 0], F(2, 3), err=True),
    C("index-tensor-oob",     lambda m, x, i: x[i], F(3), V([0, 3], "int64"), err=True),
    C("index-float-tensor",   lambda m, x, i: x[i], F(3), V([0.0, 1.0]), err=True),
    C("index-int-input",      lambda m, x: x[1:, 0], I64(3, 2)),
    # -- in-place (on non-leaves, so they take part in autograd) -----------------------------
    C("add_",                 lambda m, x, y: (x * 1).add_(y), F(2, 3), F(3)),
    C("mul_-scalar",          lambda m, x: x.clone().mul_(2), F(2, 3)),
    C("iadd",                 lambda m, x: m.add(x, 0).__iadd__(1.5), F(3)),
    C("clamp_",               lambda m, x: x.clone().clamp_(-0.5, 0.5), F(2, 3)),
    C("exp_",                 lambda m, x: x.clone().exp_(), F(2, 3)),
    C("add_-int-float",       lambda m, x: x.clone().add_(1.5), I64(3), err=True),
    C("fill_",                lambda m, x: x.clone().fill_(2.5), F(2, 3)),
    C("fill_-tensor",         lambda m, x, v: x.clone().fill_(v), F(2, 3), F()),
    C("fill_-1d-tensor",      lambda m, x, v: x.clone().fill_(v), F(2, 3), F(1), err=True),
    C("zero_",                lambda m, x: (x * 2).zero_(), F(2, 3)),
    C("copy_",                lambda m, x, y: x.clone().copy_(y), F(2, 3), F(3)),
    C("leaf-inplace",         lambda m, x: x.add_(1), F(3), err=True),
    # -- nn functional ------------------------------------------------------------------------
    C("mse-loss",             lambda m, x, y: _F(m).mse_loss(x, y), F(2, 3), F(2, 3)),
    C("mse-loss-sum",         lambda m, x, y: _F(m).mse_loss(x, y, reduction="sum"),
      F(2, 3), F(2, 3, grad=False)),
    C("mse-loss-none",        lambda m, x, y: _F(m).mse_loss(x, y, reduction="none"),
      F(2, 3), F(2, 3)),
    C("mse-loss-0d",          lambda m, x, y: _F(m).mse_loss(x, y), F(), F()),
    C("l1-loss",              lambda m, x, y: _F(m).l1_loss(x, y), F(2, 3), F(2, 3)),
    C("bce-logits",           lambda m, x, y: _F(m).binary_cross_entropy_with_logits(x, y),
      F(2, 3), F(2, 3, kind="unit", grad=False)),
    C("bce-logits-target-grad", lambda m, x, y: _F(m).binary_cross_entropy_with_logits(x, y),
      F(2, 3), F(2, 3, kind="unit")),
    C("bce-logits-sum",       lambda m, x, y: _F(m).binary_cross_entropy_with_logits(
        x, y, reduction="sum"), F(4), F(4, kind="unit", grad=False)),
    C("bce-logits-none",      lambda m, x, y: _F(m).binary_cross_entropy_with_logits(
        x, y, reduction="none"), F(4), F(4, kind="unit", grad=False)),
    C("bce-logits-weight",    lambda m, x, y, w: _F(m).binary_cross_entropy_with_logits(
        x, y, weight=w), F(2, 3), F(2, 3, kind="unit"), F(3, kind="pos", grad=False)),
    C("bce-logits-pos-weight", lambda m, x, y, w: _F(m).binary_cross_entropy_with_logits(
        x, y, pos_weight=w), F(2, 3), F(2, 3, kind="unit"), F(3, kind="pos", grad=False)),
    C("bce-logits-weight-grad", lambda m, x, y, w: _F(m).binary_cross_entropy_with_logits(
        x, y, weight=w), F(3), F(3, kind="unit"), F(3, kind="pos"), err=True),
    C("bce-logits-large",     lambda m, x, y: _F(m).binary_cross_entropy_with_logits(x, y),
      V([-100.0, 100.0, 0.0]), V([1.0, 0.0, 0.5], grad=False), edge=True),
    C("bce-logits-bad-shape", lambda m, x, y: _F(m).binary_cross_entropy_with_logits(x, y),
      F(2, 3), F(3, grad=False), err=True),
    C("F-relu",               lambda m, x: _F(m).relu(x), F(2, 3)),
    C("F-sigmoid",            lambda m, x: _F(m).sigmoid(x), F(2, 3)),
    # -- joins, repeats, flips, triangles (helper D) ------------------------------------------
    C("cat",                  lambda m, x, y: m.cat([x, y]), F(2, 3), F(1, 3)),
    C("cat-dim1-promote",     lambda m, x, y: m.cat((x, y), dim=1), F(2, 3), I64(2, 2)),
    C("cat-axis",             lambda m, x, y: m.cat([x, y], axis=-1), F(2, 3), F(2, 1)),
    C("cat-skip-empty-1d",    lambda m, x, y: m.cat([x, y]), F(2, 3), F(0, grad=False)),
    C("cat-empty-list",       lambda m: m.cat([]), err=True),
    C("cat-bad-size",         lambda m, x, y: m.cat([x, y]), F(2, 3), F(2, 2), err=True),
    C("cat-0d",               lambda m, x, y: m.cat([x, y]), F(), F(2), err=True),
    C("cat-bad-ndim",         lambda m, x, y: m.cat([x, y]), F(2, 3), F(2, 3, 1), err=True),
    C("stack",                lambda m, x, y: m.stack([x, y], 1), F(2, 3), F(2, 3)),
    C("stack-bad",            lambda m, x, y: m.stack([x, y]), F(2, 3), F(2), err=True),
    C("stack-empty",          lambda m: m.stack([]), err=True),
    C("hstack",               lambda m, x, y: m.hstack([x, y]), F(2, 3), F(2, 1)),
    C("hstack-1d",            lambda m, x, y: m.hstack([x, y]), F(3), F(2)),
    C("vstack-1d",            lambda m, x, y: m.vstack([x, y]), F(3), F(3)),
    C("dstack",               lambda m, x, y: m.dstack([x, y]), F(2, 3), F(2, 3)),
    C("column-stack",         lambda m, x, y: m.column_stack([x, y]), F(3), F(3, 2)),
    C("repeat",               lambda m, x: x.repeat(2, 1, 2), F(2, 3)),
    C("repeat-bad",           lambda m, x: x.repeat(2), F(2, 3), err=True),
    C("tile",                 lambda m, x: m.tile(x, (2,)), F(2, 3)),
    C("repeat-interleave",    lambda m, x: x.repeat_interleave(2), F(2, 3)),
    C("repeat-interleave-dim", lambda m, x: m.repeat_interleave(x, 3, dim=1), F(2, 2)),
    C("repeat-interleave-t",  lambda m, x, r: x.repeat_interleave(r, dim=0), F(3, 2),
      V([1, 0, 2], "int64")),
    C("repeat-interleave-idx", lambda m, r: m.repeat_interleave(r), V([2, 0, 1], "int64")),
    C("flip",                 lambda m, x: x.flip(0, 2), F(2, 3, 2)),
    C("fliplr",               lambda m, x: m.fliplr(x), F(2, 3)),
    C("roll",                 lambda m, x: x.roll(1), F(2, 3)),
    C("roll-dims",            lambda m, x: m.roll(x, (1, -1), (0, 1)), F(2, 3)),
    C("tril",                 lambda m, x: x.tril(), F(3, 3)),
    C("triu-diag-batched",    lambda m, x: m.triu(x, 1), F(2, 3, 4)),
    C("tril-1d",              lambda m, x: m.tril(x), F(3), err=True),
    C("tril-int",             lambda m, x: m.tril(x, -1), I64(3, 3)),
    # -- gather / scatter / index_* / masked ------------------------------------------------
    C("gather",               lambda m, x, i: x.gather(1, i), F(2, 3),
      V([[0, 2, 2], [1, 0, 1]], "int64")),
    C("gather-small-index",   lambda m, x, i: m.gather(x, 0, i), F(3, 3), V([[2, 0]], "int64")),
    C("gather-oob",           lambda m, x, i: x.gather(1, i), F(2, 3), V([[0, 5]], "int64"),
      err=True),
    C("gather-float-index",   lambda m, x, i: x.gather(1, i), F(2, 3), V([[0.0, 1.0]]),
      err=True),
    C("scatter",              lambda m, x, i, s: x.scatter(0, i, s), F(3, 4),
      V([[0, 1, 2, 0], [1, 2, 0, 2]], "int64"), F(2, 4)),
    C("scatter-value",        lambda m, x, i: x.scatter(1, i, 1.5), F(2, 3), V([[2], [0]],
      "int64")),
    C("scatter-add",          lambda m, x, i, s: x.scatter_add(0, i, s), F(3, 2),
      V([[0, 1], [0, 1], [2, 0]], "int64"), F(3, 2)),
    C("scatter-reduce-sum",   lambda m, x, i, s: x.scatter_reduce(0, i, s, "sum"), F(3),
      V([0, 0, 2, 1], "int64"), F(4)),
    C("scatter-reduce-mean",  lambda m, x, i, s: x.scatter_reduce(0, i, s, "mean",
      include_self=False), F(3, grad=False), V([0, 0, 2], "int64"), F(3, grad=False)),
    C("scatter-reduce-amax",  lambda m, x, i, s: x.scatter_reduce(0, i, s, "amax"),
      F(3, grad=False), V([0, 0, 2], "int64"), F(3, grad=False)),
    C("index-select",         lambda m, x, i: x.index_select(1, i), F(2, 3), V([2, 0, 2], "int64")),
    C("index-select-0d",      lambda m, x, i: m.index_select(x, 0, i), F(3, 2), V(1, "int64")),
    C("index-select-2d-idx",  lambda m, x, i: m.index_select(x, 0, i), F(3),
      V([[0]], "int64"), err=True),
    C("index-add",            lambda m, x, i, s: x.index_add(0, i, s, alpha=2), F(3, 2),
      V([0, 2, 0], "int64"), F(3, 2)),
    C("index-fill",           lambda m, x, i: x.index_fill(1, i, -1.0), F(2, 3), V([0, 2],
      "int64")),
    C("index-copy",           lambda m, x, i, s: x.index_copy(0, i, s), F(3, 2),
      V([2, 0], "int64"), F(2, 2)),
    C("masked-fill",          lambda m, x, k: x.masked_fill(k, 0.5), F(2, 3), V(_MASK, "bool")),
    C("masked-fill-fn-bcast", lambda m, x, k: m.masked_fill(x, k, -1), F(2, 3),
      V([True, False, True], "bool")),
    C("masked-fill-tensor",   lambda m, x, k, v: x.masked_fill(k, v), F(2, 3), V(_MASK, "bool"),
      F()),
    C("masked-fill-int",      lambda m, x, k: x.masked_fill(k, 7), I64(2, 3), V(_MASK, "bool")),
    C("masked-fill-long-mask", lambda m, x, k: x.masked_fill(k, 0.0), F(3), V([1, 0, 1], "int64"),
      err=True),
    C("masked-fill-1d-value", lambda m, x, k, v: x.masked_fill(k, v), F(3),
      V([True, False, True], "bool"), F(2), err=True),
    C("masked-select",        lambda m, x, k: x.masked_select(k), F(2, 3), V(_MASK, "bool")),
    C("masked-select-bcast",  lambda m, x, k: m.masked_select(x, k), F(2, 3),
      V([True, False, True], "bool")),
    C("take",                 lambda m, x, i: m.take(x, i), F(2, 3), V([[0, 5], [-1, 2]], "int64")),
    C("take-oob",             lambda m, x, i: m.take(x, i), F(4), V([5], "int64"), err=True),
    # -- sorting and selection --------------------------------------------------------------
    C("sort",                 lambda m, x: x.sort(), F(2, 4)),
    C("sort-desc-dim0",       lambda m, x: m.sort(x, 0, descending=True), F(3, 2)),
    C("sort-ties",            lambda m, x: x.sort(1, descending=True), V(_TIES), edge=True),
    C("sort-nan",             lambda m, x: x.sort(), V([1.0, _NAN, 3.0, -1.0]), edge=True),
    C("sort-int",             lambda m, x: x.sort(stable=True), I64(5)),
    C("sort-0d",              lambda m, x: x.sort(), F()),
    C("argsort",              lambda m, x: x.argsort(dim=0, descending=True), F(3, 2),
      numgrad=False),
    C("argsort-ties",         lambda m, x: m.argsort(x, stable=True), V(_TIES), numgrad=False),
    C("topk",                 lambda m, x: x.topk(2), F(2, 4)),
    C("topk-smallest-dim0",   lambda m, x: m.topk(x, 2, dim=0, largest=False), F(3, 2)),
    C("topk-k-too-big",       lambda m, x: x.topk(5), F(4), err=True),
    C("kthvalue",             lambda m, x: x.kthvalue(2), F(2, 4)),
    C("kthvalue-keepdim",     lambda m, x: m.kthvalue(x, 1, 0, keepdim=True), F(3, 2)),
    C("median",               lambda m, x: x.median(), F(2, 3)),
    C("median-even",          lambda m, x: m.median(x), F(4)),
    C("median-dim",           lambda m, x: x.median(1), F(2, 5)),
    C("median-dim-ties",      lambda m, x: x.median(1), V(_TIES), edge=True),
    C("mode",                 lambda m, x: x.mode(1), V([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, -1.0,
      2.0]]),
      edge=True),
    C("mode-int",             lambda m, x: m.mode(x, 0), V([[1, 2], [1, 3], [2, 3]], "int64")),
    C("cummax",               lambda m, x: x.cummax(1), F(2, 4)),
    C("cummax-ties",          lambda m, x: m.cummax(x, 1), V([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0,
      -1.0, 2.0]]),
      edge=True),
    C("cummin-ties",          lambda m, x: x.cummin(1), V([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, -1.0,
      2.0]]),
      edge=True),
    C("unique",               lambda m, x: m.unique(x), V([3, 1, 3, 2, 1], "int64")),
    C("unique-inverse-counts", lambda m, x: x.unique(return_inverse=True, return_counts=True),
      V([[3.0, 1.0], [3.0, 2.0]], grad=False)),
    C("unique-grad",          lambda m, x: m.unique(x), V([2.0, 1.0, 2.0]), numgrad=False),
    # -- grids, diagonals, cross, einsum, trace -----------------------------------------------
    C("meshgrid-ij",          lambda m, x, y: m.meshgrid(x, y, indexing="ij")[1], F(2), F(3),
      numgrad=False),
    C("meshgrid-xy",          lambda m, x, y: m.meshgrid(x, y, indexing="xy")[0], F(2), F(3),
      numgrad=False),
    C("diag-1d",              lambda m, x: m.diag(x, 1), F(3)),
    C("diag-2d",              lambda m, x: x.diag(-1), F(3, 3)),
    C("diag-embed",           lambda m, x: m.diag_embed(x), F(2, 3)),
    C("diag-embed-offset",    lambda m, x: x.diag_embed(1, 0, 2), F(2, 2)),
    C("cross",                lambda m, x, y: m.cross(x, y, dim=1), F(2, 3), F(2, 3)),
    C("cross-bcast",          lambda m, x, y: x.cross(y, dim=-1), F(2, 3), F(1, 3)),
    C("einsum-mm",            lambda m, x, y: m.einsum("ij,jk->ik", x, y), F(2, 3), F(3, 4)),
    C("einsum-bmm",           lambda m, x, y: m.einsum("bij,bjk->bik", x, y), F(2, 2, 3),
      F(2, 3, 2)),
    C("einsum-transpose",     lambda m, x: m.einsum("ij->ji", x), F(2, 3)),
    C("einsum-sum",           lambda m, x: m.einsum("ij->j", x), F(2, 3)),
    C("einsum-outer-list",    lambda m, x, y: m.einsum("i,j->ij", [x, y]), F(2), F(3)),
    C("einsum-dot",           lambda m, x, y: m.einsum("i,i->", x, y), F(3), F(3)),
    C("trace",                lambda m, x: x.trace(), F(3, 3)),
    C("trace-int",            lambda m, x: m.trace(x), I32(2, 3)),
    # -- variance family, logsumexp and other reductions --------------------------------------
    C("std",                  lambda m, x: x.std(), F(2, 3)),
    C("std-dim",              lambda m, x: m.std(x, 1, keepdim=True), F(2, 3)),
    C("std-unbiased-false",   lambda m, x: x.std(False), F(2, 3)),
    C("std-dim-unbiased",     lambda m, x: m.std(x, 0, False), F(2, 3)),
    C("std-correction",       lambda m, x: x.std(dim=(0, 1), correction=0), F(2, 3)),
    C("std-axis",             lambda m, x: x.std(axis=0), F(2, 3)),
    C("std-constant",         lambda m, x: x.std(), V([2.0, 2.0, 2.0]), edge=True),
    C("std-int",              lambda m, x: x.std(), I64(3), err=True),
    C("var",                  lambda m, x: x.var(), F(2, 3)),
    C("var-dim",              lambda m, x: m.var(x, -1, unbiased=False), F(2, 3)),
    C("std-mean",             lambda m, x: m.std_mean(x, 1), F(2, 3)),
    C("var-mean",             lambda m, x: m.var_mean(x, dim=0, keepdim=True), F(2, 3)),
    C("logsumexp",            lambda m, x: x.logsumexp(1), F(2, 3)),
    C("logsumexp-dims",       lambda m, x: m.logsumexp(x, (0, 1), keepdim=True), F(2, 3)),
    C("logsumexp-neg-inf",    lambda m, x: m.logsumexp(x, 0), V([-_INF, -_INF]), edge=True),
    C("logsumexp-int",        lambda m, x: m.logsumexp(x, 0), I64(3)),
    C("count-nonzero",        lambda m, x: m.count_nonzero(x), V([[0.0, 1.0], [2.0, 0.0]]),
      numgrad=False),
    C("count-nonzero-dim",    lambda m, x: x.count_nonzero(dim=1), I64(2, 3)),
    C("nansum",               lambda m, x: x.nansum(), V([1.0, _NAN, 2.0]), numgrad=False),
    C("nanmean",              lambda m, x: m.nanmean(x), V([1.0, _NAN, 2.0]), numgrad=False),
    # -- special functions and binary math ----------------------------------------------------
    C("erf",                  lambda m, x: m.erf(x), F(2, 3)),
    C("erfc",                 lambda m, x: x.erfc(), F(2, 3)),
    C("erfinv",               lambda m, x: m.erfinv(x), F(2, 3, kind="unit")),
    C("lgamma",               lambda m, x: x.lgamma(), F(2, 3, kind="pos")),
    C("asinh",                lambda m, x: m.asinh(x), F(2, 3)),
    C("atanh",                lambda m, x: m.arctanh(x), F(2, 3, kind="unit")),
    C("frac",                 lambda m, x: m.frac(x), F(2, 3)),
    C("sgn",                  lambda m, x: x.sgn(), F(2, 3, grad=False)),
    C("erf-int",              lambda m, x: m.erf(x), I64(3)),
    C("atan2",                lambda m, x, y: m.atan2(x, y), F(2, 3), F(3)),
    C("arctan2-method",       lambda m, x, y: x.arctan2(y), F(3), F(3)),
    C("hypot",                lambda m, x, y: m.hypot(x, y), F(2, 3), F(3)),
    C("logaddexp",            lambda m, x, y: m.logaddexp(x, y), F(2, 3), F(3)),
    C("xlogy",                lambda m, x, y: m.xlogy(x, y), F(2, 3), F(3, kind="pos")),
    C("xlogy-scalar",         lambda m, x: m.xlogy(x, 2.0), F(3)),
    C("logit",                lambda m, x: x.logit(), V([0.2, 0.5, 0.7])),
    C("logit-eps",            lambda m, x: m.logit(x, eps=1e-3), V([0.0, 0.5, 1.0]), edge=True),
    C("heaviside",            lambda m, x, v: m.heaviside(x, v), V([-1.0, 0.0, 2.0], grad=False),
      V([0.5, 0.5, 0.5], grad=False)),
    C("isclose",              lambda m, x, y: m.isclose(x, y), V([1.0, 2.0, _NAN]),
      V([1.0 + 1e-9, 2.1, _NAN]), numgrad=False),
    C("isclose-nan",          lambda m, x, y: x.isclose(y, equal_nan=True, atol=0.2),
      V([1.0, 2.0, _NAN]), V([1.1, 2.5, _NAN]), numgrad=False),
    C("clamp-min-fn",         lambda m, x: m.clamp_min(x, 0.0), F(2, 3)),
    C("clamp-max-tensor",     lambda m, x, y: x.clamp_max(y), F(2, 3), F(3)),
    C("clamp-min-int-float",  lambda m, x: x.clamp_min(0.5), I64(4)),
    C("logical-xor",          lambda m, x, y: m.logical_xor(x, y), B(4), I64(4)),
    # -- in-place variants ------------------------------------------------------------------
    C("masked_fill_",         lambda m, x, k: x.clone().masked_fill_(k, 0.0), F(2, 3),
      V(_MASK, "bool")),
    C("scatter_",             lambda m, x, i, s: (x * 1).scatter_(1, i, s), F(2, 3),
      V([[2], [0]], "int64"), F(2, 1)),
    C("scatter_add_",         lambda m, x, i, s: (x * 1).scatter_add_(0, i, s), F(3),
      V([0, 0], "int64"), F(2)),
    C("index_add_",           lambda m, x, i, s: x.clone().index_add_(0, i, s), F(3, 2),
      V([1, 1], "int64"), F(2, 2)),
    C("index_fill_",          lambda m, x, i: x.clone().index_fill_(0, i, 2.0), F(3, 2),
      V([1], "int64")),
    C("fill_diagonal_",       lambda m, x: x.clone().fill_diagonal_(1.5), F(3, 4)),
    C("fill_diagonal_-wrap",  lambda m, x: x.clone().fill_diagonal_(-1.0, wrap=True), F(7, 3)),
    C("clamp_min_",           lambda m, x: x.clone().clamp_min_(0.0), F(2, 3)),
    C("sub_-alpha",           lambda m, x, y: x.clone().sub_(y, alpha=2), F(2, 3), F(3)),
    C("div_-mode",            lambda m, x: x.clone().div_(2, rounding_mode="floor"), F(3),
      numgrad=False),
    C("tril_",                lambda m, x: x.clone().tril_(), F(3, 3)),
    C("erf_",                 lambda m, x: x.clone().erf_(), F(3)),
    C("atan2_",               lambda m, x, y: x.clone().atan2_(y), F(3), F(3)),
    C("eq_",                  lambda m, x, y: x.clone().eq_(y), V([1.0, 2.0], grad=False),
      V([1.0, 3.0], grad=False),
      numgrad=False),
    C("cumsum_",              lambda m, x: x.clone().cumsum_(0), F(3)),
    C("logical_not_",         lambda m, x: x.clone().logical_not_(), B(3)),
    # -- out= -------------------------------------------------------------------------------
    C("add-out",              lambda m, x, y, o: m.add(x, y, out=o), F(2, 3, grad=False),
      F(3, grad=False), F(2, 3, grad=False)),
    C("mm-out",               lambda m, x, y, o: m.mm(x, y, out=o), F(2, 3, grad=False),
      F(3, 2, grad=False), F(2, 2, grad=False)),
    C("cat-out",              lambda m, x, y, o: m.cat([x, y], out=o), F(1, 2, grad=False),
      F(1, 2, grad=False), F(2, 2, grad=False)),
    C("add-out-grad",         lambda m, x, y, o: m.add(x, y, out=o), F(2), F(2), F(2, grad=False),
      err=True),
]
# fmt: on
