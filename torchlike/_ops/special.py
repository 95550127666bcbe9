"""The op table's special entries: Bessel, Airy, gamma-family and orthogonal-polynomial functions
as PyTorch 2.13 computes them.

Where JAX has no function (or computes it differently from ATen), the entry evaluates ATen's
formula: the rational and Chebyshev approximations come from the Cephes Math Library (3-clause
BSD, Copyright (c) 2018 Steven Moshier) with ATen's evaluation order, so float64 values agree with
torch's to a few ulps (torch's own deviations from the exact functions included). Torch gives some
of these functions no derivative at all (their results never require grad: ``grad_fn=None`` here)
and some a derivative for one argument only (``_no_grad``)."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import jax.scipy.special as jss
from jax import lax

from ._registry import defop, not_for


# -- helpers --------------------------------------------------------------------------------------
def _horner(z, coeffs):
    """``coeffs[0] z^(n-1) + ... + coeffs[-1]`` (ATen's loops start from zero)."""
    r = jnp.zeros_like(z)
    for c in coeffs:
        r = r * z + c
    return r


def _chebyshev(y, coeffs):
    """Clenshaw's sum of a Chebyshev series, Cephes' ``chbevl``."""
    b0, b1, b2 = jnp.full_like(y, coeffs[0]), jnp.zeros_like(y), jnp.zeros_like(y)
    for c in coeffs[1:]:
        b2, b1 = b1, b0
        b0 = y * b1 - b2 + c
    return 0.5 * (b0 - b2)


def _upcast(fn):
    """``fn`` computed in float32 for float16/bfloat16 inputs (as ATen's kernels do)."""

    def f(*args, **kw):
        dt = args[0].dtype
        if dt in (jnp.float16, jnp.bfloat16):
            return fn(*[a.astype(jnp.float32) for a in args], **kw).astype(dt)
        return fn(*args, **kw)

    return f


def _no_grad(what):
    """Identity whose backward raises torch's error: torch defines no derivative for this
    argument (``igamma``'s ``input``, ``zeta``'s ``self``)."""

    @jax.custom_vjp
    def ident(a):
        return a

    def bwd(res, ct):
        raise NotImplementedError(f"the derivative for '{what}' is not implemented.")

    ident.defvjp(lambda a: (a, None), bwd)
    return ident


def _with_derivative(fn, deriv):
    """``fn`` whose derivative is torch's formula ``deriv(x, out)`` (edge values included)."""
    f = jax.custom_jvp(fn)

    @f.defjvp
    def _jvp(primals, tangents):
        (x,), (dx,) = primals, tangents
        out = f(x)
        return out, deriv(x, out) * dx

    return f


def _overload(stem):
    """grad_fn name by overload: ``Backward0`` for two tensors, ``1`` for a scalar first
    argument, ``2`` for a scalar second argument (``special_zeta.self_scalar``...)."""

    def name(args, opts):
        if not hasattr(args[0], "_storage"):
            return f"{stem}Backward1"
        return f"{stem}Backward{0 if hasattr(args[1], '_storage') else 2}"

    return name


_NO_HALF = ("half", "complex")


def _nograd_unary(name, fn):
    return defop(name, fn, None, dtypes="float", check=not_for(f"{name}_cpu", *_NO_HALF))


# -- Bessel functions of the first and second kind ------------------------------------------------
_PI_4, _3PI_4, _SQRT_2_PI = math.pi / 4, 3 * math.pi / 4, 0.797884560802865355879892119868763737
_TWO_PI = 0.636619772367581343075535053490057448
_J0_PP = (7.96936729297347051624e-04, 8.28352392107440799803e-02, 1.23953371646414299388e+00,
          5.44725003058768775090e+00, 8.74716500199817011941e+00, 5.30324038235394892183e+00,
          9.99999999999999997821e-01)  # fmt: skip
_J0_PQ = (9.24408810558863637013e-04, 8.56288474354474431428e-02, 1.25352743901058953537e+00,
          5.47097740330417105182e+00, 8.76190883237069594232e+00, 5.30605288235394617618e+00,
          1.00000000000000000218e+00)  # fmt: skip
_J0_QP = (-1.13663838898469149931e-02, -1.28252718670509318512e+00, -1.95539544257735972385e+01,
          -9.32060152123768231369e+01, -1.77681167980488050595e+02, -1.47077505154951170175e+02,
          -5.14105326766599330220e+01, -6.05014350600728481186e+00)  # fmt: skip
_J0_QQ = (6.43178256118178023184e+01, 8.56430025976980587198e+02, 3.88240183605401609683e+03,
          7.24046774195652478189e+03, 5.93072701187316984827e+03, 2.06209331660327847417e+03,
          2.42005740240291393179e+02)  # fmt: skip
_J0_RP = (-4.79443220978201773821e+09, 1.95617491946556577543e+12, -2.49248344360967716204e+14,
          9.70862251047306323952e+15)  # fmt: skip
_J0_RQ = (4.99563147152651017219e+02, 1.73785401676374683123e+05, 4.84409658339962045305e+07,
          1.11855537045356834862e+10, 2.11277520115489217587e+12, 3.10518229857422583814e+14,
          3.18121955943204943306e+16, 1.71086294081043136091e+18)  # fmt: skip
_J1_PP = (7.62125616208173112003e-04, 7.31397056940917570436e-02, 1.12719608129684925192e+00,
          5.11207951146807644818e+00, 8.42404590141772420927e+00, 5.21451598682361504063e+00,
          1.00000000000000000254e+00)  # fmt: skip
_J1_PQ = (5.71323128072548699714e-04, 6.88455908754495404082e-02, 1.10514232634061696926e+00,
          5.07386386128601488557e+00, 8.39985554327604159757e+00, 5.20982848682361821619e+00,
          9.99999999999999997461e-01)  # fmt: skip
_J1_QP = (5.10862594750176621635e-02, 4.98213872951233449420e+00, 7.58238284132545283818e+01,
          3.66779609360150777800e+02, 7.10856304998926107277e+02, 5.97489612400613639965e+02,
          2.11688757100572135698e+02, 2.52070205858023719784e+01)  # fmt: skip
_J1_QQ = (7.42373277035675149943e+01, 1.05644886038262816351e+03, 4.98641058337653607651e+03,
          9.56231892404756170795e+03, 7.99704160447350683650e+03, 2.82619278517639096600e+03,
          3.36093607810698293419e+02)  # fmt: skip
_J1_RP = (-8.99971225705559398224e+08, 4.52228297998194034323e+11, -7.27494245221818276015e+13,
          3.68295732863852883286e+15)  # fmt: skip
_J1_RQ = (6.20836478118054335476e+02, 2.56987256757748830383e+05, 8.35146791431949253037e+07,
          2.21511595479792499675e+10, 4.74914122079991414898e+12, 7.84369607876235854894e+14,
          8.95222336184627338078e+16, 5.32278620332680085395e+18)  # fmt: skip
_Y0_YP = (1.55924367855235737965e+04, -1.46639295903971606143e+07, 5.43526477051876500413e+09,
          -9.82136065717911466409e+11, 8.75906394395366999549e+13, -3.46628303384729719441e+15,
          4.42733268572569800351e+16, -1.84950800436986690637e+16)  # fmt: skip
_Y0_YQ = (1.04128353664259848412e+03, 6.26107330137134956842e+05, 2.68919633393814121987e+08,
          8.64002487103935000337e+10, 2.02979612750105546709e+13, 3.17157752842975028269e+15,
          2.50596256172653059228e+17)  # fmt: skip
_Y1_YP = (
    1.26320474790178026440e09,
    -6.47355876379160291031e11,
    1.14509511541823727583e14,
    -8.12770255501325109621e15,
    2.02439475713594898196e17,
    -7.78877196265950026825e17,
)
_Y1_YQ = (5.94301592346128195359e+02, 2.35564092943068577943e+05, 7.34811944459721705660e+07,
          1.87601316108706159478e+10, 3.88231277496238566008e+12, 6.20557727146953693363e+14,
          6.87141087355300489866e+16, 3.97270608116560655612e+18)  # fmt: skip


def _large(x, w, pp, pq, qp, qq, phase, sin_first):
    """The Hankel asymptotic form ATen uses for |x| > 5."""
    p = _horner(w, pp) / _horner(w, pq)
    q = 5.0 / x * (_horner(w, qp) / _horner(w, qq))
    if sin_first:
        s = p * jnp.sin(x - phase) + q * jnp.cos(x - phase)
    else:
        s = p * jnp.cos(x - phase) - q * jnp.sin(x - phase)
    return s * _SQRT_2_PI / jnp.sqrt(x)


def _j0(x):
    x = jnp.abs(x)
    z = x * x
    small = (
        (z - 5.78318596294678452118e00)
        * (z - 3.04712623436620863991e01)
        * (_horner(z, _J0_RP) / _horner(z, _J0_RQ))
    )
    small = jnp.where(x < 1e-5, 1.0 - z / 4.0, small)
    xl = jnp.where(x <= 5.0, 6.0, x)
    large = _large(xl, 25.0 / (xl * xl), _J0_PP, _J0_PQ, _J0_QP, _J0_QQ, _PI_4, False)
    return jnp.where(x <= 5.0, small, large)


def _j1(x):
    a = jnp.abs(x)
    z = a * a
    small = (
        _horner(z, _J1_RP)
        / _horner(z, _J1_RQ)
        * a
        * (z - 1.46819706421238932572e01)
        * (z - 4.92184563216946036703e01)
    )
    xl = jnp.where(a <= 5.0, 6.0, a)
    w = 5.0 / xl * (5.0 / xl)
    large = _large(xl, w, _J1_PP, _J1_PQ, _J1_QP, _J1_QQ, _3PI_4, False)
    r = jnp.where(a <= 5.0, small, large)
    return jnp.where(x < 0, -r, r)


def _y0(x):
    xs = jnp.where(x > 0, x, 1.0)
    z = xs * xs
    small = _horner(z, _Y0_YP) / _horner(z, _Y0_YQ) + _TWO_PI * jnp.log(xs) * _j0(xs)
    small = jnp.where(x == 0, -jnp.inf, jnp.where(x < 0, jnp.nan, small))
    xl = jnp.where(x <= 5.0, 6.0, x)
    large = _large(xl, 25.0 / (xl * xl), _J0_PP, _J0_PQ, _J0_QP, _J0_QQ, _PI_4, True)
    return jnp.where(x <= 5.0, small, large)


def _y1(x):
    xs = jnp.where(x > 0, x, 1.0)
    z = xs * xs
    small = xs * (_horner(z, _Y1_YP) / _horner(z, _Y1_YQ)) + _TWO_PI * (
        _j1(xs) * jnp.log(xs) - 1.0 / xs
    )
    small = jnp.where(x == 0, -jnp.inf, jnp.where(x < 0, jnp.nan, small))
    xl = jnp.where(x <= 5.0, 6.0, x)
    w = 5.0 / xl * (5.0 / xl)
    large = _large(xl, w, _J1_PP, _J1_PQ, _J1_QP, _J1_QQ, _3PI_4, True)
    return jnp.where(x <= 5.0, small, large)


def _spherical_j0(x):
    z = x * x
    series = 1.0 + z * (
        -1.0 / 6.0
        + z
        * (
            1.0 / 120.0
            + z
            * (
                -1.0 / 5040.0
                + z * (1.0 / 362880.0 + z * (-1.0 / 39916800.0 + z * (1.0 / 6227020800.0)))
            )
        )
    )
    xs = jnp.where(jnp.abs(x) < 0.5, 1.0, x)
    r = jnp.where(jnp.abs(x) < 0.5, series, jnp.sin(xs) / xs)
    return jnp.where(jnp.isinf(x), 0.0, r)


bessel_j0 = _nograd_unary("bessel_j0", _j0)
bessel_j1 = _nograd_unary("bessel_j1", _j1)
bessel_y0 = _nograd_unary("bessel_y0", _y0)
bessel_y1 = _nograd_unary("bessel_y1", _y1)
spherical_bessel_j0 = _nograd_unary("spherical_bessel_j0", _spherical_j0)

# -- Airy Ai --------------------------------------------------------------------------------------
_AI_AN = (3.46538101525629032477e-01, 1.20075952739645805542e+01, 7.62796053615234516538e+01,
          1.68089224934630576269e+02, 1.59756391350164413639e+02, 7.05360906840444183113e+01,
          1.40264691163389668864e+01, 9.99999999999999995305e-01)  # fmt: skip
_AI_AD = (5.67594532638770212846e-01, 1.47562562584847203173e+01, 8.45138970141474626562e+01,
          1.77318088145400459522e+02, 1.64234692871529701831e+02, 7.14778400825575695274e+01,
          1.40959135607834029598e+01, 1.00000000000000000470e+00)  # fmt: skip
_AI_AFN = (
    -1.31696323418331795333e-01,
    -6.26456544431912369773e-01,
    -6.93158036036933542233e-01,
    -2.79779981545119124951e-01,
    -4.91900132609500318020e-02,
    -4.06265923594885404393e-03,
    -1.59276496239262096340e-04,
    -2.77649108155232920844e-06,
    -1.67787698489114633780e-08,
)
_AI_AFD = (
    1.33560420706553243746e01,
    3.26825032795224613948e01,
    2.67367040941499554804e01,
    9.18707402907259625840e00,
    1.47529146771666414581e00,
    1.15687173795188044134e-01,
    4.40291641615211203805e-03,
    7.54720348287414296618e-05,
    4.51850092970580378464e-07,
)
_AI_AGN = (1.97339932091685679179e-02, 3.91103029615688277255e-01, 1.06579897599595591108e+00,
           9.39169229816650230044e-01, 3.51465656105547619242e-01, 6.33888919628925490927e-02,
           5.85804113048388458567e-03, 2.82851600836737019778e-04, 6.98793669997260967291e-06,
           8.11789239554389293311e-08, 3.41551784765923618484e-10)  # fmt: skip
_AI_AGD = (9.30892908077441974853e+00, 1.98352928718312140417e+01, 1.55646628932864612953e+01,
           5.47686069422975497931e+00, 9.54293611618961883998e-01, 8.64580826352392193095e-02,
           4.12656523824222607191e-03, 1.01259085116509135510e-04, 1.17166733214413521882e-06,
           4.91834570062930015649e-09)  # fmt: skip
_INV_SQRT_PI = 5.64189583547756286948e-01


def _airy_ai(x):
    # x < -2.09: oscillating asymptotic form
    xn = jnp.where(x < -2.09, x, -3.0)
    zeta = -2.0 * xn * jnp.sqrt(-xn) / 3.0
    z = 1.0 / zeta
    zz = z * z
    t = zeta + 0.25 * math.pi
    neg = (
        _INV_SQRT_PI
        / jnp.sqrt(jnp.sqrt(-xn))
        * (
            jnp.sin(t) * (1.0 + zz * _horner(zz, _AI_AFN) / _horner(zz, _AI_AFD))
            - jnp.cos(t) * (z * _horner(zz, _AI_AGN) / _horner(zz, _AI_AGD))
        )
    )
    # x >= 2.09: decaying asymptotic form
    xp = jnp.where(x >= 2.09, x, 3.0)
    zeta = 2.0 * xp * jnp.sqrt(xp) / 3.0
    pos = (
        _INV_SQRT_PI
        * (_horner(1.0 / zeta, _AI_AN) / _horner(1.0 / zeta, _AI_AD))
        / (2.0 * jnp.sqrt(jnp.sqrt(xp)) * jnp.exp(zeta))
    )
    # otherwise the Maclaurin series in x^3 (ATen stops once a term is below eps; the few
    # extra terms here are below eps too)
    xm = jnp.where(jnp.abs(x) < 2.09, x, 0.0)
    z3 = xm * xm * xm
    f, g, m, n = jnp.ones_like(xm), xm, jnp.ones_like(xm), xm
    k = 1.0
    for _ in range(24):
        m = m * z3 / (k + 1.0)
        n = n * z3 / (k + 2.0)
        m = m / (k + 2.0)
        f = f + m
        n = n / (k + 3.0)
        g = g + n
        k += 3.0
    mid = 0.355028053887817239260 * f - 0.258819403792806798405 * g
    r = jnp.where(x < -2.09, neg, jnp.where(x >= 2.09, pos, mid))
    r = jnp.where(x > 103.892, 0.0, r)
    return jnp.where(jnp.isinf(x) | jnp.isnan(x), jnp.nan, r)


airy_ai = _nograd_unary("airy_ai", _airy_ai)

# -- modified Bessel functions --------------------------------------------------------------------
_I0_A = (
    -4.41534164647933937950e-18,
    3.33079451882223809783e-17,
    -2.43127984654795469359e-16,
    1.71539128555513303061e-15,
    -1.16853328779934516808e-14,
    7.67618549860493561688e-14,
    -4.85644678311192946090e-13,
    2.95505266312963983461e-12,
    -1.72682629144155570723e-11,
    9.67580903537323691224e-11,
    -5.18979560163526290666e-10,
    2.65982372468238665035e-09,
    -1.30002500998624804212e-08,
    6.04699502254191894932e-08,
    -2.67079385394061173391e-07,
    1.11738753912010371815e-06,
    -4.41673835845875056359e-06,
    1.64484480707288970893e-05,
    -5.75419501008210370398e-05,
    1.88502885095841655729e-04,
    -5.76375574538582365885e-04,
    1.63947561694133579842e-03,
    -4.32430999505057594430e-03,
    1.05464603945949983183e-02,
    -2.37374148058994688156e-02,
    4.93052842396707084878e-02,
    -9.49010970480476444210e-02,
    1.71620901522208775349e-01,
    -3.04682672343198398683e-01,
    6.76795274409476084995e-01,
)
_I0_B = (-7.23318048787475395456e-18, -4.83050448594418207126e-18, 4.46562142029675999901e-17,
         3.46122286769746109310e-17, -2.82762398051658348494e-16, -3.42548561967721913462e-16,
         1.77256013305652638360e-15, 3.81168066935262242075e-15, -9.55484669882830764870e-15,
         -4.15056934728722208663e-14, 1.54008621752140982691e-14, 3.85277838274214270114e-13,
         7.18012445138366623367e-13, -1.79417853150680611778e-12, -1.32158118404477131188e-11,
         -3.14991652796324136454e-11, 1.18891471078464383424e-11, 4.94060238822496958910e-10,
         3.39623202570838634515e-09, 2.26666899049817806459e-08, 2.04891858946906374183e-07,
         2.89137052083475648297e-06, 6.88975834691682398426e-05, 3.36911647825569408990e-03,
         8.04490411014108831608e-01)  # fmt: skip
_I1_A = (2.77791411276104639959e-18, -2.11142121435816608115e-17, 1.55363195773620046921e-16,
         -1.10559694773538630805e-15, 7.60068429473540693410e-15, -5.04218550472791168711e-14,
         3.22379336594557470981e-13, -1.98397439776494371520e-12, 1.17361862988909016308e-11,
         -6.66348972350202774223e-11, 3.62559028155211703701e-10, -1.88724975172282928790e-09,
         9.38153738649577178388e-09, -4.44505912879632808065e-08, 2.00329475355213526229e-07,
         -8.56872026469545474066e-07, 3.47025130813767847674e-06, -1.32731636560394358279e-05,
         4.78156510755005422638e-05, -1.61760815825896745588e-04, 5.12285956168575772895e-04,
         -1.51357245063125314899e-03, 4.15642294431288815669e-03, -1.05640848946261981558e-02,
         2.47264490306265168283e-02, -5.29459812080949914269e-02, 1.02643658689847095384e-01,
         -1.76416518357834055153e-01, 2.52587186443633654823e-01)  # fmt: skip
_I1_B = (7.51729631084210481353e-18, 4.41434832307170791151e-18, -4.65030536848935832153e-17,
         -3.20952592199342395980e-17, 2.96262899764595013876e-16, 3.30820231092092828324e-16,
         -1.88035477551078244854e-15, -3.81440307243700780478e-15, 1.04202769841288027642e-14,
         4.27244001671195135429e-14, -2.10154184277266431302e-14, -4.08355111109219731823e-13,
         -7.19855177624590851209e-13, 2.03562854414708950722e-12, 1.41258074366137813316e-11,
         3.25260358301548823856e-11, -1.89749581235054123450e-11, -5.58974346219658380687e-10,
         -3.83538038596423702205e-09, -2.63146884688951950684e-08, -2.51223623787020892529e-07,
         -3.88256480887769039346e-06, -1.10588938762623716291e-04, -9.76109749136146840777e-03,
         7.78576235018280120474e-01)  # fmt: skip
_K0_A = (1.37446543561352307156e-16, 4.25981614279661018399e-14, 1.03496952576338420167e-11,
         1.90451637722020886025e-09, 2.53479107902614945675e-07, 2.28621210311945178607e-05,
         1.26461541144692592338e-03, 3.59799365153615016266e-02, 3.44289899924628486886e-01,
         -5.35327393233902768720e-01)  # fmt: skip
_K0_B = (5.30043377268626276149e-18, -1.64758043015242134646e-17, 5.21039150503902756861e-17,
         -1.67823109680541210385e-16, 5.51205597852431940784e-16, -1.84859337734377901440e-15,
         6.34007647740507060557e-15, -2.22751332699166985548e-14, 8.03289077536357521100e-14,
         -2.98009692317273043925e-13, 1.14034058820847496303e-12, -4.51459788337394416547e-12,
         1.85594911495471785253e-11, -7.95748924447710747776e-11, 3.57739728140030116597e-10,
         -1.69753450938905987466e-09, 8.57403401741422608519e-09, -4.66048989768794782956e-08,
         2.76681363944501510342e-07, -1.83175552271911948767e-06, 1.39498137188764993662e-05,
         -1.28495495816278026384e-04, 1.56988388573005337491e-03, -3.14481013119645005427e-02,
         2.44030308206595545468e+00)  # fmt: skip
_K1_A = (-7.02386347938628759343e-18, -2.42744985051936593393e-15, -6.66690169419932900609e-13,
         -1.41148839263352776110e-10, -2.21338763073472585583e-08, -2.43340614156596823496e-06,
         -1.73028895751305206302e-04, -6.97572385963986435018e-03, -1.22611180822657148235e-01,
         -3.53155960776544875667e-01, 1.52530022733894777053e+00)  # fmt: skip
_K1_B = (-5.75674448366501715755e-18, 1.79405087314755922667e-17, -5.68946255844285935196e-17,
         1.83809354436663880070e-16, -6.05704724837331885336e-16, 2.03870316562433424052e-15,
         -7.01983709041831346144e-15, 2.47715442448130437068e-14, -8.97670518232499435011e-14,
         3.34841966607842919884e-13, -1.28917396095102890680e-12, 5.13963967348173025100e-12,
         -2.12996783842756842877e-11, 9.21831518760500529508e-11, -4.19035475934189648750e-10,
         2.01504975519703286596e-09, -1.03457624656780970260e-08, 5.74108412545004946722e-08,
         -3.50196060308781257119e-07, 2.40648494783721712015e-06, -1.93619797416608296024e-05,
         1.95215518471351631108e-04, -2.85781685962277938680e-03, 1.03923736576817238437e-01,
         2.72062619048444266945e+00)  # fmt: skip


def _two_ranges(a, edge, small_arg, large_arg, small, large):
    """``small(small_arg(a))`` for ``a <= edge``, else ``large(large_arg(a))``; the unused
    branch sees a harmless argument."""
    lo = a <= edge
    s = small(small_arg(jnp.where(lo, a, edge)))
    big = large(large_arg(jnp.where(lo, 2.0 * edge, a)))
    return jnp.where(lo, s, big)


def _i0e(x):
    a = jnp.abs(x)
    return _two_ranges(a, 8.0, lambda a: a / 2.0 - 2.0, lambda a: a,
                       lambda y: _chebyshev(y, _I0_A),
                       lambda a: _chebyshev(32.0 / a - 2.0, _I0_B) / jnp.sqrt(a))  # fmt: skip


def _i1e(x):
    a = jnp.abs(x)
    r = _two_ranges(a, 8.0, lambda a: a, lambda a: a,
                    lambda a: _chebyshev(a / 2.0 - 2.0, _I1_A) * a,
                    lambda a: _chebyshev(32.0 / a - 2.0, _I1_B) / jnp.sqrt(a))  # fmt: skip
    return jnp.where(x < 0, -r, r)


def _i0(x):
    return jnp.exp(jnp.abs(x)) * _i0e(x)


def _i1(x):
    return jnp.exp(jnp.abs(x)) * _i1e(x)


def _k_small(x, which):
    """K0 or K1 for 0 < x <= 2."""
    y = x * x - 2.0
    if which == 0:
        return _chebyshev(y, _K0_A) - jnp.log(0.5 * x) * _i0(x)
    return jnp.log(0.5 * x) * _i1(x) + _chebyshev(y, _K1_A) / x


def _k(x, which, scaled):
    xs = jnp.where(x > 0, x, 1.0)
    lo = xs <= 2.0
    xa = jnp.where(lo, xs, 3.0)
    xb = jnp.where(lo, 3.0, xs)
    small = _k_small(xa, which)
    if scaled:
        small = small * jnp.exp(xa)
    large = _chebyshev(8.0 / xb - 2.0, _K1_B if which else _K0_B) / jnp.sqrt(xb)
    if not scaled:
        large = jnp.exp(-xb) * large
    r = jnp.where(lo, small, large)
    r = jnp.where(x == 0, jnp.inf, jnp.where(x < 0, jnp.nan, r))
    return jnp.where(jnp.isnan(x), x, r)


modified_bessel_i0 = _nograd_unary("modified_bessel_i0", _i0)
modified_bessel_i1 = _nograd_unary("modified_bessel_i1", _i1)
modified_bessel_k0 = _nograd_unary("modified_bessel_k0", lambda x: _k(x, 0, False))
modified_bessel_k1 = _nograd_unary("modified_bessel_k1", lambda x: _k(x, 1, False))
scaled_modified_bessel_k0 = _nograd_unary("scaled_modified_bessel_k0", lambda x: _k(x, 0, True))
scaled_modified_bessel_k1 = _nograd_unary("scaled_modified_bessel_k1", lambda x: _k(x, 1, True))

# i0/i0e/i1/i1e have derivatives (torch's formulas, exact at 0).
_i0_d = _with_derivative(_i0, lambda x, out: _i1(x))
_i0e_d = _with_derivative(_i0e, lambda x, out: _i1e(x) - jnp.sign(x) * out)
_i1_d = _with_derivative(
    _i1, lambda x, out: jnp.where(x == 0, 0.5, _i0(x) - out / jnp.where(x == 0, 1.0, x))
)
_i1e_d = _with_derivative(
    _i1e,
    lambda x, out: jnp.where(
        x == 0, 0.5, _i0e(x) - out * (jnp.sign(x) + 1.0 / jnp.where(x == 0, 1.0, x))
    ),
)
_COMPLEX = ("complex",)
i0 = defop("i0", _upcast(_i0_d), "I0Backward0", dtypes="float",
           bwd_name="MulBackward0", check=not_for("i0_vml_cpu", *_COMPLEX))  # fmt: skip
i0e = defop("i0e", _upcast(_i0e_d), "SpecialI0EBackward0", dtypes="float",
            bwd_name="MulBackward0", check=not_for("i0e_cpu", *_COMPLEX))  # fmt: skip
i1 = defop("i1", _upcast(_i1_d), "SpecialI1Backward0", dtypes="float",
           bwd_name="MulBackward0", check=not_for("i1_cpu", *_COMPLEX))  # fmt: skip
i1e = defop("i1e", _upcast(_i1e_d), "SpecialI1EBackward0", dtypes="float",
            bwd_name="MulBackward0", check=not_for("i1e_cpu", *_COMPLEX))  # fmt: skip

# -- error-function family ------------------------------------------------------------------------
_erfcx = _with_derivative(jss.erfcx, lambda x, out: 2.0 * x * out - 2.0 / math.sqrt(math.pi))
erfcx = defop("erfcx", _erfcx, "SpecialErfcxBackward0", dtypes="float",
              bwd_name="MulBackward0", check=not_for("erfcx_cpu", *_NO_HALF))  # fmt: skip


def _log_ndtr(x):
    t = x * (1.0 / math.sqrt(2.0))
    lo = x < -1.0
    tl = jnp.where(lo, t, -1.0)
    th = jnp.where(lo, 0.0, t)
    return jnp.where(lo, jnp.log(jss.erfcx(-tl) / 2.0) - tl * tl,
                     jnp.log1p(-jss.erfc(th) / 2.0))  # fmt: skip


_log_ndtr_d = _with_derivative(
    _log_ndtr, lambda x, out: jnp.exp(-0.5 * x * x - out) / math.sqrt(2.0 * math.pi)
)
log_ndtr = defop("log_ndtr", _log_ndtr_d, "SpecialLogNdtrBackward0", dtypes="float",
                 bwd_name="MulBackward0", check=not_for("log_ndtr_cpu", *_NO_HALF))  # fmt: skip
_ndtri = _with_derivative(
    jss.ndtri, lambda x, out: math.sqrt(2.0 * math.pi) * jnp.exp(0.5 * out * out)
)
ndtri = defop("ndtri", _ndtri, "SpecialNdtriBackward0", dtypes="float",
              bwd_name="MulBackward0", check=not_for("ndtri_cpu", *_NO_HALF))  # fmt: skip


def _ndtr(x):
    return (1.0 + jss.erf(x * (1.0 / math.sqrt(2.0)))) * 0.5


# NOTE: torch composes ndtr from erf, so its result's grad_fn is the last multiplication.
ndtr = defop("ndtr", _upcast(_ndtr), "MulBackward1", dtypes="float",
             bwd_name="MulBackward1", check=not_for("erf_vml_cpu", *_COMPLEX))  # fmt: skip


def _entr(x):
    xs = jnp.where(x > 0, x, 1.0)
    r = jnp.where(x > 0, -xs * jnp.log(xs), jnp.where(x == 0, 0.0, -jnp.inf))
    return jnp.where(jnp.isnan(x), x, r)


_entr_d = _with_derivative(_entr, lambda x, out: -(1.0 + jnp.log(x)))
entr = defop("entr", _upcast(_entr_d), "SpecialEntrBackward0", dtypes="float",
             bwd_name="MulBackward0", check=not_for("entr_cpu", *_COMPLEX))  # fmt: skip


def _round(x, *, decimals):
    if decimals == 0:
        return jnp.round(x)
    # NOTE: as torch's kernel: 10**|decimals| in the compute type (float for half types; inf
    # past its range, which makes the result nan), then round half to even of the scaled value.
    wide = jnp.float32 if x.dtype in (jnp.float16, jnp.bfloat16) else x.dtype
    n = abs(decimals)
    ten = 10.0**n if n < 309 else math.inf
    ten = jnp.asarray(ten if ten <= float(jnp.finfo(wide).max) else math.inf, wide)
    # NOTE: the barrier keeps XLA from turning the division by a constant into a
    # multiplication by its (inexact) reciprocal.
    ten = lax.optimization_barrier(ten)
    y = x.astype(wide)
    y = jnp.round(y * ten) / ten if decimals > 0 else jnp.round(y / ten) * ten
    return y.astype(x.dtype)


def _round_check(x, *, decimals):
    kernel = "round_vml_cpu" if decimals == 0 else "round_cpu"
    not_for(kernel, "bool", "int", "complex")(x)


@jax.custom_jvp
def _round_zero_grad(x, decimals):
    return _round(x, decimals=decimals)


_round_zero_grad = jax.custom_jvp(_round_zero_grad.fun, nondiff_argnums=(1,))
_round_zero_grad.defjvp(
    lambda decimals, primals, tangents: (
        _round_zero_grad(primals[0], decimals),
        jnp.zeros_like(tangents[0]),
    )
)

# NOTE: special.round always passes ``decimals``: torch records the ``round.decimals``
# overload's node (RoundBackward1), whose gradient is zero.
round_decimals = defop("round_decimals", lambda x, *, decimals: _round_zero_grad(x, decimals),
                       "RoundBackward1", dtypes="none", check=_round_check)  # fmt: skip


# -- gamma family ---------------------------------------------------------------------------------
def _trigamma(x):
    # ATen's trigamma: reflection below 1/2, six recurrence steps, then an asymptotic series
    neg = x < 0.5
    s = jnp.sin(math.pi * x)
    result = jnp.where(neg, -(math.pi * math.pi) / (s * s), 0.0)
    x = jnp.where(neg, 1.0 - x, x)
    for _ in range(6):
        result = result + 1.0 / (x * x)
        x = x + 1.0
    ixx = 1.0 / (x * x)
    result = (
        result
        + (1.0 + 1.0 / (2.0 * x) + ixx * (1.0 / 6.0 - ixx * (1.0 / 30.0 - ixx * (1.0 / 42.0)))) / x
    )
    return jnp.where(neg, -result, result)


def _digamma(x):
    # ATen's edges: digamma(+-0) = -+inf (jax gives nan)
    return jnp.where(x == 0, jnp.copysign(jnp.inf, -x), jss.digamma(x))


def _polygamma_value(n, x):
    if n == 0:
        return _digamma(x)
    if n == 1:
        return _trigamma(x)
    # (-1)^(n+1) n! zeta(n+1, x)
    sign = 1.0 if n % 2 else -1.0
    return sign * math.exp(math.lgamma(n + 1.0)) * _zeta_raw(jnp.full_like(x, n + 1.0), x)


_polygamma_d = jax.custom_jvp(_polygamma_value, nondiff_argnums=(0,))


@_polygamma_d.defjvp
def _polygamma_jvp(n, primals, tangents):
    (x,), (dx,) = primals, tangents
    return _polygamma_d(n, x), _polygamma_d(n + 1, x) * dx


def _polygamma(x, *, n):
    return _polygamma_d(n, x)


def _polygamma_check(x, *, n):
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    not_for("polygamma", "complex")(x)


polygamma = defop("polygamma", _upcast(_polygamma), "PolygammaBackward0", dtypes="float",
                  bwd_name="MulBackward0", check=_polygamma_check)  # fmt: skip

# NOTE: torch.digamma (and special.digamma/psi) is ATen's calc_digamma, whose value at +-0 is
# -+inf, and whose derivative is ATen's trigamma (jax's differ near the poles).
digamma = defop("digamma", _upcast(lambda x: _polygamma_d(0, x)), "DigammaBackward0",
                dtypes="float", bwd_name="MulBackward0",
                check=not_for("digamma", "complex"))  # fmt: skip


def _mvlgamma(x, *, p):
    j = jnp.arange(p, dtype=x.dtype)
    terms = jss.gammaln(x[..., None] - j / 2.0)
    return jnp.sum(terms, axis=-1) + p * (p - 1) / 4.0 * math.log(math.pi)


def _mvlgamma_check(x, *, p):
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")


mvlgamma = defop("mvlgamma", _upcast(_mvlgamma), "MvlgammaBackward0", dtypes="float",
                 bwd_name="MulBackward0", check=_mvlgamma_check)  # fmt: skip


def _zeta_raw(x, q):
    """Hurwitz zeta as ATen defines it at the edges (x == 1: inf; x < 1: nan; q a non-positive
    integer: inf; q < 0 with x not an integer: nan)."""
    # NOTE: for q <= 0 (not an integer, x an integer) the first terms are summed directly
    # until q + m > 0: zeta(x, q) = sum_{k<m} (q+k)^-x + zeta(x, q+m).
    dtype = x.dtype
    # NOTE: ATen accumulates float32 in double on CPU: so does this
    x, q = jnp.broadcast_arrays(x.astype(jnp.float64), q.astype(jnp.float64))
    m = jnp.where(q <= 0, jnp.ceil(-q) + 1.0, 0.0)
    m = jnp.where(jnp.isfinite(m) & (x == jnp.floor(x)), m, 0.0)

    def body(state):
        k, head = state
        return k + 1.0, head + jnp.where(k < m, jnp.power(q + k, -x), 0.0)

    stop = jnp.max(m, initial=0.0)
    zero = jnp.zeros((), x.dtype)
    _, head = lax.while_loop(lambda s: s[0] < stop, body, (zero, jnp.zeros_like(x)))
    qm = q + m
    r = jss.zeta(x, jnp.where(qm <= 0, 1.0, qm)) + head
    r = jnp.where((q <= 0) & (x != jnp.floor(x)), jnp.nan, r)
    r = jnp.where((q <= 0) & (q == jnp.floor(q)), jnp.inf, r)
    r = jnp.where(x < 1.0, jnp.nan, r)
    r = jnp.where(x == 1.0, jnp.inf, r)
    return r.astype(dtype)


_zeta_x_blocked = _no_grad("zeta")


@jax.custom_jvp
def _zeta_q(x, q):
    return _zeta_raw(x, q)


@_zeta_q.defjvp
def _zeta_q_jvp(primals, tangents):
    (x, q), (dx, dq) = primals, tangents
    # NOTE: x's tangent reaches the blocking identity (which raises torch's error), so that a
    # backward asking for it fails as torch's does.
    return _zeta_q(x, q), -x * _zeta_raw(x + 1.0, q) * dq + 0.0 * dx


zeta = defop("zeta", lambda x, q: _zeta_q(_zeta_x_blocked(x), q), _overload("SpecialZeta"),
             dtypes="float", bwd_name="MulBackward0",
             check=not_for("zeta_cpu", *_NO_HALF))  # fmt: skip


def _igamma_check(kernel):
    return not_for(kernel, "bool", "int", "complex")


_igamma_a_blocked = _no_grad("igamma: input")
_igammac_a_blocked = _no_grad("igammac: input")


def _igamma(a, x):
    # ATen: igamma(0, x > 0) = 1 (jax gives nan)
    return jnp.where((a == 0) & (x > 0), 1.0, jss.gammainc(_igamma_a_blocked(a), x))


igamma = defop("igamma", _upcast(_igamma), "IgammaBackward0", bwd_name="MulBackward0",
               check=_igamma_check("igamma_cpu"))  # fmt: skip
igammac = defop("igammac", _upcast(lambda a, x: jss.gammaincc(_igammac_a_blocked(a), x)),
                "IgammacBackward0", bwd_name="MulBackward0",
                check=_igamma_check("igammac_cpu"))  # fmt: skip


def _xlog1py(x, y):
    safe = jnp.where(x == 0, 0.0, x * jnp.log1p(y))
    return jnp.where(jnp.isnan(y), jnp.nan, safe)


@jax.custom_jvp
def _xlog1py_d(x, y):
    return _xlog1py(x, y)


@_xlog1py_d.defjvp
def _xlog1py_jvp(primals, tangents):
    (x, y), (dx, dy) = primals, tangents
    dfdx = jnp.where((x == 0) & (y <= -1.0), 0.0, jnp.log1p(y))
    return _xlog1py_d(x, y), dfdx * dx + x / (y + 1.0) * dy


xlog1py = defop("xlog1py", _upcast(_xlog1py_d), _overload("SpecialXlog1Py"), dtypes="float",
                bwd_name="DivBackward0", check=not_for("xlog1py_cpu", *_COMPLEX))  # fmt: skip


def _xlogy(x, y):
    safe = jnp.where(x == 0, 0.0, x * jnp.log(y))
    return jnp.where(jnp.isnan(y), jnp.nan, safe)


@jax.custom_jvp
def _xlogy_d(x, y):
    return _xlogy(x, y)


@_xlogy_d.defjvp
def _xlogy_jvp(primals, tangents):
    (x, y), (dx, dy) = primals, tangents
    # torch: d/dx = xlogy(x != 0, y) (0 where x == 0, even at y == 0), d/dy = x / y
    return _xlogy_d(x, y), _xlogy((x != 0).astype(x.dtype), y) * dx + x / y * dy


# NOTE: torch.special.xlogy is aten::xlogy; its overloads name the node by which argument is a
# Python number (XlogyBackward1: scalar self, XlogyBackward2: scalar other).
special_xlogy = defop("special_xlogy", _upcast(_xlogy_d), _overload("Xlogy"), dtypes="float",
                      bwd_name="DivBackward0", check=not_for("xlogy_cpu", *_COMPLEX))  # fmt: skip


# -- orthogonal polynomials (no derivative in torch) ----------------------------------------------
def _order(n):
    """The polynomial degree as ATen reads it: truncated to an integer; a non-finite degree
    reads as negative."""
    ok = jnp.isfinite(n) & (jnp.abs(n) < 9.2e18)
    return jnp.where(ok, jnp.trunc(n), -1.0)


def _recur(n, needs, p, q, step):
    """``q`` after the recurrence ``r = step(j, p, q); p, q = q, r`` for j = 1 .. n-1, run
    elementwise where ``needs``."""
    count = jnp.where(needs, n, 0.0)
    stop = jnp.max(count, initial=0.0)

    def cond(state):
        return state[0] < stop

    def body(state):
        j, p, q = state
        live = j < count
        r = step(j, p, q)
        return j + 1.0, jnp.where(live, q, p), jnp.where(live, r, q)

    one = jnp.ones((), q.dtype)
    return lax.while_loop(cond, body, (one, p, q))[2]


def _even(n):
    return jnp.fmod(n, 2.0) == 0


def _pm(n, value):
    return jnp.where(_even(n), value, -value)


def _chebyshev_family(x, n, *, kind, shifted):
    """T/U/V/W Chebyshev polynomials, shifted (argument 2x-1) or not, with ATen's special
    cases: the endpoints, a closed form inside (-1, 1) for large degree, else the recurrence."""
    x, n = jnp.broadcast_arrays(x, _order(n))
    t = x + x - 1.0 if shifted else x
    one, two_n1 = jnp.ones_like(x), n + n + 1.0
    if shifted:
        at_hi, at_lo = x == 1.0, x == 0.0
    else:
        at_hi, at_lo = x == 1.0, x == -1.0
    hi = {"t": one, "u": n + 1.0, "v": one, "w": two_n1}[kind]
    lo = {"t": _pm(n, one), "u": _pm(n, n + 1.0), "v": _pm(n, two_n1), "w": _pm(n, one)}[kind]
    big = {"t": 6, "u": 6 if shifted else 8, "v": 6 if shifted else 8, "w": 4 if shifted else 8}
    inside = (n > big[kind]) & (jnp.abs(t) < 1.0)
    th = jnp.arccos(jnp.where(inside, t, 0.0))
    if kind == "t":
        closed = jnp.cos(n * th)
    elif kind == "u":
        s = jnp.sin(th)
        closed = jnp.where(s != 0, jnp.sin((n + 1.0) * th) / jnp.where(s != 0, s, 1.0),
                           (n + 1.0) * jnp.cos((n + 1.0) * th) / t)  # fmt: skip
    elif kind == "v":
        c = jnp.cos(th / 2.0)
        closed = jnp.where(jnp.sin(th / 2.0) != 1.0,
                           jnp.cos((n + 0.5) * th) / jnp.where(c != 0, c, 1.0),
                           _pm(n, two_n1))  # fmt: skip
    else:
        s = jnp.sin(th / 2.0)
        edge = jnp.where(t > 0, two_n1, _pm(n, one)) if not shifted else _pm(n, one)
        closed = jnp.where(jnp.cos(th / 2.0) != 1.0,
                           jnp.sin((n + 0.5) * th) / jnp.where(s != 0, s, 1.0), edge)  # fmt: skip
    first = {"t": t, "u": t + t, "v": t + t - 1.0, "w": t + t + 1.0}[kind]
    special = (n < 0) | at_hi | at_lo | inside | (n <= 1)
    r = _recur(n, ~special, one, first, lambda j, p, q: (t + t) * q - p)
    r = jnp.where(n == 1, first, r)
    r = jnp.where(n == 0, one, r)
    r = jnp.where(inside, closed, r)
    r = jnp.where(at_lo, lo, r)
    r = jnp.where(at_hi, hi, r)
    return jnp.where(n < 0, 0.0, r)


def _hermite(x, n, *, physicists):
    x, n = jnp.broadcast_arrays(x, _order(n))
    limit = 512.0 if x.dtype == jnp.float64 else 128.0
    one = jnp.ones_like(x)
    first = x + x if physicists else x
    if physicists:

        def step(j, p, q):
            return (x + x) * q - (j + j) * p
    else:

        def step(j, p, q):
            return x * q - j * p

    special = (n <= 1) | (n > limit)
    r = _recur(n, ~special, one, first, step)
    r = jnp.where(n > limit, jnp.nan, r)
    r = jnp.where(n == 1, first, r)
    r = jnp.where(n == 0, one, r)
    return jnp.where(n < 0, 0.0, r)


def _laguerre(x, n):
    x, n = jnp.broadcast_arrays(x, _order(n))
    one = jnp.ones_like(x)
    special = (n <= 1) | (x == 0)
    r = _recur(n, ~special, one, 1.0 - x,
               lambda j, p, q: (((j + j) + (1.0 - x)) * q - j * p) / (j + 1.0))  # fmt: skip
    r = jnp.where(n == 1, 1.0 - x, r)
    r = jnp.where((n == 0) | (x == 0), one, r)
    return jnp.where(n < 0, 0.0, r)


def _legendre(x, n):
    x, n = jnp.broadcast_arrays(x, _order(n))
    one = jnp.ones_like(x)
    edge = jnp.abs(x) == 1.0
    special = (n <= 1) | edge
    r = _recur(n, ~special, one, x, lambda j, p, q: ((j + j + 1.0) * x * q - j * p) / (j + 1.0))
    r = jnp.where(n == 1, x, r)
    r = jnp.where(n == 0, one, r)
    r = jnp.where(edge, jnp.where((x > 0) | _even(n), one, -one), r)
    return jnp.where(n < 0, 0.0, r)


def _poly(name, fn):
    return defop(name, fn, None, dtypes="float", check=not_for(f"{name}_cpu", *_NO_HALF))


for _kind in "tuvw":
    _poly(f"chebyshev_polynomial_{_kind}", lambda x, n, k=_kind: _chebyshev_family(
        x, n, kind=k, shifted=False))  # fmt: skip
    _poly(f"shifted_chebyshev_polynomial_{_kind}", lambda x, n, k=_kind: _chebyshev_family(
        x, n, kind=k, shifted=True))  # fmt: skip
hermite_polynomial_h = _poly("hermite_polynomial_h", lambda x, n: _hermite(x, n, physicists=True))
hermite_polynomial_he = _poly("hermite_polynomial_he",
                              lambda x, n: _hermite(x, n, physicists=False))  # fmt: skip
laguerre_polynomial_l = _poly("laguerre_polynomial_l", _laguerre)
legendre_polynomial_p = _poly("legendre_polynomial_p", _legendre)
