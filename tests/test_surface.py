"""The declared op surface (``_functions/_surface.py``): ``out=`` written (and resized with
torch's warning), tuple ``out=`` for several outputs, in-place broadcast errors, aliases, and
methods/operators binding the plain function; each compared to real torch."""

from __future__ import annotations

import pytest

from tests._parity import assert_same


def test_out_writes_and_resizes():
    assert_same("""
        a = torch.tensor([[1., -2., 3.], [4., 5., -6.]])
        for f in (lambda o: torch.add(a, 1, alpha=2, out=o), lambda o: torch.exp(a, out=o),
                  lambda o: torch.hypot(a, a, out=o), lambda o: torch.sum(a, 1, out=o),
                  lambda o: torch.cumsum(a, 0, out=o), lambda o: torch.cat([a, a], out=o),
                  lambda o: torch.where(a > 0, a, a * 0, out=o),
                  lambda o: torch.clamp_min(a, 0, out=o),
                  lambda o: torch.gather(a, 1, torch.tensor([[0], [2]]), out=o)):
            o = torch.empty(0)
            r = f(o)
            print(r, r is o, o.shape)
        o = torch.empty(5)
        print(torch.mul(a, 2, out=o), o.shape)
        print(torch.amax(a, 1, out=torch.empty(2)), torch.mean(a, 0, out=torch.empty(3)))
        torch.exp(a, out=torch.empty(2, dtype=torch.int64))
    """)


def test_bitwise_and_comparison_out_really_write():
    assert_same("""
        a, b = torch.tensor([12, 10, 7]), torch.tensor([10, 6, 3])
        c = torch.zeros(3, dtype=torch.int64)
        print(torch.bitwise_and(a, b, out=c) is c, c)
        print(torch.bitwise_xor(a, b, out=c), c)
        m = torch.zeros(3, dtype=torch.bool)
        print(torch.gt(a, b, out=m) is m, m, torch.logical_and(a, b, out=m))
    """)


def test_tuple_out():
    assert_same("""
        x = torch.tensor([[3., 1., 2.], [0., 5., 4.]])
        v, i = torch.empty(0), torch.empty(0, dtype=torch.int64)
        for f in (lambda: torch.sort(x, out=(v, i)), lambda: torch.topk(x, 2, out=(v, i)),
                  lambda: torch.max(x, 1, out=(v, i)), lambda: torch.kthvalue(x, 2, out=(v, i)),
                  lambda: torch.cummax(x, 1, out=(v, i))):
            r = f()
            print(r, r.values is v, r.indices is i)
        lo, hi = torch.empty(0), torch.empty(0)
        r = torch.aminmax(x, dim=0, out=(lo, hi))
        print(r, r.min is lo)
    """)


def test_out_refuses_autograd_and_bad_types():
    assert_same("""
        x = torch.ones(2, requires_grad=True)
        for f in (lambda: torch.exp(x, out=torch.empty(2)), lambda: torch.exp(x.detach(), out=3)):
            try:
                f()
            except (RuntimeError, TypeError) as e:
                print(type(e).__name__, e)
    """)


def test_inplace_broadcast_error():
    assert_same("""
        a = torch.zeros(3)
        for f in (lambda: a.add_(torch.ones(2, 3)), lambda: a.mul_(torch.ones(2, 3)),
                  lambda: a.hypot_(torch.ones(4, 3))):
            try:
                f()
            except RuntimeError as e:
                print(e)
        print(a.add_(torch.ones(1)), a.clamp_(max=0.5), a)
    """)


def test_aliases_share_behaviour():
    assert_same("""
        x = torch.tensor([0.25, -0.5])
        print(torch.arcsin(x), torch.asin(x), x.arcsin(), x.clone().arcsin_())
        print(torch.clip(x, 0, 0.3), torch.subtract(x, 1, alpha=2), torch.multiply(x, 2))
        print(torch.true_divide(x, 2), torch.greater(x, 0), torch.concat([x, x]))
        print(x.swapaxes(0, 0), torch.moveaxis(x.reshape(1, 2), 0, 1).shape)
        print(torch.absolute(x, out=torch.empty(2)), torch.negative(x))
    """)


def test_methods_and_operators_bind_the_plain_function():
    import torchlike

    T = torchlike.Tensor
    for name in ("add", "mul", "sin", "exp", "sub"):
        method = getattr(T, name)
        assert not getattr(method, "_torchlike_out", False), name
        assert getattr(torchlike, name)._torchlike_out
    with pytest.raises(TypeError):
        torchlike.ones(2).add(torchlike.ones(2), out=torchlike.empty(2))


def test_each_slot_declared_once():
    """Two declarations of one surface slot (``torch.real`` in two modules) mean the later
    import silently wins: each slot has exactly one declaring function."""
    from torchlike._functions._surface import SLOTS

    twice = {slot: where for slot, where in SLOTS.items() if len(where) > 1}
    assert not twice, "declared more than once:\n" + "\n".join(
        f"  {slot}: {', '.join(where)}" for slot, where in sorted(twice.items())
    )


# name -> (the tensor written into, the rest of the call's arguments); default ("x", "")
_TORCH_INPLACE_ARGS = {
    "acosh_": ("x + 1", ""), "arccosh_": ("x + 1", ""), "gcd_": ("i", "j"), "lcm_": ("i", "j"),
    "xlogy_": ("x", "x + 1"), "clamp_": ("x", "min=0.3"), "clip_": ("x", "max=0.3"),
    "clamp_min_": ("x", "0.3"), "clamp_max_": ("x", "0.3"), "round_": ("x", "decimals=1"),
    "addmv_": ("x", "mat, x"), "logit_": ("x", "eps=0.25"), "nan_to_num_": ("x / 0", ""),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted({
    "abs_", "acos_", "acosh_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_", "arctanh_",
    "asin_", "asinh_", "atan_", "atanh_", "ceil_", "clamp_", "clamp_max_", "clamp_min_", "clip_",
    "cos_", "cosh_", "deg2rad_", "erf_", "erfc_", "exp2_", "exp_", "expm1_", "floor_", "frac_",
    "gcd_", "lcm_", "log10_", "log1p_", "log2_", "log_", "logit_", "nan_to_num_", "neg_",
    "negative_", "rad2deg_", "reciprocal_", "round_", "rsqrt_", "sigmoid_", "sin_", "sinc_",
    "sinh_", "sqrt_", "square_", "tan_", "tanh_", "trunc_", "xlogy_", "addmv_",
}))  # fmt: skip
def test_torch_level_inplace(name):
    """``torch.<op>_(t, ...)``: writes into ``t`` and returns it, with torch's values."""
    import numpy as np

    import torchlike

    torch = pytest.importorskip("torch")
    first, rest = _TORCH_INPLACE_ARGS.get(name, ("x", ""))
    results = []
    for m in (torch, torchlike):
        env = {"m": m, "x": m.tensor([0.2, 0.7]), "i": m.tensor([4, 6]), "j": m.tensor([6, 4]),
               "mat": m.tensor([[1.0, 2.0], [3.0, 4.0]])}  # fmt: skip
        env["t"] = eval(first, env).clone()
        out = eval(f"m.{name}(t, {rest})", env)
        assert out is env["t"]
        results.append(out.numpy())
    np.testing.assert_allclose(results[1], results[0], rtol=1e-6)
