"""Matrix products against real PyTorch: the dtypes of integer and bool fused multiply-adds,
einsum's dtypes and errors, matmul's and cdist's last graph node, and the matrix exponential."""

from __future__ import annotations

import numpy as np
import pytest

from tests._ci import ci_sample
from tests._parity import assert_same

from ._helpers import check, mat


@pytest.mark.slow  # compiles a kernel per integer dtype and op: nox -s slow
def test_integer_and_bool_fma_keep_the_dtype():
    assert_same("""
        for dt in (torch.int8, torch.int16, torch.int32, torch.int64, torch.uint8):
            x = torch.arange(6, dtype=dt).reshape(2, 3)
            b = torch.arange(12, dtype=dt).reshape(2, 2, 3) % 3
            m = torch.arange(6, dtype=dt).reshape(3, 2) % 4
            for kw in ({}, dict(beta=0.6, alpha=0.2), dict(beta=1.6, alpha=2.7), dict(beta=0)):
                print(torch.addbmm(x[:, :2], b, b.mT, **kw))
                print(torch.baddbmm(x[:, :2], b, b.mT, **kw))
                print(torch.addmv(x[0, :2], m.T, x[0], **kw))
                print(torch.addmm(x[:, :2], x, m, **kw))
        v, w = torch.tensor([True, False]), torch.tensor([True, True, False])
        x = torch.tensor([[True, False, False], [False, False, True]])
        for kw in ({}, dict(beta=3, alpha=2), dict(beta=0), dict(alpha=False), dict(beta=True)):
            print(torch.addr(x, v, w, **kw))
        print(torch.addr(torch.ones(2, 3, dtype=torch.int16), v, w, beta=2, alpha=3))
    """)


@pytest.mark.parametrize("call", [
    "torch.addr(x.int(), v.int(), w.int(), beta=0.5)",
    "torch.addr(x.int(), v.int(), w.int(), alpha=2.0)",
    "torch.addr(x, v, w, alpha=0.5)",
    "torch.addr(x.int(), v, w, beta=True)",
    "torch.addr(x.float(), v.float(), w.float(), alpha=True)",
])  # fmt: skip
def test_addr_scalar_errors(call):
    assert_same(f"""
        v, w = torch.tensor([True, False]), torch.tensor([True, True, False])
        x = torch.tensor([[True, False, False], [False, False, True]])
        try:
            {call}
        except RuntimeError as e:
            print(e)
    """)


_EINSUM = [
    ("i->", [(3,)]), ("ij->i", [(2, 3)]), ("ii->i", [(2, 2)]), ("ij->ji", [(2, 3)]),
    ("ij,j->i", [(2, 3), (3,)]), ("ij,k->ik", [(2, 3), (4,)]), ("ij,kj->", [(2, 3), (4, 3)]),
    ("i,i,i->", [(3,), (3,), (3,)]), ("i,j,k->", [(2,), (3,), (4,)]), ("iji->j", [(1, 3, 1)]),
    ("i...->...", [(3, 3)]), ("...ik, ...j -> ij", [(1, 2, 3), (3,)]),
    ("ijk,ik->j", [(1, 2, 3), (1, 3)]), ("ii", [(2, 2)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("ij,j->", [(2, 3), (3,)]), ("ij,jk", [(2, 3)]), ("ij->ij", [(2, 3), (2, 3)]),
    ("ij->k", [(2, 3)]), ("ij->ii", [(2, 2)]), ("ijk->", [(2, 3)]), ("ijk...->", [(2, 3)]),
]  # fmt: skip


@pytest.mark.parametrize("equation,shapes", _EINSUM)
def test_einsum_dtypes_and_errors(equation, shapes):
    sized = [(s, int(np.prod(s))) for s in shapes]
    assert_same(f"""
        for dt in (torch.int16, torch.uint8, torch.int64, torch.float32):
            ops = [(torch.arange(n) % 5).reshape(s).to(dt) for s, n in {sized!r}]
            try:
                r = torch.einsum({equation!r}, *ops)
                print(r.dtype, r)
            except RuntimeError as e:
                print(e)
    """)


def test_einsum_contraction_needs_one_dtype():
    assert_same("""
        a, b = torch.ones(2, 3), torch.ones(3, 2, dtype=torch.float64)
        for eq in ("ij,jk->ik", "ij,jk->ijk", "ij,jk->"):
            try:
                print(torch.einsum(eq, a, b).dtype)
            except RuntimeError as e:
                print(e)
        v = torch.tensor([True, False])
        print(torch.einsum("i,j->ij", v, v), torch.einsum("i->", v), torch.einsum("i,i->i", v, v))
        try:
            torch.einsum("i,i->", v, v)
        except NotImplementedError as e:
            print(e)
    """)


@pytest.mark.parametrize("sa,sb", [
    ((0, 0), (5, 0, 0)), ((2, 3), (5, 3, 4)), ((1, 3), (5, 3, 4)), ((2, 3), (5, 3, 1)),
    ((2, 0), (5, 0, 3)), ((0, 3), (5, 3, 2)), ((2, 3), (0, 3, 2)), ((2, 3), (2, 5, 3, 4)),
    ((2, 3), (2, 0, 3, 4)),
])  # fmt: skip
def test_matmul_grad_fn(sa, sb):
    assert_same(f"""
        a = torch.ones({sa}, requires_grad=True)
        b = torch.ones({sb})
        print((a @ b).grad_fn.name(), b.__rmatmul__(a).grad_fn.name())
    """)


def test_cdist_of_empty_input_takes_the_direct_path():
    assert_same("""
        for s1, s2 in (((0, 5), (4, 5)), ((3, 5), (0, 5)), ((2, 0, 5), (2, 4, 5))):
            x1, x2 = torch.ones(s1, requires_grad=True), torch.ones(s2, requires_grad=True)
            for mode in ("use_mm_for_euclid_dist", "use_mm_for_euclid_dist_if_necessary"):
                d = torch.cdist(x1, x2, compute_mode=mode)
                print(d.shape, d.grad_fn.name())
    """)


# 1-norms in each of torch's bands (Taylor degree 1, 2, 4, 8, 12, 18 and scaling)
_SCALES = (1e-17, 1e-9, 1e-5, 0.01, 0.1, 0.5, 3.0, 40.0)
_EXP_CASES = [(s, b) for s in _SCALES for b in ((), (1,), (3,))]


@pytest.mark.parametrize("case", ci_sample(_EXP_CASES, 3))  # CI: a third; nox -s slow: all
def test_matrix_exp_float64(case):
    scale, batch = case
    a = mat(*batch, 4, 4) * scale
    check("linalg.matrix_exp", a, rtol=1e-12, atol=1e-14)
    check("matrix_exp", a, rtol=1e-12, atol=1e-14)


def test_matrix_exp_float32_small_norm_and_huge_norm():
    torch = pytest.importorskip("torch")
    import torchlike

    a = (mat(4, 4) * 0.01).astype(np.float32)
    np.testing.assert_allclose(
        torchlike.linalg.matrix_exp(torchlike.tensor(a)).numpy(),
        torch.linalg.matrix_exp(torch.tensor(a)).numpy(),
        rtol=1e-6,
    )
    # past JAX's 16 squarings: torch's scaling has no bound
    big = -1e6 * np.eye(3) + np.triu(np.ones((3, 3)), 1)
    rot = np.array([[0.0, 1e4], [-1e4, 0.0]])
    for x in (big, rot):
        np.testing.assert_allclose(torchlike.linalg.matrix_exp(torchlike.tensor(x)).numpy(),
                                   torch.linalg.matrix_exp(torch.tensor(x)).numpy(),
                                   rtol=1e-9, atol=1e-12)  # fmt: skip


@pytest.mark.slow  # CI checks matrix_exp's double backward in tests/test_linalg_rules.py
def test_matrix_exp_double_backward():
    assert_same("""
        a = torch.tensor([[0.3, -1.2, 0.5], [0.7, 0.1, -0.4], [0.2, 0.9, -0.6]],
                         dtype=torch.float64, requires_grad=True)
        for x in (a, a * 0.01, torch.stack([a, 2 * a])):
            g, = torch.autograd.grad(torch.linalg.matrix_exp(x).sin().sum(), a, create_graph=True)
            gg, = torch.autograd.grad(g.pow(2).sum(), a)
            print(g.round(decimals=10), gg.round(decimals=8))
    """)


def test_kron_of_bools_and_tensordot_over_broadcast_dims():
    assert_same("""
        a = torch.tensor([[True, False], [True, True]])
        print(torch.kron(a, a), torch.kron(a, torch.tensor([True, False, True])))
        for dt in (torch.float32, torch.int16):
            x = torch.arange(1, dtype=dt).reshape(1, 1, 1) + 2
            y = torch.arange(4, dtype=dt).reshape(2, 1, 2)
            z = torch.arange(4, dtype=dt).reshape(2, 2, 1)
            print(torch.tensordot(x, y, dims=([0, 1], [2, 0])))
            print(torch.tensordot(z, y, dims=([0, 1], [2, 0])))
        try:
            torch.tensordot(torch.ones(2, 3), torch.ones(3, 4), dims=([0], [0]))
        except RuntimeError as e:
            print(e)
        w = torch.ones(2, 1, requires_grad=True)
        r = torch.tensordot(w, torch.ones(3, 4), dims=([1], [0]))
        print(r, r.grad_fn.name())
    """)
