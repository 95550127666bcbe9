"""Run one call on real torch and on torchlike and compare everything observable: the result's
structure (named-tuple type and fields), dtypes, shapes, values, the first output's grad_fn
name, and the inputs' gradients under a fixed random cotangent."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import torchlike


def resolve(lib, name):
    obj = lib
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def _flat(out):
    return list(out) if isinstance(out, tuple) else [out]


def _np(t):
    t = t.detach()
    if t.is_complex():
        t = t.resolve_conj()
    return t.numpy()


def _leaf(lib, x, grad):
    t = lib.tensor(x)
    return t.requires_grad_() if grad and t.is_floating_point() else t


def check(
    name, *args, grad=True, rtol=1e-7, atol=1e-9, gauge=None, values=True, grad_tol=(1e-6, 1e-8),
    **kwargs,
):
    """Compare ``torch.<name>(*args, **kwargs)`` with torchlike's. Array arguments (NumPy) become
    tensors (float ones require grad when ``grad``). ``gauge`` maps the outputs to quantities free
    of sign/phase choices before comparing values and taking gradients."""
    torch = pytest.importorskip("torch")
    outs = {}
    for lib in (torch, torchlike):
        ins = [_leaf(lib, a, grad) if isinstance(a, np.ndarray) else a for a in args]
        kw = {k: _leaf(lib, v, False) if isinstance(v, np.ndarray) else v
              for k, v in kwargs.items()}  # fmt: skip
        with warnings.catch_warnings():
            # torch's deprecation warnings for the legacy names (tested on their own)
            warnings.filterwarnings("ignore", "torch.* is deprecated", UserWarning)
            out = resolve(lib, name)(*ins, **kw)
        outs[lib] = (ins, out)
    (t_in, t_out), (l_in, l_out) = outs[torch], outs[torchlike]
    assert type(l_out).__name__ == type(t_out).__name__
    if hasattr(t_out, "_fields"):
        assert l_out._fields == tuple(
            f for f in dir(t_out) if f in l_out._fields
        ) or set(l_out._fields) <= set(dir(t_out))
    t_flat, l_flat = _flat(t_out), _flat(l_out)
    assert len(t_flat) == len(l_flat)
    for t, g in zip(t_flat, l_flat, strict=True):
        assert str(g.dtype) == str(t.dtype), (g.dtype, t.dtype)
        assert tuple(g.shape) == tuple(t.shape), (g.shape, t.shape)
    t_cmp = gauge(torch, t_out) if gauge else t_flat
    l_cmp = gauge(torchlike, l_out) if gauge else l_flat
    if values:
        for t, g in zip(t_cmp, l_cmp, strict=True):
            np.testing.assert_allclose(_np(g), _np(t), rtol=rtol, atol=atol)
    if not grad:
        return l_out
    t_names = [o.grad_fn.name() if o.grad_fn is not None else None for o in t_flat]
    l_names = [o.grad_fn.name() if o.grad_fn is not None else None for o in l_flat]
    assert l_names[0] == t_names[0], (l_names, t_names)
    t_leaves = [t for t in t_in if isinstance(t, torch.Tensor) and t.requires_grad]
    if not t_leaves:
        return l_out
    rng = np.random.default_rng(0)
    t_loss, l_loss = 0, 0
    for t, g in zip(t_cmp, l_cmp, strict=True):
        if not (t.requires_grad and (t.is_floating_point() or t.is_complex())):
            continue
        c = rng.standard_normal(tuple(t.shape))
        if t.is_complex():
            t, g = t.abs(), g.abs()
        t_loss = t_loss + (t * torch.tensor(c, dtype=t.dtype)).sum()
        l_loss = l_loss + (g * torchlike.tensor(c, dtype=g.dtype)).sum()
    if isinstance(t_loss, int):
        return l_out
    t_loss.backward()
    l_loss.backward()
    l_leaves = [t for t in l_in if isinstance(t, torchlike.Tensor) and t.requires_grad]
    for t, g in zip(t_leaves, l_leaves, strict=True):
        if t.grad is None:
            assert g.grad is None or not np.any(_np(g.grad))
            continue
        np.testing.assert_allclose(_np(g.grad), _np(t.grad), *grad_tol)
    return l_out


def spd(n, batch=(), seed=0):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((*batch, n, n))
    return a @ np.swapaxes(a, -1, -2) + n * np.eye(n)


def mat(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)
