"""The graph as learners inspect it, beside torch: ``next_functions`` of ``Linear``,
``retain_grad`` across in-place writes and on views, ``register_post_accumulate_grad_hook``,
and the ``torch.functional`` module."""

from __future__ import annotations

import pytest

from tests._parity import assert_same

SNIPPETS = {
    "linear_next_functions": """
        def names(fn):
            return [None if f is None else f.name() for f, _ in fn.next_functions]

        for bias in (True, False):
            for req in (True, False):
                for wreq in (True, False):
                    lin = torch.nn.Linear(3, 2, bias=bias)
                    lin.weight.requires_grad_(wreq)
                    y = lin(torch.ones(4, 3, requires_grad=req))
                    if y.grad_fn is None:
                        print(None)
                        continue
                    print(y.grad_fn.name(), names(y.grad_fn))
                    t = y.grad_fn.next_functions[-1][0]
                    if t is not None and t.name() == "TBackward0":
                        print(names(t), t.next_functions[0][0].variable is lin.weight,
                              t is y.grad_fn.next_functions[-1][0])
        x = torch.ones(4, 3, requires_grad=True)
        print(names((x * 2 + 3).grad_fn))
    """,
    "retain_grad_in_place_and_views": """
        x = torch.ones(3, 4, requires_grad=True)
        y = x * 2
        v, v2 = y[0], y.view(12)
        v.retain_grad()
        v2.retain_grad()
        (v.sum() * 3 + v2.sum()).backward()
        print(v.grad, v2.grad)

        y = x[0] * 2
        y.retain_grad()
        y.mul_(3)
        (y * 5).sum().backward()
        print(y.grad, y.grad_fn.name())

        a = torch.ones(3, requires_grad=True).clone()
        b = a[:2]
        b.retain_grad()
        a.retain_grad()
        b.mul_(2)
        (a * 7).sum().backward()
        print(a.grad, b.grad, b.retains_grad)

        a = torch.ones(3, requires_grad=True).clone()
        b = a[:2]
        b.retain_grad()
        a.mul_(2)
        (b * 5).sum().backward()
        print(b.grad, b.grad_fn.name())
    """,
    "post_accumulate_grad_hook": """
        x = torch.ones(3, requires_grad=True)

        def hook(p):
            print("hook", p is x, p.grad)
            p.grad = p.grad * 10

        x.register_hook(lambda g: print("pre", g))
        h = x.register_post_accumulate_grad_hook(hook)
        (x * 2).sum().backward()
        print(x.grad)
        h.remove()
        (x * 2).sum().backward()
        print(x.grad)
        for t in (x * 2, torch.ones(2)):
            try:
                t.register_post_accumulate_grad_hook(hook)
            except RuntimeError as e:
                print(e)
    """,
    "accumulate_grad_node_hooks": """
        x = torch.ones(2, requires_grad=True)
        y = x * 3
        acc = y.grad_fn.next_functions[0][0]
        print(acc.name(), acc.next_functions, acc.variable is x)
        acc.register_prehook(lambda go: print("acc pre", go))
        acc.register_hook(lambda gi, go: print("acc post", gi, go))
        y.sum().backward()
        z = x.exp()
        z.grad_fn.register_prehook(lambda go: (go[0] * 0,))
        z.grad_fn.register_hook(lambda gi, go: print("post", gi, go))
        z.sum().backward()
        print(x.grad)
    """,
    "torch_functional_module": """
        f = torch.functional
        print(type(f).__name__, sorted(f.__all__))
        print(all(getattr(f, n) is getattr(torch, n) for n in f.__all__))
        print(f.einsum("ij->j", torch.ones(2, 3)))
    """,
}


@pytest.mark.parametrize("name", SNIPPETS)
def test_same_as_torch(name):
    assert_same(SNIPPETS[name])
