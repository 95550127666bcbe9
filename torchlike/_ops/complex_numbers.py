"""The op table's complex numbers entries. Gradients come from ``jax.vjp`` like every entry's;
the table converts them to PyTorch's conjugate convention in one place (``_registry``)."""

from __future__ import annotations

import jax.numpy as jnp
from jax import lax

from .. import _dtype as D
from ._registry import defop

_VIEW = dict(dtypes="none", saves=())


def _pairs(x):
    return jnp.stack((jnp.real(x), jnp.imag(x)), -1)


def _check_same_float(name):
    def check(a, b):
        da, db = D._FROM_NP[a.dtype], D._FROM_NP[b.dtype]
        if not (da._cat == D._FLOAT and db._cat == D._FLOAT and da is not D.bfloat16
                and db is not D.bfloat16):  # fmt: skip
            raise RuntimeError(
                f"Expected both inputs to be Half, Float or Double tensors but got "
                f"{D._LEGACY[da]} and {D._LEGACY[db]}"
            )
        if da is not db:
            raise RuntimeError(
                f"Expected object of scalar type {D._LEGACY[da]} but got scalar type "
                f"{D._LEGACY[db]} for second argument"
            )
        _check_broadcast(a.shape, b.shape)

    return check


def _check_broadcast(a, b):
    for i in range(1, min(len(a), len(b)) + 1):
        if a[-i] != b[-i] and 1 not in (a[-i], b[-i]):
            raise RuntimeError(
                f"The size of tensor a ({a[-i]}) must match the size of tensor b ({b[-i]}) at "
                f"non-singleton dimension {max(len(a), len(b)) - i}"
            )


def _polar(abs, angle):
    # NOTE: torch's PolarBackward0 scales by sgn(result), so the gradient for a negative (or
    # zero) ``abs`` is that of |abs|: the stop-gradient term keeps the value ``abs`` itself.
    abs = lax.stop_gradient(abs - jnp.abs(abs)) + jnp.abs(abs)
    return lax.complex(abs * jnp.cos(angle), abs * jnp.sin(angle))


def _angle(x):
    if jnp.iscomplexobj(x):
        return jnp.angle(x)
    # NOTE: torch's angle of a real number is 0 or pi (nan stays nan), with a zero gradient.
    x = lax.stop_gradient(x)
    return jnp.where(x < 0, jnp.pi, jnp.where(jnp.isnan(x), x, 0)).astype(x.dtype)


def _broadcast_pair(a, b):
    shape = jnp.broadcast_shapes(a.shape, b.shape)
    return jnp.broadcast_to(a, shape), jnp.broadcast_to(b, shape)


# Views: their values here; ``_functions.complex_numbers`` makes them windows on their base.
view_as_real = defop("view_as_real", _pairs, "ViewAsRealBackward0", **_VIEW)
view_as_complex = defop("view_as_complex", lambda x: lax.complex(x[..., 0], x[..., 1]),
                        "ViewAsComplexBackward0", **_VIEW)  # fmt: skip
# NOTE: torch's ``real``/``imag`` are ``select(view_as_real(z), -1, i)``: SelectBackward0.
real = defop("real", jnp.real, "SelectBackward0", **_VIEW)
imag = defop("imag", jnp.imag, "SelectBackward0", **_VIEW)
conj = defop("conj", jnp.conj, "ConjBackward0", **_VIEW)

conj_physical = defop("conj_physical", jnp.conj, "ConjPhysicalBackward0", **_VIEW)
angle = defop("angle", _angle, "AngleBackward0", dtypes="float")
polar = defop("polar", lambda a, t: _polar(*_broadcast_pair(a, t)), "PolarBackward0",
              dtypes="none", check=_check_same_float("polar"))  # fmt: skip
complex = defop("complex", lambda re, im: lax.complex(*_broadcast_pair(re, im)),
                "ComplexBackward0", dtypes="none", saves=(),
                check=_check_same_float("complex"))  # fmt: skip
