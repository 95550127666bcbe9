"""Shapes that do not broadcast raise PyTorch's RuntimeError ("The size of tensor a (4) must match
the size of tensor b (5) at non-singleton dimension 1") from every op, not JAX's ValueError or
TypeError (JAX words it differently by path: jnp's "Incompatible shapes", lax's "got
incompatible shapes")."""

from __future__ import annotations

from tests._parity import assert_same


def test_broadcast_errors_match_torch():
    assert_same("""
        import warnings
        warnings.simplefilter("ignore")
        calls = [
            lambda: torch.ones(5, 4) + torch.ones(5),
            lambda: torch.ones(2, 3, 4) * torch.ones(3, 3, 1),
            lambda: torch.ones(3, requires_grad=True) * torch.ones(2),
            lambda: torch.atan2(torch.ones(3), torch.ones(2)),
            lambda: torch.where(torch.ones(2, 3) > 0, torch.ones(4, 1), torch.ones(3)),
            lambda: torch.ones(5, 4).add_(torch.ones(5)),
            lambda: torch.nn.functional.l1_loss(torch.ones(5, 4), torch.ones(5)),
            lambda: torch.nn.functional.mse_loss(torch.ones(5, 4), torch.ones(5)),
        ]
        for f in calls:
            try:
                f()
            except Exception as e:
                print(type(e).__name__, e)
    """)
