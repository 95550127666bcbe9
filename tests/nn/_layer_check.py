"""Run one functional-layer case on real torch and on torchlike from the same NumPy inputs and
compare outputs (values, dtype, shape, grad_fn name) and the gradients of every differentiable
input under one random cotangent, in float32 and float64."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike as tl

TOL = {"float32": dict(rtol=1e-4, atol=1e-5), "float64": dict(rtol=1e-9, atol=1e-10)}


class G:
    """A random float input of ``shape`` (the case's dtype); ``grad`` marks it differentiable."""

    def __init__(self, *shape, grad=True, kind="randn"):
        self.shape, self.grad, self.kind = shape, grad, kind

    def make(self, rng, dtype):
        if self.kind == "pos":
            return rng.uniform(0.5, 2.0, self.shape).astype(dtype)
        return rng.standard_normal(self.shape).astype(dtype)


def _tensors(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _np(t):
    return np.asarray(t.detach().numpy())


def _name(t):
    return None if t.grad_fn is None else type(t.grad_fn).__name__


def run_case(fn, *specs, dtypes=("float32", "float64"), seed=0, backward=True):
    """``fn(m, *tensors)`` for ``m`` in (torch, torchlike); ``specs`` are ``G`` inputs or NumPy
    arrays (passed as tensors without grad)."""
    torch = pytest.importorskip("torch")
    for dtype in dtypes:
        rng = np.random.default_rng(seed)
        arrays = [s.make(rng, dtype) if isinstance(s, G) else s for s in specs]
        res = {}
        for m in (torch, tl):
            args = []
            for s, a in zip(specs, arrays, strict=True):
                t = m.from_numpy(np.array(a))
                if isinstance(s, G) and s.grad:
                    t.requires_grad_(True)
                args.append(t)
            res[m] = (args, fn(m, *args))
        (t_args, t_out), (l_args, l_out) = res[torch], res[tl]
        t_ts, l_ts = _tensors(t_out), _tensors(l_out)
        assert len(t_ts) == len(l_ts)
        for i, (lt, tt) in enumerate(zip(l_ts, t_ts, strict=True)):
            if tt is None:
                assert lt is None
                continue
            assert str(lt.dtype) == str(tt.dtype), f"{dtype} output {i} dtype"
            assert tuple(lt.shape) == tuple(tt.shape), f"{dtype} output {i} shape"
            tol = TOL.get(str(tt.dtype).replace("torch.", ""), dict(rtol=0, atol=0))
            np.testing.assert_allclose(_np(lt), _np(tt), err_msg=f"{dtype} output {i}", **tol)
            assert _name(lt) == _name(tt), f"{dtype} output {i} grad_fn"
        if not backward or not t_ts[0].requires_grad:
            continue
        ct = np.random.default_rng(1).standard_normal(tuple(t_ts[0].shape)).astype(dtype)
        t_ts[0].backward(torch.from_numpy(ct.copy()))
        l_ts[0].backward(tl.from_numpy(ct.copy()))
        tol = TOL[dtype]
        for j, (la, ta) in enumerate(zip(l_args, t_args, strict=True)):
            if not ta.requires_grad:
                continue
            if ta.grad is None:
                assert la.grad is None, f"input {j} grad should be None"
                continue
            np.testing.assert_allclose(_np(la.grad), _np(ta.grad), err_msg=f"{dtype} grad {j}",
                                       **tol)  # fmt: skip


def copy_state(src, dst):
    """Copy every parameter and buffer of torch module ``src`` into torchlike module ``dst``."""
    d_state = dict(dst.named_parameters())
    d_state.update(dict(dst.named_buffers()))
    s_state = dict(src.named_parameters())
    s_state.update(dict(src.named_buffers()))
    assert sorted(d_state) == sorted(s_state)
    with tl.no_grad():
        for name, t in s_state.items():
            assert tuple(d_state[name].shape) == tuple(t.shape), name
            d_state[name].copy_(tl.from_numpy(t.detach().numpy().copy()))


def run_module(ctor, *shapes, dtype="float64", calls=1, train=True, out_index=None, seed=0):
    """Build ``ctor(m)`` in both libraries, copy torch's weights over, run ``calls`` forwards on
    the same random inputs, and compare outputs, grad_fn names, repr, input and parameter
    gradients, and buffers afterwards. Returns (torch module, torchlike module)."""
    torch = pytest.importorskip("torch")
    tm, lm = ctor(torch), ctor(tl)
    assert repr(lm) == repr(tm)
    if dtype == "float64":
        tm, lm = tm.double(), lm.double()
    copy_state(tm, lm)
    tm.train(train)
    lm.train(train)
    rng = np.random.default_rng(seed)
    tol = TOL[dtype]
    for _ in range(calls):
        arrays = [rng.standard_normal(s).astype(dtype) for s in shapes]
        ti = [torch.from_numpy(a.copy()).requires_grad_() for a in arrays]
        li = [tl.from_numpy(a.copy()).requires_grad_() for a in arrays]
        t_out, l_out = tm(*ti), lm(*li)
        t_ts, l_ts = _tensors(t_out), _tensors(l_out)
        if out_index is not None:
            t_ts, l_ts = _tensors(t_ts[out_index]), _tensors(l_ts[out_index])
        flat_t, flat_l = [], []
        for a, b in zip(t_ts, l_ts, strict=True):
            flat_t += _tensors(a) if isinstance(a, tuple) else [a]
            flat_l += _tensors(b) if isinstance(b, tuple) else [b]
        loss_t = loss_l = 0
        for i, (tt, lt) in enumerate(zip(flat_t, flat_l, strict=True)):
            if tt is None:
                assert lt is None
                continue
            assert tuple(lt.shape) == tuple(tt.shape), f"output {i} shape"
            np.testing.assert_allclose(_np(lt), _np(tt), err_msg=f"output {i}", **tol)
            assert _name(lt) == _name(tt), f"output {i} grad_fn"
            ct = rng.standard_normal(tuple(tt.shape)).astype(dtype)
            loss_t = loss_t + (tt * torch.from_numpy(ct)).sum()
            loss_l = loss_l + (lt * tl.from_numpy(ct)).sum()
        loss_t.backward()
        loss_l.backward()
        for j, (a, b) in enumerate(zip(ti, li, strict=True)):
            np.testing.assert_allclose(_np(b.grad), _np(a.grad), err_msg=f"input {j} grad", **tol)
    lp = dict(lm.named_parameters())
    for name, p in tm.named_parameters():
        if p.grad is None:
            assert lp[name].grad is None, name
        else:
            np.testing.assert_allclose(_np(lp[name].grad), _np(p.grad), err_msg=name, **tol)
    lb = dict(lm.named_buffers())
    for name, b in tm.named_buffers():
        np.testing.assert_allclose(_np(lb[name]), _np(b), err_msg=name, **tol)
    return tm, lm
