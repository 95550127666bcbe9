"""``autograd.Function`` against real torch: tutorial examples, ctx API, errors, double backward."""

from __future__ import annotations

import pytest

from tests._parity import assert_same

SNIPPETS = {
    # "Learning PyTorch with Examples": MyReLU.
    "my_relu": """
        class MyReLU(torch.autograd.Function):
            @staticmethod
            def forward(ctx, input):
                ctx.save_for_backward(input)
                return input.clamp(min=0)

            @staticmethod
            def backward(ctx, grad_output):
                input, = ctx.saved_tensors
                grad_input = grad_output.clone()
                grad_input[input < 0] = 0
                return grad_input

        x = torch.tensor([[-1.0, 2.0, 0.5], [3.0, -0.25, 1.0]], requires_grad=True)
        y = MyReLU.apply(x)
        print(y)
        print(type(y.grad_fn).__name__, y.grad_fn.next_functions[0][0].name())
        (y * y).sum().backward()
        print(x.grad)
    """,
    # "Learning PyTorch with Examples": LegendrePolynomial3 fitting sin(x) for a few steps.
    "legendre_polynomial3": """
        class LegendrePolynomial3(torch.autograd.Function):
            @staticmethod
            def forward(ctx, input):
                ctx.save_for_backward(input)
                return 0.5 * (5 * input ** 3 - 3 * input)

            @staticmethod
            def backward(ctx, grad_output):
                input, = ctx.saved_tensors
                return grad_output * 1.5 * (5 * input ** 2 - 1)

        dtype = torch.float
        x = torch.linspace(-3.14159, 3.14159, 200, dtype=dtype)
        y = torch.sin(x)
        a = torch.full((), 0.0, dtype=dtype, requires_grad=True)
        b = torch.full((), -1.0, dtype=dtype, requires_grad=True)
        c = torch.full((), 0.0, dtype=dtype, requires_grad=True)
        d = torch.full((), 0.3, dtype=dtype, requires_grad=True)
        learning_rate = 5e-6
        for t in range(5):
            P3 = LegendrePolynomial3.apply
            y_pred = a + b * P3(c + d * x)
            loss = (y_pred - y).pow(2).sum()
            print(t, round(loss.item(), 2))
            loss.backward()
            with torch.no_grad():
                a -= learning_rate * a.grad
                b -= learning_rate * b.grad
                c -= learning_rate * c.grad
                d -= learning_rate * d.grad
                a.grad = None
                b.grad = None
                c.grad = None
                d.grad = None
        print([round(v.item(), 4) + 0.0 for v in (a, b, c, d)])  # + 0.0: -0.0 and 0.0 alike
    """,
    "non_tensor_args_and_needs_input_grad": """
        class Scale(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x, k, y):
                ctx.k = k
                print(ctx.needs_input_grad)
                return x * k + y

            @staticmethod
            def backward(ctx, g):
                return g * ctx.k, None, g

        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = torch.tensor([1.0, 2.0])
        z = Scale.apply(x, 3.0, y)
        print(z, len(z.grad_fn.next_functions), z.grad_fn.next_functions[1])
        z.sum().backward()
        print(x.grad, y.grad)
        print(Scale.apply(y, 2.0, y))
        with torch.no_grad():
            print(Scale.apply(x, 2.0, y))
    """,
    "setup_context_style_multiple_outputs": """
        class Split(torch.autograd.Function):
            @staticmethod
            def forward(x, k):
                return x * k, (x * 2).long(), x.exp()

            @staticmethod
            def setup_context(ctx, inputs, output):
                x, k = inputs
                ctx.k = k
                ctx.mark_non_differentiable(output[1])
                ctx.save_for_backward(output[2])
                ctx.set_materialize_grads(False)

            @staticmethod
            def backward(ctx, g, g_int, g_exp):
                print("backward got", g, g_int, g_exp)
                e, = ctx.saved_tensors
                out = g * ctx.k
                if g_exp is not None:
                    out = out + g_exp * e
                return out, None

        x = torch.tensor([0.5, 1.0], requires_grad=True)
        a, b, c = Split.apply(x, 3.0)
        print(a, b, c)
        a.sum().backward(retain_graph=True)
        print(x.grad)
        (a + c).sum().backward()
        print(x.grad)
    """,
    "materialized_zeros_and_mark_non_differentiable": """
        class Two(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                y = x.clone()
                z = x * 3
                ctx.mark_non_differentiable(z)
                return y, z

            @staticmethod
            def backward(ctx, g, g2):
                print("backward got", g, g2)
                return g * 2

        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y, z = Two.apply(x)
        print(y, z, z.requires_grad)
        y.sum().backward()
        print(x.grad)
    """,
    "returned_input_is_new_tensor": """
        class Ident(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x

            @staticmethod
            def backward(ctx, g):
                return g * 10

        x = torch.tensor([1.0, 2.0], requires_grad=True)
        o = Ident.apply(x)
        print(o, o is x, x.grad_fn, o.is_leaf)
        o.sum().backward()
        print(x.grad)
    """,
    "mark_dirty": """
        class Double_(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                x.mul_(2)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return 2 * g

        x = torch.tensor([1.0, 2.0], requires_grad=True)
        w = x.clone()
        o = Double_.apply(w)
        print(o is w, o, w)
        o.sum().backward()
        print(x.grad)
        Double_.apply(x)
    """,
    "second_backward_frees_saved": """
        class Sq(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return 2 * x * g

        x = torch.tensor([1.0, 2.0], requires_grad=True)
        s = Sq.apply(x).sum()
        s.backward(retain_graph=True)
        s.backward()
        print(x.grad)
        s.backward()
    """,
    "saved_input_modified_in_place": """
        class Sq(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return 2 * x * g

        x = torch.tensor([1.0, 2.0], requires_grad=True)
        a = x * 1
        o = Sq.apply(a)
        a.add_(1)
        o.sum().backward()
    """,
    "saved_output_modified_in_place": """
        class Ex(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                o = x.exp()
                ctx.save_for_backward(o)
                return o

            @staticmethod
            def backward(ctx, g):
                o, = ctx.saved_tensors
                return g * o

        x = torch.tensor([1.0, 2.0], requires_grad=True)
        o = Ex.apply(x)
        print(o.grad_fn.saved_tensors[0])
        o.add_(1)
        o.sum().backward()
    """,
    "wrong_number_of_grads": """
        class G(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g, g

        x = torch.tensor([1.0, 2.0], requires_grad=True)
        G.apply(x).sum().backward()
    """,
    "extra_none_grads_ignored": """
        class G(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g * 2, None, None

        x = torch.tensor([1.0, 2.0], requires_grad=True)
        G.apply(x).sum().backward()
        print(x.grad)
    """,
    "grad_for_non_tensor": """
        class G(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x, k):
                return x * k

            @staticmethod
            def backward(ctx, g):
                return g, g

        x = torch.tensor([1.0, 2.0], requires_grad=True)
        G.apply(x, 2).sum().backward()
    """,
    "grad_of_wrong_shape": """
        class G(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g[:1]

        x = torch.tensor([1.0, 2.0], requires_grad=True)
        G.apply(x).sum().backward()
    """,
    "broadcast_grad_summed": """
        class G(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x.sum()

            @staticmethod
            def backward(ctx, g):
                return g * torch.ones(3, 2)

        x = torch.tensor([[1.0, 2.0]], requires_grad=True)
        G.apply(x).backward()
        print(x.grad)
    """,
    "double_backward": """
        class Cube(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 3

            @staticmethod
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return g * 3 * x ** 2

        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = Cube.apply(x)
        g, = torch.autograd.grad(y.sum(), x, create_graph=True)
        print(g)
        g.sum().backward()
        print(x.grad)
    """,
    "once_differentiable": """
        class Cube(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x ** 3

            @staticmethod
            @torch.autograd.function.once_differentiable
            def backward(ctx, g):
                x, = ctx.saved_tensors
                return g * 3 * x ** 2

        x = torch.tensor([1.0, 2.0], requires_grad=True)
        g, = torch.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
        print(g)
    """,
    "instantiating_and_calling": """
        class G(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g

        G()(torch.ones(2))
    """,
    "hooks_on_custom_node": """
        class G(torch.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                return x * 2

            @staticmethod
            def backward(ctx, g):
                return g * 2

        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = G.apply(x)
        y.register_hook(lambda g: print("tensor hook", g))
        y.grad_fn.register_hook(lambda gi, go: print("node hook", gi, go))
        (y * 3).sum().backward()
        print(x.grad)
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_function_matches_torch(name):
    assert_same(SNIPPETS[name])
