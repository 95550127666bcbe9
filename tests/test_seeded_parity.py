"""After ``manual_seed`` (or with a seeded ``Generator``) torchlike draws PyTorch's numbers bit for
bit: every sampling function and in-place fill, ``nn.init`` and layers' default initialisation,
dropout masks, data loading order, and the generator state in torch's byte layout."""

from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pytest

import torchlike

from ._ci import ci_sample

torch = pytest.importorskip("torch")


def _values(lib, code: str):
    """Run ``code`` (``t`` bound to ``lib``), which sets ``r``: its values as a NumPy array
    (floating values widened to float64, which is exact), or the exception as text."""
    env = {"t": lib}
    try:
        exec(code, env)
    except Exception as e:  # compared with torch's
        return f"{type(e).__name__}: {(str(e).splitlines() or [''])[0]}"
    r = env["r"]
    if lib is torch:
        return (r.double() if r.is_floating_point() else r).numpy()
    values = r.numpy()  # NOTE: no torchlike op here: each shape would compile a kernel
    return values.astype(np.float64) if r.is_floating_point() else values


def assert_same_draws(code: str) -> None:
    expected, got = _values(torch, code), _values(torchlike, code)
    if isinstance(expected, str) or isinstance(got, str):
        assert got == expected, code
        return
    assert got.dtype == expected.dtype and got.shape == expected.shape, code
    # NOTE: bytes, not values: equal NaNs and the sign of zero count
    assert got.tobytes() == expected.tobytes(), f"{code}\n{expected.ravel()[:8]}\n{got.ravel()[:8]}"


# -- the sweep: (function, dtype, size, seed, generator) ------------------------------------------
_FLOATS = ["float32", "float64", "float16", "bfloat16"]
_INTS = ["int64", "int32", "uint8", "float32", "float64"]
_FUNCTIONS = {
    "rand": ("t.rand({shape}, dtype={dt}{gen})", _FLOATS),
    "randn": ("t.randn({shape}, dtype={dt}{gen})", _FLOATS),
    "normal": ("t.normal(0.5, 2.0, {shape}, dtype={dt}{gen})", _FLOATS),
    "normal_": ("t.empty({shape}, dtype={dt}).normal_(-1.0, 3.0{gen})", _FLOATS),
    "uniform_": ("t.empty({shape}, dtype={dt}).uniform_(-3, 5{gen})", _FLOATS),
    "bernoulli_": ("t.empty({shape}, dtype={dt}).bernoulli_(0.3{gen})", _FLOATS),
    "bernoulli": ("t.bernoulli(t.rand({shape}, dtype={dt}{gen}){gen})", _FLOATS),
    "exponential_": ("t.empty({shape}, dtype={dt}).exponential_(2.5{gen})", _FLOATS),
    "geometric_": ("t.empty({shape}, dtype={dt}).geometric_(0.2{gen})", _FLOATS),
    "cauchy_": ("t.empty({shape}, dtype={dt}).cauchy_(1.0, 0.5{gen})", _FLOATS),
    "log_normal_": ("t.empty({shape}, dtype={dt}).log_normal_(0.1, 0.5{gen})", _FLOATS),
    "random_": ("t.empty({shape}, dtype={dt}).random_({gen0})", _INTS),
    "random_to": ("t.empty({shape}, dtype={dt}).random_(100{gen})", _INTS),
    "random_from_to": ("t.empty({shape}, dtype={dt}).random_(3, 2**40{gen})", ["int64", "float64"]),
    "randint": ("t.randint(5, 250, {shape}, dtype={dt}{gen})", _INTS),
    "randperm": ("t.randperm({n}, dtype={dt}{gen})", ["int64", "int32", "float64"]),
}
_SIZES = [0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 100, 1000, 4097, 100_000]
_SEEDS = [0, 42, 2147483647]


def _sweep():
    for (code, dtypes), n, seed, gen in itertools.product(
        _FUNCTIONS.values(), _SIZES, _SEEDS, (False, True)
    ):
        shape = f"({n},)" if n < 30 or n % 3 else f"(3, {n // 3})"
        for dt in dtypes:
            body = code.format(
                shape=shape, n=n, dt=f"t.{dt}",
                gen=", generator=g" if gen else "", gen0="generator=g" if gen else "",
            )  # fmt: skip
            seed_it = f"g = t.Generator().manual_seed({seed})" if gen else f"t.manual_seed({seed})"
            yield f"{seed_it}; t.rand(1{', generator=g' if gen else ''}); r = {body}"


def test_sweep_has_enough_cases():
    assert len(list(_sweep())) >= 5000


@pytest.mark.parametrize("code", ci_sample(list(_sweep()), 100, ids=lambda c: c))
def test_sweep(code):
    assert_same_draws(code)


@pytest.mark.parametrize("code", ci_sample([
    # the cached second normal of the scalar path, then the vectorised path
    "t.manual_seed(0); t.randn(3); t.randn(1, dtype=t.float64); r = t.randn(5)",
    "t.manual_seed(0); t.randn(3); r = t.randn(40, dtype=t.float64)",
    "t.manual_seed(0); r = t.randn(4, dtype=t.complex64)",
    "t.manual_seed(0); r = t.view_as_real(t.rand(20, dtype=t.complex128))",
    "t.manual_seed(0); r = t.randn(2, 3, 4)[:, 1]",
    "t.manual_seed(0); m = t.arange(20.); s = t.rand(20); r = t.normal(m, s)",
    "t.manual_seed(0); r = t.normal(t.arange(20.), 2.5)",
    "t.manual_seed(0); r = t.normal(1.0, t.rand(4, 5))",
    "t.manual_seed(0); r = t.normal(t.zeros(3, 1, dtype=t.float64), t.ones(1, 4, dtype=t.float64))",
    "t.manual_seed(0); r = t.randint(10, (3, 4))",
    "t.manual_seed(0); r = t.randint(-2**40, 2**40, (30,))",
    "t.manual_seed(0); r = t.randint_like(t.ones(30), 3, 9)",
    "t.manual_seed(0); r = t.rand_like(t.ones(3, 3, dtype=t.float64))",
    "t.manual_seed(0); r = t.randn_like(t.ones(30))",
    "t.manual_seed(0); r = t.bernoulli(t.rand(30), 0.25)",
    "t.manual_seed(0); r = t.bernoulli(t.rand(30, dtype=t.float64))",
    "t.manual_seed(0); r = t.empty(4, 10).t().bernoulli_(t.rand(10, 4))",
    "t.manual_seed(0); r = t.empty(40, dtype=t.bool).bernoulli_(0.5)",
    "t.manual_seed(0); r = t.empty(40, dtype=t.bool).random_()",
    "t.manual_seed(0); r = t.empty(4, 10).t().normal_()",
    "t.manual_seed(0); r = t.empty(4, 10).t().uniform_(-1, 2)",
    "t.manual_seed(0); r = t.empty(40, dtype=t.int64).geometric_(0.3)",
    "t.manual_seed(0); r = t.multinomial(t.rand(3, 10), 4)",
    "t.manual_seed(0); r = t.multinomial(t.rand(10, dtype=t.float64), 10)",
    "t.manual_seed(0); r = t.multinomial(t.rand(3, 10), 50, replacement=True)",
    "t.manual_seed(0); r = t.multinomial(t.tensor([0.0, 1.0, 2.0]), 1)",
    "t.manual_seed(0); r = t.poisson(t.rand(50) * 30)",
    "t.manual_seed(0); r = t.poisson(t.rand(50, dtype=t.float64) * 3)",
    "g = t.Generator().manual_seed(2147483647); p = t.rand(27, generator=g);"
    " r = t.multinomial(p / p.sum(), 20, replacement=True, generator=g)",
    "t.manual_seed(0); r = t.randn(3, out=t.empty(3))",
    "t.manual_seed(-1); r = t.rand(3)",
    "t.manual_seed(2**64 - 1); r = t.rand(3)",
    "t.manual_seed(2**64)",
    "t.manual_seed(0); r = t.rand(3, generator=t.Generator())",
    "r = t.tensor(t.Generator().initial_seed())",
    # floating-point-only samplers on integer dtypes: torch's errors
    "r = t.empty(3, dtype=t.int64).normal_()",
    "r = t.empty(3, dtype=t.int32).uniform_()",
    "r = t.empty(3, dtype=t.int64).exponential_()",
    "r = t.empty(3, dtype=t.uint8).log_normal_()",
    "r = t.randn(3, dtype=t.int64)",
    "r = t.rand(3, dtype=t.bool)",
    "t.manual_seed(7); r = t.tensor(t.initial_seed())",
], 3, ids=lambda c: c))  # fmt: skip
def test_draws(code):
    assert_same_draws(code)


# -- state ----------------------------------------------------------------------------------------
def test_state_round_trips_between_torch_and_torchlike():
    torch.manual_seed(3)
    torch.randn(5)  # leaves a cached normal in the state
    state = torch.get_rng_state()
    torchlike.set_rng_state(torchlike.tensor(state.numpy()))
    assert np.array_equal(torchlike.get_rng_state().numpy(), state.numpy())
    assert torchlike.randn(7).numpy().tobytes() == torch.randn(7).numpy().tobytes()
    torchlike.rand(10)
    torch.set_rng_state(torch.from_numpy(torchlike.get_rng_state().numpy()))
    assert torch.rand(3).numpy().tobytes() == torchlike.rand(3).numpy().tobytes()


@pytest.mark.parametrize("code", [
    "t.manual_seed(1); t.randn(3); s = t.get_rng_state(); t.randn(5); t.set_rng_state(s);"
    " r = t.randn(5)",
    "t.manual_seed(1); t.randn(3); r = t.get_rng_state()",
    "r = t.Generator().get_state()",
    "g = t.Generator().manual_seed(9); t.rand(4, generator=g); r = g.get_state()",
    "t.set_rng_state(t.zeros(10, dtype=t.uint8))",
    "t.set_rng_state(t.zeros(10))",
    "t.manual_seed(0)\nwith t.random.fork_rng():\n    t.rand(5)\nr = t.rand(2)",
    "t.manual_seed(0)\nwith t.random.fork_rng(enabled=False):\n    t.rand(5)\nr = t.rand(2)",
])  # fmt: skip
def test_state(code):
    assert_same_draws(code)


def test_global_generator_starts_from_a_random_seed_as_torchs():
    code = "import torchlike; print(torchlike.initial_seed())"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout for _ in range(2)}  # fmt: skip
    assert len(runs) == 2
    assert torchlike.Generator().initial_seed() == torch.Generator().initial_seed()


def test_generator_repr():
    assert repr(torchlike.Generator()).startswith("<torch._C.Generator object at 0x")


# -- nn.init and layers ---------------------------------------------------------------------------
_DTYPES = ["t.float32", "t.float64"]
_INITS = [
    "t.nn.init.uniform_(t.empty(5, 7, dtype={dt}), -2, 3)",
    "t.nn.init.normal_(t.empty(50, 7, dtype={dt}), 1, 3)",
    "t.nn.init.trunc_normal_(t.empty(50, 7, dtype={dt}))",
    "t.nn.init.trunc_normal_(t.empty(50, 7, dtype={dt}), mean=0, std=5, a=-1, b=1)",
    "t.nn.init.xavier_uniform_(t.empty(5, 7, dtype={dt}))",
    "t.nn.init.xavier_normal_(t.empty(5, 7, dtype={dt}), gain=2.0)",
    "t.nn.init.kaiming_uniform_(t.empty(5, 7, 3, dtype={dt}))",
    "t.nn.init.kaiming_normal_(t.empty(5, 7, 3, dtype={dt}), mode='fan_out')",
]
_LAYERS = [
    "t.nn.Linear(20, 30, dtype={dt})",
    "t.nn.Bilinear(4, 5, 3, dtype={dt})",
    "t.nn.Conv1d(3, 8, 3, dtype={dt})",
    "t.nn.Conv2d(3, 8, 3, groups=1, dtype={dt})",
    "t.nn.Conv3d(2, 4, 2, dtype={dt})",
    "t.nn.ConvTranspose2d(3, 8, 3, dtype={dt})",
    "t.nn.Embedding(10, 4, dtype={dt})",
    "t.nn.EmbeddingBag(10, 4, dtype={dt})",
    "t.nn.RNN(4, 5, dtype={dt})",
    "t.nn.LSTM(4, 5, 2, dtype={dt})",
    "t.nn.GRU(4, 5, bidirectional=True, dtype={dt})",
    "t.nn.LSTMCell(4, 5, dtype={dt})",
    "t.nn.GRUCell(4, 5, dtype={dt})",
    "t.nn.MultiheadAttention(8, 2, dtype={dt})",
    "t.nn.TransformerEncoderLayer(8, 2, 16, dtype={dt})",
    "t.nn.PReLU(dtype={dt})",
    "t.nn.Sequential(t.nn.Linear(3, 4, dtype={dt}), t.nn.LayerNorm(4, dtype={dt}),"
    " t.nn.BatchNorm1d(4, dtype={dt}), t.nn.Linear(4, 2, dtype={dt}))",
]


@pytest.mark.parametrize(
    "code", ci_sample([i.format(dt=dt) for i in _INITS for dt in _DTYPES], 4, ids=lambda c: c)
)
def test_init(code):
    assert_same_draws(f"t.manual_seed(0); r = {code}")


@pytest.mark.parametrize(
    "layer", ci_sample([x.format(dt=dt) for x in _LAYERS for dt in _DTYPES], 4, ids=lambda c: c)
)
def test_layer_default_init(layer):
    assert_same_draws(
        f"t.manual_seed(0); m = {layer}; r = t.cat([p.detach().flatten() for p in m.parameters()])"
    )


def test_orthogonal_draws_as_torch():
    # NOTE: the draws are torch's; QR (LAPACK in torch, XLA here) may differ in the last bits.
    for shape in [(5, 7), (7, 5)]:
        torch.manual_seed(0)
        torchlike.manual_seed(0)
        expected = torch.nn.init.orthogonal_(torch.empty(shape)).numpy()
        got = torchlike.nn.init.orthogonal_(torchlike.empty(shape)).numpy()
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
        assert torchlike.rand(3).numpy().tobytes() == torch.rand(3).numpy().tobytes()


# -- dropout --------------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ci_sample([
    "r = t.nn.functional.dropout(t.ones(40), 0.3)",
    "r = t.nn.functional.dropout(t.randn(4, 40, dtype=t.float64), 0.5)",
    "r = t.nn.Dropout(0.2)(t.randn(4, 40))",
    "r = t.nn.Dropout1d(0.2)(t.randn(4, 5, 6))",
    "r = t.nn.Dropout2d(0.2)(t.randn(4, 5, 6, 3))",
    "r = t.nn.Dropout3d(0.2)(t.randn(2, 5, 2, 6, 3))",
    "r = t.nn.functional.alpha_dropout(t.randn(40), 0.3, True)",
    "r = t.nn.FeatureAlphaDropout(0.3)(t.randn(4, 5, 6))",
    "x = t.randn(40); t.nn.functional.dropout(x, 0.3, inplace=True); r = x",
], 3, ids=lambda c: c))  # fmt: skip
def test_dropout_masks(code):
    assert_same_draws(f"t.manual_seed(0); {code}")


# -- data loading ---------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ci_sample([
    "ds = t.utils.data.TensorDataset(t.arange(10));"
    " r = t.cat([b[0] for b in t.utils.data.DataLoader(ds, batch_size=3, shuffle=True)])",
    # two epochs, then the global stream goes on as torch's
    "dl = t.utils.data.DataLoader(t.arange(10), batch_size=4, shuffle=True);"
    " r = t.cat([b for _ in range(2) for b in dl] + [t.randint(9, (3,))])",
    "dl = t.utils.data.DataLoader(t.arange(10), batch_size=4); [b for b in dl]; r = t.rand(3)",
    "g = t.Generator().manual_seed(5); dl = t.utils.data.DataLoader(t.arange(10), shuffle=True,"
    " generator=g); r = t.cat(list(dl))",
    "r = t.tensor(list(t.utils.data.RandomSampler(range(50))))",
    "r = t.tensor(list(t.utils.data.RandomSampler(range(50), replacement=True, num_samples=70)))",
    "r = t.tensor(list(t.utils.data.RandomSampler(range(7), num_samples=20)))",
    "r = t.tensor(list(t.utils.data.SubsetRandomSampler([3, 5, 8, 13, 21])))",
    "r = t.tensor(list(t.utils.data.WeightedRandomSampler([0.1, 0.9, 0.4, 0.7], 10)))",
    "r = t.tensor(list(t.utils.data.WeightedRandomSampler([0.1, 0.9, 0.4], 3, replacement=False)))",
    "r = t.tensor(sum([list(s.indices)"
    " for s in t.utils.data.random_split(range(10), [3, 7])], []))",
    "r = t.tensor(sum([list(s.indices)"
    " for s in t.utils.data.random_split(range(30), [0.3, 0.3, 0.4])], []))",
    "g = t.Generator().manual_seed(42); r = t.tensor(sum([list(s.indices)"
    " for s in t.utils.data.random_split(range(30), [0.3, 0.3, 0.4], generator=g)], []))",
], 3, ids=lambda c: c))  # fmt: skip
def test_data_loading_order(code):
    assert_same_draws(f"t.manual_seed(1); {code}")


# -- distributions --------------------------------------------------------------------------------
@pytest.mark.parametrize("code", [
    "r = t.distributions.Normal(t.zeros(5), t.ones(5) * 2).sample()",
    "r = t.distributions.Normal(t.zeros(5), t.ones(5) * 2).rsample((3,))",
    "r = t.distributions.Normal(1.0, 2.0).sample((40,))",
    "r = t.distributions.Uniform(t.zeros(5), t.ones(5) * 2).sample((4,))",
    "r = t.distributions.Uniform(-1.0, 3.0).rsample((40,))",
])  # fmt: skip
def test_distribution_samples(code):
    assert_same_draws(f"t.manual_seed(0); {code}")


# -- traced draws ---------------------------------------------------------------------------------
def test_compiled_draws_use_the_key_and_leave_the_stream_alone():
    @torchlike.compile
    def noisy(x):
        return x + torchlike.rand(3)

    torchlike.manual_seed(0)
    torch.manual_seed(0)
    a, b = noisy(torchlike.zeros(3)), noisy(torchlike.zeros(3))
    assert not np.array_equal(a.numpy(), b.numpy())  # a fresh key per call
    # eager code after the compiled calls continues torch's stream
    assert torchlike.randn(5).numpy().tobytes() == torch.randn(5).numpy().tobytes()
