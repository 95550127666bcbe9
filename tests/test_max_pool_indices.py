"""``nn.functional.max_pool{1,2,3}d_with_indices`` (and ``return_indices=True``) against real
torch: values, the index of each maximum flat within its plane, dtypes, grad_fn and gradient,
including the windows where the pick is not obvious (padding beside -inf, NaNs, ties)."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike
from tests._ci import ci_sample

torch = pytest.importorskip("torch")

_rng = np.random.default_rng(0)


def _run(lib, fname, x, kwargs, grad):
    t = lib.tensor(x, requires_grad=grad)
    out, idx = getattr(lib.nn.functional, fname)(t, **kwargs)
    got = [out.detach().numpy(), idx.numpy(), str(out.dtype), str(idx.dtype)]
    if grad:
        weights = np.arange(out.numel(), dtype=x.dtype).reshape(tuple(out.shape))
        (out * lib.tensor(weights)).sum().backward()
        got += [type(out.grad_fn).__name__, t.grad.numpy()]
    return got


def _check(fname, x, grad=True, **kwargs):
    want, got = (_run(lib, fname, x, kwargs, grad) for lib in (torch, torchlike))
    for w, g in zip(want, got, strict=True):
        if isinstance(w, np.ndarray):
            np.testing.assert_array_equal(g, w)
        else:
            assert g == w


def _ties(*shape):
    return _rng.integers(-2, 2, shape).astype(np.float32)  # many equal values per window


GEOMETRIES = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=2, stride=1, dilation=2, ceil_mode=True),
    dict(kernel_size=3, stride=2, padding=1, dilation=2, ceil_mode=True),
]


_CASES = [(nd, g) for nd in (1, 2, 3) for g in GEOMETRIES]


@pytest.mark.parametrize("case", ci_sample(_CASES, 3, ids=lambda c: f"{c[0]}d-{c[1]}"))
def test_geometries(case):
    nd, geometry = case
    _check(f"max_pool{nd}d_with_indices", _ties(2, 2, *(6,) * nd), **geometry)
    _check(f"max_pool{nd}d_with_indices", _ties(2, *(5,) * nd), **geometry)  # unbatched


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_minus_inf_windows_point_at_the_input(nd):
    x = np.full((1, 2, *(5,) * nd), -np.inf, np.float32)
    _check(f"max_pool{nd}d_with_indices", x, kernel_size=3, stride=2, padding=1)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_nan_picks_the_last_nan_of_the_window(nd):
    x = _rng.standard_normal((1, 2, *(5,) * nd)).astype(np.float32)
    x.flat[[3, 7, 30 % x.size]] = np.nan
    _check(f"max_pool{nd}d_with_indices", x, grad=False, kernel_size=3, stride=1, padding=1)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_dtypes_and_the_ignored_return_indices(nd):
    shape = (1, 2, *(4,) * nd)
    _check(f"max_pool{nd}d_with_indices", _rng.integers(-5, 5, shape), grad=False, kernel_size=2)
    _check(f"max_pool{nd}d_with_indices", _rng.standard_normal(shape), kernel_size=[2] * nd,
           stride=[1] * nd, return_indices=False)  # fmt: skip


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_max_pool_return_indices(nd):
    _check(f"max_pool{nd}d", _ties(2, 3, *(6,) * nd), kernel_size=3, stride=2, padding=1,
           return_indices=True)  # fmt: skip
    x = _ties(2, 3, *(6,) * nd)
    want = getattr(torch.nn.functional, f"max_pool{nd}d")(torch.tensor(x), 3, 2, 1)
    got = getattr(torchlike.nn.functional, f"max_pool{nd}d")(torchlike.tensor(x), 3, 2, 1)
    np.testing.assert_array_equal(got.numpy(), want.numpy())


@pytest.mark.parametrize("fill", [-np.inf, np.nan])
def test_adaptive_max_pool2d_special_values(fill):
    x = _rng.standard_normal((1, 2, 7, 7)).astype(np.float32)
    x[..., :3, :3] = fill
    x.flat[[40, 41]] = np.nan
    _check("adaptive_max_pool2d", x, grad=False, output_size=3, return_indices=True)
