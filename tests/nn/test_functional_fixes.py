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
        # the in-place overloads cannot invert a negative slope: their backward refuses it
        for f in (lambda y: F.leaky_relu_(y, -0.5), lambda y: F.celu(y, -1.0, inplace=True),
                  lambda y: F.elu_(y, -2.0)):
            x = data(2, 5)
            y = f(x * 1)
            print(y.grad_fn.name(), torch.is_grad_enabled() and y.requires_grad)
            try:
                y.sum().backward()
            except RuntimeError as e:
                print(e)
    """,
    "conv_errors": """
        r = lambda *s, dt=torch.float32: torch.ones(*s, dtype=dt)
        calls = [
            lambda: F.conv2d(r(1, 2, 5, 5, dt=torch.int64), r(3, 2, 3, 3), r(3, dt=torch.float64)),
            lambda: F.conv1d(r(1, 2, 5), r(3, 2, 3), r(3, dt=torch.complex64)),
            lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3, dt=torch.float64)),
            # a float32/bfloat16 batch of more than one: mkldnn's wording and type names
            lambda: F.conv2d(r(2, 2, 5, 5), r(3, 2, 3, 3, dt=torch.float64)),
            lambda: F.conv3d(r(2, 2, 5, 5, 5), r(3, 2, 3, 3, 3, dt=torch.bool)),
            lambda: F.conv_transpose1d(r(2, 2, 5, dt=torch.bfloat16), r(2, 3, 3)),
            lambda: F.conv2d(r(2, 2, 5, 5), r(3, 2, 3, 3, dt=torch.complex128)),
            lambda: F.conv2d(r(2, 2, 5, 5, dt=torch.float16), r(3, 2, 3, 3)),
            lambda: F.conv1d(r(1, 2, 5, dt=torch.complex64), r(3, 2, 3)),
            lambda: F.conv2d(r(5, 5), r(3, 2, 3, 3)),
            lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2)),
            lambda: F.conv3d(r(1, 2, 5, 5, 5), r(3, 2, 3, 3, 3), groups=0),
            lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3), padding=-1, stride=-1),
            lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3), stride=0, dilation=-1),
            lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3), dilation=-1),
            lambda: F.conv1d(r(1, 2, 5), r(3, 2, 3), dilation=0),
            lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3), padding=1),
            lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3), padding="same"),
            lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3), groups=4),
            lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3), groups=2),
            lambda: F.conv2d(r(1, 3, 5, 5), r(3, 2, 3, 3)),
            lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3), r(3, 1)),
            lambda: F.conv2d(r(1, 2, 2, 5), r(3, 2, 3, 3)),
            lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3), padding=(1, 1, 1)),
            lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3), padding="same", stride=2),
            lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3), padding="same", dilation=(1, 1, 1)),
            lambda: F.conv1d(r(1, 2, 5), r(3, 2, 3), padding="same", dilation=-1),
            lambda: F.conv2d(r(1, 2, 5, 5), r(3, 2, 3, 3), padding="foo"),
            lambda: F.conv_transpose2d(r(1, 2, 5, 5), r(2, 3, 3, 3), output_padding=-1),
            lambda: F.conv_transpose3d(r(1, 2, 5, 5, 5), r(2, 3, 3, 3, 3), dilation=0),
            lambda: F.conv_transpose1d(r(1, 2, 5), r(2, 3, 3), output_padding=2),
            lambda: F.conv_transpose2d(r(1, 2, 5, 5), r(2, 3, 3, 3), r(4)),
            lambda: F.conv_transpose2d(r(2, 5, 5, 2, 2), r(2, 3, 3, 3)),
            lambda: torch.convolution(r(2, 5, 5), r(3, 2, 3, 3), None, [1], [0], [1], False, [0],
                                      1),
            lambda: F.conv1d(r(1, 2, 5) > 0, r(3, 2, 3) > 0),
            lambda: F.conv3d(r(1, 2, 5, 5, 5) > 0, r(3, 2, 3, 3, 3) > 0),
            lambda: F.conv2d(r(1, 2, 5, 5) > 0, r(3, 2, 3, 3) > 0, dilation=2),
            lambda: F.conv_transpose1d(r(1, 2, 5) > 0, r(2, 3, 3) > 0),
            lambda: F.conv_transpose3d(r(1, 2, 5, 5, 5) > 0, r(2, 3, 3, 3, 3) > 0),
            lambda: torch.convolution(r(1, 2, 5, 5), r(3, 2, 3, 3), None, [1], [0], [1], False,
                                      [0, 0, 0], 1),
        ]
        for f in calls:
            try:
                f()
            except Exception as e:
                print(type(e).__name__, e)
        x = data(1, 2, 5)
        y = F.conv1d(x, data(3, 2, 4), padding="same")
        print(y.grad_fn.name(), [n[0] and n[0].name() for n in y.grad_fn.next_functions])
        y.sum().backward()
        print(y, x.grad)
        y = F.conv_transpose2d(r(1, 2, 5, 5), r(2, 3, 3, 3), r(3, dt=torch.float64))
        print(y.dtype, y.shape)
    """,
    "norm_and_prelu_errors": """
        r = lambda *s, dt=torch.float32: torch.ones(*s, dtype=dt)
        calls = [
            lambda: F.group_norm(r(3), 1), lambda: torch.group_norm(r(3), 1),
            lambda: F.group_norm(r(1, 2), 2), lambda: F.group_norm(r(2, 4), 0),
            lambda: torch.group_norm(r(2, 4), 0), lambda: torch.group_norm(r(2, 3), 2),
            lambda: torch.group_norm(r(2, 4), 2, r(3)),
            lambda: torch.group_norm(r(2, 4), 2, None, r(3)),
            lambda: F.batch_norm(r(1, 2), None, None, training=True),
            lambda: F.prelu(r(), r(2)), lambda: F.prelu(r(2, 8, 3), r(2, 4)),
            lambda: F.prelu(r(2, 8, 3), r(8, dt=torch.float64)), lambda: F.prelu(r(2, 8, 3), r(3)),
            lambda: F.prelu(r(2, 3, dt=torch.int64), r(1, dt=torch.int64)),
        ]
        for f in calls:
            try:
                f()
            except Exception as e:
                print(type(e).__name__, e)
        print(F.prelu(r(), r(1)).shape, F.prelu(data(3), data(1)))
    """,
    "sdpa_paths": """
        q, k, v = data(2, 3, 4, 8), data(2, 3, 6, 8), data(2, 3, 6, 8)
        calls = {
            "plain": lambda: F.scaled_dot_product_attention(q, k, v),
            "mask_grad": lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=data(4, 6)),
            "mask": lambda: F.scaled_dot_product_attention(q, k, v, data(4, 6, grad=False)),
            "mask4": lambda: F.scaled_dot_product_attention(q, k, v, data(1, 3, 4, 6, grad=False)),
            "mask3": lambda: F.scaled_dot_product_attention(q, k, v, data(3, 4, 6, grad=False)),
            "bool": lambda: F.scaled_dot_product_attention(q, k, v, torch.ones(4, 6) > 0),
            "vdim": lambda: F.scaled_dot_product_attention(q, k, data(2, 3, 6, 5)),
            "gqa": lambda: F.scaled_dot_product_attention(data(2, 6, 4, 8), k, v, enable_gqa=True),
            "stride": lambda: F.scaled_dot_product_attention(data(2, 3, 8, 4).transpose(-1, -2),
                                                             k, v),
            "batch": lambda: F.scaled_dot_product_attention(data(1, 3, 4, 8), k, v),
            "3d": lambda: F.scaled_dot_product_attention(data(3, 4, 8), data(3, 6, 8),
                                                         data(3, 6, 8)),
            "dropout": lambda: F.scaled_dot_product_attention(q, k, v, dropout_p=0.5),
            "empty_keys": lambda: F.scaled_dot_product_attention(q, data(2, 3, 0, 8),
                                                                 data(2, 3, 0, 5)),
            "empty_queries": lambda: F.scaled_dot_product_attention(data(2, 3, 0, 8), k, v),
        }
        for name, f in calls.items():
            y = f()
            print(name, y.grad_fn.name(), tuple(y.shape), y.grad_fn.next_functions[1:])
            if name not in ("dropout", "stride", "mask_grad"):
                y.sum().backward()
                print(y, q.grad)
                q.grad = None
        # dropout: a fraction p of the weights is zeroed, the rest scaled by 1 / (1 - p)
        q, k, v = torch.ones(64, 4, 8, 8), torch.ones(64, 4, 8, 8), torch.eye(8).expand(64, 4, 8, 8)
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=0.25, is_causal=True)
        ref = F.scaled_dot_product_attention(q, k, v, is_causal=True) / 0.75
        kept = y != 0
        dropped = (ref != 0).sum() - kept.sum()
        print(torch.equal(y[kept], ref[kept]), 0.2 < dropped / (ref != 0).sum() < 0.3)
        # the keep-mask is drawn as torch's dropout draws it: seeded, the same values
        torch.manual_seed(7)
        q, k, v = data(2, 3, 4, 8), data(2, 3, 6, 8), data(2, 3, 6, 5)
        y = F.scaled_dot_product_attention(q, k, v, dropout_p=0.3, is_causal=True)
        y.sum().backward()
        print(y, q.grad, v.grad)
        mha = torch.nn.MultiheadAttention(8, 2, dropout=0.4)
        torch.manual_seed(8)
        print(mha(data(4, 1, 8), data(6, 1, 8), data(6, 1, 8))[1])
    """,
    "linear_cross_entropy": """
        opts = torch.nn.LinearCrossEntropyOptions(batch_chunk_size=2)
        t = torch.tensor([0, 4, 2, -100, 1])
        cases = [
            dict(), dict(reduction="sum"), dict(reduction="none"), dict(ignore_index=2),
            dict(weight=torch.linspace(0.5, 1.5, 5)), dict(linear_bias=data(5)),
        ]
        for options in (None, opts):
            for kw in cases:
                x, w = data(5, 3), data(5, 3)
                y = F.linear_cross_entropy(x, w, t, options=options, **kw)
                print(y.grad_fn.name(), y)
                y.sum().backward()
                print(x.grad, w.grad)
            x, w = data(3), data(5, 3)
            y = F.linear_cross_entropy(x, w, t[1], options=options)
            print(y.grad_fn.name(), y)
        x, w = data(4, 3), data(2, 3, 3)
        for target in (torch.tensor([[0, 1, 1], [1, 0, 1], [0, 0, 0], [1, 1, 1]]),
                       data(4, 2, 3, grad=False).softmax(1)):
            y = F.linear_cross_entropy(x, w, target, linear_bias=data(2, 3), options=opts,
                                       label_smoothing=0.1)
            print(y.grad_fn.name(), y)
        calls = [
            lambda: F.linear_cross_entropy(data(2, 3, 3), data(2, 3), t),
            lambda: F.linear_cross_entropy(data(2, 3), data(2), t),
            lambda: F.linear_cross_entropy(data(2, 3), data(2, 4), t),
            lambda: F.linear_cross_entropy(data(2, 3), data(2, 3), data(2, 2), ignore_index=0),
            lambda: F.linear_cross_entropy(data(3), data(2, 4, 3), t),
            lambda: F.linear_cross_entropy(data(2, 3), data(2, 3), t, linear_bias=data(3)),
        ]
        for f in calls:
            try:
                f()
            except RuntimeError as e:
                print(e)
        torch.manual_seed(0)
        m = torch.nn.LinearCrossEntropyLoss(3, 5, bias=True, reduction="sum")
        print(m)
        with torch.no_grad():
            m.linear.weight.copy_(data(5, 3)); m.linear.bias.copy_(data(5))
        print(m(data(5, 3), t))
    """,
    "batch_norm_double_backward": """
        for f in (lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True, eps=0.6),
                  lambda x, w, b: F.instance_norm(x, torch.zeros(2, dtype=x.dtype),
                                                  torch.ones(2, dtype=x.dtype), w, b),
                  lambda x, w, b: torch.native_batch_norm(x, w, b, None, None, True, 0.5,
                                                          0.6)[0]):
            x, w, b = data(3, 2, 4, dtype=torch.float64), data(2, dtype=torch.float64) + 2, None
            out = f(x, w, b)
            print(out.grad_fn.name(), out.grad_fn.next_functions)
            gx, gw = torch.autograd.grad(out, (x, w), torch.cos(data(3, 2, 4, grad=False)),
                                         create_graph=True)
            print(gx.grad_fn.name(), gw.grad_fn.name())
            v = data(3, 2, 4, dtype=torch.float64, grad=False)
            print(torch.autograd.grad((gx * v).sum() + gw.sum(), (x, w)))
    """,
    "embedding_errors": """
        ws = (torch.ones(()), torch.ones(2, 2, 2), torch.ones(2, 2), torch.ones(2, 2))
        idx = (torch.tensor([0]), torch.tensor([0]), torch.tensor([0.0]), torch.tensor([2]))
        for w, i in zip(ws, idx):
            try:
                F.embedding(i, w)
            except Exception as e:
                print(type(e).__name__, e)
    """,
    "interpolate_uint8": """
        torch.manual_seed(0)
        x = (data(2, 5, 23, 19, grad=False) * 127.5 + 127.5).to(torch.uint8)
        for mode in ("bilinear", "bicubic"):
            for kw in (dict(size=(11, 7)), dict(size=(31, 40)), dict(size=(23, 30)),
                       dict(size=(9, 19), align_corners=True), dict(scale_factor=1.7),
                       dict(scale_factor=0.6, align_corners=True)):
                y = F.interpolate(x, mode=mode, **kw)
                print(mode, kw, y.dtype, y.shape, y.sum(), y[1, 4, :3, :5])
        print(F.upsample_bilinear(x[:, :3, :5, :5], size=(7, 3)))
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_against_torch(name):
    assert_same(PRELUDE + SNIPPETS[name])
