"""``torch.autograd.forward_ad`` beside torch: dual tensors through ops (values of the tangents,
as ``jax.jvp`` computes them), reductions, integer results, in-place ops, several outputs,
modules, tangents dropped outside the level, and the errors."""

from __future__ import annotations

import pytest

from tests._parity import assert_same

SNIPPETS = {
    "tangents_through_ops": """
        fwAD = torch.autograd.forward_ad
        x = torch.tensor([1.0, 2.0, -0.5])
        v = torch.tensor([1.0, 0.5, 2.0])
        with fwAD.dual_level() as level:
            print(level)
            d = fwAD.make_dual(x, v)
            y = d.sin() * d + d.exp().sum()
            p, t = fwAD.unpack_dual(y)
            print(p, t, fwAD.unpack_dual(y).tangent is t)
            print(fwAD.unpack_dual(x), fwAD.unpack_dual(d.argmax()).tangent)
            vals, idx = d.reshape(1, 3).max(dim=1)
            print(fwAD.unpack_dual(vals).tangent, fwAD.unpack_dual(idx).tangent)
            e = fwAD.make_dual(torch.ones(3), v)
            e.mul_(2)
            print(fwAD.unpack_dual(e).tangent, v)
            with torch.no_grad():
                print(fwAD.unpack_dual(e * 2).tangent)
            torch.manual_seed(0)
            lin = torch.nn.Linear(3, 2)
            out = lin(fwAD.make_dual(x.reshape(1, 3), v.reshape(1, 3)))
            # NOTE: torch's tangents of results that require grad are themselves differentiable
            # (grad_fn=<AddBackward0>); torchlike's are plain tensors.
            print(fwAD.unpack_dual(out).tangent.detach())
            w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
            dw = fwAD.make_dual(w, v)
            print(dw.requires_grad, fwAD.unpack_dual(dw * dw).tangent.detach(), v)
        print(fwAD.unpack_dual(y).tangent, fwAD.unpack_dual(y).primal)
    """,
    "printing": """
        fwAD = torch.autograd.forward_ad
        x = torch.tensor([1.0, 2.0])
        with fwAD.dual_level():
            d = fwAD.make_dual(x, torch.tensor([1.0, 0.5]))
            print(d)
            print(d * 3)
            print(fwAD.make_dual(torch.ones(2, 3), torch.ones(2, 3)).sum(0))
            print(x)
        print(d)
    """,
    "errors": """
        fwAD = torch.autograd.forward_ad
        x = torch.ones(2)
        for bad in (lambda: fwAD.make_dual(x, torch.ones(2)),):
            try:
                bad()
            except RuntimeError as e:
                print(e)
        with fwAD.dual_level():
            try:
                fwAD.make_dual(x, torch.ones(3))
            except RuntimeError as e:
                print(e)
            try:
                with fwAD.dual_level():
                    pass
            except RuntimeError as e:
                print(e)
    """,
}


@pytest.mark.parametrize("name", SNIPPETS)
def test_same_as_torch(name):
    assert_same(SNIPPETS[name])
