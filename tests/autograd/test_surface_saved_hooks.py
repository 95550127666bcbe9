"""``torch.autograd.graph`` beside torch: ``saved_tensors_hooks`` (ops, outputs saved by their
backward, custom Functions, nesting, a bad unpack result), ``save_on_cpu``,
``disable_saved_tensors_hooks``, ``Node.register_hook`` / ``register_prehook``,
``register_multi_grad_hook`` (both modes) and ``increment_version``."""

from __future__ import annotations

import pytest

from tests._parity import assert_same

SNIPPETS = {
    "saved_tensors_hooks": """
        class Sq(torch.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                ctx.save_for_backward(t)
                return t * t

            @staticmethod
            def backward(ctx, g):
                t, = ctx.saved_tensors
                return 2 * g * t

        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        packed = []

        def pack(t):
            packed.append(t.shape)
            return ("box", t.detach() * 2)

        def unpack(p):
            print("unpack", p[0])
            return p[1]

        with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
            y = Sq.apply(x)
            z = x.exp()
            w = (x * x).sum()
            with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t * 0):
                v = x.sin()
            print((x + x).requires_grad, len(packed))
        print(len(packed), packed)
        for out in (y, z, w, v):
            out.sum().backward()
            print(x.grad)
            x.grad = None
        with torch.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: 3):
            q = x.sin()
        try:
            q.sum().backward()
        except TypeError as e:
            print(e)
        with torch.autograd.graph.save_on_cpu(pin_memory=False):
            y = (x * x.cos()).sum()
        y.backward()
        print(x.grad)
        with torch.autograd.graph.disable_saved_tensors_hooks("no hooks here"):
            for make in (lambda: torch.autograd.graph.saved_tensors_hooks(pack, unpack),
                         torch.autograd.graph.save_on_cpu):
                try:
                    with make():
                        pass
                except RuntimeError as e:
                    print(e)
    """,
    "node_and_multi_grad_hooks": """
        x = torch.ones(3, requires_grad=True)
        y = x * 2
        y.grad_fn.register_hook(lambda gi, go: print("post", gi, go))
        h = y.grad_fn.register_prehook(lambda go: print("pre", go))
        y.sum().backward()
        h.remove()
        y = x * 2
        y.grad_fn.register_prehook(lambda go: (go[0] * 10,))
        y.sum().backward()
        print(x.grad)

        a = torch.ones(2, requires_grad=True)
        b = torch.ones(2, requires_grad=True)
        h = torch.autograd.graph.register_multi_grad_hook((a, b), lambda gs: print("all", gs))
        (a * 2 + b).sum().backward()
        (a * 3).sum().backward()
        c = a * 5
        torch.autograd.graph.register_multi_grad_hook((a, c), lambda g: print("any", g),
                                                      mode="any")
        a.register_hook(lambda g: print("a", g))
        (c * 2 + a).sum().backward()
        h.remove()
        (a * 3).sum().backward()
        try:
            torch.autograd.graph.register_multi_grad_hook((a,), print, mode="some")
        except ValueError as e:
            print(e)
    """,
    "increment_version": """
        t = torch.ones(2)
        u = torch.ones(2)
        print(t._version)
        torch.autograd.graph.increment_version(t)
        torch.autograd.graph.increment_version([t, u])
        print(t._version, u._version)
        x = torch.ones(2, requires_grad=True)
        y = x.exp()
        torch.autograd.graph.increment_version(y)
        try:
            y.sum().backward()
        except RuntimeError as e:
            print(e)
    """,
}


@pytest.mark.parametrize("name", SNIPPETS)
def test_same_as_torch(name):
    assert_same(SNIPPETS[name])
