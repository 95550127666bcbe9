"""Attention against torch: scaled_dot_product_attention, MultiheadAttention (masks, batch_first,
weights), TransformerEncoderLayer / TransformerEncoder with copied weights."""

from __future__ import annotations

import numpy as np
import pytest

from tests._parity import assert_same
from tests.nn._layer_check import G, run_case, run_module

CAUSAL = np.tril(np.ones((4, 5), bool))
FMASK = np.random.default_rng(3).standard_normal((4, 5))


def F(m):
    return m.nn.functional


# fmt: off
SDPA = {
    "plain": (lambda m, q, k, v: F(m).scaled_dot_product_attention(q, k, v),
              [G(2, 2, 4, 3), G(2, 2, 5, 3), G(2, 2, 5, 3)]),
    "math_path": (lambda m, q, k, v: F(m).scaled_dot_product_attention(q, k, v),
                  [G(2, 4, 3), G(2, 5, 3), G(2, 5, 2)]),
    "causal_scale": (lambda m, q, k, v: F(m).scaled_dot_product_attention(
        q, k, v, is_causal=True, scale=0.3), [G(1, 2, 4, 3), G(1, 2, 5, 3), G(1, 2, 5, 3)]),
    "bool_mask": (lambda m, q, k, v, a: F(m).scaled_dot_product_attention(q, k, v, attn_mask=a),
                  [G(2, 4, 3), G(2, 5, 3), G(2, 5, 3), CAUSAL]),
}
# fmt: on


@pytest.mark.parametrize("name", sorted(SDPA))
def test_sdpa_against_torch(name):
    fn, specs = SDPA[name]
    run_case(fn, *specs)


def test_sdpa_float_mask():
    run_case(lambda m, q, k, v, a: F(m).scaled_dot_product_attention(q, k, v, attn_mask=a),
             G(2, 4, 3), G(2, 5, 3), G(2, 5, 3), G(4, 5, grad=False), dtypes=("float64",))


class _Call:
    """A module wrapper: calls ``mha(q, k, v, **kw)`` with masks built for the library."""

    def __init__(self, ctor, **kw):
        self.ctor, self.kw = ctor, kw

    def __call__(self, m):
        mod = self.ctor(m)
        kw = {k: (m.from_numpy(v) if isinstance(v, np.ndarray) else v)
              for k, v in self.kw.items()}  # fmt: skip
        orig = mod.forward

        def forward(q, k, v):
            return orig(q, k, v, **kw)

        mod.forward = forward
        return mod


KPM = np.array([[False, False, True, False, True], [False, True, False, False, False]])
AMASK = ~np.tril(np.ones((3, 5), bool), 2)

# fmt: off
MHA = {
    "plain": (_Call(lambda m: m.nn.MultiheadAttention(6, 2)), [(3, 2, 6), (5, 2, 6), (5, 2, 6)]),
    "batch_first_kpm": (_Call(lambda m: m.nn.MultiheadAttention(6, 3, batch_first=True),
                              key_padding_mask=KPM), [(2, 3, 6), (2, 5, 6), (2, 5, 6)]),
    "bool_attn_mask_heads": (_Call(lambda m: m.nn.MultiheadAttention(4, 2),
                                   attn_mask=AMASK, average_attn_weights=False),
                             [(3, 2, 4), (5, 2, 4), (5, 2, 4)]),
    "float_mask_nobias_noweights": (_Call(lambda m: m.nn.MultiheadAttention(4, 1, bias=False),
                                          attn_mask=FMASK[:3], need_weights=False),
                                    [(3, 2, 4), (5, 2, 4), (5, 2, 4)]),
    "unbatched": (_Call(lambda m: m.nn.MultiheadAttention(4, 2), key_padding_mask=KPM[0]),
                  [(3, 4), (5, 4), (5, 4)]),
}
# fmt: on


@pytest.mark.parametrize("name", sorted(MHA))
def test_mha_against_torch(name):
    ctor, shapes = MHA[name]
    run_module(ctor, *shapes)


@pytest.mark.parametrize("kw", [
    dict(),
    dict(norm_first=True, activation="gelu", batch_first=True),
], ids=["post_norm_relu", "pre_norm_gelu_batch_first"])
def test_encoder_layer_eval(kw):
    run_module(lambda m: m.nn.TransformerEncoderLayer(8, 2, 16, **kw), (3, 2, 8), train=False)


def test_encoder_layer_train_no_dropout_float32():
    run_module(lambda m: m.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0), (3, 2, 8),
               dtype="float32")  # fmt: skip


def test_encoder_stack_and_warning():
    assert_same("""
        nn = torch.nn
        layer = nn.TransformerEncoderLayer(8, 2, 16)
        enc = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(8))
        print(enc)
        print([n for n, _ in enc.named_parameters()][:8], len(list(enc.parameters())))
        nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 1)
    """)


def test_encoder_stack_values():
    def ctor(m):
        layer = m.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True)
        return m.nn.TransformerEncoder(layer, 2, norm=m.nn.LayerNorm(8))

    run_module(ctor, (2, 3, 8), train=False)


def test_mha_errors():
    assert_same("""
        nn = torch.nn
        for f in (lambda: nn.MultiheadAttention(0, 2), lambda: nn.MultiheadAttention(6, 4)):
            try:
                f()
            except Exception as e:
                print(type(e).__name__, e)
        m = nn.MultiheadAttention(4, 2)
        print(m)
        print([(n, tuple(p.shape)) for n, p in m.named_parameters()])
    """)
