"""``torch.native_layer_norm`` / ``native_group_norm`` / ``native_batch_norm``,
``torch.grid_sampler_2d`` / ``grid_sampler_3d`` (``_functions/native.py``), ``torch.zero_`` and
``Tensor.__rdiv__``: values, statistics, gradients, grad_fn names and errors against torch."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import torchlike
from tests._parity import assert_same

torch = pytest.importorskip("torch")


def _tl(t, requires_grad=False):
    out = torchlike.from_numpy(t.detach().numpy().copy())
    return out.requires_grad_(True) if requires_grad else out


def _close(mine, ref, tol):
    assert tuple(mine.shape) == tuple(ref.shape)
    np.testing.assert_allclose(mine.detach().numpy(), ref.detach().numpy(), rtol=tol, atol=tol)


def _compare(fn, args, tol=1e-10):
    """``fn(torch, *args)`` in both libraries (tensors that require grad are differentiated):
    every output, its requires_grad and grad_fn name, and the gradients of one loss that
    weights every differentiable output by a random cotangent."""
    ref = fn(torch, *args)
    ref = ref if isinstance(ref, tuple) else (ref,)
    mine_args = [_tl(a, a.requires_grad) if isinstance(a, torch.Tensor) else a for a in args]
    mine = fn(torchlike, *mine_args)
    mine = mine if isinstance(mine, tuple) else (mine,)
    assert len(mine) == len(ref)
    for m, r in zip(mine, ref, strict=True):
        _close(m, r, tol)
        assert m.requires_grad == r.requires_grad
        assert type(m.grad_fn).__name__ == type(r.grad_fn).__name__
    leaves = [(a, b) for a, b in zip(args, mine_args, strict=True)
              if isinstance(a, torch.Tensor) and a.requires_grad]  # fmt: skip
    diff = [(m, r) for m, r in zip(mine, ref, strict=True) if r.requires_grad]
    cts = [torch.randn_like(r) for _, r in diff]
    ref_g = torch.autograd.grad(sum((r * c).sum() for (_, r), c in zip(diff, cts, strict=True)),
                                [a for a, _ in leaves])  # fmt: skip
    loss = sum((m * _tl(c)).sum() for (m, _), c in zip(diff, cts, strict=True))
    mine_g = torchlike.autograd.grad(loss, [b for _, b in leaves])
    for m, r in zip(mine_g, ref_g, strict=True):
        _close(m, r, tol * 100)


def _randn(*shape, grad=True):
    return torch.randn(*shape, dtype=torch.float64, requires_grad=grad)


@pytest.mark.parametrize("affine", [False, True])
def test_native_layer_norm(affine):
    torch.manual_seed(0)
    w, b = (_randn(4, 5), _randn(4, 5)) if affine else (None, None)
    _compare(lambda lib, x, w, b: lib.native_layer_norm(x, [4, 5], w, b, 1e-5),
             [_randn(2, 3, 4, 5), w, b])  # fmt: skip
    _compare(lambda lib, x: lib.native_layer_norm(x, (5,), None, None, 0.5),
             [_randn(3, 5)])  # fmt: skip


@pytest.mark.parametrize("affine", [False, True])
def test_native_group_norm_statistics_are_differentiable(affine):
    torch.manual_seed(1)
    w, b = (_randn(6), _randn(6)) if affine else (None, None)
    _compare(lambda lib, x, w, b: lib.native_group_norm(x, w, b, 2, 6, 10, 3, 1e-5),
             [_randn(2, 6, 5, 2), w, b])  # fmt: skip
    _compare(
        lambda lib, x: lib.native_group_norm(x, None, None, 1, 6, 3, 2, 0.5), [_randn(1, 6, 3)]
    )


@pytest.mark.parametrize("training", [True, False])
def test_native_batch_norm_updates_running_stats(training):
    torch.manual_seed(2)
    x, w, b = _randn(4, 3, 5), _randn(3), _randn(3)
    rm, rv = torch.randn(3, dtype=torch.float64), torch.rand(3, dtype=torch.float64) + 0.5
    mrm, mrv = _tl(rm), _tl(rv)
    _compare(lambda lib, x, w, b, rm, rv: lib.native_batch_norm(x, w, b, rm, rv, training, 0.2,
                                                                1e-5),
             [x, w, b, rm, rv])  # fmt: skip
    torchlike.native_batch_norm(_tl(x), _tl(w), _tl(b), mrm, mrv, training, 0.2, 1e-5)
    _close(mrm, rm, 1e-12)
    _close(mrv, rv, 1e-12)
    if training:
        _compare(lambda lib, x: lib.native_batch_norm(x, None, None, None, None, True, 0.1, 1e-5),
                 [x])  # fmt: skip


# NOTE: every interpolation with every padding; align_corners alternates (each kernel compiles).
_CASES_2D = [(i, p, (i + p) % 2 == 0) for i, p in itertools.product(range(3), range(3))]


@pytest.mark.parametrize("interpolation,padding,align_corners", _CASES_2D)
def test_grid_sampler_2d(interpolation, padding, align_corners):
    torch.manual_seed(3)
    # NOTE: coordinates reach past [-1, 1] so every padding rule is exercised.
    grid = (torch.rand(2, 4, 5, 2, dtype=torch.float64) * 3 - 1.5).requires_grad_()
    _compare(lambda lib, x, g: lib.grid_sampler_2d(x, g, interpolation, padding, align_corners),
             [_randn(2, 3, 4, 5), grid])  # fmt: skip


@pytest.mark.parametrize("interpolation,padding,align_corners",
                         [(1, 0, True), (0, 1, False), (0, 2, True), (0, 0, False)])  # fmt: skip
def test_grid_sampler_3d(interpolation, padding, align_corners):
    torch.manual_seed(4)
    grid = (torch.rand(1, 2, 3, 4, 3, dtype=torch.float64) * 3 - 1.5).requires_grad_()
    _compare(lambda lib, x, g: lib.grid_sampler_3d(x, g, interpolation, padding, align_corners),
             [_randn(1, 2, 3, 4, 3), grid])  # fmt: skip


def test_errors():
    assert_same("""
        x, g = torch.randn(2, 3, 4, 5), torch.rand(2, 6, 7, 2)
        calls = [
            lambda: torch.grid_sampler_2d(x, g[..., :1], 0, 0, False),
            lambda: torch.grid_sampler_2d(x[0], g, 0, 0, False),
            lambda: torch.grid_sampler_2d(x, g[:1], 0, 0, False),
            lambda: torch.grid_sampler_2d(x, g.double(), 0, 0, False),
            lambda: torch.grid_sampler_3d(x, g, 0, 0, False),
            lambda: torch.grid_sampler_3d(x[None], torch.rand(1, 2, 6, 7, 3), 2, 0, False),
            lambda: torch.native_layer_norm(x, [4], None, None, 1e-5),
            lambda: torch.native_layer_norm(x, [5], torch.ones(4), None, 1e-5),
            lambda: torch.native_group_norm(x, None, None, 2, 3, 20, 2, 1e-5),
            lambda: torch.native_group_norm(x, None, None, 2, 3, 21, 3, 1e-5),
            lambda: torch.native_batch_norm(torch.ones(1, 3), None, None, None, None, True, 0.1,
                                            1e-5),
        ]
        for f in calls:
            try:
                f()
            except (RuntimeError, ValueError) as e:
                print(type(e).__name__, e)
    """)


def test_zero_and_rdiv():
    assert_same("""
        x = torch.tensor([1., 2., 4.])
        print(torch.zero_(x), x)
        y = torch.tensor([1., 2., 4.], requires_grad=True)
        r = y.__rdiv__(3)
        r.sum().backward()
        print(r, y.grad, torch.tensor([1, 2]).__rdiv__(3))
        try:
            torch.zero_(y)
        except RuntimeError as e:
            print(e)
    """)
