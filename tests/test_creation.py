"""Creation functions against torch: values, dtypes, shapes, requires_grad, printing."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike
from tests._parity import assert_same

SNIPPETS = {
    "tensor_dtype_inference": """
        import numpy as np
        for data in [1, 2.5, True, 1j, [1, 2], [1, 2.5], [True, 1], [[1.0], [2.0]],
                     np.float64(2), np.array([1, 2], dtype=np.int32), np.array([1.5]), []]:
            t = torch.tensor(data)
            print(t, t.dtype, t.shape)
        print(torch.tensor([torch.tensor(1.0), torch.tensor(2.0)]))
        print(torch.tensor([1, 2], dtype=torch.float64, requires_grad=True))
    """,
    "tensor_of_tensors_error": """
        torch.tensor([torch.ones(2), torch.ones(2)])
    """,
    "filled": """
        print(torch.zeros(2, 3), torch.ones((2,)), torch.ones([1, 2], dtype=torch.int64))
        print(torch.full((2, 2), 3), torch.full((2,), 1.5), torch.full((1,), True))
        print(torch.zeros(2, requires_grad=True), torch.empty(0), torch.empty(2, 0).shape)
        x = torch.ones(2, 3, dtype=torch.float64)
        print(torch.zeros_like(x), torch.ones_like(x, dtype=torch.int32), torch.full_like(x, 7))
        print(torch.eye(3), torch.eye(2, 3))
    """,
    "ranges": """
        print(torch.arange(5), torch.arange(4.0), torch.arange(1, 4), torch.arange(0, 1, 0.25))
        print(torch.arange(10, 0, -3), torch.arange(0, 5, 2, dtype=torch.float32))
        print(torch.linspace(0, 1, 5), torch.linspace(-1, 1, 4), torch.linspace(2, 3, 1))
        print(torch.linspace(-2 * torch.pi, 2 * torch.pi, 7))
        print(torch.arange(4.0, requires_grad=True))
    """,
    "integer_ranges": """
        # integer dtypes as torch's kernel: truncated bounds and step, int64's length from them
        for args in [(0, 4, 1.5), (0.5, 4, 1), (0, 4, 0.5), (-1.5, 4, 0.5), (0, 4.5, 1),
                     (4.5, -2, -1.9), (-0.9, 4.5, 1.9)]:
            for dt in (torch.int64, torch.int32):
                print(args, torch.arange(*args, dtype=dt))
        print(torch.arange(5.5, out=torch.empty(0, dtype=torch.int32)))
        for args in [(0, 10, 4), (-3, 7.5, 6), (0.5, 9.7, 11), (10, -10, 7)]:
            for dt in (torch.int64, torch.int16):
                print(torch.linspace(*args, dtype=dt))
        print(torch.linspace(-5, 5, 10, dtype=torch.uint8))
        for call in [lambda: torch.arange(0, 64, 0.5, out=torch.empty(0, dtype=torch.int64)),
                     lambda: torch.arange(0, 4, dtype=torch.bool),
                     lambda: torch.arange(4, dtype=torch.float64, out=torch.empty(0))]:
            try:
                call()
            except Exception as e:
                print(type(e).__name__, e)
    """,
    "from_numpy_and_as_tensor": """
        import numpy as np
        a = np.arange(6, dtype=np.float64).reshape(2, 3)
        t = torch.from_numpy(a)
        print(t, t.dtype)
        print(torch.as_tensor([1, 2]), torch.as_tensor(a, dtype=torch.float32))
        u = torch.ones(2)
        print(torch.as_tensor(u) is u, torch.is_tensor(u), torch.is_tensor(a))
    """,
    "random_shapes_dtypes": """
        print(torch.rand(2, 3).shape, torch.rand(2, 3).dtype, torch.randn(size=()).shape)
        print(torch.randn(4, dtype=torch.float64).dtype, torch.randint(0, 10, (3,)).dtype)
        print(torch.randint(5, (2, 2)).shape, torch.normal(0.0, 1.0, size=(3,)).shape)
        print(torch.rand(1, 1, requires_grad=True).requires_grad, torch.pi, torch.e)
        print(torch.normal(torch.zeros(3), torch.ones(3)).shape)
        print(torch.rand_like(torch.ones(2, dtype=torch.float64)).dtype)
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_creation_matches_torch(name):
    assert_same(SNIPPETS[name])


def test_manual_seed_reproducible():
    torchlike.manual_seed(0)
    a = torchlike.randn(5)
    b = torchlike.rand(2, 2)
    torchlike.manual_seed(0)
    np.testing.assert_array_equal(a.numpy(), torchlike.randn(5).numpy())
    np.testing.assert_array_equal(b.numpy(), torchlike.rand(2, 2).numpy())
    c = torchlike.rand(1000).numpy()
    assert 0.0 <= c.min() and c.max() < 1.0 and abs(c.mean() - 0.5) < 0.05


def test_generator_argument_is_independent():
    g1 = torchlike.Generator().manual_seed(3)
    g2 = torchlike.Generator().manual_seed(3)
    torchlike.rand(3)  # advances only the global generator
    np.testing.assert_array_equal(
        torchlike.rand(3, generator=g1).numpy(), torchlike.rand(3, generator=g2).numpy()
    )
    ints = torchlike.randint(2, 5, (200,), generator=g1).numpy()
    assert ints.min() >= 2 and ints.max() <= 4


def test_factories_write_out():
    from tests._parity import assert_same

    assert_same("""
        o = torch.empty(2, 3)
        r = torch.zeros(2, 3, out=o)
        print(r is o, o)
        torch.ones(2, 2, out=o)
        print(o)
        o2 = torch.empty(4, dtype=torch.float64)
        print(torch.randn(4, out=o2).dtype, torch.rand(4, out=o2).shape, (o2 < 1).all())
        p = torch.empty(5, dtype=torch.int64)
        print(torch.randperm(5, out=p).sort().values, p.dtype)
        try:
            torch.zeros(2, out=torch.empty(2, requires_grad=True))
        except RuntimeError as e:
            print(e)
    """)
