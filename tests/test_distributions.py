"""``torchlike.distributions``: log_prob/entropy/moments/repr/errors/gradients against real torch;
sample shapes and dtypes against torch; sampling statistics (torchlike's generator is not
torch's, so sample values themselves cannot match)."""

from __future__ import annotations

import numpy as np
import pytest

import torchlike
from tests._parity import assert_same

SNIPPETS = {
    "multinomial_d2l": """
        multinomial = torch.distributions.multinomial
        fair_probs = torch.ones([6]) / 6
        m = multinomial.Multinomial(1, fair_probs)
        print(m, m.batch_shape, m.event_shape)
        s = m.sample()
        print(s.dtype, s.shape, s.sum())
        print(multinomial.Multinomial(10, fair_probs).sample().sum())
        print(m.sample((500,)).shape)
        print(m.log_prob(torch.tensor([0.0, 0.0, 1.0, 0.0, 0.0, 0.0])))
        m10 = multinomial.Multinomial(10, fair_probs)
        print(m10.log_prob(torch.tensor([1.0, 2.0, 3.0, 0.0, 4.0, 0.0])))
        print(m.mean, m.variance, m10.entropy())
        b = multinomial.Multinomial(3, torch.tensor([[0.0, 0.4, 0.6], [0.1, 0.1, 0.8]]))
        print(b, b.batch_shape, b.sample((4,)).shape)
        print(b.log_prob(torch.tensor([[0.0, 1.0, 2.0], [3.0, 0.0, 0.0]])))
        print(multinomial.Multinomial(2, logits=torch.tensor([0.5, -1.0])).probs)
    """,
    "normal": """
        D = torch.distributions
        n = D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))
        print(n, D.Normal(0.0, 1.0), n.batch_shape, n.event_shape)
        print(n.sample().dtype, n.sample().shape, n.sample((3,)).shape, n.rsample((2, 1)).shape)
        print(n.log_prob(torch.tensor([0.5, 0.5])), n.entropy())
        print(n.mean, n.variance, n.stddev)
        print(D.Normal(0.0, 1.0).log_prob(torch.tensor([[0.0, 1.0], [-2.0, 3.0]])))
        print(D.Normal(torch.zeros(2, dtype=torch.float64), 1.0).sample().dtype)
    """,
    "normal_gradients": """
        D = torch.distributions
        loc = torch.tensor([0.0, 1.0], requires_grad=True)
        scale = torch.tensor([1.0, 2.0], requires_grad=True)
        r = D.Normal(loc, scale).rsample()
        print(r.requires_grad, type(r.grad_fn).__name__)
        print(D.Normal(loc, scale).sample().requires_grad)
        lp = D.Normal(loc, scale).log_prob(torch.tensor([0.5, 0.5]))
        print(lp)
        (lp.sum() + D.Normal(loc, scale).entropy().sum()).backward()
        print(loc.grad, scale.grad)
    """,
    "categorical": """
        D = torch.distributions
        c = D.Categorical(torch.tensor([0.1, 0.2, 0.7]))
        print(c, c.batch_shape, c.event_shape)
        print(c.sample().dtype, c.sample().shape, c.sample((4,)).shape)
        print(c.log_prob(torch.tensor([0, 2])), c.entropy(), c.probs, c.logits)
        print(c)
        c2 = D.Categorical(logits=torch.tensor([[0.1, 0.2, 0.7], [1.0, 2.0, 3.0]]))
        print(c2, c2.batch_shape, c2.sample((5,)).shape, c2.log_prob(torch.tensor([0, 2])))
        print(c2.entropy(), c2.mean, c2.variance, c2.probs)
        print(D.Categorical(torch.tensor([2.0, 2.0])).probs)
        print(c2.enumerate_support())
        print(D.Categorical(torch.tensor([0.0, 1.0])).log_prob(torch.tensor(0)))
    """,
    "categorical_gradients": """
        D = torch.distributions
        logits = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
        c = D.Categorical(logits=logits)
        (c.log_prob(torch.tensor([2, 0])).sum() + c.entropy()).backward()
        print(logits.grad)
    """,
    "bernoulli": """
        D = torch.distributions
        b = D.Bernoulli(torch.tensor([0.3, 0.9]))
        print(b, b.sample().dtype, b.sample().shape, b.sample((2,)).shape)
        print(b.log_prob(torch.tensor([1.0, 0.0])), b.entropy(), b.logits, b.mean, b.variance)
        print(b)
        b2 = D.Bernoulli(logits=torch.tensor([0.0, 2.0]))
        print(b2, b2.probs, b2.log_prob(torch.tensor([1.0, 1.0])))
        print(D.Bernoulli(0.5), D.Bernoulli(0.5).sample().shape)
    """,
    "uniform": """
        D = torch.distributions
        u = D.Uniform(0.0, 2.0)
        print(u, u.sample().dtype, u.sample().shape, u.sample((3, 2)).shape)
        print(u.log_prob(torch.tensor(1.0)), u.entropy(), u.mean, u.variance, u.stddev)
        u2 = D.Uniform(torch.tensor([0.0, -1.0]), torch.tensor([1.0, 3.0]))
        print(u2, u2.log_prob(torch.tensor([0.5, 2.0])), u2.entropy())
        print(u2.cdf(torch.tensor([0.5, 0.0])))
    """,
    "validation_errors": """
        D = torch.distributions
        c = D.Categorical(torch.tensor([0.1, 0.2, 0.7]))
        b = D.Bernoulli(torch.tensor([0.3, 0.9]))
        for call in [
            lambda: D.Normal(0.0, -1.0),
            lambda: D.Normal(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.0])),
            lambda: D.Categorical(torch.tensor([-0.1, 1.0])),
            lambda: D.Bernoulli(torch.tensor(1.5)),
            lambda: D.Categorical(),
            lambda: D.Bernoulli(probs=0.5, logits=0.0),
            lambda: c.log_prob(torch.tensor(5)),
            lambda: b.log_prob(torch.tensor([0.5, 1.0])),
            lambda: D.Normal(0.0, -1.0, validate_args=False).scale,
        ]:
            try:
                print(call())
            except Exception as e:
                print(type(e).__name__, e)
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_distributions_match_torch(name):
    assert_same(SNIPPETS[name])


# -- sampling statistics (torchlike only; n and tolerances give > 5 sigma margins) -----------
D = torchlike.distributions


def test_multinomial_die_frequencies():
    torchlike.manual_seed(0)
    fair = torchlike.ones([6]) / 6
    counts = D.multinomial.Multinomial(1, fair).sample((6000,))
    assert counts.shape == (6000, 6)
    c = counts.numpy()
    assert set(np.unique(c)) <= {0.0, 1.0} and (c.sum(1) == 1).all()
    assert np.abs(c.mean(0) - 1 / 6).max() < 0.03
    many = D.multinomial.Multinomial(1000, fair).sample((20,)).numpy()
    assert (many.sum(1) == 1000).all()
    assert np.abs(many.mean(0) / 1000 - 1 / 6).max() < 0.02


def test_categorical_and_bernoulli_frequencies():
    torchlike.manual_seed(1)
    probs = torchlike.tensor([0.1, 0.0, 0.6, 0.3])
    s = D.Categorical(probs).sample((8000,)).numpy()
    freq = np.bincount(s, minlength=4) / len(s)
    assert freq[1] == 0
    assert np.abs(freq - probs.numpy()).max() < 0.03
    b = D.Bernoulli(torchlike.tensor([0.2, 0.7])).sample((8000,)).numpy()
    assert set(np.unique(b)) <= {0.0, 1.0}
    assert np.abs(b.mean(0) - [0.2, 0.7]).max() < 0.03


def test_normal_and_uniform_moments():
    torchlike.manual_seed(2)
    x = D.Normal(torchlike.tensor([1.0, -2.0]), torchlike.tensor([0.5, 3.0])).sample((20000,))
    x = x.numpy()
    assert np.abs(x.mean(0) - [1.0, -2.0]).max() < 0.1
    assert np.abs(x.std(0) - [0.5, 3.0]).max() < 0.1
    u = D.Uniform(-1.0, 3.0).sample((20000,)).numpy()
    assert u.min() >= -1.0 and u.max() < 3.0
    assert abs(u.mean() - 1.0) < 0.05 and abs(u.var() - 16 / 12) < 0.1


def test_sampling_is_reproducible_under_manual_seed():
    torchlike.manual_seed(3)
    a = D.Categorical(torchlike.ones(5)).sample((10,))
    n = D.Normal(0.0, 1.0).sample((3,))
    torchlike.manual_seed(3)
    assert torchlike.equal(a, D.Categorical(torchlike.ones(5)).sample((10,)))
    assert torchlike.equal(n, D.Normal(0.0, 1.0).sample((3,)))
