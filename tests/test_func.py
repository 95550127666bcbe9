"""``torchlike.func`` against ``torch.func``: tutorial patterns (per-sample gradients, Jacobians
of a small MLP, Hessians), pytrees, in_dims/out_dims, nesting, and the errors torch raises."""

from __future__ import annotations

import pytest

from tests._parity import assert_same

_MLP = """
    func = torch.func
    D = 4
    weight = (torch.arange(16.0).reshape(4, 4) / 10 - 0.7).sin()
    bias = torch.linspace(-0.5, 0.5, 4)
    x = torch.linspace(-1.0, 1.0, 4)

    def predict(weight, bias, x):
        return torch.tanh(torch.matmul(x, weight.t()) + bias)
"""

_NET = """
    func = torch.func

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter((torch.arange(6.0).reshape(2, 3) / 5 - 0.4).cos())
            self.b = torch.nn.Parameter(torch.tensor([0.1, -0.2]))
            self.register_buffer("scale", torch.tensor(2.0))

        def forward(self, x):
            return torch.matmul(x, self.w.t()) * self.scale + self.b

    model = Net()
    data = torch.linspace(-1.0, 1.0, 12).reshape(4, 3)
    targets = torch.tensor([[0.5, -0.5], [1.0, 0.0], [0.0, 0.0], [-1.0, 2.0]])
"""

SNIPPETS = {
    "grad_basic": """
        func = torch.func
        x = torch.tensor([1.0, 2.0, 3.0])
        print(func.grad(lambda x: (x ** 3).sum())(x))
        print(func.grad(torch.sin)(torch.tensor(0.5)))
        print(func.grad(func.grad(torch.sin))(torch.tensor(0.5)))
        print(func.grad(lambda x: x.sin().sum())(x.double()))
    """,
    "grad_argnums_and_aux": """
        func = torch.func
        x, y = torch.tensor([1.0, 2.0]), torch.tensor([3.0, -1.0])
        f = lambda x, y: (x * y).sum() + (y ** 2).sum()
        print(func.grad(f, argnums=1)(x, y))
        print(func.grad(f, argnums=(0, 1))(x, y))
        g = func.grad(lambda x: ((x ** 2).sum(), x.exp()), has_aux=True)
        print(g(x))
        print(func.grad_and_value(lambda x: (x ** 2).sum())(x))
        print(func.grad_and_value(lambda x: ((x ** 2).sum(), x), has_aux=True)(x))
    """,
    "grad_pytree_dict": """
        func = torch.func
        params = {"a": torch.tensor([1.0, 2.0]), "b": torch.tensor(3.0)}
        out = func.grad(lambda p, k: (p["a"] * p["b"] * k).sum())(params, 2.0)
        print(sorted(out.items()))
    """,
    "grad_errors": """
        func = torch.func
        for f, a in [(lambda x: x ** 2, torch.ones(2)),
                     (lambda x: x.sum(), torch.ones(2, dtype=torch.long))]:
            try:
                func.grad(f)(a)
            except Exception as e:
                print(type(e).__name__, e)
    """,
    "vjp_jvp": """
        func = torch.func
        out, fn = func.vjp(lambda x, y: (x * y, x + y), torch.ones(2), torch.arange(2.0))
        print(out, fn((torch.ones(2), torch.tensor([1.0, -1.0]))))
        out, fn = func.vjp(torch.sin, torch.tensor([0.0, 1.0]))
        print(out, fn(torch.ones(2)))
        print(func.jvp(lambda x: x ** 2, (torch.arange(3.0),), (torch.ones(3),)))
        print(func.jvp(lambda x, y: x * y, (torch.arange(3.0), torch.ones(3)),
                       (torch.ones(3), torch.ones(3))))
    """,
    "jacobians_of_mlp": _MLP + """
    ft_jacobian = func.jacrev(predict, argnums=2)(weight, bias, x)
    print(ft_jacobian.shape)
    print(ft_jacobian)
    print(func.jacfwd(predict, argnums=2)(weight, bias, x))
    jw, jb = func.jacrev(predict, argnums=(0, 1))(weight, bias, x)
    print(jw.shape, jb.shape)
    print(jb)
    print(func.hessian(predict, argnums=2)(weight, bias, x).shape)
    """,
    "batched_jacobian_and_hessian": _MLP + """
    xs = torch.linspace(-1.0, 1.0, 12).reshape(3, 4)
    J = func.vmap(func.jacrev(predict, argnums=2), in_dims=(None, None, 0))(weight, bias, xs)
    print(J.shape)
    print(J[1])
    H = func.hessian(lambda x: (x.sin() * x).sum())(torch.tensor([0.5, 1.0, 2.0]))
    print(H)
    """,
    "jac_tuple_outputs": """
        func = torch.func
        f = lambda x, y: (x * y, (x ** 2).sum())
        print(func.jacrev(f, argnums=(0, 1))(torch.arange(2.0), torch.ones(2)))
        print(func.jacfwd(f)(torch.arange(2.0), torch.ones(2)))
    """,
    "vmap_dims": """
        func = torch.func
        a = torch.arange(6.0).reshape(2, 3)
        print(func.vmap(torch.dot)(a, a + 1))
        print(func.vmap(lambda x: x.sum(0), in_dims=1)(a))
        print(func.vmap(lambda x: x * 2, out_dims=1)(a))
        print(func.vmap(lambda x, y: x * y, in_dims=(0, None))(a, torch.tensor([1.0, 10.0, 100.0])))
        print(func.vmap(lambda x: (x, x.sum()), out_dims=(1, 0))(a))
        print(func.vmap(func.vmap(lambda x: x ** 2))(a))
        print(func.vmap(lambda d: d["x"] + d["y"], in_dims=({"x": 0, "y": None},))(
            {"x": a, "y": torch.ones(3)}))
        print(func.vmap(lambda x, k: x * k, in_dims=(0, None))(a, 3))
    """,
    "vmap_errors": """
        func = torch.func
        for call in [
            lambda: func.vmap(lambda x, y: x + y)(torch.ones(2, 3), torch.ones(3, 3)),
            lambda: func.vmap(lambda x: x, in_dims=1)(torch.ones(2)),
            lambda: func.vmap(lambda x: None)(torch.ones(2)),
        ]:
            try:
                call()
            except Exception as e:
                print(type(e).__name__, e)
    """,
    "per_sample_grads_functional_call": _NET + """
    params = {k: v.detach() for k, v in model.named_parameters()}
    buffers = {k: v.detach() for k, v in model.named_buffers()}

    def compute_loss(params, buffers, sample, target):
        batch = sample.unsqueeze(0)
        targets = target.unsqueeze(0)
        predictions = func.functional_call(model, (params, buffers), (batch,))
        return ((predictions - targets) ** 2).mean()

    ft_compute_grad = func.grad(compute_loss)
    ft_compute_sample_grad = func.vmap(ft_compute_grad, in_dims=(None, None, 0, 0))
    g = ft_compute_sample_grad(params, buffers, data, targets)
    for k in sorted(g):
        print(k, g[k].shape)
        print(g[k])
    # Per-sample gradients equal a loop of ordinary backward passes.
    for i in range(4):
        model.zero_grad()
        loss = ((model(data[i:i+1]) - targets[i:i+1]) ** 2).mean()
        loss.backward()
        print(torch.allclose(model.w.grad, g["w"][i]), torch.allclose(model.b.grad, g["b"][i]))
    print(model.w.requires_grad, type(model.w).__name__, sorted(dict(model.named_parameters())))
    """,
    "functional_call_plain": _NET + """
    new = {"w": torch.ones(2, 3), "b": torch.zeros(2)}
    print(func.functional_call(model, new, data[:2]))
    print(func.functional_call(model, {"scale": torch.tensor(1.0)}, (data[:1],)))
    print(model(data[:1]))
    try:
        func.functional_call(model, {"w": torch.ones(2, 3)}, (data[:1],), strict=True)
    except Exception as e:
        print(type(e).__name__, e)
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_func_matches_torch(name):
    assert_same(SNIPPETS[name])


def test_concrete_value_inside_transform_is_a_clear_error():
    import torchlike

    with pytest.raises(RuntimeError, match=r"concrete value of a tensor"):
        torchlike.func.grad(lambda x: x.sum() * float(x.sum()))(torchlike.ones(2))
    with pytest.raises(RuntimeError, match=r"torchlike.func.vmap"):
        torchlike.func.vmap(lambda x: x if x.sum() > 0 else -x)(torchlike.ones(2, 2))
