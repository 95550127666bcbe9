"""``F.pad`` / ``torch.constant_pad_nd`` against torch: negative padding (cropping) in every
mode, torch's output shapes, grad_fn chains (circular's CopySlices) and error types/messages;
``torch.native_group_norm``'s empty groups, mixed dtypes and argument checks."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike
from tests._parity import grad_fn_names

torch = pytest.importorskip("torch")


def _tl(t):
    out = torchlike.from_numpy(t.detach().numpy().copy())
    return out.requires_grad_(True) if t.requires_grad else out


def _outcome(fn):
    try:
        return fn()
    except Exception as e:
        return e


def _same(fn, *tensors):
    """``fn(lib, *tensors)`` in both libraries: the same exception (type, first line) or the
    same value, grad_fn walk and gradient under a random cotangent."""
    mine_args = [_tl(t) for t in tensors]
    ref = _outcome(lambda: fn(torch, *tensors))
    mine = _outcome(lambda: fn(torchlike, *mine_args))
    if isinstance(ref, Exception):
        assert type(mine) is type(ref), mine
        assert str(mine).splitlines()[0] == str(ref).splitlines()[0]
        return
    assert not isinstance(mine, Exception), mine
    assert tuple(mine.shape) == tuple(ref.shape)
    np.testing.assert_allclose(mine.detach().numpy(), ref.detach().numpy())
    if not ref.requires_grad or ref.numel() == 0:
        # NOTE: ATen's reflection_pad3d backward leaves its gradient uninitialised for an
        # empty output; there is nothing defined to compare.
        return
    assert grad_fn_names(mine.grad_fn) == grad_fn_names(ref.grad_fn)
    ct = torch.randn(ref.shape, dtype=ref.dtype)
    leaves = [t for t in tensors if t.requires_grad]
    ref_g = torch.autograd.grad(ref, leaves, ct)
    mine_g = torchlike.autograd.grad(mine, [m for m in mine_args if m.requires_grad], _tl(ct))
    for m, r in zip(mine_g, ref_g, strict=True):
        np.testing.assert_allclose(m.numpy(), r.numpy(), atol=1e-12)


_SHAPES = {1: (2, 3, 5), 2: (1, 2, 4, 5), 3: (1, 2, 3, 4, 5)}
_PADS = {
    1: [(-1, 2), (2, -3), (-3, 2), (3, -1), (-1, -1), (-2, -3), (-3, -3), (4, -4), (-6, 4),
        (-5, 5), (-1, 4), (0, 0), (5, 0)],
    2: [(-1, 2, 1, -2), (2, -3, 0, 0), (-2, -3, 1, 1), (-3, -3, -2, -2), (1, 1, -4, -1),
        (-3, -3, 1, 0), (4, -4, 3, -3)],
    3: [(-1, 2, 1, -2, 0, 1), (-2, -3, -2, -2, -2, -1), (1, 1, 1, 1, -3, 0), (2, -1, 0, 0, 2, -2)],
}  # fmt: skip


def _negative_pads():
    """(mode, pad) for every mode and pad; a circular wrap longer than the cropped input reads
    the tensor ATen writes (undefined there: torch may return uninitialised memory), so only
    defined circular cases are listed. CI runs every third pad of each mode (``nox -s slow``
    all)."""
    cases = []
    for mode in ("constant", "reflect", "replicate", "circular"):
        defined = []
        for p in (p for nd in _PADS for p in _PADS[nd]):
            sizes = _SHAPES[len(p) // 2][-(len(p) // 2):][::-1]
            if mode == "circular" and any(max(p[2 * i], 0) + max(p[2 * i + 1], 0)
                                          > s - max(-p[2 * i], 0) - max(-p[2 * i + 1], 0)
                                          for i, s in enumerate(sizes)):  # fmt: skip
                continue
            defined.append(p)
        cases += [pytest.param((mode, p), id=f"{mode}-{p}", marks=[pytest.mark.slow] * (i % 3 > 0))
                  for i, p in enumerate(defined)]  # fmt: skip
    return cases


@pytest.mark.parametrize("case", _negative_pads())
def test_negative_pad(case):
    mode, p = case
    torch.manual_seed(len(p))
    x = torch.randn(_SHAPES[len(p) // 2], dtype=torch.float64, requires_grad=True)
    _same(lambda lib, t: lib.nn.functional.pad(t * 1, p, mode=mode), x)
    _same(lambda lib, t: lib.nn.functional.pad(t[0], p, mode=mode), x)


@pytest.mark.parametrize(
    "shape,pad,mode",
    [
        ((1, 0, 4), (1, 1), "reflect"), ((0, 2, 4), (1, 1), "replicate"),
        ((3, 0, 4), (-1, 1), "replicate"), ((1, 2, 4), (4, 0), "reflect"),
        ((1, 2, 4), (5, 0), "circular"), ((1, 2, 4), (-3, -3), "circular"),
        ((1, 2, 4), (-3, -3), "constant"), ((1, 2, 4, 3), (-2, -2, -2, -2), "replicate"),
        ((1, 2, 4, 3), (-2, -2, -3, -2), "reflect"), ((1, 2, 2, 4, 3), (-2, -2, -2, -2, -1, -1),
                                                      "replicate"),
        ((2, 4), (1, 1, 1), "constant"), ((2, 4), (1, 1, 1, 1, 1, 1), "constant"),
        ((2, 4), (1, 1), "foo"), ((4,), (1, 1), "reflect"), ((2, 4), (), "circular"),
        ((2, 4), (1.5, 1), "constant"), ((2, 4), 1, "constant"), ((2, 4), (True, 1), "constant"),
    ],
)  # fmt: skip
def test_pad_errors(shape, pad, mode):
    x = torch.randn(shape, dtype=torch.float64)
    _same(lambda lib, t: lib.nn.functional.pad(t, pad, mode=mode), x)


def test_constant_pad_nd_and_value():
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    _same(lambda lib, t: lib.constant_pad_nd(t, (-1, -1)), x)  # a crop is ConstantPadNd too
    _same(lambda lib, t: lib.constant_pad_nd(t, (1, 1, 1, 1, 1, 1)), x)
    _same(lambda lib, t: lib.constant_pad_nd(t, (1.5, 1)), x)
    _same(lambda lib, t: lib.nn.functional.pad(t, (1, 1), value=1 + 2j), x)
    _same(lambda lib, t: lib.nn.functional.pad(t, (1, 1), "reflect", value=1.0), x)
    xi = torch.arange(6, dtype=torch.int32).view(2, 3)
    _same(lambda lib, t: lib.nn.functional.pad(t, (1, -1), value=1.5), xi)


def test_circular_pad_traces():
    x = torchlike.randn(2, 3, 5)
    ref = torchlike.nn.functional.pad(x, (2, 1), mode="circular")
    f = torchlike.compile(lambda t: torchlike.nn.functional.pad(t, (2, 1), mode="circular"))
    np.testing.assert_array_equal(f(x).numpy(), ref.numpy())
    v = torchlike.func.vmap(lambda t: torchlike.nn.functional.pad(t, (2, 1), mode="circular"))
    np.testing.assert_array_equal(v(x[None]).numpy()[0], ref.numpy())


@pytest.mark.parametrize(
    "shape,n,c,hxw,group,affine",
    [((0, 2), 0, 2, 1, 1, True), ((2, 0, 3), 2, 0, 3, 2, False), ((2, 4, 0), 2, 4, 0, 2, True),
     ((2, 4, 3), 2, 4, 3, 2, True)],
)  # fmt: skip
def test_native_group_norm_empty(shape, n, c, hxw, group, affine):
    x = torch.randn(shape, dtype=torch.float64, requires_grad=True)
    wb = [torch.randn(c, dtype=torch.float64) for _ in range(2)] if affine else [None, None]
    ref = torch.native_group_norm(x, *wb, n, c, hxw, group, 1e-5)
    mine = torchlike.native_group_norm(_tl(x), *[w if w is None else _tl(w) for w in wb], n, c,
                                       hxw, group, 1e-5)  # fmt: skip
    for m, r in zip(mine, ref, strict=True):
        assert tuple(m.shape) == tuple(r.shape) and m.dtype.itemsize == r.dtype.itemsize
        np.testing.assert_allclose(m.detach().numpy(), r.detach().numpy(), equal_nan=True)


@pytest.mark.parametrize(
    "xdt,wdt,group,c,w_shape",
    [("float32", "float64", 2, 4, (4,)), ("float64", "float32", 2, 4, (4,)),
     ("float16", "float32", 2, 4, (4,)), ("int32", None, 2, 4, None),
     ("float32", None, 0, 4, None), ("float32", None, 3, 4, None),
     ("float32", "float32", 2, 4, (2, 2)), ("float32", "float32", 2, 5, (4,))],
)  # fmt: skip
def test_native_group_norm_checks(xdt, wdt, group, c, w_shape):
    x = torch.ones(2, 4, 3, dtype=getattr(torch, xdt))
    w = None if wdt is None else torch.ones(w_shape, dtype=getattr(torch, wdt))
    _same(
        lambda lib, t, *rest: lib.native_group_norm(
            t, *(rest or (None,)), None, 2, c, 3, group, 1e-5
        )[0],
        x,
        *([w] if w is not None else []),
    )
