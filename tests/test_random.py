"""Random functions: shapes/dtypes/errors against torch, reproducibility under manual_seed and
generator objects, and distribution checks (bit parity with torch is not a goal)."""

# ruff: noqa: E501  (snippets are PyTorch code kept on one line each)
from __future__ import annotations

import numpy as np
import pytest

import torchlike as tl
from tests._parity import assert_same

SNIPPETS = {
    "shapes_dtypes": """
        print(torch.randperm(5).dtype, torch.randperm(4).shape, torch.randperm(3, dtype=torch.float32).dtype)
        print(torch.randint_like(torch.ones(2), 5).dtype, torch.randint(3, 5, (2,), dtype=torch.int32).dtype)
        print(torch.bernoulli(torch.full((3,), 0.5)).dtype, torch.poisson(torch.ones(2)).dtype)
        print(torch.multinomial(torch.tensor([1., 2.]), 4, replacement=True).shape)
        print(torch.multinomial(torch.ones(2, 5), 3).shape, torch.multinomial(torch.ones(2, 5), 3).dtype)
        g = torch.Generator().manual_seed(1)
        print(g.initial_seed(), torch.rand(2, generator=g).shape, torch.randn_like(torch.ones(2, 3)).shape)
        print(torch.rand_like(torch.ones(2), dtype=torch.float64).dtype, torch.get_rng_state().dtype)
    """,
    "normal_overloads": """
        m, s = torch.zeros(2, 3), torch.ones(2, 3)
        print(torch.normal(m, s).shape, torch.normal(m).shape, torch.normal(0.0, s).shape)
        print(torch.normal(2.0, 3.0, size=(4,)).shape, torch.normal(m, 1.0).dtype)
        x = torch.zeros(3, requires_grad=True)
        for y in (torch.normal(x, 1.0), torch.normal(0.0, x + 1), torch.normal(x, x + 1)):
            y.sum().backward()
            print(type(y.grad_fn).__name__, x.grad)
        torch.normal(torch.zeros(2), torch.tensor([-1.0, 1.0]))
    """,
    "normal_bad_std": "torch.normal(0.0, -1.0, (2,))",
    "inplace_fills": """
        x = torch.zeros(2, 3, requires_grad=True)
        y = x * 1
        for f in (lambda t: t.normal_(), lambda t: t.uniform_(-1, 1), lambda t: t.bernoulli_(),
                  lambda t: t.bernoulli_(torch.full((2, 3), 0.5)), lambda t: t.random_(5),
                  lambda t: t.random_(1, 5), lambda t: t.random_(), lambda t: t.exponential_(),
                  lambda t: t.geometric_(0.5)):
            z = f(y.clone())
            print(z.shape, z.dtype, type(z.grad_fn).__name__)
        y.clone().normal_().sum().backward()
        print(x.grad)
        print(torch.ones(3, dtype=torch.int64).random_(0, 2).dtype)
        x.normal_()
    """,
    "bernoulli_bad": "torch.bernoulli(torch.tensor([2.0]))",
    "multinomial_no_probs": "torch.multinomial(torch.tensor([0.0, 0.0]), 1)",
    "multinomial_negative": "torch.multinomial(torch.tensor([-1.0, 2.0]), 1)",
    "multinomial_too_many": "torch.multinomial(torch.tensor([1.0, 2.0]), 3)",
    "multinomial_inf": "torch.multinomial(torch.tensor([1.0, float('inf')]), 1)",
    "multinomial_3d": "torch.multinomial(torch.ones(2, 2, 2), 1)",
    "multinomial_int": "torch.multinomial(torch.tensor([1, 2]), 1)",
    "multinomial_zero": "torch.multinomial(torch.tensor([1.0, 2.0]), 0)",
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_random_matches_torch(name):
    assert_same(SNIPPETS[name])


def _draws(seed):
    tl.manual_seed(seed)
    return [tl.rand(3), tl.randn(2, 2), tl.randint(0, 10, (4,)), tl.randperm(6),
            tl.normal(0.0, 1.0, (3,)), tl.bernoulli(tl.full((4,), 0.5)),
            tl.multinomial(tl.ones(5), 3), tl.zeros(3).normal_(), tl.zeros(3).uniform_()]


def test_manual_seed_reproducible():
    a, b, c = _draws(7), _draws(7), _draws(8)
    for x, y in zip(a, b, strict=True):
        np.testing.assert_array_equal(x.numpy(), y.numpy())
    assert any(not np.array_equal(x.numpy(), y.numpy()) for x, y in zip(a, c, strict=True))


def test_generators_independent_and_state_roundtrip():
    g1, g2 = tl.Generator().manual_seed(3), tl.Generator().manual_seed(3)
    tl.rand(5)
    tl.rand(5, generator=g1)
    tl.randn(2)  # neither g1 nor g2 moves
    np.testing.assert_array_equal(tl.rand(5, generator=g1).numpy(),
                                  (tl.rand(5, generator=g2), tl.rand(5, generator=g2))[1].numpy())
    state = g1.get_state()
    a = tl.randn(4, generator=g1)
    g1.set_state(state)
    np.testing.assert_array_equal(a.numpy(), tl.randn(4, generator=g1).numpy())
    s = tl.get_rng_state()
    b = tl.rand(3)
    tl.set_rng_state(s)
    np.testing.assert_array_equal(b.numpy(), tl.rand(3).numpy())
    with pytest.raises(RuntimeError, match="Expected a CPUGeneratorImplState of size 5056"):
        g1.set_state(tl.zeros(3, dtype=tl.uint8))


def test_distributions():
    g = tl.Generator().manual_seed(0)
    u = tl.rand(20000, generator=g).numpy()
    assert u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.01
    n = tl.randn(20000, dtype=tl.float64, generator=g).numpy()
    assert abs(n.mean()) < 0.03 and abs(n.std() - 1) < 0.03
    m = tl.normal(2.0, 3.0, (20000,), generator=g).numpy()
    assert abs(m.mean() - 2) < 0.1 and abs(m.std() - 3) < 0.1
    r = tl.randint(-3, 4, (5000,), generator=g).numpy()
    assert r.min() == -3 and r.max() == 3
    p = tl.randperm(50, generator=g).numpy()
    assert sorted(p.tolist()) == list(range(50))
    b = tl.bernoulli(tl.full((20000,), 0.3), generator=g).numpy()
    assert set(np.unique(b)) <= {0.0, 1.0} and abs(b.mean() - 0.3) < 0.02
    e = tl.zeros(20000).exponential_(2.0, generator=g).numpy()
    assert e.min() >= 0 and abs(e.mean() - 0.5) < 0.03
    k = tl.zeros(20000, dtype=tl.float64).random_(2, 6, generator=g).numpy()
    assert set(np.unique(k)) == {2.0, 3.0, 4.0, 5.0}


def test_multinomial_frequencies():
    g = tl.Generator().manual_seed(1)
    probs = np.array([0.1, 0.2, 0.3, 0.4])
    n = 20000
    draws = tl.multinomial(tl.tensor(probs * 5), n, replacement=True, generator=g).numpy()
    observed = np.bincount(draws, minlength=4)
    chi2 = float(((observed - n * probs) ** 2 / (n * probs)).sum())
    assert chi2 < 16.3  # 3 degrees of freedom, p = 0.001
    # Without replacement: distinct categories; zero-probability categories never drawn.
    rows = tl.multinomial(tl.tensor([[0.0, 1.0, 1.0, 1.0]] * 50), 3, generator=g).numpy()
    assert all(sorted(r) == [1, 2, 3] for r in rows.tolist())
    first = tl.multinomial(tl.tensor([[8.0, 1.0, 1.0]] * 2000), 1, generator=g).numpy()
    assert abs((first == 0).mean() - 0.8) < 0.04


@pytest.mark.parametrize("dtype", ["float32", "float64", "int8", "int64"])
@pytest.mark.parametrize("p", [0.2, 0.5, 0.8])
def test_geometric_matches_torch_distribution(p, dtype):
    # NOTE: the number of trials up to and including the first success, support {1, 2, ...}.
    # The OpInfo sample geometric s2 (125 draws, p=0.8) compares inter-quartile ranges of a
    # quantised distribution: OpInfo draws under manual_seed(42), whose draw puts 32 of 125
    # values >= 2 and so its 75th percentile on 2 (8% of seeds do), so only the distribution,
    # not that one draw, can be matched.
    torch = pytest.importorskip("torch")
    n = 40000
    torch.manual_seed(0)
    want = torch.empty(n, dtype=getattr(torch, dtype)).geometric_(p).numpy().astype(np.int64)
    got = tl.empty(n, dtype=getattr(tl, dtype)).geometric_(
        p, generator=tl.Generator().manual_seed(0)
    )
    got = got.numpy().astype(np.int64)
    assert got.min() == want.min() == 1
    freq_want, freq_got = (np.bincount(a, minlength=8)[1:8] / n for a in (want, got))
    np.testing.assert_allclose(freq_got, freq_want, atol=0.015)
