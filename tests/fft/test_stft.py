"""torch.stft / torch.istft against real PyTorch: values, dtypes, grad_fn names and gradients
(input and window) under a random cotangent, and errors."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike

_X = np.random.default_rng(0).standard_normal(40)
_W = np.hanning(8) + 0.1


def _np(t):
    t = t.detach()
    return (t.resolve_conj() if t.is_complex() else t).numpy()


def _run(lib, fn, x, kw):
    k = dict(kw)
    if k.get("window") is not None:
        k["window"] = lib.tensor(k["window"], requires_grad=True)
    t = lib.tensor(x, requires_grad=True)
    y = getattr(lib, fn)(t, 8, **k)
    rng = np.random.default_rng(1)
    g = rng.standard_normal(tuple(y.shape))
    if y.is_complex():
        g = g + 1j * rng.standard_normal(tuple(y.shape))
    y.backward(lib.tensor(g))
    w = k.get("window")
    return y, t.grad, None if w is None else w.grad


def _compare(torch_ref, fn, x, kw):
    ty, tg, tw = _run(torch_ref, fn, x, kw)
    ly, lg, lw = _run(torchlike, fn, x, kw)
    assert str(ly.dtype) == str(ty.dtype)
    assert ly.grad_fn.name() == ty.grad_fn.name()
    np.testing.assert_allclose(_np(ly), _np(ty), rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(_np(lg), _np(tg), rtol=1e-9, atol=1e-9)
    if tw is not None:
        np.testing.assert_allclose(_np(lw), _np(tw), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("kw", [
    {"window": _W, "return_complex": True},
    {"window": _W, "center": False, "return_complex": True, "hop_length": 3},
    {"window": _W, "onesided": False, "normalized": True, "return_complex": True},
    {"window": _W[:6], "win_length": 6, "return_complex": True, "pad_mode": "constant"},
    {"window": _W[:4], "win_length": 4, "center": False, "align_to_window": True,
     "return_complex": True},
])  # fmt: skip
def test_stft(torch_ref, kw):
    _compare(torch_ref, "stft", _X, kw)


def test_stft_complex_and_batched(torch_ref):
    _compare(torch_ref, "stft", _X + 1j * _X[::-1], {"window": _W})
    _compare(torch_ref, "stft", np.stack([_X, 2 * _X]), {"window": _W, "return_complex": True})


@pytest.mark.parametrize("kw", [
    {"window": _W}, {"window": _W, "length": 35}, {"window": _W, "center": False},
    {"window": _W[1:7], "win_length": 6, "normalized": True},
])  # fmt: skip
def test_istft(torch_ref, kw):
    z = torch_ref.stft(torch_ref.tensor(_X), 8, window=torch_ref.tensor(_W), return_complex=True)
    _compare(torch_ref, "istft", z.numpy(), kw)


@pytest.mark.parametrize("expr", [
    "torch.stft(x, 8, window=w)",
    "torch.stft(x, 80, window=w, return_complex=True)",
    "torch.stft(x[None, None], 8, window=w, return_complex=True)",
    "torch.stft(x, 8, window=w, hop_length=0, return_complex=True)",
    "torch.stft(x, 8, window=w, win_length=9, return_complex=True)",
    "torch.stft(x, 8, window=w[:5], return_complex=True)",
    "torch.stft(x, 8, window=w, align_to_window=True, return_complex=True)",
    "torch.istft(z.real, 8, window=w)",
    "torch.istft(z, 8, window=w, onesided=False)",
    "torch.istft(z, 8, window=w, hop_length=9)",
    "torch.istft(z, 8, window=w * 0)",
])  # fmt: skip
def test_errors(torch_ref, expr):
    def go(lib):
        x, w = lib.tensor(_X), lib.tensor(_W)
        z = lib.tensor(torch_ref.stft(torch_ref.tensor(_X), 8, window=torch_ref.tensor(_W),
                                      return_complex=True).numpy())  # fmt: skip
        with pytest.raises(Exception) as info:
            eval(expr, {"torch": lib, "x": x, "w": w, "z": z})
        return type(info.value).__name__, str(info.value).splitlines()[0]

    assert go(torchlike) == go(torch_ref)
