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
