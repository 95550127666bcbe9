"""Argument errors against real torch: the same exception type and the same first message line
(the cases op_db's error inputs found, tests/conformance ``/errors``)."""

import pytest

import torchlike
from tests._parity import assert_same_shape_or_error

torch = pytest.importorskip("torch")


def _env(mod):
    return {"torch": mod, "v": mod.arange(3.0), "i": mod.arange(1, 4), "s": mod.tensor(1.0)}


def _error(mod, expr):
    try:
        eval(expr, _env(mod))
    except Exception as e:
        return type(e).__name__, (str(e).splitlines() or [""])[0]
    return None


CASES = [
    # tensors-only binary ops: a number for either operand
    "torch.atan2(v, 2)",
    "torch.atan2(2, v)",
    "torch.atan2(2, 3)",
    "torch.maximum(2.5, v)",
    "torch.minimum(v, True)",
    "torch.fmax(v, 2)",
    "torch.fmin(2, v)",
    "torch.hypot(v, 2)",
    "torch.logaddexp(v, 2)",
    "torch.logaddexp2(2, v)",
    "torch.logical_and(v, 2)",
    "torch.logical_or(2, v)",
    "torch.logical_xor(2, 3)",
    "torch.gcd(i, 2)",
    "torch.lcm(2, i)",
    "torch.ldexp(v, 2)",
    "torch.isclose(v, 2)",
    # a number for `other` only
    "torch.eq(2, v)",
    "torch.ne(2.5, v)",
    "torch.lt(2, 3)",
    "torch.le(2, v)",
    "torch.gt(2, v)",
    "torch.ge(2, v)",
    "torch.fmod(2, v)",
    "torch.copysign(2, v)",
    "torch.rsub(2, v)",
    "torch.clamp_min(2, v)",
    "torch.clamp_max(2, 3)",
    # a number for one operand, not both
    "torch.pow(2, 3)",
    "torch.float_power(2, 3)",
    "torch.remainder(2, 3)",
    "torch.xlogy(2, 3)",
    "torch.bitwise_and(2, 3)",
    "torch.bitwise_or(2, 3)",
    "torch.bitwise_xor(2, 3)",
    "torch.bitwise_left_shift(2, 3)",
    "torch.bitwise_right_shift(2, 3)",
    # isclose tolerances
    "torch.isclose(v, v, rtol=-0.5)",
    "torch.isclose(v, v, atol=-0.5)",
    # hstack / vstack / dstack: ranks after promotion
    "torch.hstack((v, torch.ones(2, 3)))",
    "torch.vstack((v, torch.ones(3, 3, 3)))",
    "torch.dstack((v, torch.ones(3, 3, 3, 3)))",
    # roll
    "torch.roll(v, ())",
    "torch.roll(v, (1, 2))",
    "torch.roll(s, 0, 0)",
    "torch.roll(s, 0, (0, 1))",
    # gather / scatter family: dtypes, ranks and sizes before the index bounds
    "torch.gather(torch.ones(1, 1), 1, torch.zeros(2, 2, dtype=torch.long))",
    "torch.gather(torch.ones(1, 1), 1, torch.full((2, 2), 5))",
    "torch.scatter(torch.ones(3, 5), 0, torch.zeros(2, 6, dtype=torch.long), torch.ones(2, 5))",
    "torch.scatter(torch.ones(3, 5), 0, torch.zeros(2, 6, dtype=torch.long), 2.0)",
    "torch.scatter(torch.ones(3, 5), 0, torch.full((2, 2), 7), torch.ones(2, 5, 2))",
    "torch.scatter_add(torch.ones(3, 5), 0, torch.zeros(2, 2, dtype=torch.long), "
    "torch.ones(2, 5, 2))",
    "torch.scatter_add(torch.ones(3, 5), 0, torch.zeros(2, 2, dtype=torch.long), "
    "torch.ones(2, 5, dtype=torch.float64))",
    "torch.scatter_reduce(torch.ones(3, 5), 0, torch.zeros(2, 2, dtype=torch.long), "
    "torch.ones(2, 5, 2), 'sum')",
    # index_add: source dtype, number of indices, slice shapes
    "torch.index_add(torch.ones(3, 2), 0, torch.tensor([0, 1]), torch.ones(2))",
    "torch.index_add(torch.ones(3, 2), 0, torch.tensor([0, 1]), torch.ones(3, 2))",
    "torch.index_add(torch.ones(3, 2), 0, torch.tensor([0, 1]), torch.ones(2, 2).double())",
    "torch.index_add(torch.ones(3, 2), 1, torch.tensor([0, 1]), torch.ones(3, 2, 1))",
    "torch.index_add(torch.ones(3), 0, torch.tensor(1), torch.tensor(2.0))",
    # masked_fill: a value the dtype cannot hold
    "torch.ones(2).masked_fill(torch.tensor(True), 1j)",
    "torch.ones(2).masked_fill(torch.tensor(True), 1e300)",
    "torch.ones(2, dtype=torch.long).masked_fill(torch.tensor(True), torch.tensor(1j))",
    "torch.ones(2, dtype=torch.long).masked_fill(torch.tensor(True), float('nan'))",
    "torch.ones(2, dtype=torch.uint8).masked_fill(torch.tensor(True), 300)",
    "torch.ones(2, dtype=torch.int8).masked_fill(torch.tensor(True), -129)",
    "torch.ones(2, dtype=torch.float16).masked_fill(torch.tensor(True), 70000.0)",
    # empty_permuted's layout, native_layer_norm's normalized_shape, histogramdd's bins
    "torch.empty_permuted((2,), (3,))",
    "torch.empty_permuted((2, 3), (0, -1))",
    "torch.empty_permuted((2, 3), (0, 0))",
    "torch.native_layer_norm(torch.ones(1, 2, 3), (), None, None, 1e-5)",
    "torch.histogramdd(torch.ones(5, 6), [1, 1, 1, 1, 1])",
    "torch.histogramdd(torch.ones(5, 2), bins=[torch.ones(2)])",
    "torch.histogramdd(torch.ones(5, 6), [1, 1, 1, 1, 1], range=[0.0, 1.0])",
    # narrow_copy (its own messages, not narrow's) and unbind_copy of a 0-d tensor
    "torch.narrow_copy(s, 0, 0, 1)",
    "torch.narrow_copy(torch.ones(10, 5, 20), 3, 0, 0)",
    "torch.narrow_copy(torch.ones(10, 5, 20), -4, 0, 0)",
    "torch.narrow_copy(torch.ones(10), 0, 0, -1)",
    "torch.narrow_copy(torch.ones(10), 0, -3, -1)",
    "torch.narrow_copy(torch.ones(10), 0, 11, -1)",
    "torch.narrow_copy(torch.ones(10), 0, 5, 6)",
    "torch.unbind_copy(torch.tensor(1), 0)",
    # out= that is an input (non-elementwise ops), gather's out= dtype
    "torch.masked_select(v, v > 0, out=v)",
    "torch.gather(v, 0, i - 1, out=v)",
    "torch.take(v, i - 1, out=v)",
    "torch.index_select(v, 0, i - 1, out=v)",
    "torch.cat([v, v], out=v)",
    "torch.gather(v, 0, i - 1, out=torch.empty(3, dtype=torch.float64))",
    "torch.gather(v, 0, i - 1, out=torch.empty(3, dtype=torch.long))",
    "torch.complex(v, v, out=torch.empty(3, dtype=torch.complex128))",
    "torch.complex(v, v, out=torch.empty(3))",
    # logspace's steps and start/end
    "torch.logspace(0, 3, 1.0)",
    "torch.logspace(0, 3, True)",
    "torch.logspace(torch.ones(2), 3, 1)",
    "torch.logspace(0, torch.ones(2), 1)",
    "torch.logspace(torch.ones(2), torch.ones(2), -1)",
    # ormqr's shape and dtype checks
    "torch.ormqr(s, s, s)",
    "torch.ormqr(torch.ones(5, 3), torch.ones(3), torch.ones(5))",
    "torch.ormqr(torch.ones(5, 0), torch.ones(5), torch.ones(5, 5))",
    "torch.ormqr(torch.ones(5, 3), torch.ones(3), torch.ones(4, 5))",
    "torch.ormqr(torch.ones(5, 3), torch.ones(3), torch.ones(5, 4), False)",
    "torch.ormqr(torch.ones(5, 3), torch.ones(2, 3), torch.ones(5, 5))",
    "torch.ormqr(torch.ones(2, 5, 3), torch.ones(2, 3), torch.ones(5, 5))",
    "torch.ormqr(torch.ones(2, 5, 3), torch.ones(3, 3), torch.ones(2, 5, 5))",
    "torch.ormqr(torch.ones(5, 3), torch.ones(3).double(), torch.ones(5, 5))",
    "torch.ormqr(torch.ones(5, 3), torch.ones(3), torch.ones(5, 5).double())",
]
STILL_OK = [
    "torch.pow(2, v)",
    "torch.remainder(2, i)",
    "torch.bitwise_and(2, i)",
    "torch.xlogy(2, v)",
    "torch.float_power(2, v)",
    "torch.eq(v, 2)",
    "torch.rsub(v, 2)",
    "torch.clamp_min(v, 2)",
    "v.eq(2)",
    "2 & i",
    "2 << i",
    "2 - v",
    "2 % i",
    "torch.roll(s, 0, ())",
    "torch.hstack((v, torch.ones(0)))",
    "torch.scatter(torch.ones(3, 5), 0, torch.zeros(2, 2, dtype=torch.long), torch.ones(2, 5))",
    "torch.gather(torch.ones(2), 0, torch.zeros(3, dtype=torch.long))",
    "torch.index_add(torch.ones(3, 2), 0, torch.tensor([0, 1]), torch.ones(2, 2))",
    "torch.index_add(torch.tensor(3.0), 0, torch.tensor([0]), torch.tensor(1.0))",
    "torch.ones(2, dtype=torch.uint8).masked_fill(torch.tensor(True), -1)",
    "torch.ones(2).masked_fill(torch.tensor(True), float('inf'))",
    "torch.ones(2, dtype=torch.bool).masked_fill(torch.tensor(True), 2.5)",
    "torch.ones(2, dtype=torch.cfloat).masked_fill(torch.tensor(True), 1j)",
    "torch.empty_permuted((2, 3), (1, 0))",
    "torch.histogramdd(torch.ones(5, 2), bins=[2, 3])",
    "torch.narrow_copy(torch.ones(10), 0, -3, 2)",
    "torch.narrow_copy(torch.ones(10), 0, 10, 0)",
    "torch.add(v, v, out=v)",
    "torch.gather(v, 0, i - 1, out=torch.empty(3))",
    "torch.complex(v, v, out=torch.empty(3, dtype=torch.complex64))",
    "torch.logspace(torch.tensor(0.0), torch.tensor(1.0), 3)",
    "torch.logspace(0, 3, torch.tensor(3))",
    "torch.ormqr(torch.ones(5, 3), torch.ones(3), torch.ones(5, 5))",
    "torch.ormqr(torch.ones(5, 3), torch.ones(3), torch.ones(4, 5), False)",
]


@pytest.mark.parametrize("expr", CASES)
def test_error_matches_torch(expr):
    want = _error(torch, expr)
    assert want is not None, f"torch accepts {expr}"
    assert _error(torchlike, expr) == want


@pytest.mark.parametrize("expr", STILL_OK)
def test_still_accepted(expr):
    assert _error(torch, expr) is None
    assert _error(torchlike, expr) is None


@pytest.mark.parametrize("code", [
    "m.arange(0, 3, 0)", "m.arange(0., 3, 0.)", "m.arange(0., 1, float('nan'))",
    "m.arange(0, -3, 2)", "m.arange(0, 3, -2)", "m.arange(0, float('inf'), 2)",
    "m.arange(float('-inf'), 1, 2)", "m.arange(float('nan'), 1)", "m.arange(0.5, float('inf'))",
    "m.linspace(0, 3, -1)", "m.linspace(0, 3, 1.0)", "m.linspace(m.ones(2), m.ones(()), 3)",
    "m.eye(-1)", "m.eye(2, -3)", "m.eye(-7, 42)",
    "m.arange(5, 0, -2)", "m.linspace(0, 1, 0)", "m.eye(0, 2)",
])  # fmt: skip
def test_creation_argument_errors(code):
    """arange/linspace/eye: torch's checks on steps and bounds (no ZeroDivisionError or NumPy
    ValueError); the last three calls are valid and must agree in shape."""
    assert_same_shape_or_error(code)


@pytest.mark.parametrize("code", [
    "m.tensor(1.).unbind(0)", "m.tensor(1.).narrow(0, 0, 1)", "m.ones(3).narrow(0, 0, -1)",
    "m.ones(5, 6).narrow(1, m.tensor([1, 2]), 2)", "m.ones(5, 6).narrow(0, m.tensor(True), 3)",
    "m.hsplit(m.ones(5, 6), 0)", "m.vsplit(m.ones(5, 6), 0)", "m.dsplit(m.ones(5, 6, 7), 0)",
    "m.ones(5, 6).narrow(1, m.tensor(2), 2)", "m.hsplit(m.ones(5, 6), 3)[0]",
])  # fmt: skip
def test_shape_argument_errors(code):
    """unbind/narrow of 0-d, narrow's length and start checks, h/v/dsplit into 0 sections (no
    IndexError or ZeroDivisionError from Python); the last two calls are valid."""
    assert_same_shape_or_error(code)


@pytest.mark.parametrize("code", [
    "m.amax(m.ones(5, 0, 5))", "m.amax(m.ones(5, 0, 5), 1)", "m.amin(m.ones(2, 0), (0, -1))",
    "m.amax(m.ones(3, 4), 0, out=m.empty(4, dtype=m.int32))", "m.max(m.ones(3, 0), -1)",
    "m.argmax(m.ones(3, 0))", "m.argmin(m.ones(0, 3), -2)", "m.median(m.ones(0, 3), -2)",
    "m.aminmax(m.ones(0, 3), dim=-2)", "m.logsumexp(m.ones(0, 3), 0)",
    "m.aminmax(m.ones(3, 4), dim=0, out=(m.empty(4), m.empty(4, dtype=m.float64)))[0]",
    "m.mean(m.ones(3, 4), dtype=m.int64)", "m.cov(m.ones(5, 5, 5))",
    "m.cov(m.ones(5), fweights=m.ones(5))", "m.cov(m.ones(5), aweights=m.ones(5, dtype=m.int64))",
    "m.cov(m.ones(5), fweights=m.ones(1, dtype=m.int64))",
    "m.cov(m.ones(5), aweights=-m.ones(5))", "m.cov(m.ones(2, 3), fweights=m.zeros(3).long())",
    "m.cov(m.ones(3, 3), fweights=m.tensor([1, 2, 1]), aweights=m.tensor([.5, 1, 2]))",
])  # fmt: skip
def test_reduction_argument_errors(code):
    """Reductions over an empty dim (no ValueError from jnp), amax's and aminmax's out= dtype,
    mean's dtype=, cov's argument and weight checks; the last call is valid."""
    assert_same_shape_or_error(code)


@pytest.mark.parametrize("code", [
    "m.ones(2, 3, 4, 5, 6).movedim((3, -3), (1, 0, -1))",
    "m.ones(2, 3, 4, 5, 6).movedim((0, 4, -5), (1, 0, 2))",
    "m.ones(2, 3, 4, 5, 6).movedim((1, 0, 2), (0, 4, -5))",
    "m.ones(2, 3, 4, 5, 6).movedim((0, 1, -6), (1, 4, 2))",
    "m.ones(0, 5).reshape(0, -1)", "m.ones(0, 5).view(2, 0, -1)", "m.ones(1).reshape(0, -1)",
    "m.hsplit(m.ones(5, 5, 5), 'abc')", "m.vsplit(m.ones(5, 5), [1, 'a'])",
    "m.norm(m.ones(3, 4, 5), 'abc')", "m.norm(m.ones(3, 4, 5), 'nuc', (1, 2))",
    "m.ones(3).cauchy_(0, 0)", "m.ones(3).log_normal_(0, -1.5)",
    "m.multinomial(m.ones(2), 2, out=m.empty(2))", "m.multinomial(m.ones(0, 3), 2)",
    "m.multinomial(m.tensor([1., -1, float('nan')]), 2, True)",
    "m.multinomial(m.tensor([1., 0, float('inf')]), 2, True)",
    "m.multinomial(m.tensor([[1., 1, 1], [0, 0, 0]]), 2, True)",
    "m.ones(2, 3, 4, 5, 6).movedim((3, -3), (1, 0))",
])  # fmt: skip
def test_shape_and_sampling_argument_errors(code):
    """movedim's messages (dims as given, repeated dims), reshape's ambiguous -1 of 0 elements,
    h/vsplit's argument types, norm's choice of matrix_norm, random fills' positive scale,
    multinomial's out= dtype and per-entry checks; the last call is valid."""
    assert_same_shape_or_error(code)
