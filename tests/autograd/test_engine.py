"""The backward engine against real torch: values, accumulation, hooks, errors, higher order."""

from __future__ import annotations

import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import torchlike
from tests._parity import assert_same

SNIPPETS = {
    "accumulate_and_zero": """
        x = torch.arange(4.0, requires_grad=True)
        y = 2 * torch.dot(x, x)
        y.backward()
        print(x.grad)
        g = x.grad
        (x * x).sum().backward()
        print(g, x.grad is g)
        x.grad.zero_()
        x.sum().backward()
        print(x.grad)
    """,
    "paths_merge": """
        x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
        a = x * 2
        b = a.exp() + a.sin() * a
        c = (b * x).sum() + a.mean()
        c.backward()
        print(x.grad)
    """,
    "detach_blocks": """
        x = torch.arange(4.0, requires_grad=True)
        y = x * x
        u = y.detach()
        z = u * x
        z.sum().backward()
        print(x.grad == u, u.requires_grad, y.requires_grad)
    """,
    "gradient_argument": """
        inp = torch.eye(4, 5, requires_grad=True)
        out = (inp + 1).pow(2).t()
        out.backward(torch.ones_like(out), retain_graph=True)
        print(inp.grad)
        out.backward(torch.ones_like(out), retain_graph=True)
        print(inp.grad)
    """,
    "second_backward_error": """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        s = (x * 2).sum()
        s.backward()
        s.backward()
    """,
    "second_backward_ok_without_saved": """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        s = (x + 1).sum()
        s.backward()
        s.backward()
        print(x.grad)
    """,
    "retain_graph": """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        s = (x * x).sum()
        s.backward(retain_graph=True)
        s.backward()
        print(x.grad)
    """,
    "no_grad_fn_error": """
        torch.tensor([1.0, 2.0]).sum().backward()
    """,
    "non_scalar_error": """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        (x * 2).backward()
    """,
    "gradient_shape_error": """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        (x * 2).backward(torch.ones(2))
    """,
    "leaf_inplace_error": """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        x.add_(1)
    """,
    "leaf_inplace_no_grad_ok": """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        with torch.no_grad():
            x.add_(1)
            x -= 0.5
        print(x, x.is_leaf)
    """,
    "int_requires_grad_tensor": """
        torch.tensor([1, 2], requires_grad=True)
    """,
    "int_requires_grad_method": """
        torch.tensor([1, 2]).requires_grad_()
    """,
    "int_requires_grad_attr": """
        t = torch.tensor([1, 2])
        t.requires_grad = True
    """,
    "saved_output_modified_via_detach": """
        x = torch.tensor([1.0, 2, 3], requires_grad=True)
        y = x.sigmoid()
        y.detach().zero_()
        print(y)
        y.sum().backward()
    """,
    "saved_output_modified_via_data": """
        x = torch.tensor([1.0, 2, 3], requires_grad=True)
        y = x.sigmoid()
        y.data.zero_()
        y.sum().backward()
        print(x.grad)
    """,
    "saved_input_modified": """
        x = torch.tensor([1.0, 2, 3], requires_grad=True)
        y = x * 2
        z = y * y
        y.detach().add_(1)
        z.sum().backward()
    """,
    "saved_leaf_modified": """
        x = torch.tensor([1.0, 2, 3], requires_grad=True)
        y = x * x
        x.detach().add_(1)
        y.sum().backward()
    """,
    "saved_exp_output_modified": """
        x = torch.ones(2, 2, requires_grad=True)
        y = x.exp()
        z = y * 3
        y.detach().mul_(2)
        z.sum().backward()
        print(x.grad)
        w = x.exp()
        w.detach().mul_(2)
        w.sum().backward()
    """,
    "nonleaf_grad_warning": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        print(y.grad)
    """,
    "retain_grad_and_hooks": """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y.retain_grad()
        h = y.register_hook(lambda g: g * 10)
        z = (y * y).sum()
        z.backward()
        print(y.grad, x.grad, y.retains_grad)
        x.register_hook(lambda g: print("leaf hook", g))
        x.grad = None
        (x * 3).sum().backward()
        print(x.grad)
    """,
    "hook_on_leaf_changes_grad": """
        w = torch.tensor([1.0, 2.0], requires_grad=True)
        w.register_hook(lambda g: g * 0)
        (w * w).sum().backward()
        print(w.grad)
    """,
    "autograd_grad": """
        x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
        z = (x * y).sum()
        gx, gy = torch.autograd.grad(z, [x, y])
        print(gx, gy, x.grad)
    """,
    "autograd_grad_unused_error": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = torch.tensor([3.0], requires_grad=True)
        torch.autograd.grad((x * 2).sum(), [x, y])
    """,
    "autograd_grad_allow_unused": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = torch.tensor([3.0], requires_grad=True)
        print(torch.autograd.grad((x * 2).sum(), [x, y], allow_unused=True))
    """,
    "create_graph_higher_order": """
        x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
        y = (x ** 3).sum()
        g, = torch.autograd.grad(y, x, create_graph=True)
        print(g)
        g2, = torch.autograd.grad(g.sum(), x, create_graph=True)
        print(g2)
        g3, = torch.autograd.grad(g2.sum(), x)
        print(g3)
    """,
    "create_graph_saved_output_ops": """
        x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
        y = (x.sigmoid() + x.tanh() + x.exp() + (x * x + 1).sqrt()).sum()
        g, = torch.autograd.grad(y, x, create_graph=True)
        g.sum().backward()
        print(g.detach(), x.grad)
    """,
    "backward_create_graph_grad_requires_grad": """
        import warnings
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        with warnings.catch_warnings():  # once per process: shown or not by test order
            warnings.simplefilter("ignore")
            (x ** 2).sum().backward(create_graph=True)
        print(x.grad.requires_grad, x.grad.detach())
        g = x.grad
        x.grad = None
        g.sum().backward()
        print(x.grad)
    """,
    "backward_inputs": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = torch.tensor([3.0, 4.0], requires_grad=True)
        (x * y).sum().backward(inputs=[y])
        print(x.grad, y.grad)
    """,
    "grad_fn_graph": """
        x = torch.ones(2, 2, requires_grad=True)
        w = torch.ones(2, 2)
        z = x * w + 2
        print(z.grad_fn.name(), z.grad_fn)
        print([None if f is None else f.name() for f, _ in z.grad_fn.next_functions])
        m = z.grad_fn.next_functions[0][0]
        print([(None if f is None else type(f).__name__, i) for f, i in m.next_functions])
        print(m.next_functions[0][0].variable is x)
    """,
    "node_hooks": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        h = y.grad_fn.register_prehook(lambda gos: (gos[0] * 10,))
        y.grad_fn.register_hook(lambda gis, gos: print("post", gis, gos))
        y.register_hook(lambda g: print("tensor hook", g))
        y.sum().backward()
        print(x.grad)
        h.remove()
        x.grad = None
        z = x * 2
        z.grad_fn.register_hook(lambda gis, gos: print("post2", gis, gos))
        (z * z).sum().backward()
        print(x.grad)
    """,
    "grad_wrt_intermediate": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        z = (y * y).sum()
        gy, gx = torch.autograd.grad(z, [y, x], retain_graph=True)
        print(gy, gx)
        print(torch.autograd.grad(z, y, grad_outputs=torch.tensor(2.0)))
    """,
    "retain_grad_accumulates": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        y.retain_grad()
        z = (y * y).sum()
        z.backward(retain_graph=True)
        z.backward()
        print(y.grad, x.grad)
    """,
    "hook_removal_and_float64": """
        x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
        h = x.register_hook(lambda g: g * 100)
        h.remove()
        (x * x).sum().backward()
        print(x.grad, x.grad.dtype)
    """,
    "materialize_grads": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = torch.tensor([3.0], requires_grad=True)
        print(torch.autograd.grad((x * 2).sum(), [x, y], materialize_grads=True))
    """,
    "detach_inplace_nonleaf": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.detach_()
        print(y.requires_grad, y.is_leaf, y.grad_fn)
        y.sum().backward()
    """,
    "grad_of_input_not_requiring_grad": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        c = torch.tensor([1.0, 2.0])
        torch.autograd.grad((x * c).sum(), c)
    """,
    "no_grad_inside_function_then_backward": """
        w = torch.tensor([2.0], requires_grad=True)
        def f(t):
            with torch.no_grad():
                scale = t * 10
            return t * scale
        out = f(w)
        print(out, out.grad_fn.next_functions)
        out.backward()
        print(w.grad)
    """,
    "multi_output_backward": """
        a = torch.tensor([1.0, 2.0], requires_grad=True)
        b = a * 3
        c = a * a
        torch.autograd.backward([b.sum(), c.sum()])
        print(a.grad)
    """,
    "grad_output_dtype_cast": """
        x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
        for f in (torch.Tensor.bfloat16, torch.Tensor.half, torch.Tensor.double, lambda t: t * 2):
            (g,) = torch.autograd.grad(f(x), x, torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64))
            print(g, g.dtype)
        x.half().backward(torch.tensor([1, 2, 3]))
        print(x.grad)
        (g,) = torch.autograd.grad(x.half(), x, torch.ones(3), create_graph=True)
        print(g)
        torch.autograd.grad(x * 2, x, torch.ones(3, dtype=torch.complex64))
    """,
    "grad_argument_counts": """
        x = torch.ones(2, requires_grad=True)
        print(torch.autograd.grad([x * 2], [x], [torch.ones(2), torch.ones(3)]))
        for args in (((), (), (x,)), ((x * 2,), ()), ((x * 2, x * 3), (x,), (x,))):
            try:
                torch.autograd.grad(*args)
            except RuntimeError as e:
                print(e)
        torch.autograd.backward([x * 2, x * 3], [torch.ones(2)])
    """,
    "max_dim_values_indices": """
        x = torch.tensor([[1.0, 5.0, 5.0], [2.0, 0.0, -1.0]], requires_grad=True)
        r = x.max(dim=1)
        print(r)
        r.values.sum().backward()
        print(x.grad)
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_engine_matches_torch(name):
    assert_same(SNIPPETS[name])


def test_long_chain_is_iterative():
    """A 100,000-node chain backpropagates without recursion (and below the recursion limit)."""
    x = torchlike.tensor([1.0, 2.0], requires_grad=True)
    y = x
    n = 100_000
    assert n > sys.getrecursionlimit()
    for _ in range(n):
        y = y * 1.0
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])


def test_stateful_backward_inside_jit():
    """Tensors can hold tracers: a stateful forward + backward traced by jax.jit gives the eager
    gradients (what torchlike.compile builds on)."""

    def step(w_arr, x_arr):
        w = torchlike.Tensor.__new__(torchlike.Tensor)
        from torchlike._dispatch import wrap

        w = wrap(w_arr)
        w.requires_grad_()
        x = wrap(x_arr)
        loss = ((x @ w).tanh() ** 2).mean()
        loss.backward()
        return loss._array, w.grad._array

    w0 = np.array([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]], np.float32)
    x0 = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]], np.float32)
    loss_j, grad_j = jax.jit(step)(jnp.asarray(w0), jnp.asarray(x0))

    w = torchlike.tensor(w0, requires_grad=True)
    loss = ((torchlike.tensor(x0) @ w).tanh() ** 2).mean()
    loss.backward()
    np.testing.assert_allclose(np.asarray(loss_j), loss.item(), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(grad_j), w.grad.numpy(), rtol=1e-6)


def test_saved_arrays_freed_after_backward():
    x = torchlike.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    node = y.grad_fn
    y.sum().backward()
    assert node._args is None and node._freed


def test_nodes_that_read_no_values_hold_no_tensors():
    """``b = a + 1`` needs no value of ``a`` for its backward: like torch, the graph must not keep
    ``a`` alive (only a node that reads it, such as ``a * a``, does)."""
    import gc
    import weakref

    x = torchlike.ones(1000, requires_grad=True)
    a = x * 2
    ref = weakref.ref(a)
    b = (a + 1).sum()
    del a
    gc.collect()
    assert ref() is None
    b.backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full(1000, 2.0, np.float32))

    a = x * 2
    ref = weakref.ref(a)
    c = (a * a).sum()
    del a
    gc.collect()
    assert ref() is not None  # MulBackward0 saved it
    c.backward()
    gc.collect()
    assert ref() is None and c.grad_fn is not None  # freed by backward, graph still alive
