"""nn.functional against torch: in-place activation nodes (torch's in-place overloads are ATen
ops of their own: ``EluBackward1``...), argument errors of conv / group_norm / max_pool1d /
prelu, scaled_dot_product_attention's paths and dropout, linear_cross_entropy."""

from __future__ import annotations

import pytest

from tests._parity import assert_same

PRELUDE = """
F = torch.nn.functional
def data(*shape, dtype=torch.float32, grad=True):
    n = 1
    for s in shape:
        n *= s
    return torch.sin(torch.arange(n, dtype=dtype) * 1.3 + 0.2).reshape(shape).requires_grad_(grad)
"""

SNIPPETS = {
    "inplace_activation_nodes": """
        calls = [
            lambda y: F.elu_(y), lambda y: F.elu(y, 0.5, inplace=True),
            lambda y: F.leaky_relu_(y, 0.2), lambda y: F.leaky_relu(y, inplace=True),
            lambda y: F.celu_(y, 2.0), lambda y: F.celu(y, inplace=True),
            lambda y: F.selu_(y), lambda y: F.selu(y, inplace=True),
            lambda y: F.threshold_(y, 0.1, 2.0), lambda y: F.threshold(y, 0.1, 2.0, True),
            lambda y: F.rrelu_(y), lambda y: F.rrelu(y, inplace=True),
            lambda y: F.relu_(y), lambda y: F.relu(y, inplace=True),
            lambda y: F.hardtanh_(y), lambda y: F.relu6(y, inplace=True),
            lambda y: F.silu(y, inplace=True), lambda y: F.mish(y, inplace=True),
            lambda y: torch.celu_(y), lambda y: torch.selu_(y), lambda y: torch.rrelu_(y),
            lambda y: torch.threshold_(y, 0.0, -1.0),
        ]
        for f in calls:
            x = data(2, 5)
            y = f(x * 1)
            y.backward(torch.cos(torch.arange(10.0)).reshape(2, 5))
            print(y.grad_fn.name(), y.grad_fn.next_functions[0][0].name(), x.grad)
        x = data(2, 5)
        print(F.relu(x * 1, inplace=False).grad_fn.name(), F.rrelu_(x * 1, training=True).grad_fn)
        try:
            F.elu_(data(3))
        except RuntimeError as e:
            print(e)
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_against_torch(name):
    assert_same(PRELUDE + SNIPPETS[name])
