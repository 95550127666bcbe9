"""dtype/device conversions, legacy type names and constructors, NumPy interop, torch.Size,
torch.cuda / torch.backends answers — printed output against torch."""

# ruff: noqa: E501  (snippets are PyTorch code kept on one line each)
from __future__ import annotations

import pytest

import torchlike as tl
from tests._parity import assert_same

SNIPPETS = {
    "format": """
        t = torch.tensor(1.5)
        print(f"{t}", f"{t:.3f}", f"{t:>8}", f"{torch.tensor(3)}", f"{torch.tensor([1.5, 2.0])}")
        print(f"{torch.tensor([1.5]):.2f}")
    """,
    "converters": """
        x = torch.tensor([1.5, -2.5, 0.0])
        for y in (x.float(), x.double(), x.long(), x.int(), x.bool(), x.half(), x.abs().byte()):
            print(y, y.dtype, y.type())
        print(x.type(torch.float64), x.type('torch.LongTensor'), x.type(torch.IntTensor))
        print(x.to(torch.int64), x.to(torch.ones(1, dtype=torch.float64)), x.to('cpu', torch.int32))
        print(x.to('cpu') is x, x.to(torch.float32) is x, x.type_as(torch.ones(1, dtype=torch.int32)))
        print(torch.ones(2, dtype=torch.bool).type(), x.to(device='cpu', dtype=torch.float16))
        x.type('torch.Foo')
    """,
    "to_flags": """
        x = torch.ones(2, 3, 4, 5, dtype=torch.float64, requires_grad=True)
        for args in [('cpu', torch.float64, True, True), (torch.float64, False, True), (torch.float64, True, False), (x, False, True), ('cpu', None)]:
            y = x.to(*args)
            print(args[1:], y is x, type(y.grad_fn).__name__, y.dtype)
        print(x.to(copy=True).grad_fn.name(), x.to('cpu', copy=True) is x)
    """,
    "legacy_constructors": """
        print(torch.FloatTensor([1, 2]), torch.LongTensor([1.5, 2]), torch.FloatTensor(2, 3).shape)
        print(torch.DoubleTensor([[1]]), torch.IntTensor([3]), torch.BoolTensor([1, 0]))
        print(torch.ByteTensor([1, 2]), torch.FloatTensor(), torch.FloatTensor(torch.Size([2])).shape)
        print(torch.FloatTensor, isinstance(torch.ones(2), torch.FloatTensor))
        print(isinstance(torch.ones(2), torch.DoubleTensor), isinstance(torch.ones(2).long(), torch.LongTensor))
        print(issubclass(torch.FloatTensor, torch.Tensor), type(torch.FloatTensor([1])) is torch.Tensor)
        torch.FloatTensor(torch.ones(2, dtype=torch.int64))
    """,
    "tensor_from_tensors": """
        print(torch.tensor([torch.tensor(1.0), torch.tensor(2.0)]))
        print(torch.tensor([torch.tensor([1]), torch.tensor([2])]))
        torch.tensor([torch.ones(2), torch.ones(2)])
    """,
    "numpy_interop": """
        import numpy as np
        a = np.arange(4, dtype=np.int32)
        for arr in (a, a.astype(np.float16), a.astype(np.uint8), a.astype(bool), a.astype(np.complex64)):
            print(torch.from_numpy(arr), torch.as_tensor(arr).dtype)
        print(torch.as_tensor([1.0, 2.0], dtype=torch.float64), torch.tensor(3).numpy())
        t = torch.ones(2, requires_grad=True)
        print(t.detach().numpy(), t.tolist(), torch.as_tensor(t) is t)
        t.numpy()
    """,
    "numpy_bad_dtype": """
        import numpy as np
        torch.from_numpy(np.array([object()]))
    """,
    "numpy_readonly": """
        import numpy as np
        a = np.ones(2)
        a.flags.writeable = False
        print(torch.from_numpy(a))
    """,
    "size": """
        s = torch.ones(2, 3, 4).shape
        print(s, s.numel(), s[1:], s[0], len(s), isinstance(s, tuple), s == (2, 3, 4))
        print(torch.Size([2, 3]), torch.Size([]), torch.Size([2]) + torch.Size([3]), list(s))
        a, b, c = s
        print(a * b * c, tuple(s[::-1]))
    """,
    "device_queries": """
        print(torch.cuda.is_available(), torch.cuda.device_count(), torch.backends.mps.is_available())
        torch.backends.cudnn.deterministic = True
        torch.backends.cudnn.benchmark = False
        print(torch.backends.cudnn.deterministic, torch.backends.cudnn.benchmark)
        print(torch.get_default_device())
        torch.set_default_device('cpu')
        print(torch.ones(2).device, torch.get_default_device())
        torch.set_default_device(None)
        d = 'cuda' if torch.cuda.is_available() else 'cpu'
        print(torch.ones(2, device=d).device)
    """,
    "out_arguments": """
        a, b = torch.ones(2, 3), torch.full((2, 3), 2.0)
        o = torch.empty(2, 3)
        r = torch.add(a, b, out=o)
        print(r is o, o, torch.mul(a, b, out=torch.empty(0)), torch.exp(a, out=torch.empty(2, 3, dtype=torch.float64)))
        print(torch.mm(a, b.T, out=torch.empty(2, 2)), torch.cat([a, b], out=torch.empty(4, 3)).shape)
        print(torch.add(a, b, out=torch.empty(2)))
        torch.add(a.requires_grad_(), b, out=torch.empty(2, 3))
    """,
    "out_bad_cast": "torch.add(torch.ones(2), torch.ones(2), out=torch.empty(2, dtype=torch.int64))",
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_conversion_matches_torch(name):
    assert_same(SNIPPETS[name])


def test_cuda_honest():
    import jax

    try:
        has_gpu = bool(jax.devices("gpu"))
    except RuntimeError:
        has_gpu = False
    assert tl.cuda.is_available() is has_gpu
    assert tl.cuda.device_count() == (len(jax.devices("gpu")) if has_gpu else 0)


@pytest.mark.parametrize("name", ["float", "double", "half", "long", "bool"])
@pytest.mark.parametrize(
    "fmt", [None, "contiguous_format", "channels_last", "channels_last_3d", "preserve_format"]
)
@pytest.mark.parametrize(
    "shape, perm",
    [
        ((2, 3, 4, 5), None), ((2, 5, 3, 4), (0, 3, 1, 2)), ((2, 1, 4, 5), None),
        ((2, 4, 1, 1), (0, 3, 1, 2)), ((2, 4, 5, 3), (0, 2, 3, 1)), ((2, 3, 4, 5, 6), (0, 4, 1, 2, 3)),
        ((3, 4), (1, 0)),
    ],
)  # fmt: skip
def test_converter_memory_format(name, fmt, shape, perm):
    # NOTE: torchlike has no memory-format objects yet, so both libraries get torch's (as the
    # OpInfo harness does); a converter returns self only when dtype and layout already match.
    torch = pytest.importorskip("torch")
    kwargs = {} if fmt is None else {"memory_format": getattr(torch, fmt)}
    seen = []
    for mod in (torch, tl):
        x = mod.ones(*shape, dtype=mod.float64, requires_grad=True)
        x = x.permute(*perm) if perm else x
        try:
            y = getattr(x, name)(**kwargs)
        except RuntimeError as e:
            seen.append(str(e))
            continue
        seen.append((y is x, type(y.grad_fn).__name__, str(y.dtype).split(".")[1], y.shape))
    assert seen[1] == seen[0]
