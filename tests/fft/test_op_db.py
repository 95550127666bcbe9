"""PyTorch's own sample inputs for torch.fft (``op_db``'s ``fft.*`` OpInfos), run on both
libraries: values, dtypes, grad_fn names and gradients under a random cotangent. Slow: every
sample compiles its kernels."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike

_NAMES = (
    "fft ifft rfft irfft hfft ihfft fft2 ifft2 rfft2 irfft2 hfft2 ihfft2 fftn ifftn rfftn irfftn "
    "hfftn ihfftn fftshift ifftshift"
).split()


def _np(t):
    t = t.detach()
    return (t.resolve_conj() if t.is_complex() else t).numpy()


@pytest.mark.slow
@pytest.mark.parametrize("dtype", ["float64", "complex128"])
@pytest.mark.parametrize("name", _NAMES)
def test_op_db_samples(torch_ref, name, dtype):
    from torch.testing._internal.common_methods_invocations import op_db

    (op,) = [o for o in op_db if o.name == f"fft.{name}"]
    tdt = getattr(torch_ref, dtype)
    if tdt not in op.supported_dtypes("cpu"):
        pytest.skip(f"torch's fft.{name} does not take {dtype}")
    rng = np.random.default_rng(0)
    for sample in op.sample_inputs("cpu", tdt, requires_grad=True):
        x = sample.input.detach().resolve_conj().numpy()
        args = sample.args
        kwargs = dict(sample.kwargs)
        tx = torch_ref.tensor(x, requires_grad=True)
        ty = getattr(torch_ref.fft, name)(tx, *args, **kwargs)
        g = rng.standard_normal(ty.shape)
        if ty.is_complex():
            g = g + 1j * rng.standard_normal(ty.shape)
        ty.backward(torch_ref.tensor(g))
        lx = torchlike.tensor(x, requires_grad=True)
        ly = getattr(torchlike.fft, name)(lx, *args, **kwargs)
        ly.backward(torchlike.tensor(g))
        what = f"fft.{name}{tuple(x.shape)} {args} {kwargs}"
        assert str(ly.dtype) == str(ty.dtype), what
        assert ly.grad_fn.name() == ty.grad_fn.name(), what
        np.testing.assert_allclose(_np(ly), _np(ty), rtol=1e-9, atol=1e-9, err_msg=what)
        np.testing.assert_allclose(_np(lx.grad), _np(tx.grad), rtol=1e-9, atol=1e-9, err_msg=what)
