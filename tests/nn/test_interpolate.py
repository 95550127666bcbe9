"""``F.interpolate`` in every mode against real torch: values, gradients under a random
cotangent, grad_fn names, and the error for an unsupported rank."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike

CASES = [
    ("nearest", (1, 2, 7), dict(size=3)),
    ("nearest-exact", (1, 2, 7), dict(size=3)),
    ("nearest-exact", (1, 2, 3, 7), dict(scale_factor=1.7)),
    ("nearest-exact", (1, 1, 3, 4, 5), dict(size=(5, 2, 7))),
    ("linear", (1, 2, 6), dict(size=9, align_corners=True)),
    ("bilinear", (1, 1, 4, 4), dict(size=(3, 5))),
    ("trilinear", (1, 1, 2, 3, 4), dict(scale_factor=2)),
    ("bicubic", (2, 3, 5, 6), dict(size=(7, 4))),
    ("bicubic", (1, 1, 4, 4), dict(scale_factor=2.5, align_corners=True)),
    ("bicubic", (1, 2, 5, 3), dict(scale_factor=(1.5, 2))),
    ("area", (1, 2, 7), dict(size=3)),
    ("area", (2, 2, 5, 7), dict(size=(3, 4))),
    ("area", (1, 1, 4, 5, 6), dict(scale_factor=0.5)),
]


@pytest.mark.parametrize(("mode", "shape", "kw"), CASES,
                         ids=[f"{m}-{len(s)}d" for m, s, _ in CASES])  # fmt: skip
def test_interpolate_matches_torch(torch_ref, mode, shape, kw):
    rng = np.random.default_rng(len(shape) + len(mode))
    a = rng.standard_normal(shape)
    xt = torch_ref.tensor(a, requires_grad=True)
    xl = torchlike.tensor(a, requires_grad=True)
    yt = torch_ref.nn.functional.interpolate(xt, mode=mode, **kw)
    yl = torchlike.nn.functional.interpolate(xl, mode=mode, **kw)
    assert tuple(yl.shape) == tuple(yt.shape)
    np.testing.assert_allclose(yl.detach().numpy(), yt.detach().numpy(), atol=1e-12)
    assert yl.grad_fn.name() == yt.grad_fn.name()
    ct = rng.standard_normal(tuple(yt.shape))
    yt.backward(torch_ref.tensor(ct))
    yl.backward(torchlike.tensor(ct))
    np.testing.assert_allclose(xl.grad.numpy(), xt.grad.numpy(), atol=1e-12)


def test_bicubic_needs_4d_input(torch_ref):
    msgs = []
    for lib in (torch_ref, torchlike):
        with pytest.raises(NotImplementedError) as e:
            lib.nn.functional.interpolate(lib.ones(1, 1, 4), size=3, mode="bicubic")
        msgs.append(str(e.value))
    assert msgs[0] == msgs[1]
