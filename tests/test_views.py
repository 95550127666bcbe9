"""Views that write through, and indexing writes, against torch: values, ``_base``, strides,
contiguity, grad_fn names and gradients, version-counter errors."""

from __future__ import annotations

import pytest

from tests._parity import assert_same

SNIPPETS = {
    "view_ops_share_base": """
        x = torch.arange(24.).reshape(2, 3, 4)
        views = {
            "view": x.view(6, 4), "reshape": x.reshape(4, 6), "flatten": x.flatten(),
            "flatten1": x.flatten(1), "unflatten": x.unflatten(2, (2, 2)), "t": x[0].t(),
            "T": x.T, "mT": x.mT, "transpose": x.transpose(0, 2), "permute": x.permute(1, 0, 2),
            "squeeze": x[:, :1].squeeze(), "squeeze1": x[:, :1].squeeze(1),
            "unsqueeze": x.unsqueeze(1), "expand": x[:, :1].expand(2, 5, 4),
            "narrow": x.narrow(2, 1, 2), "select": x.select(1, 2), "getitem": x[1, ::2, 1:],
            "none": x[None, :, 1], "ellipsis": x[..., 0], "diagonal": x.diagonal(0, 1, 2),
            "diagonal_off": x.diagonal(1, 1, 2), "diagonal_neg": x[0].diagonal(-1),
            "detach": x.detach(), "view_as": x.view_as(x), "swapaxes": x.swapaxes(0, 1),
        }
        for k, v in views.items():
            print(k, v._base is x, v.shape, v.stride(), v.storage_offset(), v.is_contiguous())
        for i, u in enumerate(x.unbind(1)):
            print("unbind", i, u._base is x, u.stride(), u.storage_offset())
        for i, u in enumerate(x.split(3, 2)):
            print("split", i, u._base is x, u.shape, u.stride(), u.storage_offset())
        for i, u in enumerate(x.chunk(2, 1)):
            print("chunk", i, u._base is x, u.shape, u.stride(), u.storage_offset())
        for i, u in enumerate(x.split([1, 3], 2)):
            print("split_sizes", i, u.shape, u.storage_offset())
    """,
    "reshape_copies_when_torch_does": """
        m = torch.arange(12.).reshape(3, 4)
        r = m.t().reshape(12)
        print(r._base, r.is_contiguous(), r)
        r[0] = 100
        print(m[0, 0])
        print(m.t().contiguous()._base, m.contiguous() is m, m.t().is_contiguous())
        try:
            m.t().view(12)
        except RuntimeError as e:
            print(e)
        print(m[:, 1:3].reshape(6)._base is None, m[1:].reshape(8)._base is m)
        print(m[:, :1].reshape(3)._base is m, m[:, :1].reshape(3).stride())
        print(torch.zeros(2, 1, 3).transpose(0, 1).view(2, 3).stride())
        print(torch.zeros(4, 6)[:, ::2].view(4, 3).stride())
        print(torch.zeros(0, 3).view(3, 0).stride())
        print(torch.zeros(2, 3, 4).permute(1, 0, 2)[0].reshape(8).stride())
    """,
    "write_through_each_view": """
        def fresh():
            return torch.zeros(2, 3, 4)
        cases = {
            "view": lambda x: x.view(6, 4)[2], "reshape": lambda x: x.reshape(24)[5:9],
            "flatten": lambda x: x.flatten(1)[1],
            "unflatten": lambda x: x.unflatten(2, (2, 2))[0, 1, 1],
            "t": lambda x: x[1].t()[3], "T": lambda x: x.T[0],
            "transpose": lambda x: x.transpose(0, 2)[1],
            "permute": lambda x: x.permute(2, 0, 1)[3], "squeeze": lambda x: x[:, 1:2].squeeze(1),
            "unsqueeze": lambda x: x.unsqueeze(0)[0, 1], "narrow": lambda x: x.narrow(1, 1, 2),
            "select": lambda x: x.select(2, 3), "getitem": lambda x: x[:, ::2, 1::2],
            "diagonal": lambda x: x.diagonal(0, 1, 2), "unbind": lambda x: x.unbind(2)[1],
            "split": lambda x: x.split(2, 1)[1], "chunk": lambda x: x.chunk(2, 2)[0],
            "detach": lambda x: x.detach()[1],
        }
        for k, f in cases.items():
            x = fresh()
            v = f(x)
            v.add_(torch.ones(v.shape) * 2)
            v.mul_(3)
            print(k, x.sum().item(), (x != 0).nonzero().tolist()[:6], x._version)
    """,
    "write_to_base_seen_by_views": """
        x = torch.zeros(3, 4)
        a, b, c, d = x[1], x.t(), x.view(12), x[:, 2:]
        x.add_(torch.arange(12.).view(3, 4))
        print(a, b, c, d, sep="\\n")
        x[0, 0] = -1
        c[11] = 99
        print(a, b[0], d, x, sep="\\n")
        v2 = a[1:3]
        v2.fill_(7)
        print(x, v2._base is x, a._version, x._version)
        x.zero_()
        print(v2, d.sum())
    """,
    "views_of_views_and_ptrs": """
        x = torch.arange(12.).view(3, 4)
        y = x[1:]
        z = y.t()[1:]
        print(z._base is x, z.stride(), z.storage_offset(), z.data_ptr() - x.data_ptr())
        z.fill_(0)
        print(x)
        print(x.untyped_storage().data_ptr() == z.untyped_storage().data_ptr())
    """,
    "expand_write_error": """
        e = torch.ones(3).expand(2, 3)
        try:
            e.add_(1)
        except RuntimeError as err:
            print(err)
        f = torch.ones(3, 1).expand(3, 1)
        f.add_(1)
        print(f)
    """,
    "autograd_through_views": """
        a = torch.arange(12.).reshape(3, 4).mul(0.5).requires_grad_()
        for f in (lambda t: t.view(12)[3:9], lambda t: t.t()[1], lambda t: t.diagonal(),
                  lambda t: t.unbind(1)[2], lambda t: t.split([1, 3], 1)[1],
                  lambda t: t.narrow(0, 1, 2),
                  lambda t: t.unflatten(1, (2, 2))[:, 1], lambda t: t[None, ..., 2]):
            out = f(a)
            w = torch.arange(float(out.numel())).view(out.shape)
            g, = torch.autograd.grad((out * w).sum(), a)
            print(out.grad_fn.name(), g)
    """,
    "inplace_on_view_autograd": """
        a = torch.arange(12.).reshape(3, 4).mul(0.1).requires_grad_()
        k = torch.tensor([0.5, -1., 2., 0.25], requires_grad=True)
        x = a.clone()
        y, z, w = x[0], x[1], x.t()
        y.add_(1)
        print(x.grad_fn.name(), [(n.name() if n else None) for n, _ in x.grad_fn.next_functions])
        print(y.grad_fn.name(), z.grad_fn.name(), w.grad_fn.name())
        x[1] = k * 2
        print(x.grad_fn.name(), [(n.name() if n else None) for n, _ in x.grad_fn.next_functions])
        w[3].mul_(k[:3])
        z.exp_()
        x[2, 1:3] = 5
        (x * torch.arange(12.).view(3, 4)).sum().backward()
        print(a.grad, k.grad, sep="\\n")
    """,
    "base_inplace_regenerates_views": """
        a = torch.tensor([1., -2., 3., 0.5], requires_grad=True)
        b = a.clone()
        v = b[:2]
        b.mul_(2)
        print(v.grad_fn.name(), v)
        v.sum().backward()
        print(a.grad)
    """,
    "version_counter_through_view": """
        a = torch.tensor([0.5, 1., 2.], requires_grad=True)
        b = a.clone()
        v = b[1:]
        y = b.exp()
        s = b * b
        v.mul_(2)
        print(b._version, v._version)
        try:
            s.sum().backward()
        except RuntimeError as e:
            print(e)
        try:
            y.sum().backward()
        except RuntimeError as e:
            print(e)
        c = a.clone()
        e = c[0:2].exp()
        c[0] = 3
        try:
            e.sum().backward()
        except RuntimeError as err:
            print(err)
    """,
    "leaf_view_errors": """
        l = torch.ones(3, requires_grad=True)
        for f in (lambda: l.__setitem__(0, 2), lambda: l.view(3).add_(1), lambda: l[1:].zero_(),
                  lambda: l.add_(1)):
            try:
                f()
            except RuntimeError as e:
                print(e)
        with torch.no_grad():
            l[0] = 5
            l[1:].mul_(3)
        print(l, l.grad_fn, l.is_leaf)
    """,
    "setitem_basic": """
        x = torch.zeros(4, 5)
        x[0] = 1
        x[1, 2] = 2.5
        x[2, ::2] = torch.tensor([7., 8., 9.])
        x[:, -1] = torch.arange(4.)
        x[..., 1] = torch.tensor(3)
        x[3:, None] = torch.tensor([[1., 2, 3, 4, 5]])
        x[1:3, 1:4] = torch.ones(3) * 6
        print(x)
        i = torch.zeros(2, 3, dtype=torch.int64)
        i[0] = 2.7
        i[1, 1:] = torch.tensor([True, False])
        print(i)
        b = torch.zeros(3, dtype=torch.bool)
        b[1] = 1
        print(b)
    """,
    "setitem_advanced": """
        x = torch.zeros(4, 5)
        x[torch.tensor([0, 2])] = 1
        x[[1, 3], [0, 4]] = torch.tensor([5., 6.])
        x[torch.tensor([[0], [3]]), torch.tensor([1, 2])] = 9
        x[x > 5] = -1
        x[torch.tensor([True, False, True, False]), 3] = 4
        print(x)
        X = torch.arange(12.).view(3, 4)
        mask = X < 5
        X[~mask] = -1e6
        print(X)
        y = torch.arange(6.)
        y[y > 2] = torch.tensor([10., 20., 30.])
        y[torch.tensor([1, -1])] += 100
        print(y)
        z = torch.zeros(2, 3)
        z[:, [0, 2]] = torch.tensor([[1., 2.], [3., 4.]])
        z[torch.tensor([1]), 1:] = 7
        print(z)
    """,
    "setitem_autograd": """
        a = torch.linspace(-1., 1., 12).view(4, 3).mul(1.0).requires_grad_()
        v = torch.tensor([0.3, 0.9, -0.2], requires_grad=True)
        x = a * 1
        x[torch.tensor([0, 2])] = v
        print(x.grad_fn.name(), [(n.name() if n else None) for n, _ in x.grad_fn.next_functions])
        x[x > 0.5] = 0
        print(x.grad_fn.name())
        w = torch.arange(12.).view(4, 3)
        (x * w).sum().backward()
        print(a.grad, v.grad, sep="\\n")
        b = torch.tensor([1., -20., 3.], requires_grad=True)
        s = torch.tensor(2.5, requires_grad=True)
        y = b.clone()
        y[y > -10] = s
        y.sum().backward()
        print(b.grad, s.grad)
    """,
    "setitem_errors": """
        x = torch.zeros(3, 4)
        for key, val in ((5, 1.0), ((0, 9), 1.0), (torch.tensor([5]), 1.0)):
            try:
                x[key] = val
            except IndexError as e:
                print(e)
        try:
            x[0] = torch.ones(3)
        except RuntimeError as e:
            print(e)
    """,
    "setitem_broadcast": """
        x = torch.zeros(3, 4)
        for v in (torch.ones(3), torch.ones(2, 4), torch.ones(1, 4), torch.ones(1, 1, 4),
                  torch.ones(()), torch.ones(4, 1), torch.ones(1, 3, 1)):
            for k in (0, (slice(None), 1), slice(0, 2)):
                try:
                    x[k] = v * (k == 0 and 2 or 3)
                    print(x.sum())
                except RuntimeError as e:
                    print(e)
        y = torch.zeros(3, 4, requires_grad=True) * 1
        w = torch.ones(1, 4, requires_grad=True)
        y[0] = w
        y.sum().backward()
        print(y.grad_fn.name(), w.grad)
    """,
    "copy_broadcast_dtype": """
        x = torch.zeros(2, 3)
        x.copy_(torch.tensor([1, 2, 3]))
        print(x)
        x[0].copy_(torch.tensor(True))
        print(x)
        i = torch.zeros(3, dtype=torch.int32)
        i.copy_(torch.tensor([1.7, -2.2, 3.9]))
        print(i)
        a = torch.tensor([0.5, 1., 2.], requires_grad=True)
        y = torch.zeros(2, 3)
        y.copy_(a)
        y.sum().backward()
        print(y.grad_fn.name(), a.grad)
    """,
    "inplace_view_ops": """
        x = torch.zeros(2, 3)
        print(x.unsqueeze_(0).shape, x.squeeze_().shape, x.t_().shape)
        w = torch.zeros(2, 3)
        print(w.t_().stride(), w.is_contiguous(), w.unsqueeze_(1).shape)
        y = torch.arange(6.).view(2, 3)
        y.transpose_(0, 1)
        print(y, y.is_contiguous())
    """,
    "contiguous_and_iteration": """
        x = torch.arange(6.).view(2, 3)
        for row in x:
            row[0] = -1
        print(x)
        for i, col in enumerate(x.t()):
            col.add_(i)
        print(x)
    """,
    "more_views": """
        x = torch.arange(24.).reshape(2, 3, 4)
        y = torch.arange(24., requires_grad=True).reshape(2, 3, 4)
        outs = (y.movedim(0, 2), y.moveaxis(0, 1), torch.movedim(y, (0, 1), (2, 0)), y.ravel(),
                y.broadcast_to((3, 2, 3, 4)), y.unfold(2, 2, 1), y.unfold(1, 2, 2),
                y.tensor_split(3, dim=2)[0], y.hsplit(3)[1], y.vsplit([1])[1], y.dsplit(2)[0],
                y.swapdims(0, 1), y.split_with_sizes([1, 2], 1)[1], y.as_strided((2, 2), (1, 2)),
                y.transpose(0, 1).ravel(), y[1].as_strided((2, 3), (4, 1), 13))
        for t in outs:
            print(t.grad_fn.name(), t.shape, t.stride(), t.storage_offset(), t._base is not None)
            print(t)
        g, = torch.autograd.grad(sum((t * torch.arange(float(t.numel())).view(t.shape)).sum()
                                      for t in outs), y)
        print(g)
        print(torch.arange(7).tensor_split(3), torch.arange(7).tensor_split([1, 5]))
        print(torch.tensor(3).unfold(0, 1, 1))
        z = torch.zeros(6)
        w = z.unfold(0, 2, 2)
        w[1].fill_(5)
        z.as_strided((2,), (3,), 1).add_(1)
        print(z, w)
        for f in (lambda: x.unfold(2, 5, 1), lambda: x.unfold(2, 2, 0), lambda: x.hsplit(2),
                  lambda: torch.ones(3).vsplit(1), lambda: x.movedim((0, 1), 2)):
            try:
                f()
            except RuntimeError as e:
                print(e)
    """,
    "index_put_real_conj": """
        x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
        print(x.real is x, x.conj() is x, torch.conj(x) is x, torch.real(x) is x)
        try:
            x.imag
        except RuntimeError as e:
            print(e)
        y = x.detach().clone()
        print(y.index_put_((torch.tensor([0, 1]), torch.tensor([1, 0])), torch.tensor([9., 8.])))
        print(y.index_put_((torch.tensor([0, 0]),), torch.tensor(1.), accumulate=True))
        print(torch.index_put(y, (torch.tensor([1]),), torch.tensor([5., 6.])), y)
        z = x * 1
        z2 = z.index_put((torch.tensor([0]),), torch.tensor([7., 7.]))
        print(z2.grad_fn.name())
        z2.sum().backward()
        print(x.grad)
        try:
            y.index_put_((torch.tensor([0]),), torch.ones(3))
        except RuntimeError as e:
            print(e)
    """,
    "as_strided_partial_views": """
        base = torch.arange(20.)
        v = base[5:15]
        for offset in (None, 0, 10, 16):
            w = v.as_strided((2, 2), (1, 2), *([] if offset is None else [offset]))
            print(w, w.storage_offset(), w._base is base)
        print(v.t().as_strided((3,), (2,)), base[2:].view(2, 9)[1].as_strided((2, 2), (3, 1), 1))
        y = torch.arange(20., requires_grad=True)
        for offset in (0, 3, 12):
            w = y[5:15].as_strided((2, 2), (1, 2), offset)
            g, = torch.autograd.grad((w * torch.tensor([[1., 2.], [3., 4.]])).sum(), y)
            print(w.grad_fn.name(), g.tolist())
        leaf = torch.arange(20.)[5:15].requires_grad_()
        for offset in (0, 3, 12):
            w = leaf.as_strided((2, 2), (1, 2), offset)
            g, = torch.autograd.grad((w * torch.tensor([[1., 2.], [3., 4.]])).sum(), leaf)
            print(w.grad_fn.name(), w.tolist(), g.tolist())
        z = torch.view_as_real(torch.zeros(3, dtype=torch.complex64))
        print(z.as_strided((6,), (1,)).shape, v.as_strided((0,), (1,), 100).shape)
        for size, stride, offset in [((2, 2), (1, 2), 17), ((2, 2), (1,), 0), ((2,), (-1,), 0),
                                     ((2, 2), (1, 2), -1), ((4,), (6,), 0), ((7,), (1,), 0)]:
            try:
                (z if size == (7,) else v).as_strided(size, stride, offset)
            except RuntimeError as e:
                print(e)
    """,
}


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_views_match_torch(name):
    assert_same(SNIPPETS[name])
