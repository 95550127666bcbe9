"""torchlike._mt19937 against real torch's CPU generator: every value bit-identical, and the
generator state (torch.get_rng_state()'s 5056 bytes) identical after every call.

Sizes cross the path boundaries: the scalar normal path below 16 elements and the blocks
of 16 (with a recomputed tail) from 16 on, randperm's swap loop, 32- vs 64-bit draws."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from functools import partial

import ml_dtypes
import numpy as np
import pytest

from torchlike._mt19937 import STATE_SIZE, CPUStream

torch = pytest.importorskip("torch")

FLOATS = ("float32", "float64", "float16", "bfloat16")
INTS = ("int8", "int16", "int32", "int64", "uint8")


def _bits(x) -> np.ndarray:
    """Raw bytes of a NumPy array or a torch tensor (bfloat16 included), with its shape."""
    if isinstance(x, torch.Tensor):
        x = x.view(torch.int16) if x.dtype == torch.bfloat16 else x
        x = x.numpy()
    x = np.ascontiguousarray(x)
    return x.view(np.uint8).reshape(*x.shape, -1) if x.size else x.reshape(*x.shape, 0)


def _numpy(t) -> np.ndarray:
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().view(ml_dtypes.bfloat16)
    return t.numpy()


def _torch_dtype(name: str):
    return getattr(torch, name)


def _state() -> bytes:
    return torch.get_rng_state().numpy().tobytes()


# name -> (ours(stream, n, dtype), torch(n, dtype), dtypes)
CASES = {
    "rand": (lambda s, n, d: s.uniform(n, d), lambda n, d: torch.rand(n, dtype=d), FLOATS),
    "uniform_": (
        lambda s, n, d: s.uniform(n, d, -2.5, 3.25),
        lambda n, d: torch.empty(n, dtype=d).uniform_(-2.5, 3.25),
        FLOATS,
    ),
    "randn": (lambda s, n, d: s.normal(n, d), lambda n, d: torch.randn(n, dtype=d), FLOATS),
    "normal_": (
        lambda s, n, d: s.normal(n, d, 0.5, 2.5),
        lambda n, d: torch.empty(n, dtype=d).normal_(0.5, 2.5),
        FLOATS,
    ),
    "random_": (
        lambda s, n, d: s.random_(n, d),
        lambda n, d: torch.empty(n, dtype=d).random_(),
        (*INTS, "bool", *FLOATS),
    ),
    "random_to": (
        lambda s, n, d: s.random_(n, d, None, 7),
        lambda n, d: torch.empty(n, dtype=d).random_(7),
        (*INTS, *FLOATS),
    ),
    "random_from": (
        lambda s, n, d: s.random_(n, d, 3, None),
        lambda n, d: torch.empty(n, dtype=d).random_(3, None),
        (*INTS, *FLOATS),
    ),
    "random_full_int64": (
        lambda s, n, d: s.random_(n, d, -(2**63), None),
        lambda n, d: torch.empty(n, dtype=d).random_(-(2**63), None),
        ("int64",),
    ),
    "randint": (
        lambda s, n, d: s.random_(n, d, 3, 100),
        lambda n, d: torch.randint(3, 100, (n,), dtype=d),
        (*INTS, *FLOATS),
    ),
    "randint_wide": (
        lambda s, n, d: s.random_(n, d, -(2**40), 2**40),
        lambda n, d: torch.randint(-(2**40), 2**40, (n,), dtype=d),
        ("int64", "float64"),
    ),
    "randint_2_28": (
        lambda s, n, d: s.random_(n, d, -50, 2**28 - 50),
        lambda n, d: torch.randint(-50, 2**28 - 50, (n,), dtype=d),
        ("int32", "int64"),
    ),
    "randperm": (
        lambda s, n, d: s.randperm(n, d),
        lambda n, d: torch.randperm(n, dtype=d),
        ("int64", "int32", "float32"),
    ),
    "bernoulli_": (
        lambda s, n, d: s.bernoulli(0.3, n, d),
        lambda n, d: torch.empty(n, dtype=d).bernoulli_(0.3),
        ("float32", "float64", "float16", "bfloat16", "int8", "int64", "uint8", "bool"),
    ),
    "uniform_kaiming": (
        lambda s, n, d: s.uniform(n, d, -(3**-0.5), 3**-0.5),
        lambda n, d: torch.empty(n, dtype=d).uniform_(-(3**-0.5), 3**-0.5),
        FLOATS,
    ),
    "exponential_": (
        lambda s, n, d: s.exponential(n, d, 1.5),
        lambda n, d: torch.empty(n, dtype=d).exponential_(1.5),
        FLOATS,
    ),
    "geometric_": (
        lambda s, n, d: s.geometric(n, d, 0.2),
        lambda n, d: torch.empty(n, dtype=d).geometric_(0.2),
        ("float32", "float64", "int64"),
    ),
    "cauchy_": (
        lambda s, n, d: s.cauchy(n, d, 0.5, 2.0),
        lambda n, d: torch.empty(n, dtype=d).cauchy_(0.5, 2.0),
        FLOATS,
    ),
    "log_normal_": (
        lambda s, n, d: s.log_normal(n, d, 0.1, 0.7),
        lambda n, d: torch.empty(n, dtype=d).log_normal_(0.1, 0.7),
        FLOATS,
    ),
}

SIZES = (0, 1, 2, 3, 15, 16, 17, 31, 33, 100, 1000, 100003)
SEEDS = (0, 1, 2147483647, 12345, 2**40 + 3, -7)


def _check(seed: int, ours, theirs) -> None:
    stream = CPUStream(seed)
    torch.manual_seed(seed)
    got, expected = ours(stream), theirs()
    assert got.dtype.name == str(expected.dtype).removeprefix("torch.")
    assert np.array_equal(_bits(got), _bits(expected))
    assert stream.get_state() == _state()


def _sweep(name: str, dtype: str, sizes, seeds) -> None:
    ours, theirs, _ = CASES[name]
    for n in sizes:
        if name == "randperm" and dtype != "int64":
            n = min(n, 1000)  # float32 / int32 hold the indices exactly only so far
        for seed in seeds:
            try:
                _check(seed, partial(ours, n=n, d=dtype), partial(theirs, n, _torch_dtype(dtype)))
            except AssertionError as e:
                raise AssertionError(f"{name} {dtype} n={n} seed={seed}") from e


_GRID = [(name, dtype) for name, (_, _, dtypes) in CASES.items() for dtype in dtypes]
# 100003 elements only where the path is vectorised (the per-element libm ones take longer)
_VECTORISED = ("rand", "randn", "randint", "randperm")


@pytest.mark.parametrize("name", CASES)
def test_stream_matches_torch(name):
    # CI: every dtype at the small sizes crossing 16, then one dtype further out
    dtypes = CASES[name][2]
    for dtype in dtypes:
        _sweep(name, dtype, (0, 1, 2, 15, 16, 17, 33), SEEDS[:2])
    _sweep(name, dtypes[0], (1000, 100003) if name in _VECTORISED else (1000,), (7,))


@pytest.mark.slow
@pytest.mark.parametrize(("name", "dtype"), _GRID)
def test_stream_matches_torch_sweep(name, dtype):
    _sweep(name, dtype, SIZES, SEEDS)


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("n", [0, 3, 7, 8, 9, 100])
def test_complex_fills_the_real_view(dtype, n):
    td = _torch_dtype(dtype)
    _check(4, lambda s: s.normal((n, 1), dtype), lambda: torch.randn(n, 1, dtype=td))
    _check(
        4, lambda s: s.normal(n, dtype, 1.0, 3.0), lambda: torch.empty(n, dtype=td).normal_(1, 3)
    )
    _check(4, lambda s: s.uniform(n, dtype), lambda: torch.rand(n, dtype=td))
    _check(
        4, lambda s: s.uniform(n, dtype, -1, 2), lambda: torch.empty(n, dtype=td).uniform_(-1, 2)
    )


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rejection_samplers(dtype, seed):
    torch.manual_seed(100 + seed)
    alpha = (torch.rand(40) * 3).to(_torch_dtype(dtype))
    alpha[:2] = torch.tensor([0.0, 0.01])  # zero and the boosted alpha < 1 branch
    rates = (torch.rand(40) * 30).to(_torch_dtype(dtype))
    rates[0] = 0
    _check(seed, lambda s: s.standard_gamma(alpha.numpy()), lambda: torch._standard_gamma(alpha))
    _check(seed, lambda s: s.poisson(rates.numpy()), lambda: torch.poisson(rates))

    def gamma_after_randn(stream):  # the gamma sampler shares the cached normal sample
        stream.normal(3)
        return stream.standard_gamma(alpha.numpy())

    _check(seed, gamma_after_randn, lambda: (torch.randn(3), torch._standard_gamma(alpha))[1])

    # binomial: inversion below a mean of 10 (float32 through glibc's log1pf), BTRS above
    count = torch.randint(0, 60, (60,)).to(alpha.dtype)
    prob = torch.rand(60, dtype=alpha.dtype)
    count[:4], prob[:4] = torch.tensor([5.0, 5, 0, 1000]), torch.tensor([0.0, 1, 0.5, 0.9995])
    _check(
        seed,
        lambda s: s.binomial(count.numpy(), prob.numpy()),
        lambda: torch.binomial(count, prob),
    )


def test_randn_seed_zero_prints_pytorchs_digits():
    stream = CPUStream(0)
    torch.manual_seed(0)
    assert np.array_equal(stream.normal(3), torch.randn(3).numpy())


def test_scalar_normal_cache_carries_across_calls():
    # randn(3) leaves a cached double sample that the next small normal call uses first
    stream = CPUStream(5)
    torch.manual_seed(5)
    calls = [
        (lambda s: s.normal(3), lambda: torch.randn(3)),
        (lambda s: s.normal(1, "float64"), lambda: torch.randn(1, dtype=torch.float64)),
        (lambda s: s.normal(20), lambda: torch.randn(20)),
        (lambda s: s.uniform(5), lambda: torch.rand(5)),
        (
            lambda s: s.normal(4, "float16", 1.0, 0.5),
            lambda: torch.empty(4, dtype=torch.half).normal_(1.0, 0.5),
        ),
        (lambda s: s.log_normal(3, "float32"), lambda: torch.empty(3).log_normal_()),
        (lambda s: s.normal(5, "bfloat16"), lambda: torch.randn(5, dtype=torch.bfloat16)),
    ]
    for ours, theirs in calls:
        got, expected = ours(stream), theirs()
        assert np.array_equal(_bits(got), _bits(expected))
        assert stream.get_state() == _state()


def test_generator_objects_and_shapes():
    # makemore: g = torch.Generator().manual_seed(2147483647)
    g = torch.Generator().manual_seed(2147483647)
    stream = CPUStream(2147483647)
    assert np.array_equal(stream.normal((27, 27)), torch.randn((27, 27), generator=g).numpy())
    probs = torch.rand(27, generator=g)
    assert np.array_equal(stream.uniform(27), probs.numpy())
    got = stream.multinomial(probs.numpy(), 1, replacement=True)
    assert np.array_equal(got, torch.multinomial(probs, 1, replacement=True, generator=g).numpy())
    assert stream.get_state() == g.get_state().numpy().tobytes()
    assert CPUStream().initial_seed() == torch.Generator().initial_seed()


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "bfloat16"])
@pytest.mark.parametrize(
    ("rows", "k", "replacement"),
    [(1, 1, True), (4, 5, True), (3, 1, True), (4, 3, False), (1, 1, False)],
)
def test_multinomial(dtype, rows, k, replacement):
    torch.manual_seed(99)
    probs = (torch.rand(rows, 7) + 0.01).to(_torch_dtype(dtype))
    if rows == 1:
        probs = probs[0]
    np_probs = _numpy(probs)
    _check(
        3,
        lambda s: s.multinomial(np_probs, k, replacement),
        lambda: torch.multinomial(probs, k, replacement),
    )


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("n", [0, 1, 5, 16, 1000])
def test_bernoulli_tensor_p(dtype, n):
    torch.manual_seed(42)
    p = torch.rand(n, dtype=_torch_dtype(dtype))
    np_p = _numpy(p)
    _check(8, lambda s: s.bernoulli(np_p, dtype=dtype), lambda: torch.bernoulli(p))
    # p broadcast into a bigger output of another dtype
    if n:
        _check(
            9,
            lambda s: s.bernoulli(np_p[:1], (3, 2), "int64"),
            lambda: torch.empty(3, 2, dtype=torch.int64).bernoulli_(p[:1]),
        )


def test_non_contiguous_normal_fills_in_memory_order():
    stream = CPUStream(11)
    torch.manual_seed(11)
    expected = torch.empty(4, 8).t().normal_()
    got = stream.normal(32, contiguous=False).reshape(4, 8).T
    assert np.array_equal(got, expected.numpy())


@pytest.mark.parametrize("seed", [0, -1, -(2**63), 2**64 - 1, 2**32 + 5, 67280421310721])
def test_manual_seed_rules(seed):
    torch.manual_seed(seed)
    stream = CPUStream(seed)
    assert stream.initial_seed() == torch.initial_seed()
    assert stream.get_state() == _state()
    assert np.array_equal(stream.uniform(5), torch.rand(5).numpy())


@pytest.mark.parametrize("seed", [2**64, -(2**63) - 1])
def test_manual_seed_overflow(seed):
    with pytest.raises(ValueError) as expected:
        torch.manual_seed(seed)
    with pytest.raises(ValueError) as got:
        CPUStream().manual_seed(seed)
    assert str(got.value) == str(expected.value)


def test_seed_is_fresh_and_reported():
    stream = CPUStream(0)
    seed = stream.seed()
    assert stream.initial_seed() == seed
    torch.manual_seed(seed)
    assert np.array_equal(stream.uniform(3), torch.rand(3).numpy())


@pytest.mark.parametrize("draws", [0, 1, 623, 624, 625, 1249, 5000])
def test_state_round_trips_both_ways(draws):
    torch.manual_seed(3)
    torch.rand(draws)
    torch.randn(3)  # leaves a cached normal sample in the state
    stream = CPUStream()
    stream.set_state(torch.get_rng_state().numpy())
    assert stream.get_state() == _state()
    assert np.array_equal(stream.normal(5), torch.randn(5).numpy())
    # and back: our state restores in torch
    stream.uniform(draws)
    torch.set_rng_state(torch.frombuffer(bytearray(stream.get_state()), dtype=torch.uint8))
    assert np.array_equal(stream.normal(7, "float64"), torch.randn(7, dtype=torch.float64).numpy())
    assert len(stream.get_state()) == STATE_SIZE == torch.get_rng_state().numel()


def test_set_state_errors():
    good = torch.get_rng_state()
    bad = good.clone()
    bad[8:12] = 0  # left == 0
    for state in (good[:100], bad):
        with pytest.raises(RuntimeError) as expected:
            torch.set_rng_state(state)
        with pytest.raises(RuntimeError) as got:
            CPUStream().set_state(state.numpy())
        assert str(got.value) == str(expected.value).splitlines()[0]


@pytest.mark.slow
def test_default_cpu_capability_kernels():
    # without AVX2 ATen fills float normals with glibc's logf/sinf/cosf and no FMA contraction
    code = textwrap.dedent(
        """
        import numpy as np, torch
        from torchlike._mt19937 import CPUStream
        for seed in (0, 7):
            for n in (16, 100, 100003):
                for d in ("float32", "float16", "bfloat16", "float64"):
                    s = CPUStream(seed); torch.manual_seed(seed)
                    t = torch.randn(n, dtype=getattr(torch, d))
                    t = t.view(torch.int16) if d == "bfloat16" else t
                    got = s.normal(n, d).view(t.numpy().dtype)
                    assert np.array_equal(got, t.numpy()), (seed, n, d)
                s = CPUStream(seed); torch.manual_seed(seed)
                assert np.array_equal(s.uniform(999, "float32", -2.5, 3.25),
                                      torch.empty(999).uniform_(-2.5, 3.25).numpy())
        print(torch.backends.cpu.get_cpu_capability())
        """
    )
    env = dict(os.environ, ATEN_CPU_CAPABILITY="default")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "DEFAULT"
