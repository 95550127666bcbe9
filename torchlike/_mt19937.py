"""PyTorch's default CPU random stream, reproduced bit for bit in NumPy.

PyTorch's CPU generator (``CPUGeneratorImpl``) is an mt19937 seeded with
``init_genrand``; NumPy's ``MT19937`` with legacy seeding produces the same raw
32-bit words.  On top of the raw words this module replays ATen's CPU
distribution kernels (``DistributionTemplates.h``, ``DistributionsHelper.h``,
``TransformationHelper.h``, ``randperm_cpu``, the multinomial kernel), so that
``CPUStream(seed).normal((1000,), "float32")`` equals
``torch.manual_seed(seed); torch.randn(1000)`` bit for bit.

Everything returns NumPy arrays; bfloat16 results use ``ml_dtypes.bfloat16``.
Dtypes are given as NumPy dtypes or names (``"float32"``, ``"bfloat16"``, ...),
shapes as an int or a tuple.  :class:`CPUStream` holds the state (``manual_seed``,
``initial_seed``, ``seed``, ``get_state``/``set_state`` in torch's byte layout) and
draws: ``uniform``, ``normal``, ``random_``, ``randperm``, ``bernoulli``,
``multinomial``, ``exponential``, ``geometric``, ``cauchy``, ``log_normal``,
``standard_gamma``, ``poisson``, ``binomial`` (and the raw ``random``/``random64``).

ATen compiles its distribution kernels once per CPU capability and the float
results depend on which one runs: on x86-64 with AVX2 (AVX-512 machines reuse
the AVX2 kernels) ``a * b + c`` is contracted into an FMA and the float32
Box-Muller fill (also used for half/bfloat16) evaluates avx_mathfun's Cephes
polynomials; without AVX2 (or ``ATEN_CPU_CAPABILITY=default``) nothing is
contracted and the fill calls glibc's ``logf``/``sinf``/``cosf``.  Both are
replayed here step by step (glibc >= 2.28 on x86-64 with FMA, checked
exhaustively over the 2**24 inputs the fill can produce).  Double precision
``log``/``log1p``/``tan``/``exp`` go through :mod:`math`, which calls the libm
ATen calls: NumPy's own versions differ in the last bit for some inputs.

Not covered: on Intel CPUs torch's ``bernoulli_(float p)`` (and so dropout)
draws through MKL's VSL stream seeded from one word of this generator; that
path is not replayed (the default kernel, used on other CPUs, is).
"""

from __future__ import annotations

import math
import os
import platform
import re

import numpy as np

__all__ = ["CPUStream", "DEFAULT_SEED", "STATE_SIZE"]

DEFAULT_SEED = 67280421310721  # torch.Generator().initial_seed()
_N = 624

# torch.get_rng_state()'s layout: CPUGeneratorImplState (legacy THGenerator pod
# followed by the float normal cache); 5056 bytes, padding zeroed.
_STATE_DTYPE = np.dtype(
    {
        "names": [
            "seed",
            "left",
            "seeded",
            "next",
            "state",
            "normal_x",
            "normal_y",
            "normal_rho",
            "normal_is_valid",
            "next_float",
            "next_float_valid",
        ],
        "formats": [
            "<u8",
            "<i4",
            "<i4",
            "<u8",
            ("<u8", _N),
            "<f8",
            "<f8",
            "<f8",
            "<i4",
            "<f4",
            "u1",
        ],
        "offsets": [0, 8, 12, 16, 24, 5016, 5024, 5032, 5040, 5048, 5052],
        "itemsize": 5056,
    }
)
STATE_SIZE = _STATE_DTYPE.itemsize


def _aten_uses_avx2() -> bool:
    """Whether ATen runs its AVX2 kernels here (it needs AVX2 and FMA; env var overrides)."""
    capability = os.environ.get("ATEN_CPU_CAPABILITY", "").lower()
    if capability:
        return capability != "default"
    try:
        with open("/proc/cpuinfo") as f:
            flags = set(re.findall(r"^flags\s*:(.*)$", f.read(), re.M)[0].split())
    except (OSError, IndexError):
        return platform.machine().lower() in ("x86_64", "amd64")
    return {"avx2", "fma"} <= flags


AVX2 = _aten_uses_avx2()

_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)
_THIRD_F32 = np.float32(1) / np.float32(3)  # `1.0f / 3.0f`
_GAMMA_SQUEEZE = float(np.float32(0.0331))  # `0.0331f`
# mantissa digits (std::numeric_limits<T>::digits) per floating dtype name
_DIGITS = {"float16": 11, "bfloat16": 8, "float32": 24, "float64": 53}
_INT_MAX = {"int8": 127, "uint8": 255, "int16": 2**15 - 1, "int32": 2**31 - 1, "int64": 2**63 - 1}


def _dtype(dtype) -> np.dtype:
    if str(dtype) == "bfloat16":
        import ml_dtypes

        return np.dtype(ml_dtypes.bfloat16)
    return np.dtype(dtype)


def _cast(x: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """C++ ``static_cast<scalar_t>`` (to Half and BFloat16 through float)."""
    if dtype.name in ("float16", "bfloat16") and x.dtype != _F32:
        x = x.astype(_F32)
    if dtype.name == "bfloat16":
        return _round_bf16(x).view(dtype)
    if dtype == np.bool_:
        return x != 0
    with np.errstate(over="ignore", invalid="ignore"):  # C++ casts saturate to inf silently
        return x.astype(dtype, copy=False)


def _round_bf16(x: np.ndarray) -> np.ndarray:
    bits = x.view(np.uint32)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return np.where(np.isnan(x), 0x7FC0, rounded).astype(np.uint16)


def _real(dtype: np.dtype) -> np.dtype:
    return np.dtype(f"float{dtype.itemsize * 4}")


def _numel(shape) -> int:
    return math.prod(shape)


def _shape(shape) -> tuple[int, ...]:
    return (int(shape),) if np.ndim(shape) == 0 else tuple(int(s) for s in shape)


# ----------------------------------------------------------------- exact arithmetic
# NumPy has no fused multiply-add; ATen's kernels use std::fma and glibc's FMA
# variants, so these error-free transformations give the exactly rounded result.


def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _two_prod(a, b):
    p = a * b
    ah, al = _split(a)
    bh, bl = _split(b)
    return p, ((ah * bh - p) + ah * bl + al * bh) + al * bl


def _split(a):
    t = a * 134217729.0  # 2**27 + 1
    hi = t - (t - a)
    return hi, a - hi


def _add_round_odd(a, b):
    """a + b in float64 rounded to odd: a later rounding to fewer bits is then exact."""
    s, e = _two_sum(a, b)
    bump = (e != 0) & ((s.view(np.int64) & 1) == 0)
    return np.where(bump, np.nextafter(s, np.where(e > 0, np.inf, -np.inf)), s)


def _fma64(a, b, c):
    """Correctly rounded float64 a*b + c (Boldo-Melquiond emulation)."""
    a, b, c = np.broadcast_arrays(np.asarray(a, _F64), np.asarray(b, _F64), np.asarray(c, _F64))
    uh, ul = _two_prod(a, b)
    th, tl = _two_sum(c, uh)
    return th + _add_round_odd(tl, ul)


def _fma32(a, b, c):
    """Correctly rounded float32 a*b + c for float32 inputs."""
    s = np.multiply(a, b, dtype=_F64)  # exact: only the sum rounds
    s += c
    out = s.astype(_F32)
    # rounding the float64 sum to float32 can only go wrong on a float32 midpoint,
    # or where float32 is subnormal and keeps fewer bits
    bits = s.view(np.uint64)
    tie = (bits & np.uint64(0x1FFFFFFF)) == np.uint64(0x10000000)
    magnitude = bits << np.uint64(1)
    magnitude -= np.uint64(1)  # zero wraps round and is left out
    tie |= magnitude < np.uint64((897 << 53) - 1)
    if tie.any():
        a, b, c = (np.broadcast_to(v, s.shape)[tie].astype(_F64) for v in (a, b, c))
        out[tie] = _add_round_odd(a * b, c).astype(_F32)
    return out


def _madd(a, b, c):
    """``a * b + c`` as ATen's distribution kernels compile it: the AVX2 build contracts it."""
    if not AVX2:
        return a * b + c
    return _fma64(a, b, c) if a.dtype == _F64 else _fma32(a, b, c)


# ------------------------------------------------------ glibc's float logf / sinf / cosf
# NOTE: the tables and polynomial coefficients are glibc's (from Arm's
# optimized-routines); the evaluation order and each contraction into an FMA
# follow the x86-64 FMA build.  Only inputs in (0, 1] (logf) and [0, 2*pi)
# (sinf/cosf) are needed.

_H = float.fromhex
_LOGF_INVC_LOGC = np.array(
    [
        (_H("0x1.661ec79f8f3bep+0"), _H("-0x1.57bf7808caadep-2")),
        (_H("0x1.571ed4aaf883dp+0"), _H("-0x1.2bef0a7c06ddbp-2")),
        (_H("0x1.49539f0f010bp+0"), _H("-0x1.01eae7f513a67p-2")),
        (_H("0x1.3c995b0b80385p+0"), _H("-0x1.b31d8a68224e9p-3")),
        (_H("0x1.30d190c8864a5p+0"), _H("-0x1.6574f0ac07758p-3")),
        (_H("0x1.25e227b0b8eap+0"), _H("-0x1.1aa2bc79c81p-3")),
        (_H("0x1.1bb4a4a1a343fp+0"), _H("-0x1.a4e76ce8c0e5ep-4")),
        (_H("0x1.12358f08ae5bap+0"), _H("-0x1.1973c5a611cccp-4")),
        (_H("0x1.0953f419900a7p+0"), _H("-0x1.252f438e10c1ep-5")),
        (1.0, 0.0),
        (_H("0x1.e608cfd9a47acp-1"), _H("0x1.aa5aa5df25984p-5")),
        (_H("0x1.ca4b31f026aap-1"), _H("0x1.c5e53aa362eb4p-4")),
        (_H("0x1.b2036576afce6p-1"), _H("0x1.526e57720db08p-3")),
        (_H("0x1.9c2d163a1aa2dp-1"), _H("0x1.bc2860d22477p-3")),
        (_H("0x1.886e6037841edp-1"), _H("0x1.1058bc8a07ee1p-2")),
        (_H("0x1.767dcf5534862p-1"), _H("0x1.4043057b6ee09p-2")),
    ]
)
_LOGF_LN2 = _H("0x1.62e42fefa39efp-1")
_LOGF_POLY = (_H("-0x1.00ea348b88334p-2"), _H("0x1.5575b0be00b6ap-2"), _H("-0x1.ffffef20a4123p-2"))
_HPI_INV = _H("0x1.45F306DC9C883p+23")  # 2/pi * 2**24
_HPI = _H("0x1.921FB54442D18p0")
_COS_POLY = (
    1.0,
    _H("-0x1.ffffffd0c621cp-2"),
    _H("0x1.55553e1068f19p-5"),
    _H("-0x1.6c087e89a359dp-10"),
    _H("0x1.99343027bf8c3p-16"),
)
_SIN_POLY = (_H("-0x1.555545995a603p-3"), _H("0x1.1107605230bc4p-7"), _H("-0x1.994eb3774cf24p-13"))


def _glibc_logf(x: np.ndarray) -> np.ndarray:
    ix = x.view(np.uint32).astype(np.int64)
    tmp = (ix - 0x3F330000) & 0xFFFFFFFF
    invc, logc = np.moveaxis(_LOGF_INVC_LOGC[(tmp >> 19) & 15], -1, 0)
    k = (tmp.astype(np.uint32).view(np.int32) >> 23).astype(_F64)
    z = (ix - (tmp & (0x1FF << 23))).astype(np.uint32).view(_F32).astype(_F64)
    r = _fma64(z, invc, -1.0)
    y0 = _fma64(k, _LOGF_LN2, logc)
    r2 = r * r
    a0, a1, a2 = _LOGF_POLY
    y = _fma64(a0, r2, _fma64(a1, r, a2))
    y = _fma64(y, r2, y0 + r).astype(_F32)
    return np.where(ix == 0x3F800000, np.float32(0), y)


def _glibc_sincosf(y: np.ndarray, cos: bool) -> np.ndarray:
    top = (y.view(np.uint32) >> 20) & 0x7FF
    x = y.astype(_F64)
    small = top < 0x3F4  # abstop12(y) < abstop12(pi/4): no range reduction
    n = ((x * _HPI_INV).astype(np.int32).astype(np.int64) + 0x800000) >> 24
    n = np.where(small, 0, n)
    reduced = _fma64(-n.astype(_F64), _HPI, x) * np.array([1.0, -1.0, -1.0, 1.0])[n & 3]
    x = np.where(small, x, reduced)
    x2 = x * x
    s1 = _fma64(x2, _SIN_POLY[2], _SIN_POLY[1])
    x3 = x * x2
    sin_poly = _fma64(x3 * x2, s1, _fma64(x3, _SIN_POLY[0], x))
    sign = np.where(n & 2, -1.0, 1.0)
    c0, c1, c2, c3, c4 = (sign * c for c in _COS_POLY)
    x4 = x2 * x2
    cos_poly = _fma64(x4 * x2, _fma64(x2, c4, c3), _fma64(x4, c2, _fma64(x2, c1, c0)))
    use_cos = ((n ^ 1) & 1 if cos else n & 1) == 1
    out = np.where(use_cos, cos_poly, sin_poly).astype(_F32)
    tiny = top < 0x398  # |y| < 2**-12
    return np.where(tiny, np.float32(1) if cos else y, out)


_LOG1PF_LN2 = tuple(np.uint32(b).view(np.float32) for b in (0x3F317180, 0x3717F7D1))
_LOG1PF_LP = tuple(
    np.uint32(b).view(np.float32)
    for b in (0x3F2AAAAB, 0x3ECCCCCD, 0x3E924925, 0x3E638E29, 0x3E3A3325, 0x3E1CD04F, 0x3E178897)
)


def _glibc_log1pf(x: np.float32) -> np.float32:
    """glibc's (fdlibm's) float ``log1pf`` for x in [-0.5, 0), all in float32 arithmetic."""
    one = np.float32(1)
    hx = int(np.float32(x).view(np.int32))
    if hx & 0x7FFFFFFF < 0x31000000:  # |x| < 2**-29
        return x if hx & 0x7FFFFFFF < 0x24800000 else x - x * x * np.float32(0.5)
    if hx <= -1097468385:  # 0xbe95f61f: -0.2929 < x < 0 needs no reduction
        k, f, hu, c = 0, x, 1, np.float32(0)
    else:
        u = one + x
        hu = int(u.view(np.int32))
        k = (hu >> 23) - 127
        c = (one - (u - x) if k > 0 else x - (u - one)) / u
        hu &= 0x007FFFFF
        if hu < 0x3504F7:
            u = np.int32(hu | 0x3F800000).view(np.float32)
        else:
            k += 1
            u = np.int32(hu | 0x3F000000).view(np.float32)
            hu = (0x00800000 - hu) >> 2
        f = u - one
    kf, (ln2_hi, ln2_lo) = np.float32(k), _LOG1PF_LN2
    hfsq = np.float32(0.5) * f * f
    if hu == 0:  # |f| < 2**-20
        if f == 0:
            return np.float32(0) if k == 0 else kf * ln2_hi + (c + kf * ln2_lo)
        r = hfsq * (one - np.float32(0.66666666666666666) * f)
        return f - r if k == 0 else kf * ln2_hi - ((r - (kf * ln2_lo + c)) - f)
    s = f / (np.float32(2) + f)
    z = s * s
    r = _LOG1PF_LP[6]
    for lp in _LOG1PF_LP[5::-1]:
        r = lp + z * r
    r = z * r
    if k == 0:
        return f - (hfsq - s * (hfsq + r))
    return kf * ln2_hi - ((hfsq - (s * (hfsq + r) + (kf * ln2_lo + c))) - f)


# ---------------------------------------- ATen's AVX2 Box-Muller (avx_mathfun.h)
# NOTE: CPUs with AVX2 (and AVX-512, which reuses the AVX2 kernel for the
# distribution stubs) fill float/half/bfloat16 normals with avx_mathfun's Cephes
# polynomials in float32; GCC contracts each multiply feeding an add into an FMA.

_f = np.float32
_LOG_P = tuple(
    _f(v)
    for v in (
        7.0376836292e-2,
        -1.1514610310e-1,
        1.1676998740e-1,
        -1.2420140846e-1,
        1.4249322787e-1,
        -1.6668057665e-1,
        2.0000714765e-1,
        -2.4999993993e-1,
        3.3333331174e-1,
    )
)
_LOG_Q1, _LOG_Q2, _SQRTHF = _f(-2.12194440e-4), _f(0.693359375), _f(0.707106781186547524)
_DP = (_f(-0.78515625), _f(-2.4187564849853515625e-4), _f(-3.77489497744594108e-8))
_SINCOF = (_f(-1.9515295891e-4), _f(8.3321608736e-3), _f(-1.6666654611e-1))
_COSCOF = (_f(2.443315711809948e-005), _f(-1.388731625493765e-003), _f(4.166664568298827e-002))
_FOPI = _f(1.27323954473516)


def _avx_log(x: np.ndarray) -> np.ndarray:
    bits = x.view(np.uint32)
    e = ((bits >> 23).astype(np.int32) - 0x7F).astype(_F32) + _f(1)
    m = ((bits & ~np.uint32(0x7F800000)) | np.float32(0.5).view(np.uint32)).view(_F32)
    below = m < _SQRTHF
    e = e - below.astype(_F32)
    x = (m - _f(1)) + np.where(below, m, _f(0))
    z = x * x
    y = np.full_like(x, _LOG_P[0])
    for p in _LOG_P[1:]:
        y = _fma32(y, x, p)
    y = _fma32(y * x, z, e * _LOG_Q1) - z * _f(0.5)
    return _fma32(e, _LOG_Q2, x + y)


def _avx_sincos(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(sin, cos) of x >= 0."""
    j = ((x * _FOPI).astype(np.int32) + 1) & ~1
    y = j.astype(_F32)
    for dp in _DP:
        x = _fma32(y, dp, x)
    z = x * x
    c = _fma32(_fma32(_COSCOF[0], z, _COSCOF[1]), z, _COSCOF[2])
    c = _fma32(c * z, z, -(z * _f(0.5))) + _f(1)
    s = _fma32(_fma32(_SINCOF[0], z, _SINCOF[1]), z, _SINCOF[2])
    s = _fma32(s * z, x, x)
    swap = (j & 2) != 0
    sin, cos = np.where(swap, c, s), np.where(swap, s, c)
    sin = np.where((j & 4) != 0, -sin, sin)
    cos = np.where(((j - 2) & 4) == 0, -cos, cos)
    return sin, cos


def _libm(fn, x: np.ndarray) -> np.ndarray:
    # NOTE: NumPy's own log/log1p/exp/tan differ from glibc's in the last bit for
    # a few percent of inputs; math.* calls the libm that ATen calls.
    return np.fromiter(map(fn, x.tolist()), _F64, count=x.size)


# --------------------------------------------------------------------- the stream


class CPUStream:
    """PyTorch's ``CPUGeneratorImpl``: mt19937 words plus the cached normal samples.

    >>> CPUStream(0).normal(3, "float32")   # torch.manual_seed(0); torch.randn(3)
    array([ 1.5409961, -0.2934289, -2.1787894], dtype=float32)
    """

    __slots__ = ("_bits", "_seed", "_next_double", "_next_float", "_wrap_next")

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self._bits = np.random.MT19937()
        self.manual_seed(seed)

    # -- seeding and state --------------------------------------------------
    def manual_seed(self, seed: int) -> CPUStream:
        """Seed like ``torch.manual_seed``: ints in [-2**63, 2**64) are taken mod 2**64."""
        seed = int(seed)
        if not -(2**63) <= seed < 2**64:
            raise ValueError("Overflow when unpacking long long")
        self._seed = seed % 2**64
        self._bits._legacy_seeding(self._seed & 0xFFFFFFFF)
        self._next_double = self._next_float = None
        self._wrap_next = 0
        return self

    def initial_seed(self) -> int:
        return self._seed

    def seed(self) -> int:
        """Reseed from /dev/urandom (as torch does) and return the new seed."""
        seed = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(seed)
        return seed

    def get_state(self) -> bytes:
        """The 5056 bytes ``torch.get_rng_state()`` holds for this state."""
        st = self._bits.state["state"]
        pos = int(st["pos"])
        rec = np.zeros((), _STATE_DTYPE)
        rec["seed"] = self._seed
        rec["left"] = 625 - pos
        rec["seeded"] = 1
        rec["next"] = self._wrap_next if pos == _N else pos
        rec["state"] = st["key"]
        if self._next_double is not None:
            rec["normal_is_valid"] = 1
            rec["normal_y"] = self._next_double
        if self._next_float is not None:
            rec["next_float_valid"] = 1
            rec["next_float"] = self._next_float
        return rec.tobytes()

    def set_state(self, state) -> None:
        """Restore bytes from ``get_state`` or ``torch.get_rng_state().numpy()``."""
        buf = np.frombuffer(bytes(memoryview(state).cast("B")), np.uint8)
        if buf.size != STATE_SIZE:
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {STATE_SIZE} but found the input "
                f"RNG state size to be {buf.size}"
            )
        rec = buf.view(_STATE_DTYPE)[0]
        left, nxt = int(rec["left"]), int(rec["next"])
        if not (rec["seeded"] & 0xFF) or not 0 < left <= _N or nxt > _N:
            raise RuntimeError("Invalid mt19937 state")
        key = (rec["state"] & 0xFFFFFFFF).astype(np.uint32)
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": 625 - left}}
        self._seed = int(rec["seed"])
        self._wrap_next = nxt
        self._next_double = float(rec["normal_y"]) if rec["normal_is_valid"] else None
        self._next_float = np.float32(rec["next_float"]) if rec["next_float_valid"] else None

    # -- raw words ----------------------------------------------------------
    def random(self, n: int) -> np.ndarray:
        """``n`` raw 32-bit words (``CPUGeneratorImpl::random``) as uint64."""
        if n:
            self._wrap_next = _N
        return self._bits.random_raw(n)

    def random64(self, n: int) -> np.ndarray:
        """``n`` 64-bit words (``random64``: first draw is the high half)."""
        w = self.random(2 * n)
        return (w[0::2] << np.uint64(32)) | w[1::2]

    def _unit(self, n: int, digits: int) -> np.ndarray:
        """``uniform_real_distribution(0, 1)`` values before any scaling."""
        words = self.random64(n) if digits == 53 else self.random(n)
        words &= np.uint64(2**digits - 1)
        x = words.astype(_F64 if digits == 53 else _F32)
        x *= 2.0**-digits
        return x

    # -- uniform ------------------------------------------------------------
    def uniform(self, shape, dtype="float32", low: float = 0.0, high: float = 1.0) -> np.ndarray:
        """``torch.rand`` / ``Tensor.uniform_(low, high)``; complex fills the real view."""
        shape, dt = _shape(shape), _dtype(dtype)
        if dt.kind == "c":
            parts = self.uniform((*shape, 2), _real(dt), low, high)
            return parts.view(dt).reshape(shape)
        x = self._unit(_numel(shape), 53 if dt == _F64 else 24)
        if (low, high) == (0, 1):
            out = _cast(x, dt)
            if dt == x.dtype:  # below 1 already: nothing to clamp
                return out.reshape(shape)
        elif dt == _F64:
            out = _madd(x, high - low, low)
        else:
            out = _cast(_madd(x, np.float32(high) - np.float32(low), np.float32(low)), dt)
        # the kernel maps a value that rounded up onto `high` back to `low`
        lo_t, hi_t = _cast(np.array([low, high]), dt)
        out[out == hi_t] = lo_t
        return out.reshape(shape)

    # -- normal -------------------------------------------------------------
    def normal(
        self, shape, dtype="float32", mean: float = 0.0, std: float = 1.0, contiguous: bool = True
    ) -> np.ndarray:
        """``torch.randn`` / ``Tensor.normal_(mean, std)``.

        Fewer than 16 elements (or a non-contiguous target) use the scalar
        double-precision Box-Muller path with its cached second sample; 16 or
        more use the vectorised fill in blocks of 16.  With ``contiguous=False``
        the values come in the target's memory order (TensorIterator's order).
        """
        shape, dt = _shape(shape), _dtype(dtype)
        if dt.kind == "c":  # the real view, each part with half the variance
            parts = self.normal((*shape, 2), _real(dt), mean, std / math.sqrt(2), contiguous)
            return parts.view(dt).reshape(shape)
        n = _numel(shape)
        if n >= 16 and contiguous:
            return _cast(self._normal_fill(n, dt, mean, std), dt).reshape(shape)
        return _cast(self._normal_scalar(n, mean, std), dt).reshape(shape)

    def _normal_scalar(self, n: int, mean: float, std: float) -> np.ndarray:
        cached = [] if self._next_double is None or n == 0 else [self._next_double]
        if cached:
            self._next_double = None
        pairs = (n - len(cached) + 1) // 2
        u = self._unit(2 * pairs, 53)
        r = np.sqrt(-2.0 * _libm(math.log1p, -u[1::2]))
        theta = 2.0 * math.pi * u[0::2]
        draws = np.stack([r * _libm(math.cos, theta), r * _libm(math.sin, theta)], 1).ravel()
        if (n - len(cached)) % 2:
            self._next_double = float(draws[-1])
            draws = draws[:-1]
        vals = np.concatenate([np.array(cached, _F64), draws])
        return _madd(vals, std, mean) if (std, mean) != (1.0, 0.0) else vals

    def _normal_fill(self, n: int, dt: np.dtype, mean: float, std: float) -> np.ndarray:
        opmath = _F64 if dt == _F64 else _F32
        digits = 53 if dt == _F64 else 24
        blocks, rem = divmod(n, 16)
        # float/double draw every element first; half/bfloat16 only whole blocks
        drawn = self._unit(n if dt == opmath else 16 * blocks, digits)[: 16 * blocks]
        if rem:
            drawn = np.concatenate([drawn, self._unit(16, digits)])
        out = self._box_muller(drawn.reshape(-1, 16), opmath, mean, std).ravel()
        if rem:
            out = np.concatenate([out[: 16 * blocks][: n - 16], out[16 * blocks :]])
        return out

    @staticmethod
    def _box_muller(u: np.ndarray, opmath: np.dtype, mean: float, std: float) -> np.ndarray:
        u1, u2 = 1 - u[:, :8], u[:, 8:]
        if opmath == _F64:
            radius = np.sqrt(-2 * _libm(math.log, u1.ravel()).reshape(u1.shape))
            theta = 2.0 * math.pi * u2
            # NOTE: NumPy's float64 sin/cos agree with glibc's here (20M draws checked)
            c, s = radius * np.cos(theta), radius * np.sin(theta)
            fma = _fma64
        elif AVX2:
            radius = np.sqrt(np.float32(-2) * _avx_log(u1))
            s, c = _avx_sincos(np.float32(2.0 * math.pi) * u2)
            c, s = radius * c, radius * s
            fma = _fma32
            mean, std = np.float32(mean), np.float32(std)
        else:
            radius = np.sqrt(np.float32(-2) * _glibc_logf(u1))
            theta = (2.0 * math.pi * u2.astype(_F64)).astype(_F32)
            c, s = radius * _glibc_sincosf(theta, True), radius * _glibc_sincosf(theta, False)
            fma = _fma32
            mean, std = np.float32(mean), np.float32(std)
        out = np.concatenate([c, s], 1)
        return out if (std, mean) == (1, 0) else fma(out, std, mean).astype(opmath)

    # -- integers -----------------------------------------------------------
    def random_(
        self, shape, dtype="int64", low: int | None = None, high: int | None = None
    ) -> np.ndarray:
        """``Tensor.random_()``, ``random_(high)``, ``random_(low, high)``, ``torch.randint``.

        Without bounds: ``[0, 2**mantissa]`` for floating dtypes, ``[0, max]`` for
        integers (64-bit draws for int64/float64).  With bounds (``high=None``
        meaning the dtype's top value): one 32-bit draw per element if
        ``high - low < 2**28``, else a 64-bit draw, reduced by ``%``; the full
        int64 range takes the 64-bit draw as it is.
        """
        shape, dt = _shape(shape), _dtype(dtype)
        n = _numel(shape)
        top = 1 if dt == np.bool_ else _INT_MAX.get(dt.name) or 2 ** _DIGITS[dt.name]
        if low is None and high is None:
            wide = dt.name in ("int64", "float64")
            val = self.random64(n) if wide else self.random(n)
            out = (val % np.uint64(top + 1)).astype(np.int64)
        else:
            low = 0 if low is None else int(low)
            span = (top + 1 if high is None else int(high)) - low
            if span >= 2**64:
                out = self.random64(n).view(np.int64)
            else:
                val = self.random64(n) if span >= 2**28 else self.random(n)
                out = ((val % np.uint64(span)) + np.uint64(low % 2**64)).view(np.int64)
        return _cast(out, dt).reshape(shape)

    def randperm(self, n: int, dtype="int64") -> np.ndarray:
        """``torch.randperm(n)``: a forward Fisher-Yates shuffle, swapping ``i`` with
        ``i + random() % (n - i)``; from ``2**32 / 20`` on, an inside-out shuffle
        with 64-bit draws."""
        n = int(n)
        if n < (2**32 - 1) // 20:
            steps = np.arange(max(n - 1, 0))
            offsets = self.random(steps.size) % np.arange(n, 1, -1, dtype=np.uint64)
            perm = _apply_forward_swaps(offsets.astype(np.int64) + steps, n)
        else:
            picks = (self.random64(n) % np.arange(1, n + 1, dtype=np.uint64)).tolist()
            out = [0] * n
            for i, z in enumerate(picks):
                out[i] = out[z]
                out[z] = i
            perm = np.array(out, np.int64)
        return _cast(perm, _dtype(dtype))

    # -- discrete -----------------------------------------------------------
    def bernoulli(self, p, shape=None, dtype="float32") -> np.ndarray:
        """``Tensor.bernoulli_(p)``; ``torch.bernoulli(p)`` is ``bernoulli(p, p.shape, p.dtype)``.

        A float ``p`` draws a double per element; a tensor ``p`` (NumPy array,
        broadcast to ``shape``) draws a double for float64 ``p`` and a float otherwise.
        """
        dt = _dtype(dtype)
        if isinstance(p, np.ndarray):
            shape = p.shape if shape is None else _shape(shape)
            double = p.dtype == _F64
            probs = np.broadcast_to(p.astype(_F64 if double else _F32), shape)
            u = self._unit(_numel(shape), 53 if double else 24).reshape(shape)
        else:
            shape = _shape(shape)
            probs, u = float(p), self._unit(_numel(shape), 53).reshape(shape)
        return _cast((u < probs).astype(np.int64), dt)

    def multinomial(
        self, probs: np.ndarray, num_samples: int, replacement: bool = False
    ) -> np.ndarray:
        """``torch.multinomial`` for 1-D or 2-D ``probs`` (int64 indices)."""
        probs = np.asarray(probs)
        rows = probs.reshape(-1, probs.shape[-1])
        if not replacement or num_samples == 1:
            # torch: argmax / topk of p / q with q ~ Exponential(1) in p's dtype
            q = self.exponential(rows.shape, probs.dtype.name)
            opmath = _F64 if rows.dtype == _F64 else _F32
            ratio = _cast(rows.astype(opmath) / q.astype(opmath), rows.dtype)
            order = np.argsort(-ratio.astype(_F64), axis=-1, kind="stable")[:, :num_samples]
            return order.reshape((*probs.shape[:-1], num_samples))
        acc = _F32 if rows.dtype.name in ("float16", "bfloat16") else rows.dtype
        out = np.empty((rows.shape[0], num_samples), np.int64)
        for i, row in enumerate(rows.astype(acc)):
            cum = np.cumsum(row, dtype=acc)
            cum = cum / cum[-1]
            cum[-1] = 1
            out[i] = np.searchsorted(cum.astype(_F64), self._unit(num_samples, 53), "left")
        return out.reshape((*probs.shape[:-1], num_samples))

    # -- continuous, one double draw per element ------------------------------
    def exponential(self, shape, dtype="float32", lambd: float = 1.0) -> np.ndarray:
        """``Tensor.exponential_(lambd)``: ``-1/lambd * log1p(-u)`` in double."""
        shape, dt = _shape(shape), _dtype(dtype)
        u = self._unit(_numel(shape), 53)
        return _cast((-1.0 / lambd) * _libm(math.log1p, -u), dt).reshape(shape)

    def geometric(self, shape, dtype="float32", p: float = 0.5) -> np.ndarray:
        """``Tensor.geometric_(p)``: ``ceil(log(u) / log1p(-p))`` in double."""
        shape, dt = _shape(shape), _dtype(dtype)
        u = self._unit(_numel(shape), 53)
        logs = _libm(_log_or_inf, u)
        return _cast(np.ceil(logs / math.log1p(-p)), dt).reshape(shape)

    def cauchy(self, shape, dtype="float32", median: float = 0.0, sigma: float = 1.0) -> np.ndarray:
        """``Tensor.cauchy_(median, sigma)``: ``median + sigma * tan(pi * (u - 0.5))``."""
        shape, dt = _shape(shape), _dtype(dtype)
        u = self._unit(_numel(shape), 53)
        return _cast(median + sigma * _libm(math.tan, math.pi * (u - 0.5)), dt).reshape(shape)

    def log_normal(self, shape, dtype="float32", mean: float = 1.0, std: float = 2.0) -> np.ndarray:
        """``Tensor.log_normal_(mean, std)``: ``exp`` of the scalar normal path."""
        shape, dt = _shape(shape), _dtype(dtype)
        normal = self._normal_scalar(_numel(shape), mean, std)
        return _cast(_libm(_exp_or_inf, normal), dt).reshape(shape)

    # -- rejection samplers, element by element (torch.distributions) ---------
    def standard_gamma(self, alpha: np.ndarray) -> np.ndarray:
        """``torch._standard_gamma(alpha)`` (Gamma, Beta, Chi2 sampling), float32 or float64.

        Marsaglia-Tsang in double per element, drawing double uniforms and the
        cached double normals, with the float32 steps a float ``alpha`` takes.
        """
        alpha = np.asarray(alpha)
        single = alpha.dtype == _F32
        tiny = np.finfo(alpha.dtype).tiny
        out = [max(self._gamma_one(a, single), tiny) for a in alpha.ravel().tolist()]
        return np.array(out, alpha.dtype).reshape(alpha.shape)

    def poisson(self, rates: np.ndarray) -> np.ndarray:
        """``torch.poisson(rates)``: Hoermann's transformed rejection from rate 10 on,
        multiplied uniforms below; the counts come back in ``rates``' dtype."""
        rates = np.asarray(rates)
        out = [self._poisson_one(lam) for lam in rates.astype(_F64).ravel().tolist()]
        return _cast(np.array(out, np.int64), rates.dtype).reshape(rates.shape)

    def binomial(self, count: np.ndarray, prob: np.ndarray) -> np.ndarray:
        """``torch.binomial(count, prob)`` (float32 or float64): BTRS from a mean of 10
        on, geometric inversion below, with the float32 steps a float tensor takes."""
        count = np.asarray(count)
        prob = np.broadcast_to(np.asarray(prob, count.dtype), count.shape)
        single = count.dtype == _F32
        pairs = zip(count.ravel().tolist(), prob.ravel().tolist(), strict=True)
        out = [self._binomial_one(n, p, single) for n, p in pairs]
        return np.array(out, count.dtype).reshape(count.shape)

    def _binomial_one(self, count: float, prob: float, single: bool) -> float:
        f = np.float32 if single else float
        count, prob = f(count), f(prob)
        if count <= 0 or prob <= 0:
            return 0.0
        if prob >= 1:
            return float(count)
        if math.isnan(prob):
            return math.nan
        flip = prob > 0.5
        p = f(1.0 - prob) if flip else prob
        sample = self._btrs(count, p, f) if count * p >= 10 else self._inversion(count, p, f)
        return float(count - sample) if flip else float(sample)

    def _inversion(self, count, prob, f):
        logprob = float(_glibc_log1pf(-prob)) if f is np.float32 else math.log1p(-prob)
        geom_sum, hits = 0.0, f(0)
        while True:
            ratio = _log_or_inf(self._u53()) / logprob
            geom_sum += math.ceil(ratio) if ratio != math.inf else ratio
            if geom_sum > float(count):
                return hits
            hits = hits + f(1)

    def _btrs(self, count, prob, f):
        # NOTE: operands typed scalar_t in ATen (count, prob, k) keep float32 steps
        stddev = float(
            np.sqrt(count * prob * (f(1) - prob))
            if f is np.float32
            else math.sqrt(count * prob * (1 - prob))
        )
        b = 1.15 + 2.53 * stddev
        a = -0.0873 + 0.0248 * b + 0.01 * float(prob)
        c = float(count * prob) + 0.5
        v_r = 0.92 - 4.2 / b
        r = float(prob / (f(1) - prob))
        alpha = (2.83 + 5.1 / b) * stddev
        m = float(np.floor((count + f(1)) * prob))
        tail = _stirling_tail
        while True:
            u = self._u53() - 0.5
            v = self._u53()
            us = 0.5 - abs(u)
            k = f(math.floor((2 * a / us + b) * u + c))
            if k < 0 or k > count:
                continue
            if us >= 0.07 and v <= v_r:
                return k
            v = math.log(v * alpha / (a / (us * us) + b))
            n, n_k = float(count), float(count - k + f(1))
            bound = (
                (m + 0.5) * math.log((m + 1) / (r * (n - m + 1)))
                + float(count + f(1)) * math.log((n - m + 1) / n_k)
                + (float(k) + 0.5) * math.log(r * n_k / float(k + f(1)))
                + tail(m)
                + tail(n - m)
                - tail(float(k))
                - tail(float(count - k))
            )
            if v <= bound:
                return k

    def _u53(self) -> float:
        hi, lo = self.random(2).tolist()
        return ((hi & 0x1FFFFF) << 32 | lo) * 2.0**-53

    def _std_normal(self) -> float:
        if self._next_double is not None:
            cached, self._next_double = self._next_double, None
            return cached
        u1, u2 = self._u53(), self._u53()
        r = math.sqrt(-2.0 * math.log1p(-u2))
        self._next_double = r * math.sin(2.0 * math.pi * u1)
        return r * math.cos(2.0 * math.pi * u1)

    def _gamma_one(self, alpha: float, single: bool) -> float:
        # NOTE: with a float alpha, `1.0f / alpha`, `alpha += 1.0f` and `alpha - 1.0f / 3.0f`
        # round to float32 in ATen; everything else is double.
        f = np.float32 if single else float
        alpha, scale = f(alpha), 1.0
        if alpha < 1:
            if alpha == 0:
                return 0.0
            scale *= math.pow(1 - self._u53(), float(f(1) / alpha))
            alpha = f(alpha + f(1))
        d = float(alpha - f(_THIRD_F32))
        c = 1.0 / math.sqrt(9.0 * d)
        while True:
            x = self._std_normal()
            y = 1.0 + c * x
            if y <= 0:
                continue
            v = y * y * y
            u = 1 - self._u53()
            xx = x * x
            if u < 1.0 - _GAMMA_SQUEEZE * xx * xx or math.log(u) < 0.5 * xx + d * (
                1.0 - v + math.log(v)
            ):
                return float(f(scale * d * v))

    def _poisson_one(self, lam: float) -> int:
        if lam < 0:
            raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
        if lam >= 10:
            loglam = math.log(lam)
            b = 0.931 + 2.53 * math.sqrt(lam)
            a = -0.059 + 0.02483 * b
            invalpha = 1.1239 + 1.1328 / (b - 3.4)
            vr = 0.9277 - 3.6224 / (b - 2)
            while True:
                u = self._u53() - 0.5
                v = self._u53()
                us = 0.5 - abs(u)
                k = math.floor((2 * a / us + b) * u + lam + 0.43)
                if us >= 0.07 and v <= vr:
                    return k
                if k < 0 or (us < 0.013 and v > us):
                    continue
                if math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b) <= (
                    -lam + k * loglam - math.lgamma(k + 1.0)
                ):
                    return k
        if lam == 0:
            return 0
        enlam, count, prod = math.exp(-lam), 0, 1.0
        while True:
            prod *= self._u53()
            if prod <= enlam:
                return count
            count += 1


def _apply_forward_swaps(target: np.ndarray, n: int) -> np.ndarray:
    """``range(n)`` after swapping positions ``k`` and ``target[k] >= k`` for k = 0, 1, ...

    Position k is final after step k: it receives what ``target[k]`` held then,
    which is the value the previous step into ``target[k]`` carried there (or
    ``target[k]`` itself).  A step k carries ``held[k]``, what k held before its
    own step; ``held`` follows "last step into p before p" links to a root, found
    by pointer jumping instead of a Python loop over the swaps.
    """
    m = target.size
    if m == 0:
        return np.arange(n, dtype=np.int64)
    step = np.arange(m)
    # steps grouped by target, in step order (one SIMD sort of unique keys)
    tgt, stp = np.divmod(np.sort(target * m + step), m)
    same = tgt[1:] == tgt[:-1]
    prev = np.full(m, -1)  # previous step with the same target
    prev[stp[1:][same]] = stp[:-1][same]
    moving = stp < tgt
    mt, ms = tgt[moving], stp[moving]
    last = np.ones(mt.size, bool)
    last[:-1] = mt[1:] != mt[:-1]
    held = np.arange(n)
    held[mt[last]] = ms[last]
    while True:
        jumped = held[held]
        if np.array_equal(jumped, held):
            break
        held = jumped
    out = np.empty(n, np.int64)
    out[:m] = np.where(target == step, held[:m], np.where(prev >= 0, held[prev], target))
    out[m] = held[m]
    return out


_STIRLING_TAIL = (
    0.0810614667953272,
    0.0413406959554092,
    0.0276779256849983,
    0.02079067210376509,
    0.0166446911898211,
    0.0138761288230707,
    0.0118967099458917,
    0.0104112652619720,
    0.00925546218271273,
    0.00833056343336287,
)


def _stirling_tail(k: float) -> float:
    if k < 10:
        return _STIRLING_TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


def _log_or_inf(x: float) -> float:
    return math.log(x) if x > 0 else -math.inf


def _exp_or_inf(x: float) -> float:
    return math.exp(x) if x < 709.8 else math.inf
