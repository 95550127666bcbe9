"""Tensor attributes, Python protocol, aliasing (detach / .data) and in-place semantics,
compared with real torch."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike
from tests._parity import assert_same

SNIPPETS = {
    "attributes": """
        x = torch.ones(2, 3, requires_grad=True)
        print(x.shape, x.size(), x.size(1), x.size(-1), x.dim(), x.ndim, x.numel(), x.dtype)
        print(x.device, x.is_leaf, x.requires_grad, x.grad, x.grad_fn, x.T.shape)
        print(x.shape == (2, 3), x.shape[1:], len(x), x.element_size(), x.is_floating_point())
    """,
    "item_tolist_numpy": """
        x = torch.tensor([[1.5, 2.0], [3.0, 4.25]])
        print(x[0, 1].item(), type(x[1, 1].item()).__name__, x.tolist())
        print(torch.tensor(3).item(), type(torch.tensor(3).item()).__name__)
        print(torch.tensor(True).item(), x.numpy().dtype, x.numpy().shape)
        print(float(x[0, 0]), int(x[1, 1]), torch.tensor([7])[0].__index__())
        torch.tensor([1.0], requires_grad=True).numpy()
    """,
    "item_error": """
        torch.ones(3).item()
    """,
    "bool_errors": """
        print(bool(torch.tensor([2.0])), bool(torch.tensor(0)))
        bool(torch.ones(2))
    """,
    "bool_empty_error": """
        bool(torch.ones(0))
    """,
    "iteration_and_len": """
        x = torch.arange(6).reshape(2, 3)
        for row in x:
            print(row)
        print(len(x), list(torch.arange(3.0)))
    """,
    "len_0d_error": """
        len(torch.tensor(1.0))
    """,
    "detach_shares_storage_and_version": """
        x = torch.tensor(2.0, requires_grad=True)
        y = x.detach()
        print(x.requires_grad, y.requires_grad)
        print(x.untyped_storage().data_ptr() == y.untyped_storage().data_ptr())
        print(x)
        y.add_(10)
        print(x, x._version, y._version)
        z1 = x ** 2
        z2 = y ** 2
        print(z1, z2)
    """,
    "data_has_own_version": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        d = x.data
        d.mul_(3)
        print(x, x._version, d._version, d.requires_grad, d.is_leaf)
    """,
    "data_setter": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        x.data = torch.tensor([5.0, 6.0])
        print(x)
    """,
    "inplace_versions_and_aliases": """
        a = torch.zeros(3)
        b = a.detach()
        a += 1
        a.mul_(2)
        a.sub_(torch.tensor([1.0, 0.0, 0.0]))
        a.div_(2)
        print(a, b, a._version)
        a.fill_(7)
        print(b, b.zero_(), a)
        a.copy_(torch.tensor([1, 2, 3]))
        print(a)
    """,
    "inplace_nonleaf_records_graph": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        y = x * 1
        y.add_(3)
        print(y)
        y.mul_(2)
        print(y)
        y.sum().backward()
        print(x.grad)
    """,
    "inplace_dtype_error": """
        a = torch.tensor([1, 2])
        a.add_(1.5)
    """,
    "requires_grad_nonleaf": """
        x = torch.ones(2, requires_grad=True)
        y = x * 2
        y.requires_grad = False
    """,
    "requires_grad_setter_and_detach_": """
        a = torch.ones(2, 2)
        print(a.requires_grad)
        a.requires_grad_(True)
        print(a.requires_grad, a)
        b = (a * 2).detach_()
        print(b.requires_grad, b.grad_fn)
    """,
    "clone_keeps_graph": """
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        c = x.clone()
        print(c, c.is_leaf)
        c.sum().backward()
        print(x.grad)
    """,
    "hash_and_identity": """
        a = torch.ones(2)
        b = torch.ones(2)
        s = {a, b}
        print(len(s), a in {a: 1}, hash(a) == hash(a))
    """,
    "conversions": """
        x = torch.tensor([1.7, -2.2], requires_grad=True)
        print(x.double(), x.long(), x.int(), x.bool(), x.half(), x.float() is x)
        print(x.to(torch.float64), x.type(torch.int32), x.type(), x.to("cpu") is x)
        print(torch.tensor([1, 2]).float(), torch.tensor([1, 0]).to(torch.bool))
    """,
    "size_object": """
        s = torch.ones(2, 3, 4).shape
        print(s, str(s), s[1:], s.numel(), tuple(s), isinstance(s, tuple), s + (5,))
    """,
    "legacy_constructor": """
        print(torch.Tensor([1, 2]), torch.Tensor(2, 3).shape, torch.Tensor().shape)
        print(torch.Tensor(torch.tensor([1, 2])).dtype, isinstance(torch.ones(1), torch.Tensor))
    """,
    "numpy_keyword_aliases": """
        x = torch.tensor([[1.0, 5.0], [3.0, 2.0]])
        print(x.sum(axis=1, keepdims=True), torch.mean(x, axis=0), x.argmax(axis=1))
        print(x.max(axis=0), x.amax(axis=1, keepdims=True), x.cumsum(axis=0))
        print(torch.tensor(range(4)), x[range(2), torch.tensor([1, 0])])
    """,
    "numpy_operands": """
        import numpy as np
        x = torch.ones(2)
        print(x + np.array([1.0, 2.0]), x * np.float32(3), x - np.int64(1))
        print(np.float64(2) * x, np.float32(3) + x, np.int64(5) - x)
    """,
    "format_scalars": """
        loss = torch.tensor(0.123456)
        print(f"{loss:.3f} {loss.item():.2f}")
    """,
    "int_float_index_errors": """
        int(torch.ones(2))
    """,
    "device_object": """
        x = torch.ones(1)
        print(x.device, repr(x.device), x.device.type, x.device == torch.device("cpu"))
        print(torch.device("cpu"), torch.device("cuda", 0), torch.device("cuda:1"))
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_tensor_matches_torch(name):
    assert_same(SNIPPETS[name])


def test_data_ptr_shared_by_detach_not_by_clone():
    x = torchlike.tensor([1.0, 2.0], requires_grad=True)
    assert x.untyped_storage().data_ptr() == x.detach().untyped_storage().data_ptr()
    assert x.data_ptr() == x.data.data_ptr()
    assert x.clone().data_ptr() != x.data_ptr()


def test_array_protocol():
    x = torchlike.tensor([[1, 2], [3, 4]], dtype=torchlike.int32)
    a = np.asarray(x)
    assert a.dtype == np.int32 and a.tolist() == [[1, 2], [3, 4]]
    assert np.asarray(x, dtype=np.float64).dtype == np.float64


def test_metadata_methods_match_torch():
    from tests._parity import assert_same

    assert_same("""
        x = torch.arange(6.).reshape(2, 3)
        print(x.itemsize, x.nbytes, x.is_cpu, x.get_device(), x.is_signed())
        print(torch.ones(2, dtype=torch.uint8).is_signed(), x.is_same_size(torch.zeros(2, 3)))
        print(torch.tensor([2.]).is_nonzero(), x.is_inference(), x.is_conj(), x.resolve_conj() is x)
        for f in (lambda: x.is_nonzero(), lambda: torch.ones(0).is_nonzero()):
            try:
                f()
            except RuntimeError as e:
                print(e)
    """)


def test_out_argument_is_written_or_refused():
    from tests._parity import assert_same

    assert_same("""
        a = torch.tensor([[1., -2.], [3., 4.]])
        o = torch.empty(2, 2)
        for f in (lambda: torch.neg(a, out=o), lambda: torch.clamp(a, 0, 2, out=o),
                  lambda: torch.tril(a, out=o), lambda: torch.addcmul(a, a, a, value=0.5, out=o),
                  lambda: torch.inverse(a, out=o), lambda: torch.kron(a, a, out=torch.empty(0)),
                  lambda: torch.hstack([a, a], out=torch.empty(2, 4))):
            r = f()
            print(r, r is o)
        b = torch.empty(2, 2, dtype=torch.bool)
        print(torch.eq(a, 1., out=b), torch.gt(a, 0, out=b) is b, b)
        print(torch.neg(a, out=torch.empty(3)))
    """)
    import torchlike

    v, i = torchlike.empty(3), torchlike.empty(3, dtype=torchlike.int64)
    r = torchlike.sort(torchlike.tensor([3.0, 1.0, 2.0]), out=(v, i))  # a tuple out=
    assert r.values is v and v.tolist() == [1.0, 2.0, 3.0] and i.tolist() == [1, 2, 0]
