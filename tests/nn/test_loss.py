"""The nn pieces the seeds use, against torch: MSELoss, BCE-with-logits, relu, sigmoid."""

from __future__ import annotations

import pytest

from tests._parity import assert_same

SNIPPETS = {
    "weighted_mse_and_huber": """
        F = torch.nn.functional
        x = torch.tensor([1., 2.], requires_grad=True)
        y, w = torch.zeros(2), torch.tensor([1., 3.])
        for r in ("mean", "sum", "none"):
            print(F.mse_loss(x, y, weight=w, reduction=r),
                  F.huber_loss(x, y, weight=w, reduction=r))
        F.mse_loss(x, y, weight=w).backward()
        print(x.grad)
        try:
            F.mse_loss(x, y, weight=torch.ones(3))
        except ValueError as e:
            print(e)
    """,
    "mse_loss_module": """
        z = torch.tensor([[9.0809]], requires_grad=True)
        y = torch.tensor([[3.0]])
        loss = torch.nn.MSELoss()
        v = loss(z, y)
        print(v, v.is_leaf, loss)
        v.backward()
        print(z.grad)
        for r in ("sum", "none"):
            print(torch.nn.MSELoss(reduction=r)(z * 2, y))
    """,
    "mse_broadcast_warning": """
        F = torch.nn.functional
        print(F.mse_loss(torch.ones(3, 1), torch.zeros(3)))
    """,
    "bce_with_logits": """
        F = torch.nn.functional
        x = torch.ones(5)
        y = torch.zeros(3)
        w = torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6], [0.7, -0.8, 0.9], [1.0, 0.1, 0.2],
                          [-0.3, 0.4, 0.5]], requires_grad=True)
        b = torch.tensor([0.1, 0.2, -0.3], requires_grad=True)
        z = torch.matmul(x, w) + b
        loss = F.binary_cross_entropy_with_logits(z, y)
        print(loss, z.grad_fn.name(), loss.grad_fn.name())
        loss.backward()
        print(w.grad, b.grad)
        print(F.binary_cross_entropy_with_logits(z, y, reduction="sum"))
        print(F.binary_cross_entropy_with_logits(z, y, pos_weight=torch.tensor([1.0, 2.0, 3.0])))
        print(torch.nn.BCEWithLogitsLoss(reduction="none")(z, torch.ones(3)))
    """,
    "bce_size_error": """
        F = torch.nn.functional
        F.binary_cross_entropy_with_logits(torch.ones(3), torch.ones(2))
    """,
    "activations": """
        F = torch.nn.functional
        x = torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)
        r = F.relu(x)
        s = F.sigmoid(x)
        print(r, s)
        (r + s).sum().backward()
        print(x.grad)
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_nn_matches_torch(name):
    assert_same(SNIPPETS[name])
